/* leakhound version (and --version): what was built, from which commit,
 * how, and with which libraries -- what a bug report needs first. The
 * build facts come from gen/version.c, written at every build by
 * cmake/version.cmake; the library versions are asked of the libraries
 * loaded now, which may be newer than the headers it was built with. */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <protobuf-c/protobuf-c.h>
#include <zlib.h>

#include "cli/cli.h"

extern const char lh_build_version[], lh_build_commit[], lh_build_type[], lh_build_features[];

const char *lh_version(void)
{
    return lh_build_version;
}

int lh_cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("usage: leakhound version\n\n"
             "Prints the version, the git commit it was built from (\"unknown\" outside\n"
             "a git checkout; \"-dirty\" when tracked files differed from it), the\n"
             "CMake build type, the optional parts compiled in, and the versions of\n"
             "the libraries in use. `leakhound --version` is the same.");
        return LH_EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "leakhound version: takes no arguments\n");
        return LH_EXIT_ERROR;
    }
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    printf("leakhound %s\n", lh_build_version);
    printf("commit:     %s\n", lh_build_commit[0] ? lh_build_commit : "unknown");
    printf("build type: %s\n", lh_build_type[0] ? lh_build_type : "none");
    printf("features:   %s\n", lh_build_features[0] ? lh_build_features : "none");
    printf("libraries:  zlib %s, protobuf-c %s, libcurl %s%s%s%s\n", zlibVersion(),
           protobuf_c_version(), cv->version, cv->ssl_version ? " (" : "",
           cv->ssl_version ? cv->ssl_version : "", cv->ssl_version ? ")" : "");
    return LH_EXIT_OK;
}

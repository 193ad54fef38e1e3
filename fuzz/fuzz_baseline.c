/* libFuzzer harness for the baseline reader (report/baseline.h), which
 * reads whatever file `scan --baseline` is given: any bytes must parse or
 * fail with a "LINE:COL: message" error, without a crash, a hang or a
 * sanitizer report; what parses must filter findings, and a baseline
 * written back as `scan --format json` must read again with as many
 * entries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/baseline.h"
#include "report/findings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy without a terminator: the reader must respect len. */
    char *src = malloc(size ? size : 1);
    if (!src)
        return 0;
    memcpy(src, data, size);

    lh_baseline b;
    char err[256] = "";
    if (lh_baseline_parse(&b, src, size, err, sizeof err) != 0) {
        unsigned line, col;
        if (sscanf(err, "%u:%u: ", &line, &col) != 2 || line == 0 || col == 0)
            __builtin_trap();
        lh_baseline_free(&b);
        free(src);
        return 0;
    }
    /* Every entry as a finding: the baseline drops them all. */
    lh_findings fs;
    lh_findings_init(&fs);
    for (size_t i = 0; i < b.n; i++) {
        if (!b.v[i].rule || !b.v[i].file)
            __builtin_trap();
        lh_finding f = {b.v[i].rule, b.v[i].file, 1, 1, 0, 0, LH_SEV_WARNING, "m", "",
                        b.v[i].fingerprint};
        lh_findings_add(&fs, &f);
    }
    size_t n = fs.n;
    /* Written back (strings with NULs or invalid UTF-8 change on the way,
     * the number of findings does not). */
    lh_buf out = LH_BUF_INIT;
    lh_findings_json(&out, &fs, NULL, NULL);
    lh_baseline again;
    if (lh_baseline_parse(&again, out.data, out.len, err, sizeof err) != 0 || again.n != b.n)
        __builtin_trap();
    lh_baseline_free(&again);
    /* lh_findings_path (cwd NULL) drops a leading "./", so only entries
     * without one are sure to match. */
    size_t plain = 0;
    for (size_t i = 0; i < n; i++)
        plain += strncmp(fs.v[i].file, "./", 2) != 0 || !fs.v[i].file[2];
    size_t dropped = lh_findings_drop_baseline(&fs, &b, NULL);
    if (dropped < plain || dropped > n || fs.n != n - dropped)
        __builtin_trap();
    lh_buf_free(&out);
    lh_findings_free(&fs);
    lh_baseline_free(&b);
    free(src);
    return 0;
}

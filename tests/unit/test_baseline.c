/* Fingerprints and the baseline reader (report/baseline.h): what keeps a
 * fingerprint and what changes it, and which JSON documents a baseline
 * accepts -- escapes decoded as JSON has them, other values skipped,
 * malformed input rejected with a position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report/baseline.h"

static uint64_t line_fp(const char *rule, const char *fn, const char *src, uint32_t line)
{
    lh_finding f = {rule, "a.go", line, 1, 0, 0, LH_SEV_WARNING, "m", fn, 0};
    lh_fingerprint_line(&f, src, src ? strlen(src) : 0);
    return f.fingerprint;
}

static void test_fingerprint_parts(void **state)
{
    (void)state;
    const char *src = "package p\n\tdefer f.Close()\n";
    uint64_t base = line_fp("r", "F", src, 2);
    /* white space and the line number do not count */
    assert_true(line_fp("r", "F", "package p\n\n\n   defer  f.Close( )\r\n", 4) == base);
    /* the code of the line, the rule and the function do */
    assert_true(line_fp("r", "F", "package p\n\tdefer g.Close()\n", 2) != base);
    assert_true(line_fp("s", "F", src, 2) != base);
    assert_true(line_fp("r", "G", src, 2) != base);
    assert_true(line_fp("r", "", src, 2) != base);
    /* rule and function are kept apart: "ab"+"c" is not "a"+"bc" */
    assert_true(line_fp("ab", "c", src, 2) != line_fp("a", "bc", src, 2));
    /* no source, or a line past its end: the line counts as empty */
    assert_true(line_fp("r", "F", NULL, 2) == line_fp("r", "F", src, 9));
    char hex[17];
    lh_fingerprint_hex(0x00ab, hex);
    assert_string_equal(hex, "00000000000000ab");
    assert_true(lh_fingerprint_with_path(base, "a.go") != lh_fingerprint_with_path(base, "b.go"));
}

static void test_fingerprint_occurrence(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    /* Three findings with one first part: two in a.go, one in b.go. */
    lh_finding f = {"r", "a.go", 3, 1, 0, 0, LH_SEV_WARNING, "m", "F", 42};
    lh_findings_add(&fs, &f);
    f.line = 9;
    lh_findings_add(&fs, &f);
    f.file = "b.go";
    f.line = 3;
    lh_findings_add(&fs, &f);
    lh_findings_sort_dedup(&fs);
    lh_findings_fingerprint(&fs);
    assert_int_equal(fs.n, 3);
    /* a.go's first and b.go's only one are both occurrence 0 */
    assert_true(fs.v[0].fingerprint == fs.v[2].fingerprint);
    assert_true(fs.v[0].fingerprint != fs.v[1].fingerprint);
    assert_true(fs.v[0].fingerprint != 42);
    lh_findings_free(&fs);
}

static void test_baseline_parse_and_drop(void **state)
{
    (void)state;
    /* Escapes as JSON has them, other members and values skipped. */
    static const char doc[] =
        "{\"stats\": {\"seconds\": 1.5e-3, \"x\": [true, false, null, -0, {\"k\": []}]},\n"
        " \"findings\": [\n"
        "  {\"rule\": \"r\", \"file\": \"dir/caf\\u00e9 \\ud83d\\ude00\\t.go\", \"line\": 3,\n"
        "   \"fingerprint\": \"00000000000000aa\", \"message\": \"q\\\"\\\\\\/\"},\n"
        "  {\"fingerprint\": \"00000000000000bb\", \"file\": \"b.go\", \"rule\": \"r\"}],\n"
        " \"errors\": []}\n";
    lh_baseline b;
    char err[256] = "";
    assert_int_equal(lh_baseline_parse(&b, doc, sizeof doc - 1, err, sizeof err), 0);
    assert_int_equal(b.n, 2);

    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding f = {"r", "/m/dir/caf\xc3\xa9 \xf0\x9f\x98\x80\t.go", 30, 1, 0, 0,
                    LH_SEV_WARNING, "m", "F", 0xaa};
    lh_findings_add(&fs, &f);
    f.fingerprint = 0xbb;                 /* right fingerprint, wrong file */
    lh_findings_add(&fs, &f);
    f.file = "/m/b.go";
    f.rule = "s";                         /* right file and fingerprint, wrong rule */
    lh_findings_add(&fs, &f);
    f.rule = "r";                         /* all three: known */
    lh_findings_add(&fs, &f);
    assert_int_equal(lh_findings_drop_baseline(&fs, &b, "/m"), 2);
    assert_int_equal(fs.n, 2);
    assert_true(fs.v[0].fingerprint == 0xbb && strcmp(fs.v[0].rule, "r") == 0);
    assert_string_equal(fs.v[1].rule, "s");
    lh_findings_free(&fs);
    lh_baseline_free(&b);

    /* An empty run is a baseline too. */
    static const char empty[] = "{\"findings\": [], \"errors\": []}";
    assert_int_equal(lh_baseline_parse(&b, empty, sizeof empty - 1, err, sizeof err), 0);
    assert_int_equal(b.n, 0);
    lh_baseline_free(&b);
}

static void test_baseline_rejects(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *err;
    } bad[] = {
        {"", "1:1: expected a JSON object"},
        {"[]", "1:1: expected a JSON object"},
        {"{\"errors\": []}", "1:15: no \"findings\" array"},
        {"{\"findings\": {}}", "1:14: expected an array"},
        {"{\"findings\": [\n", "2:1: expected an object"},
        {"{\"findings\": [{\"rule\": \"r\", \"file\": \"f\"}]}", "1:15: a finding without rule"},
        {"{\"findings\": [{\"rule\": \"r\", \"file\": \"f\", \"fingerprint\": \"xyz\"}]}",
         "1:15: a finding without rule"},
        {"{\"findings\": [{\"rule\": \"r\", \"file\": \"f\", \"fingerprint\": \"00000000000000AA\"}]}",
         "1:15: a finding without rule"},
        {"{\"findings\": []} x", "1:18: data after the JSON object"},
        {"{\"findings\": [], \"a\": tru}", "1:23: expected a JSON value"},
        {"{\"findings\": [], \"a\": \"\\x\"}", "1:26: bad escape in string"},
        {"{\"findings\": [], \"a\": \"\\u12g4\"}", "1:28: bad \\u escape"},
        {"{\"findings\": [], \"a\": \"x\ny\"}", "1:25: control character in string"},
        {"{\"findings\": [], \"a\": \"x", "1:25: unterminated string"},
        {"{\"findings\": [] \"a\": 1}", "1:17: expected ',' or '}'"},
        {"{\"findings\": [], \"a\": -}", "1:23: expected a JSON value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lh_baseline b;
        char err[256] = "";
        int rc = lh_baseline_parse(&b, bad[i].doc, strlen(bad[i].doc), err, sizeof err);
        if (rc == 0 || strncmp(err, bad[i].err, strlen(bad[i].err)) != 0)
            fail_msg("%s: rc %d, err '%s', want '%s'", bad[i].doc, rc, err, bad[i].err);
        lh_baseline_free(&b);
    }
    /* Nesting is bounded: no stack overflow on a hostile file. */
    char deep[4096];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"findings\": [], \"a\": ");
    for (int k = 0; k < 1000; k++)
        deep[n++] = '[';
    lh_baseline b;
    char err[256] = "";
    assert_int_equal(lh_baseline_parse(&b, deep, n, err, sizeof err), -1);
    assert_non_null(strstr(err, "nested too deeply"));
    lh_baseline_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint_parts),
        cmocka_unit_test(test_fingerprint_occurrence),
        cmocka_unit_test(test_baseline_parse_and_drop),
        cmocka_unit_test(test_baseline_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

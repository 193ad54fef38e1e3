/* The shared flag grammar (cli/flags.h) and Go-syntax durations
 * (util/duration.h): what every command's flags accept and reject. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/flags.h"
#include "util/duration.h"

#define SEC INT64_C(1000000000)

static void test_duration_parse(void **state)
{
    (void)state;
    /* Values and results as time.ParseDuration gives them. */
    static const struct {
        const char *s;
        int64_t ns;
    } ok[] = {
        {"0", 0},
        {"2s", 2 * SEC},
        {"500ms", 500000000},
        {"1m30s", 90 * SEC},
        {"1.5h", 5400 * SEC},
        {"-1.5h", -5400 * SEC},
        {"+3s", 3 * SEC},
        {".5s", SEC / 2},
        {"1.s", SEC},
        {"1h2m3s4ms5us6ns", 3723 * SEC + 4005006},
        {"10\xc2\xb5s", 10000},
        {"3\xce\xbcs", 3000},
        {"9223372036854775807ns", INT64_MAX},
        {"-9223372036854775808ns", INT64_MIN},
        {"2562047h", INT64_C(2562047) * 3600 * SEC},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ns = 12345;
        const char *why = NULL;
        assert_int_equal(lh_duration_parse(ok[i].s, &ns, &why), 0);
        assert_true(ns == ok[i].ns);
    }
    static const struct {
        const char *s, *why;
    } bad[] = {
        {"", "not a duration"},
        {"10", "missing unit"},
        {"1.5", "missing unit"},
        {"3d", "unknown unit"},
        {"1sec", "unknown unit"},
        {"s", "not a duration"},
        {".s", "not a duration"},
        {"-", "not a duration"},
        {"1s ", "unknown unit"},
        {"9223372036854775808ns", "overflow"},
        {"2562048h", "overflow"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ns;
        const char *why = NULL;
        assert_int_equal(lh_duration_parse(bad[i].s, &ns, &why), -1);
        assert_string_equal(why, bad[i].why);
    }
}

static void test_duration_format(void **state)
{
    (void)state;
    /* time.Duration.String's output for each. */
    static const struct {
        int64_t ns;
        const char *s;
    } cases[] = {
        {0, "0s"},
        {1, "1ns"},
        {1100, "1.1\xc2\xb5s"},
        {2200000, "2.2ms"},
        {3300000000, "3.3s"},
        {4 * 60 * SEC + 5 * SEC, "4m5s"},
        {4 * 60 * SEC + 5 * SEC + 1000000, "4m5.001s"},
        {5 * 3600 * SEC + 6 * 60 * SEC + 7 * SEC + 1000000, "5h6m7.001s"},
        {8 * 60 * SEC + 1, "8m0.000000001s"},
        {3600 * SEC, "1h0m0s"},
        {-SEC / 2, "-500ms"},
        {INT64_MAX, "2562047h47m16.854775807s"},
        {INT64_MIN, "-2562047h47m16.854775808s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[LH_DURATION_MAX_TEXT];
        assert_string_equal(lh_duration_format(cases[i].ns, buf, sizeof buf), cases[i].s);
    }
    assert_string_equal(lh_plural(1, "minute", "minutes"), "minute");
    assert_string_equal(lh_plural(0, "minute", "minutes"), "minutes");
    assert_string_equal(lh_plural(2, "minute", "minutes"), "minutes");
}

/* A command's flags, as the commands declare theirs. */
typedef struct opts {
    long long n;
    bool verbose;
    const char *out;
    int format;
    size_t size;
    int64_t wait;
} opts;

static int parse(opts *o, char **ops, size_t *nops, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->n = 20;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &o->n, 0, NULL, NULL},
        {"v", LH_FLAG_BOOL, &o->verbose, 0, NULL, NULL},
        {"o", LH_FLAG_STRING, &o->out, 0, NULL, NULL},
        {"format", LH_FLAG_CHOICE, &o->format, 0, NULL, "text|json|sarif"},
        {"json", LH_FLAG_SET, &o->format, 1, NULL, NULL},
        {"max-inflate", LH_FLAG_SIZE, &o->size, 0, NULL, NULL},
        {"wait", LH_FLAG_DURATION, &o->wait, SEC, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, NULL};
    return lh_flags_parse("test", "usage: test\n", tables, argc, argv, ops, nops);
}

#define ARGV(...) ((char *[]){"test", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"test", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, ops, nops, ...) parse(o, ops, nops, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void test_flag_forms(void **state)
{
    (void)state;
    opts o;
    char *ops[16];
    size_t nops;
    /* One dash or two, value attached or next: all the same flag. */
    const char *forms[][2] = {{"-n", "5"}, {"--n", "5"}, {"-n=5", NULL}, {"--n=5", NULL},
                              {"-nodecount", "5"}, {"--nodecount=5", NULL}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *argv[] = {"test", "a.pb", (char *)forms[i][0], (char *)forms[i][1], NULL};
        int argc = forms[i][1] ? 4 : 3;
        assert_int_equal(parse(&o, ops, &nops, argc, argv), 0);
        assert_int_equal(o.n, 5);
        assert_int_equal(nops, 1);
        assert_string_equal(ops[0], "a.pb");
    }
    /* Booleans never take the next argument; =false turns them off. */
    assert_int_equal(PARSE(&o, ops, &nops, "-v", "x"), 0);
    assert_true(o.verbose);
    assert_int_equal(nops, 1);
    assert_int_equal(PARSE(&o, ops, &nops, "--v=false", "x"), 0);
    assert_false(o.verbose);
    assert_int_equal(PARSE(&o, ops, &nops, "-v=T"), 0);
    assert_true(o.verbose);
    /* Choices, and the boolean naming one. */
    assert_int_equal(PARSE(&o, ops, &nops, "-format", "sarif"), 0);
    assert_int_equal(o.format, 2);
    assert_int_equal(PARSE(&o, ops, &nops, "-json"), 0);
    assert_int_equal(o.format, 1);
    /* Sizes and durations. */
    assert_int_equal(PARSE(&o, ops, &nops, "--max-inflate=64k", "--wait", "1m30s"), 0);
    assert_int_equal(o.size, 65536);
    assert_true(o.wait == 90 * SEC);
    /* "-" is an operand; after "--" everything is. */
    assert_int_equal(PARSE(&o, ops, &nops, "-", "--", "-v", "--n=3"), 0);
    assert_int_equal(nops, 3);
    assert_string_equal(ops[0], "-");
    assert_string_equal(ops[1], "-v");
    assert_false(o.verbose);
    assert_int_equal(o.n, 20);
    /* A value that looks like a flag is still the value. */
    assert_int_equal(PARSE(&o, ops, &nops, "-o", "-v"), 0);
    assert_string_equal(o.out, "-v");
    assert_false(o.verbose);
}

static void test_flag_errors(void **state)
{
    (void)state;
    opts o;
    char *ops[16];
    size_t nops;
    assert_int_equal(PARSE(&o, ops, &nops, "-x"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "---n=1"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-=1"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "a", "-n"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-n", "-1"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-n", "5x"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-v=maybe"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-format", "yaml"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-max-inflate", "lots"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-wait", "10"), -1);
    assert_int_equal(PARSE(&o, ops, &nops, "-wait", "500ms"), -1);    /* below 1s */
    assert_string_equal(lh_cli_cmd, "test");
    /* Help, in each spelling: 1, usage on stdout. */
    assert_int_equal(PARSE(&o, ops, &nops, "-h"), 1);
    assert_int_equal(PARSE(&o, ops, &nops, "a", "-help"), 1);
    assert_int_equal(PARSE(&o, ops, &nops, "--help"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_parse),
        cmocka_unit_test(test_duration_format),
        cmocka_unit_test(test_flag_forms),
        cmocka_unit_test(test_flag_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The arena and the pool of blocks behind it: recycled memory is handed
 * out zeroed where lh_arena_alloc promises zeros, the pool never holds
 * more than its bound, the newest allocation grows and shrinks in place,
 * threads never get the same block, and (under ASan) what waits in the
 * pool is poisoned. Each test sets the bound it needs: the default is 0
 * under ASan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/ptrmap.h"

#if defined(__SANITIZE_ADDRESS__)
#define LH_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LH_TEST_ASAN 1
#endif
#endif
#ifdef LH_TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

enum { KIB = 1024, MIB = 1024 * 1024 };

static int setup(void **state)
{
    (void)state;
    lh_pool_set_limit(0);          /* an empty pool for each test */
    return 0;
}

/* Fills an arena with allocations of many sizes, each filled with junk
 * (raw memory, as a caller that writes everything would), then frees it
 * into the pool; a second arena asks for the same sizes zeroed and must
 * see only zeros, on blocks the pool handed back. */
static void test_recycled_blocks_are_zeroed(void **state)
{
    (void)state;
    lh_pool_set_limit(32 * MIB);
    lh_arena a;
    lh_arena_init(&a);
    size_t total = 0;
    for (size_t i = 0; total < 3 * MIB; i++) {
        size_t n = 1 + (i * 7919) % (40 * KIB);
        memset(lh_arena_alloc_raw(&a, n), 0xAB, n);
        total += n;
    }
    lh_arena_free(&a);
    size_t cached = lh_pool_cached();
    assert_true(cached >= 3 * MIB);
    lh_arena_init(&a);
    total = 0;
    for (size_t i = 0; total < 3 * MIB; i++) {
        size_t n = 1 + (i * 7919) % (40 * KIB);
        unsigned char *p = lh_arena_alloc(&a, n);
        for (size_t k = 0; k < n; k++)
            if (p[k] != 0)
                fail_msg("byte %zu of allocation %zu (%zu bytes) is %#x", k, i, n, p[k]);
        total += n;
    }
    /* The second arena took its blocks from the pool. */
    assert_true(lh_pool_cached() < cached);
    lh_arena_free(&a);
    assert_int_equal(lh_pool_cached(), cached);
}

/* The pool holds at most its bound, whatever is freed into it, and a
 * lower bound lets go of what it held. */
static void test_pool_is_bounded(void **state)
{
    (void)state;
    lh_pool_set_limit(256 * KIB);
    void *p[40];
    for (int i = 0; i < 40; i++) {
        p[i] = lh_pool_alloc(64 * KIB);
        memset(p[i], i, 64 * KIB);
    }
    for (int i = 0; i < 40; i++) {
        lh_pool_free(p[i], 64 * KIB);
        assert_true(lh_pool_cached() <= 256 * KIB);
    }
    assert_int_equal(lh_pool_cached(), 256 * KIB);
    /* An arena of several MiB given back: still within the bound. */
    lh_arena a;
    lh_arena_init(&a);
    for (int i = 0; i < 100; i++)
        lh_arena_alloc(&a, 50 * KIB);
    lh_arena_free(&a);
    assert_true(lh_pool_cached() <= 256 * KIB);
    assert_int_equal(lh_pool_set_limit(64 * KIB), 256 * KIB);
    assert_int_equal(lh_pool_cached(), 0);
    /* Small buffers are malloc's, and a bound of 0 keeps nothing. */
    lh_pool_set_limit(0);
    void *s = lh_pool_alloc(100);
    memset(s, 1, 100);
    lh_pool_free(s, 100);
    void *b = lh_pool_alloc(1 * MIB);
    memset(b, 1, 1 * MIB);
    lh_pool_free(b, 1 * MIB);
    assert_int_equal(lh_pool_cached(), 0);
}

/* A request above the largest class is malloc'd as asked and goes back
 * to malloc, never into the pool. */
static void test_pool_huge_not_cached(void **state)
{
    (void)state;
    lh_pool_set_limit((size_t)1 << 30);
    size_t n = (size_t)129 * MIB;
    char *p = lh_pool_alloc(n);
    p[0] = 1;
    p[n - 1] = 2;
    lh_pool_free(p, n);
    assert_int_equal(lh_pool_cached(), 0);
    lh_arena a;
    lh_arena_init(&a);
    char *q = lh_arena_alloc_raw(&a, n);
    q[n - 1] = 3;
    lh_arena_free(&a);
    assert_int_equal(lh_pool_cached(), 0);
}

/* The newest allocation grows in place while its block has room, and
 * shrinks in place; an older one is copied, contents kept. */
static void test_realloc_in_place(void **state)
{
    (void)state;
    lh_pool_set_limit(8 * MIB);
    lh_arena a;
    lh_arena_init(&a);
    char *p = lh_arena_alloc_raw(&a, 100);
    memset(p, 'x', 100);
    char *q = lh_arena_realloc(&a, p, 100, 1000);
    assert_ptr_equal(q, p);
    memset(q + 100, 'y', 900);
    q = lh_arena_realloc(&a, p, 1000, 10);
    assert_ptr_equal(q, p);
    /* The 990 bytes given back are where the next allocation goes. */
    char *next = lh_arena_alloc_raw(&a, 16);
    assert_true(next >= p + 10 && next < p + 10 + 32);
    char *r = lh_arena_realloc(&a, p, 10, 2000);     /* not the newest */
    assert_ptr_not_equal(r, p);
    assert_memory_equal(r, "xxxxxxxxxx", 10);
    /* Growing past the block copies into a new one. */
    char *big = lh_arena_realloc(&a, r, 2000, 300 * KIB);
    assert_memory_equal(big, "xxxxxxxxxx", 10);
    assert_true(lh_arena_owns(&a, big) && lh_arena_owns(&a, big + 300 * KIB - 1));
    lh_arena_free(&a);
}

/* lh_arena_reset keeps the newest block and gives the others to the
 * pool; what the arena hands out next is zeroed again. */
static void test_reset_keeps_newest(void **state)
{
    (void)state;
    lh_pool_set_limit(16 * MIB);
    lh_arena a;
    lh_arena_init(&a);
    for (int i = 0; i < 64; i++)
        memset(lh_arena_alloc_raw(&a, 20 * KIB), 0xCD, 20 * KIB);
    size_t before = lh_pool_cached();
    lh_arena_reset(&a);
    assert_true(lh_pool_cached() > before);
    assert_true(a.total >= 64 * KIB && a.total == (size_t)(a.end - a.ptr));
    unsigned char *z = lh_arena_alloc(&a, 20 * KIB);
    for (size_t k = 0; k < 20 * KIB; k++)
        assert_int_equal(z[k], 0);
    lh_arena_free(&a);
}

/* Hash tables take their slot arrays from the pool: a big table freed
 * and a new one grown in the recycled memory starts empty. */
static void test_ptrmap_on_recycled_memory(void **state)
{
    (void)state;
    lh_pool_set_limit(16 * MIB);
    static char keys[20000];
    lh_ptrmap m = LH_PTRMAP_INIT;
    for (int i = 0; i < 20000; i++)
        lh_ptrmap_put(&m, &keys[i], &keys[i]);
    lh_ptrmap_free(&m);
    assert_true(lh_pool_cached() >= 64 * KIB);
    lh_ptrmap_reserve(&m, 15000);
    for (int i = 0; i < 20000; i++)
        assert_false(lh_ptrmap_has(&m, &keys[i]));
    for (int i = 0; i < 20000; i += 2)
        lh_ptrmap_put(&m, &keys[i], NULL);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(lh_ptrmap_has(&m, &keys[i]), i % 2 == 0);
    lh_ptrmap_free(&m);
}

/* Threads making and freeing arenas at once: each fills its allocations
 * with its own mark and checks them before freeing, so a block handed to
 * two arenas at the same time is a wrong byte (and a race under TSan). */
typedef struct churn {
    unsigned char mark;
    int bad;
} churn;

static void *churn_main(void *arg)
{
    churn *c = arg;
    for (int round = 0; round < 40; round++) {
        lh_arena a;
        lh_arena_init(&a);
        unsigned char *ps[64];
        size_t ns[64];
        for (int i = 0; i < 64; i++) {
            ns[i] = 1 + (size_t)((round * 64 + i) * 2654435761u % (48 * KIB));
            ps[i] = lh_arena_alloc_raw(&a, ns[i]);
            memset(ps[i], c->mark, ns[i]);
        }
        for (int i = 0; i < 64; i++)
            for (size_t k = 0; k < ns[i]; k += 97)
                if (ps[i][k] != c->mark)
                    c->bad++;
        lh_arena_free(&a);
    }
    return NULL;
}

static void test_threads_share_pool(void **state)
{
    (void)state;
    lh_pool_set_limit(4 * MIB);
    pthread_t t[3];
    churn c[3] = {{0x11, 0}, {0x22, 0}, {0x33, 0}};
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, churn_main, &c[i]), 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(c[i].bad, 0);
    }
    assert_true(lh_pool_cached() <= 4 * MIB);
}

/* Under ASan the pool poisons what it holds: a pointer kept past
 * lh_arena_free reads poisoned memory, as it would freed memory. */
static void test_pool_poisons_under_asan(void **state)
{
    (void)state;
#ifdef LH_TEST_ASAN
    lh_pool_set_limit(4 * MIB);
    lh_arena a;
    lh_arena_init(&a);
    char *p = lh_arena_alloc(&a, 1000);
    assert_false(__asan_address_is_poisoned(p + 500));
    lh_arena_free(&a);
    assert_true(lh_pool_cached() > 0);
    assert_true(__asan_address_is_poisoned(p + 500));
    lh_arena_init(&a);
    char *q = lh_arena_alloc(&a, 1000);
    assert_ptr_equal(q, p);            /* the same block, taken again */
    assert_false(__asan_address_is_poisoned(q + 500));
    lh_arena_free(&a);
    /* The default under ASan keeps nothing, so ASan sees frees. */
    lh_pool_set_limit(0);
#else
    /* Without ASan there is no poison to check; the pool must still
     * hand the same block back (what the ASan build checks poisoned). */
    lh_pool_set_limit(4 * MIB);
    lh_arena a;
    lh_arena_init(&a);
    char *p = lh_arena_alloc(&a, 1000);
    lh_arena_free(&a);
    lh_arena_init(&a);
    assert_ptr_equal(lh_arena_alloc(&a, 1000), p);
    lh_arena_free(&a);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_recycled_blocks_are_zeroed, setup),
        cmocka_unit_test_setup(test_pool_is_bounded, setup),
        cmocka_unit_test_setup(test_pool_huge_not_cached, setup),
        cmocka_unit_test_setup(test_realloc_in_place, setup),
        cmocka_unit_test_setup(test_reset_keeps_newest, setup),
        cmocka_unit_test_setup(test_ptrmap_on_recycled_memory, setup),
        cmocka_unit_test_setup(test_threads_share_pool, setup),
        cmocka_unit_test_setup(test_pool_poisons_under_asan, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

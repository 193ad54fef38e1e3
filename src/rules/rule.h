/* The static rules of `leakhound scan`: what a rule is, what it is given,
 * how it reports.
 *
 * A rule is one file under src/rules/ holding one lh_rule: its id, a
 * one-line summary, the explanation `leakhound explain ID` prints (with a
 * leaky and a fixed example), and a check function. Its fixtures live in
 * tests/testdata/ID/ (Go files) with `// want "regexp"` on the offending lines;
 * tests/unit/test_rules.c holds every registered rule to them.
 *
 * Data flows one way: the loader's packages (files with ASTs) go in, a
 * check walks them and calls lh_rule_report, findings come out. A check
 * never re-parses and never prints. Package semantics (resolution, light
 * types: src/sema/sema.h) and control-flow graphs (src/sema/cfg.h) hang
 * off lh_rule_ctx, computed once per package and shared by every rule.
 *
 * Suppressions are applied by lh_rule_report, so no rule handles them:
 *   //nolint                      everything (golangci-lint's convention)
 *   //nolint:ID1,ID2 // why       only these rules (also //nolint:all)
 *   //leakhound:ignore ID[,ID] why
 * A directive suppresses findings on its own line, or, when it stands alone
 * on its line, on the next line and throughout the statement or
 * declaration that starts there. */
#ifndef LH_RULES_RULE_H
#define LH_RULES_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go/ast.h"
#include "load/load.h"
#include "report/findings.h"
#include "sema/cfg.h"
#include "sema/sema.h"

typedef struct lh_rule_ctx lh_rule_ctx;

typedef struct lh_rule {
    const char *id;          /* kebab-case, what users write in //nolint */
    const char *summary;     /* one line for `leakhound rules` */
    const char *explain;     /* paragraphs plus a leaky and a fixed example */
    lh_severity severity;
    void (*check)(lh_rule_ctx *c);
} lh_rule;

/* One package as a rule sees it. files holds only the files that parsed
 * without errors: a partial tree would yield findings about code that is
 * not there (the broken files are reported as syntax errors instead). A
 * package's external tests (package x_test) are a package of their own
 * and run as a second context. */
struct lh_rule_ctx {
    const lh_load_package *pkg;
    const lh_load_file **files;
    size_t nfiles;
    lh_sema_pkg *sema;       /* resolution and types of these files */
    int go_minor;            /* the module's go line 1.N; 0: unknown */
    lh_ptrmap cfgs;          /* function node -> lh_cfg (lh_rule_cfg) */
    lh_arena cfg_arena;
    const lh_rule *rule;     /* the rule being run */
    lh_findings *out;
    size_t suppressed;       /* findings a directive silenced */
    bool include_generated;  /* report in generated files too */
    /* quiet[k] for pkg->files[k]: a generated file whose findings
     * lh_rule_report drops (include_generated off); see lh_rule_quiet.
     * NULL: none is. */
    const bool *quiet;
    int8_t live_gos;         /* lh_rule_live_gos: 0 not asked, 1 no, 2 yes */
    /* Facts several rules ask of the whole package, computed by the first
     * that asks and freed with the context (lh_rule_ctx_free_facts): the
     * rules only read them, so each rule sees what it would compute. */
    struct lh_field_chans *field_chans;     /* fieldchans.c */
    struct lh_chan_list *chans;             /* chanfacts.c */
    struct lh_res_sites *res_sites;         /* resource.c */
    struct lh_pkg_index *index;             /* chanfacts.c: types built, functions named */
    struct lh_rule_trees *trees;            /* walk.c: the files flattened */
    lh_ptrmap callees;                      /* walk.c: lh_rule_callee's answers */
};

/* Frees the shared facts of c (run.c calls it once the rules have run). */
void lh_rule_ctx_free_facts(lh_rule_ctx *c);

/* Reports a finding of c->rule at node n of file f (its start, and its end
 * as the end position, and the declared function holding it: see
 * lh_finding.function) unless a directive suppresses it or f is a
 * generated file (below) and c->include_generated is off.
 *
 * Generated files follow Go's convention: a line comment matching
 * `^// Code generated .* DO NOT EDIT\.$` before the package clause. As in
 * golangci-lint, only reporting is skipped: they are analysed like any
 * other file, since the rest of the package resolves against them. */
void lh_rule_report(lh_rule_ctx *c, const lh_load_file *f, const lh_node *n, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/* Whether every finding in file f of the package would be dropped: a
 * generated file (as lh_rule_report judges) with c->include_generated
 * off. A check may skip work on such a file when that work's only product
 * is findings inside it -- never work whose facts reach other files (a
 * package-wide index, what the package does with a map or a channel
 * field), and never work that fills a cache whose answers depend on the
 * order of the questions (locks.c's summaries of recursive functions).
 * Generated code is often most of a package (API clients, protobuf), so
 * this is where much of a scan's rule time goes otherwise. */
bool lh_rule_quiet(const lh_rule_ctx *c, const lh_load_file *f);

/* Whether a go statement stands in a file of the package that is not
 * quiet: the goroutine rules report only at go statements, so without
 * one they have nothing to say (computed once per context). */
bool lh_rule_live_gos(lh_rule_ctx *c);

/* Whether a directive in f suppresses rule id at line (exposed for tests). */
bool lh_rule_suppressed(const lh_file *f, const char *src, const char *id, uint32_t line);

/* The walk rules share: visit(n, anc, nanc, ctx) is called on entry to
 * every node below root with its ancestors, anc[0] the root and
 * anc[nanc - 1] the parent; returning false skips n's children. Rules
 * that need the enclosing function, loop or statement list look upward
 * instead of keeping their own stacks. */
typedef bool (*lh_rule_visit_fn)(lh_node *n, lh_node *const *anc, size_t nanc, void *ctx);
void lh_rule_walk(lh_node *root, lh_rule_visit_fn visit, void *ctx);

/* The walk over the package's files (walk.c): as lh_rule_walk from file
 * i's root, but visit is called only for nodes whose kind is in kinds
 * (LH_KIND_SET bits, or LH_KINDS_ALL); other nodes are passed over as if
 * visit had returned true for them. The files are flattened once per
 * package on first use, so a walk is a loop over an array: rules walk
 * through here rather than over the trees. lh_rule_walk_package walks
 * every file in order. */
#define LH_KIND_SET(k) ((uint64_t)1 << (k))
#define LH_KINDS_ALL (~(uint64_t)0)
void lh_rule_walk_file(lh_rule_ctx *c, size_t i, uint64_t kinds, lh_rule_visit_fn visit,
                       void *ctx);
void lh_rule_walk_package(lh_rule_ctx *c, uint64_t kinds, lh_rule_visit_fn visit, void *ctx);
/* lh_sema_callee(c->sema, call), remembered per call for the package's
 * rules (walk.c): several rules ask it of the same calls (each resource
 * rule of every assignment), and a callee not found is looked for again
 * through the receiver's type at every ask. */
lh_obj *lh_rule_callee(lh_rule_ctx *c, const lh_call_expr *call);
/* Frees what the walks kept of a context's nfiles files (NULL: none). */
void lh_rule_trees_free(struct lh_rule_trees *t, size_t nfiles);

/* The innermost function (FuncDecl or FuncLit) among the ancestors, NULL
 * at package level. */
lh_node *lh_rule_enclosing_func(lh_node *const *anc, size_t nanc);

/* The control-flow graph of a FuncDecl's or FuncLit's body (NULL for a
 * function without one), built once per package and shared by the rules;
 * calls that never return (panic, os.Exit, log.Fatal, t.Fatal,
 * runtime.Goexit, ...) end their blocks as lh_sema_may_return says. */
lh_cfg *lh_rule_cfg(lh_rule_ctx *c, const lh_node *func);

/* Whether a loop statement's body holds a return, a goto, or a break
 * (of this loop: an unlabeled one outside nested breakable statements, or
 * any labeled one), or a call of panic: a way out of the loop. Function
 * literals are not entered. */
bool lh_rule_leaves(const lh_node *loop);

/* Whether root (function literals included) mentions one of
 * objs[0..nobjs): an identifier resolving to it; or, with recv_from set,
 * receives from that channel variable (<-ch). The rules' one "does this
 * code touch X" walk: a call handing a lock's root on (locks.c), a
 * condition on a received value (goroutine_blocked_send.c). */
bool lh_rule_mentions(lh_sema_pkg *p, const lh_node *root, const lh_obj *const *objs, size_t nobjs,
                      const lh_obj *recv_from);

/* The registry (registry.c): every rule, in id order, NULL-terminated. */
extern const lh_rule *const lh_rules[];
const lh_rule *lh_rule_find(const char *id);

typedef struct lh_rules_opts {
    int go_minor;            /* the package's module's go line 1.N; 0: unknown */
    const bool *enabled;     /* enabled[i] for lh_rules[i]; NULL: all */
    bool include_generated;  /* also report in generated files */
    /* LH_RULES_ALL (0): the package with its in-package tests, then its
     * external tests. LH_RULES_LIB: its library files only, so importers
     * can be analysed before its tests; LH_RULES_TESTS later runs the
     * tests (in-package against the frozen library, then external). */
    int part;
    /* Called, when set, as soon as the package as importers see it is
     * frozen (before its external tests are analysed, which nobody
     * imports): importers may be analysed from then on, on other threads. */
    void (*frozen)(void *arg);
    void *frozen_arg;
} lh_rules_opts;

enum { LH_RULES_ALL, LH_RULES_LIB, LH_RULES_TESTS };

/* Runs the enabled rules over one package, appending to out: analyses the
 * package into w (and its external tests as a package of their own)
 * first, so packages must come in dependency order (lh_sema_order).
 * Returns the number of findings a directive suppressed. */
size_t lh_rules_run(lh_sema_world *w, const lh_load_package *pkg, const lh_rules_opts *o,
                    lh_findings *out);

#endif

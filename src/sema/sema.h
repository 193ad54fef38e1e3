/* Package semantics: what the names in a package mean, and as much of the
 * types as the rules need. Computed once per package, shared by every rule.
 *
 * As go/types does, the tree stays as parsed and the semantics live in side
 * tables: every identifier maps to the object it defines or uses
 * (lh_sema_obj_of), and expression types are computed on demand from the
 * objects' declared types (lh_sema_type_of).
 *
 * Types are "light": the declared types of variables, parameters, results,
 * fields and composite literals, make with its capacity, the results of
 * calls to functions whose signature we have (the module's own packages
 * analysed so far and the standard-library stubs of stdlib.c). Anything
 * else is NULL, which means unknown: a rule never guesses a type.
 *
 * A world holds the universe, the standard-library stubs and every package
 * analysed so far, by import path. Packages are analysed in dependency
 * order (lh_sema_order), so a call into an imported package of the module
 * sees that package's declarations. */
#ifndef LH_SEMA_SEMA_H
#define LH_SEMA_SEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go/ast.h"
#include "load/load.h"
#include "util/arena.h"
#include "util/ptrmap.h"

typedef struct lh_obj lh_obj;
typedef struct lh_type lh_type;
typedef struct lh_scope lh_scope;
typedef struct lh_sema_pkg lh_sema_pkg;
typedef struct lh_sema_world lh_sema_world;

/* ---- types ---------------------------------------------------------- */

typedef enum lh_type_kind {
    LH_T_BASIC,         /* name: "int", "string", "bool", "error" is NAMED */
    LH_T_NAMED,         /* a declared type: obj (its TYPE object) */
    LH_T_POINTER,       /* elem */
    LH_T_SLICE,         /* elem */
    LH_T_ARRAY,         /* elem, len (-1: not a constant we know) */
    LH_T_MAP,           /* key, elem */
    LH_T_CHAN,          /* elem, dir (LH_CHAN_SEND | LH_CHAN_RECV) */
    LH_T_FUNC,          /* params, results, variadic */
    LH_T_STRUCT,        /* fields */
    LH_T_INTERFACE,     /* methods (as fields: name, FUNC type) */
    LH_T_TUPLE,         /* a call's several results: elems */
} lh_type_kind;

typedef struct lh_tfield {
    lh_str name;        /* for an embedded field: the type's name */
    const lh_type *type;  /* NULL: unknown */
    bool embedded;
} lh_tfield;

struct lh_type {
    uint8_t kind;       /* lh_type_kind */
    uint8_t dir;        /* CHAN */
    bool variadic;      /* FUNC: the last param is ...T (given as []T) */
    int64_t len;        /* ARRAY */
    const char *name;   /* BASIC */
    const lh_obj *obj;  /* NAMED */
    const lh_type *elem, *key;
    const lh_type **params, **results, **elems;  /* FUNC, TUPLE */
    uint32_t nparams, nresults, nelems;
    lh_tfield *fields;  /* STRUCT fields, INTERFACE methods */
    uint32_t nfields;
};

/* ---- objects -------------------------------------------------------- */

typedef enum lh_obj_kind {
    LH_OBJ_PKGNAME,     /* an import's name in one file: path */
    LH_OBJ_CONST,
    LH_OBJ_TYPE,
    LH_OBJ_VAR,
    LH_OBJ_FUNC,        /* a function or method (recv != NULL) */
    LH_OBJ_LABEL,
    LH_OBJ_BUILTIN,     /* append, make, panic, ... */
    LH_OBJ_NIL,
} lh_obj_kind;

/* What kind of variable (flags of LH_OBJ_VAR). */
enum {
    LH_VAR_PKG = 1 << 0,        /* package level */
    LH_VAR_PARAM = 1 << 1,      /* parameter (receiver included) */
    LH_VAR_RESULT = 1 << 2,     /* named result */
    LH_VAR_RECV = 1 << 3,       /* receiver */
    LH_VAR_FIELD = 1 << 4,      /* struct field (selections only) */
};

struct lh_obj {
    uint8_t kind;               /* lh_obj_kind */
    uint8_t flags;
    lh_str name;
    const lh_node *ident;       /* the defining identifier; NULL: universe
                                 * and stubs' implicit objects */
    const lh_node *decl;        /* what declares it: ValueSpec, AssignStmt
                                 * (:=), RangeStmt, Field, FuncDecl,
                                 * TypeSpec, ImportSpec, LabeledStmt,
                                 * CaseClause (type switch variable) */
    const lh_node *func;        /* locals: the FuncDecl or FuncLit whose
                                 * body or signature declares it */
    lh_sema_pkg *pkg;           /* the declaring package (NULL: universe) */
    const char *path;           /* PKGNAME: the import path */
    const lh_node *type_expr;   /* declared type expression, if any */
    const lh_node *value;       /* VAR/CONST: the initialising expression
                                 * when one value goes to one name */
    uint32_t index;             /* position in a multi-value assignment or
                                 * a parameter list */
    const lh_type *type;        /* computed lazily: use lh_sema_obj_type */
    bool type_done, type_busy;
    /* TYPE: the declared type (NAMED) and its methods */
    const lh_type *named;
    lh_obj **methods;
    uint32_t nmethods, capmethods;
    const lh_obj *recv_type;    /* FUNC methods: the receiver's base type */
    bool recv_ptr;              /* FUNC methods: pointer receiver */
    /* FUNC of the module: per parameter, the largest use its body makes
     * of a resource passed there (an lh_flow_use; flow.c), on demand */
    uint8_t *summary;
    uint32_t nsummary;
    /* Set by lh_sema_freeze: what the tree said, computed, so the tree
     * can go. */
    bool frozen;
    uint8_t closes_state;       /* FUNC: 0 unknown, 1 no Close call, 2 some */
    uint8_t noreturn_state;     /* FUNC: 0 unknown, 1 computing, 2 never
                                 * returns, 3 returns (lh_sema_never_returns) */
    bool has_cval;              /* CONST: an integer value we know */
    int64_t cval;
    const lh_type *under;       /* TYPE: the underlying type */
};

/* ---- packages ------------------------------------------------------- */

struct lh_sema_pkg {
    const char *path;           /* import path */
    const char *name;           /* package name */
    lh_sema_world *world;
    lh_scope *scope;            /* package scope */
    const lh_load_package *load;  /* NULL for stubs */
    lh_file **files;            /* the files analysed (parsed cleanly) */
    const lh_load_file **lfiles;
    size_t nfiles;
    bool stub;                  /* a standard-library stub of stdlib.c */
    bool xtest;                 /* the external test package */
    int go_minor;               /* the module's go line: 1.N (0: unknown) */
    size_t seq;                 /* its load package's rank (lh_load_package.seq):
                                 * what it may see of the world */
    /* In-package tests analysed after their package: the methods they
     * declare on its (frozen, shared) types, kept here rather than on the
     * types, and seen by lookups while lh_sema_tests_overlay names this
     * package. */
    struct lh_extra_method {
        const lh_obj *recv;
        lh_obj *method;
    } *extra;
    uint32_t nextra, capextra;
    lh_ptrmap uses;             /* Ident -> lh_obj (uses and definitions) */
    lh_ptrmap types;            /* expression -> lh_type (memo) */
    lh_ptrmap file_of;          /* FuncDecl/GenDecl -> lh_file (for lookups) */
    lh_arena arena;
    struct lh_frozen_chunk *frozen;     /* what lh_sema_freeze kept, once
                                         * compacted (lh_sema_free_frozen) */
};

/* Analyses pkg's files that parsed without errors: builds its scopes and
 * resolves every identifier. With xtest, only the external test files
 * (package x_test), as the package "PATH_test"; without, all the others.
 * The world keeps the package (by import path) until lh_sema_world_free
 * or lh_sema_world_release, so packages analysed later see it. go_minor is the module's go line
 * (1.N), 0 when unknown. */
lh_sema_pkg *lh_sema_analyse(lh_sema_world *w, const lh_load_package *p, bool xtest,
                             int go_minor);

/* Which files of a package to analyse as one (lh_sema_analyse_files). */
enum {
    LH_SEMA_LIB = 1,            /* GoFiles and CgoFiles */
    LH_SEMA_TEST = 2,           /* in-package _test.go files */
    LH_SEMA_XTEST = 4,          /* package x_test files: alone */
};

/* The general form of lh_sema_analyse: the files of the given kinds.
 * LIB | TEST is the package as its tests see it (registered as the
 * package); LIB alone is the package as importers see it; TEST alone with
 * base (the package's frozen LIB analysis) analyses the in-package tests
 * later, when what they import is known: their names resolve in a scope
 * inside base's, and importers never see them. XTEST alone is the external
 * test package. */
lh_sema_pkg *lh_sema_analyse_files(lh_sema_world *w, const lh_load_package *lp, unsigned kinds,
                                   lh_sema_pkg *base, int go_minor);

/* Computes and keeps what importers of p may ask -- the types of its
 * package-level objects, the underlying types of its types, the
 * signatures and summaries of its functions and methods, constant values
 * -- copies their names out of the source, and forgets the trees: after
 * this, p's files, sources and trees may be freed. Queries about p's own
 * identifiers (lh_sema_obj_of, lh_sema_type_of) stop working; importers'
 * queries go on. */
void lh_sema_freeze(lh_sema_pkg *p);
/* Frees what lh_sema_freeze kept of p outside its arena (the world does,
 * with the package). */
void lh_sema_free_frozen(lh_sema_pkg *p);
/* Computes everything lh_sema_freeze computes for a stub (whose static
 * trees stay) and marks its objects frozen, so that readers on several
 * threads never write to it. lh_sema_world_new does it for every stub. */
void lh_sema_seal_stub(lh_sema_pkg *p);

/* Orders the loaded packages so that every package comes after the
 * packages of the set it imports (cycles, which Go forbids, are broken
 * arbitrarily). Returns a malloc'd array of indexes into pkgs. */
size_t *lh_sema_order(const lh_load_package *pkgs, size_t n);

/* The world: universe, standard-library stubs, analysed packages.
 * Packages may be analysed on several threads at once, each after the
 * packages it imports are frozen: lookups take no lock, registrations
 * (lh_sema_analyse_files) are serialised inside. */
lh_sema_world *lh_sema_world_new(void);
void lh_sema_world_free(lh_sema_world *w);
/* A package by import path (analysed or a stub), NULL when unknown: the
 * latest registered, whatever its rank. */
lh_sema_pkg *lh_sema_world_pkg(const lh_sema_world *w, const char *path);
/* The same as a package of rank seq sees it: the registration of the
 * highest rank <= seq (the newest of equal ranks). Packages analysed in
 * dependency order one at a time and side by side so see the same. */
lh_sema_pkg *lh_sema_world_pkg_at(const lh_sema_world *w, const char *path, size_t seq);
/* Frees what the package of rank seq at path left in the world (the
 * package and its external tests), for a scan that knows nobody will ask
 * for them again: a lookup that would find a released package aborts.
 * Not thread-safe against lookups that may find it; safe against others
 * (lookups passing over it, registrations, other releases). */
void lh_sema_world_release(lh_sema_world *w, const char *path, size_t seq);
/* Analysed (not stub) packages alive in all worlds, and the most alive at
 * once since lh_sema_census_reset (which starts it from the live count). */
void lh_sema_census(size_t *live, size_t *peak);
void lh_sema_census_reset(void);

/* ---- queries -------------------------------------------------------- */

/* The object an identifier defines or uses; NULL when unresolved (the
 * blank identifier, a field name in a struct literal or selector whose
 * operand's type is unknown, a package we do not know). */
lh_obj *lh_sema_obj_of(const lh_sema_pkg *p, const lh_node *ident);

/* The type of an expression, NULL when unknown. A call with several
 * results has a TUPLE type. */
const lh_type *lh_sema_type_of(lh_sema_pkg *p, const lh_node *expr);

/* An object's type (VAR, CONST, FUNC: its signature), NULL when unknown. */
const lh_type *lh_sema_obj_type(lh_obj *o);

/* The function or method a call calls: a FUNC object (package function,
 * method through the receiver's type, standard-library stub), a BUILTIN,
 * or NULL when not statically known (function values, interface methods
 * of unknown types, conversions). */
lh_obj *lh_sema_callee(lh_sema_pkg *p, const lh_call_expr *call);

/* Whether o is the package-level function path.name (e.g. "net/http",
 * "Get"), or the method path.type.name ("net/http", "Client", "Do"; type
 * NULL for functions). */
bool lh_sema_obj_is(const lh_obj *o, const char *path, const char *type, const char *name);

/* The result types of the call (its function's results), NULL/0 when
 * unknown; conversions T(x) give T. */
const lh_type *const *lh_sema_call_results(lh_sema_pkg *p, const lh_call_expr *call,
                                           uint32_t *n);

/* Whether a call may return: false for the builtin panic and for the
 * functions that never do (os.Exit, log.Fatal*, log.Panic*, the Fatal,
 * FailNow and Skip methods of testing's T, B, F and TB, runtime.Goexit).
 * ctx is the lh_sema_pkg of the call; the signature is the CFG builder's
 * lh_cfg_may_return_fn. */
bool lh_sema_may_return(const lh_call_expr *call, void *ctx);
/* Whether a function of the module never returns (noreturn.c). */
bool lh_sema_never_returns(lh_obj *o);

/* Type helpers. */
const lh_type *lh_type_underlying(const lh_type *t);   /* through NAMED */
const lh_type *lh_type_deref(const lh_type *t);        /* *T -> T */
/* Whether t is the named type path.name, or a pointer to it with ptr. */
bool lh_type_is_named(const lh_type *t, const char *path, const char *name);
bool lh_type_is_ptr_to(const lh_type *t, const char *path, const char *name);
/* A field or method of t (auto-dereferencing once, through embedded
 * fields as Go promotes them). */
const lh_tfield *lh_type_field(const lh_type *t, const char *name, size_t len);
lh_obj *lh_type_method(const lh_type *t, const char *name, size_t len);
/* t as Go would print it (for messages and tests), into buf of size n. */
const char *lh_type_string(const lh_type *t, char *buf, size_t n);

/* The capacity of a make(chan T, N) / make([]T, L, C) when it is a
 * constant we can evaluate: >= 0; -1 when unknown; 0 for make(chan T). */
int64_t lh_sema_make_cap(lh_sema_pkg *p, const lh_call_expr *call);
/* A constant integer expression's value (literals, named constants,
 * + - * / << of those, len of a string literal), or false. */
bool lh_sema_const_int(lh_sema_pkg *p, const lh_node *expr, int64_t *v);

/* ---- internals shared by the sema files ------------------------------ */

/* A lexical scope: names to objects, parent link. */
struct lh_scope {
    lh_scope *parent;
    lh_obj **objs;
    uint32_t n, cap;
    lh_sema_pkg **dots;         /* file scope: dot-imported packages */
    uint32_t ndots;
    /* Scopes of more than a few names (a package's, the universe) are
     * also hashed by name: index[h] is 1 + the position in objs of the
     * newest object of that name, 0 empty; index_cap a power of two. */
    uint32_t *index;
    uint32_t index_cap;
};

lh_scope *lh_scope_new(lh_arena *a, lh_scope *parent);
void lh_scope_insert(lh_arena *a, lh_scope *s, lh_obj *o);
/* Builds s's name index afresh (for a scope whose objs were set directly). */
void lh_scope_reindex(lh_arena *a, lh_scope *s);
lh_obj *lh_scope_lookup_local(const lh_scope *s, const char *name, size_t len);
lh_obj *lh_scope_lookup(const lh_scope *s, const char *name, size_t len);

/* The universe scope (predeclared identifiers), shared by every world. */
lh_scope *lh_sema_universe(lh_sema_world *w);

/* Type construction (types.c). */
const lh_type *lh_sema_type_expr(lh_sema_pkg *p, const lh_node *e);
const lh_type *lh_type_new(lh_arena *a, lh_type_kind k);
const lh_type *lh_type_basic(const char *name);
const lh_type *lh_type_error(lh_sema_world *w);

/* The in-package tests whose methods on their package's types method
 * lookups on this thread see too (NULL: none): set by
 * lh_sema_analyse_files for such tests, for them and the external tests
 * analysed after them; lh_rules_run clears it. Per thread, so that tests
 * analysed side by side never see each other's methods. */
void lh_sema_set_tests_overlay(const lh_sema_pkg *tests);

/* Resolution of one package (resolve.c). */
void lh_sema_resolve(lh_sema_pkg *p);

/* The stubs' source (stdlib.c): Go declarations of the standard-library
 * APIs the rules care about, one package per entry. */
typedef struct lh_stdlib_stub {
    const char *path;
    const char *src;
} lh_stdlib_stub;
extern const lh_stdlib_stub lh_stdlib_stubs[];

#endif

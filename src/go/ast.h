/* The Go syntax tree, shaped after go/ast (Go 1.26).
 *
 * Node kinds, their fields and each node's position are go/ast's, so the
 * canonical dump (docs/ast-dump.md) maps 1:1 and a reader who knows go/ast
 * knows this tree. Every node starts with an lh_node header (kind, position
 * as go/ast's Pos(), end offset); the typed struct for a kind is reached with
 * LH_AS(node, lh_call_expr) and friends. Child lists are arrays with lengths.
 *
 * Memory: a file's nodes, lists and rewritten strings live in the arena given
 * to the parser; identifier names, literal values and comment texts point
 * into the source buffer (or that arena), so the source must outlive the
 * tree. Nothing is freed per node: reset the arena to drop a file.
 *
 * One table (lh_ast_kinds in ast.c) knows which fields each kind has and in
 * which order; the walker and the dumper both read it. */
#ifndef LH_GO_AST_H
#define LH_GO_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go/lex.h"
#include "go/token.h"

/* A source position as go/token reports it with //line ignored: 1-based
 * line, 1-based byte column, byte offset. line == 0 means "no position"
 * (go/token.NoPos), e.g. the Func of an interface method's FuncType. */
typedef struct lh_pos {
    uint32_t off, line, col;
} lh_pos;

/* A byte string that is not NUL-terminated. */
typedef struct lh_str {
    const char *p;
    uint32_t len;
} lh_str;

/* X(enum, go/ast name, C struct): the order is go/ast's declaration order. */
#define LH_AST_KINDS(X)                                                   \
    X(LH_BAD_EXPR, "BadExpr", lh_bad_expr)                                \
    X(LH_IDENT, "Ident", lh_ident)                                        \
    X(LH_ELLIPSIS, "Ellipsis", lh_ellipsis)                               \
    X(LH_BASIC_LIT, "BasicLit", lh_basic_lit)                             \
    X(LH_FUNC_LIT, "FuncLit", lh_func_lit)                                \
    X(LH_COMPOSITE_LIT, "CompositeLit", lh_composite_lit)                 \
    X(LH_PAREN_EXPR, "ParenExpr", lh_paren_expr)                          \
    X(LH_SELECTOR_EXPR, "SelectorExpr", lh_selector_expr)                 \
    X(LH_INDEX_EXPR, "IndexExpr", lh_index_expr)                          \
    X(LH_INDEX_LIST_EXPR, "IndexListExpr", lh_index_list_expr)            \
    X(LH_SLICE_EXPR, "SliceExpr", lh_slice_expr)                          \
    X(LH_TYPE_ASSERT_EXPR, "TypeAssertExpr", lh_type_assert_expr)         \
    X(LH_CALL_EXPR, "CallExpr", lh_call_expr)                             \
    X(LH_STAR_EXPR, "StarExpr", lh_star_expr)                             \
    X(LH_UNARY_EXPR, "UnaryExpr", lh_unary_expr)                          \
    X(LH_BINARY_EXPR, "BinaryExpr", lh_binary_expr)                       \
    X(LH_KEY_VALUE_EXPR, "KeyValueExpr", lh_key_value_expr)               \
    X(LH_ARRAY_TYPE, "ArrayType", lh_array_type)                          \
    X(LH_STRUCT_TYPE, "StructType", lh_struct_type)                       \
    X(LH_FUNC_TYPE, "FuncType", lh_func_type)                             \
    X(LH_INTERFACE_TYPE, "InterfaceType", lh_interface_type)              \
    X(LH_MAP_TYPE, "MapType", lh_map_type)                                \
    X(LH_CHAN_TYPE, "ChanType", lh_chan_type)                             \
    X(LH_BAD_STMT, "BadStmt", lh_bad_stmt)                                \
    X(LH_DECL_STMT, "DeclStmt", lh_decl_stmt)                             \
    X(LH_EMPTY_STMT, "EmptyStmt", lh_empty_stmt)                          \
    X(LH_LABELED_STMT, "LabeledStmt", lh_labeled_stmt)                    \
    X(LH_EXPR_STMT, "ExprStmt", lh_expr_stmt)                             \
    X(LH_SEND_STMT, "SendStmt", lh_send_stmt)                             \
    X(LH_INC_DEC_STMT, "IncDecStmt", lh_inc_dec_stmt)                     \
    X(LH_ASSIGN_STMT, "AssignStmt", lh_assign_stmt)                       \
    X(LH_GO_STMT, "GoStmt", lh_go_stmt)                                   \
    X(LH_DEFER_STMT, "DeferStmt", lh_defer_stmt)                          \
    X(LH_RETURN_STMT, "ReturnStmt", lh_return_stmt)                       \
    X(LH_BRANCH_STMT, "BranchStmt", lh_branch_stmt)                       \
    X(LH_BLOCK_STMT, "BlockStmt", lh_block_stmt)                          \
    X(LH_IF_STMT, "IfStmt", lh_if_stmt)                                   \
    X(LH_CASE_CLAUSE, "CaseClause", lh_case_clause)                       \
    X(LH_SWITCH_STMT, "SwitchStmt", lh_switch_stmt)                       \
    X(LH_TYPE_SWITCH_STMT, "TypeSwitchStmt", lh_type_switch_stmt)         \
    X(LH_COMM_CLAUSE, "CommClause", lh_comm_clause)                       \
    X(LH_SELECT_STMT, "SelectStmt", lh_select_stmt)                       \
    X(LH_FOR_STMT, "ForStmt", lh_for_stmt)                                \
    X(LH_RANGE_STMT, "RangeStmt", lh_range_stmt)                          \
    X(LH_IMPORT_SPEC, "ImportSpec", lh_import_spec)                       \
    X(LH_VALUE_SPEC, "ValueSpec", lh_value_spec)                          \
    X(LH_TYPE_SPEC, "TypeSpec", lh_type_spec)                             \
    X(LH_BAD_DECL, "BadDecl", lh_bad_decl)                                \
    X(LH_GEN_DECL, "GenDecl", lh_gen_decl)                                \
    X(LH_FUNC_DECL, "FuncDecl", lh_func_decl)                             \
    X(LH_FIELD, "Field", lh_field)                                        \
    X(LH_FIELD_LIST, "FieldList", lh_field_list)                          \
    X(LH_FILE, "File", lh_file)

typedef enum lh_node_kind {
#define LH_AST_ENUM(e, name, type) e,
    LH_AST_KINDS(LH_AST_ENUM)
#undef LH_AST_ENUM
    LH_NODE_KIND_COUNT
} lh_node_kind;

/* The header every node starts with. */
typedef struct lh_node {
    uint8_t kind;           /* lh_node_kind */
    lh_pos pos;             /* go/ast's Pos() for this node */
    uint32_t end;           /* offset of go/ast's End() (just past the node;
                             * for File: the file size). Checked equal to
                             * go/ast over GOROOT/src and GOROOT/test. */
} lh_node;

/* A child list: n nodes, never NULL entries. */
typedef struct lh_list {
    lh_node **v;
    uint32_t n;
} lh_list;

/* Channel directions, as go/ast.ChanDir. */
enum { LH_CHAN_SEND = 1, LH_CHAN_RECV = 2 };

/* Comments below give the go/ast field each member mirrors when the name
 * differs; "node" members may be NULL exactly where go/ast allows nil. */

/* Expressions and types */
typedef struct lh_bad_expr { lh_node n; } lh_bad_expr;
typedef struct lh_ident { lh_node n; lh_str name; } lh_ident;
typedef struct lh_ellipsis { lh_node n; lh_node *elt; } lh_ellipsis;
typedef struct lh_basic_lit {
    lh_node n;
    uint8_t kind;           /* LH_TOK_INT ... LH_TOK_STRING */
    lh_str value;           /* as written (raw strings without '\r') */
    lh_pos value_end;       /* just past the literal in the source (Go 1.26) */
} lh_basic_lit;
typedef struct lh_func_lit { lh_node n; lh_node *type, *body; } lh_func_lit;
typedef struct lh_composite_lit {
    lh_node n;
    lh_node *type;
    lh_list elts;
    lh_pos lbrace, rbrace;
} lh_composite_lit;
typedef struct lh_paren_expr {
    lh_node n;
    lh_node *x;
    lh_node *inner;         /* x with all parentheses removed (never a paren) */
    lh_pos rparen;
} lh_paren_expr;
typedef struct lh_selector_expr { lh_node n; lh_node *x, *sel; } lh_selector_expr;
typedef struct lh_index_expr {
    lh_node n;
    lh_node *x, *index;
    lh_pos lbrack, rbrack;
} lh_index_expr;
typedef struct lh_index_list_expr {
    lh_node n;
    lh_node *x;
    lh_list indices;
    lh_pos lbrack, rbrack;
} lh_index_list_expr;
typedef struct lh_slice_expr {
    lh_node n;
    lh_node *x, *low, *high, *max;
    bool slice3;
    lh_pos lbrack, rbrack;
} lh_slice_expr;
typedef struct lh_type_assert_expr {
    lh_node n;
    lh_node *x, *type;      /* type == NULL: x.(type) in a type switch */
    lh_pos lparen, rparen;
} lh_type_assert_expr;
typedef struct lh_call_expr {
    lh_node n;
    lh_node *fun;
    lh_list args;
    lh_pos lparen, ellipsis, rparen;  /* ellipsis.line != 0: f(x...) */
} lh_call_expr;
typedef struct lh_star_expr { lh_node n; lh_node *x; } lh_star_expr;
typedef struct lh_unary_expr { lh_node n; uint8_t op; lh_node *x; } lh_unary_expr;
typedef struct lh_binary_expr {
    lh_node n;
    lh_node *x;
    uint8_t op;
    lh_node *y;
    lh_pos op_pos;
} lh_binary_expr;
typedef struct lh_key_value_expr {
    lh_node n;
    lh_node *key, *value;
    lh_pos colon;
} lh_key_value_expr;
typedef struct lh_array_type { lh_node n; lh_node *len, *elt; } lh_array_type;
typedef struct lh_struct_type { lh_node n; lh_node *fields; } lh_struct_type;
typedef struct lh_func_type {
    lh_node n;
    lh_node *type_params, *params, *results;
    lh_pos func;            /* the func keyword; none in interface methods */
} lh_func_type;
typedef struct lh_interface_type { lh_node n; lh_node *methods; } lh_interface_type;
typedef struct lh_map_type { lh_node n; lh_node *key, *value; } lh_map_type;
typedef struct lh_chan_type {
    lh_node n;
    uint8_t dir;            /* LH_CHAN_SEND | LH_CHAN_RECV */
    lh_node *value;
    lh_pos arrow;
} lh_chan_type;

/* Statements */
typedef struct lh_bad_stmt { lh_node n; } lh_bad_stmt;
typedef struct lh_decl_stmt { lh_node n; lh_node *decl; } lh_decl_stmt;
typedef struct lh_empty_stmt { lh_node n; bool implicit; } lh_empty_stmt;
typedef struct lh_labeled_stmt {
    lh_node n;
    lh_node *label, *stmt;
    lh_pos colon;
} lh_labeled_stmt;
typedef struct lh_expr_stmt { lh_node n; lh_node *x; } lh_expr_stmt;
typedef struct lh_send_stmt { lh_node n; lh_node *chan, *value; lh_pos arrow; } lh_send_stmt;
typedef struct lh_inc_dec_stmt { lh_node n; lh_node *x; uint8_t tok; } lh_inc_dec_stmt;
typedef struct lh_assign_stmt {
    lh_node n;
    lh_list lhs;
    uint8_t tok;
    lh_list rhs;
    lh_pos tok_pos;
} lh_assign_stmt;
typedef struct lh_go_stmt { lh_node n; lh_node *call; } lh_go_stmt;
typedef struct lh_defer_stmt { lh_node n; lh_node *call; } lh_defer_stmt;
typedef struct lh_return_stmt { lh_node n; lh_list results; } lh_return_stmt;
typedef struct lh_branch_stmt { lh_node n; uint8_t tok; lh_node *label; } lh_branch_stmt;
typedef struct lh_block_stmt { lh_node n; lh_list list; lh_pos rbrace; } lh_block_stmt;
typedef struct lh_if_stmt { lh_node n; lh_node *init, *cond, *body, *els; } lh_if_stmt;
typedef struct lh_case_clause {
    lh_node n;
    lh_list list;           /* empty: default */
    lh_list body;
    lh_pos colon;
} lh_case_clause;
typedef struct lh_switch_stmt { lh_node n; lh_node *init, *tag, *body; } lh_switch_stmt;
typedef struct lh_type_switch_stmt {
    lh_node n;
    lh_node *init, *assign, *body;
} lh_type_switch_stmt;
typedef struct lh_comm_clause {
    lh_node n;
    lh_node *comm;          /* NULL: default */
    lh_list body;
    lh_pos colon;
} lh_comm_clause;
typedef struct lh_select_stmt { lh_node n; lh_node *body; } lh_select_stmt;
typedef struct lh_for_stmt { lh_node n; lh_node *init, *cond, *post, *body; } lh_for_stmt;
typedef struct lh_range_stmt {
    lh_node n;
    lh_node *key, *value;
    uint8_t tok;            /* LH_TOK_ILLEGAL when key == NULL */
    lh_node *x, *body;
    lh_pos tok_pos;
    lh_pos range;           /* the range keyword (Go 1.20) */
} lh_range_stmt;

/* Specs and declarations */
typedef struct lh_import_spec { lh_node n; lh_node *name, *path; } lh_import_spec;
typedef struct lh_value_spec {
    lh_node n;
    lh_list names;
    lh_node *type;
    lh_list values;
} lh_value_spec;
typedef struct lh_type_spec {
    lh_node n;
    lh_node *name, *type_params, *type;
    lh_pos assign;          /* line != 0: alias */
} lh_type_spec;
typedef struct lh_bad_decl { lh_node n; } lh_bad_decl;
typedef struct lh_gen_decl {
    lh_node n;
    uint8_t tok;            /* IMPORT, CONST, TYPE or VAR */
    lh_list specs;
    lh_pos lparen, rparen;
} lh_gen_decl;
typedef struct lh_func_decl {
    lh_node n;
    lh_node *recv, *name, *type, *body;  /* body NULL: external function */
} lh_func_decl;

/* Fields and files */
typedef struct lh_field { lh_node n; lh_list names; lh_node *type, *tag; } lh_field;
typedef struct lh_field_list {
    lh_node n;
    lh_list list;
    lh_pos opening, closing;
} lh_field_list;
typedef struct lh_file {
    lh_node n;              /* pos: the package keyword */
    lh_node *name;          /* package name (an lh_ident) */
    lh_list decls;
    lh_list imports;        /* every lh_import_spec, also inside decls */
    const lh_comment *comments;  /* every comment, in source order */
    uint32_t ncomments;
    const uint32_t *lines;  /* offset of each line's first byte; lines[0] == 0 */
    uint32_t nlines;
    const char *path;
    lh_pos file_start, file_end;    /* the first byte and EOF (Go 1.20) */
    lh_str go_version;      /* "go1.N" from a //go:build line, or "" (Go 1.21) */
} lh_file;

/* Typed access; LH_AS checks nothing, callers switch on kind first. */
#define LH_AS(node, T) ((T *)(node))
#define LH_KIND(node) ((lh_node_kind)(node)->kind)

/* The go/ast type name of a kind ("CallExpr"). */
const char *lh_ast_kind_name(lh_node_kind k);

/* Field enumeration: one table says, per kind, which go/ast fields it has, in
 * go/ast order, and where they live. Bool, Obj, Scope, Doc and Comment
 * fields are not listed (they are not children), nor are position fields,
 * except the few the dump compares (docs/ast-dump.md). */
typedef enum lh_field_kind {
    LH_FK_NODE,          /* lh_node *, may be NULL */
    LH_FK_LIST,          /* lh_list */
    LH_FK_TOK,           /* uint8_t lh_tok_kind */
    LH_FK_STR,           /* lh_str */
    LH_FK_DIR,           /* uint8_t channel direction */
    LH_FK_POS,           /* lh_pos: the few position fields the dump compares */
} lh_field_kind;

typedef struct lh_ast_field {
    const char *name;       /* go/ast field name */
    uint8_t kind;           /* lh_field_kind */
    uint16_t off;           /* offset in the node's struct */
} lh_ast_field;

typedef struct lh_ast_kind_info {
    uint16_t size;          /* sizeof the node's struct */
    uint8_t nfields;
    lh_ast_field fields[6];
} lh_ast_kind_info;

const lh_ast_kind_info *lh_ast_info(lh_node_kind k);

/* Walks the tree depth-first in field order. pre (may be NULL) is called on
 * entry; returning false skips the node's children (post is still called).
 * post (may be NULL) is called after the children. parent is NULL for the
 * root. The walk uses an explicit stack, so deep trees cannot overflow the
 * C stack. */
typedef bool (*lh_ast_pre_fn)(lh_node *n, lh_node *parent, void *ctx);
typedef void (*lh_ast_post_fn)(lh_node *n, lh_node *parent, void *ctx);
void lh_ast_walk(lh_node *root, lh_ast_pre_fn pre, lh_ast_post_fn post, void *ctx);

/* The same walk, handing visit each node's ancestors: anc[0] the root,
 * anc[nanc - 1] the parent (nanc 0 for the root); returning false skips
 * n's children. anc is valid during the call only. */
typedef bool (*lh_ast_anc_fn)(lh_node *n, lh_node *const *anc, size_t nanc, void *ctx);
void lh_ast_walk_anc(lh_node *root, lh_ast_anc_fn visit, void *ctx);

/* The same walk written out once, for analyses that walk one tree many
 * times: the nodes below root (root included) in walk order, each with
 * its kind, its depth (number of ancestors) and next, the index of the
 * first entry past its subtree (skipping the subtree is a jump there).
 * Returns the count and the array in *out, allocated in a and grown in
 * place there (an arena of such arrays wastes nothing on growth), the
 * largest depth in *max_depth; 0 and NULL when some node lies
 * LH_AST_FLAT_MAX_DEPTH or more deep (a chain of millions of binary
 * operators: walk such a tree instead). */
enum { LH_AST_FLAT_MAX_DEPTH = 1 << 24 };
typedef struct lh_ast_flat {
    lh_node *n;
    uint32_t next;
    unsigned depth : 24;
    unsigned kind : 8;
} lh_ast_flat;
uint32_t lh_ast_flatten(lh_node *root, lh_arena *a, lh_ast_flat **out, uint32_t *max_depth);

/* Small helpers analyses want everywhere. */
bool lh_ident_is(const lh_node *n, const char *name);   /* n is Ident name */
lh_node *lh_ast_unparen(lh_node *n);
/* The text between the quotes of an ImportSpec's path literal, as written
 * (escapes not decoded). False when the literal is too short to hold
 * quotes (a parse that recovered from an error). */
bool lh_ast_import_path(const lh_node *spec, lh_str *path);
/* The position of a byte offset in the file (for end positions, which
 * nodes keep as offsets only). Binary search over f->lines. */
lh_pos lh_file_pos(const lh_file *f, uint32_t off);
/* The comments that start on line, for //nolint-style directives: a pointer
 * to the first (comments are in source order) and their count in *n;
 * NULL and 0 when there are none. Binary search. */
const lh_comment *lh_ast_comments_on_line(const lh_file *f, uint32_t line, uint32_t *n);

#endif

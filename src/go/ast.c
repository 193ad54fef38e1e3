#include "go/ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
#define LH_AST_NAME(e, name, type) name,
    LH_AST_KINDS(LH_AST_NAME)
#undef LH_AST_NAME
};

const char *lh_ast_kind_name(lh_node_kind k)
{
    return k < LH_NODE_KIND_COUNT ? kind_names[k] : "?";
}

/* The one place that knows the fields of every node kind. */
#define NODE(T, f, goname) {goname, LH_FK_NODE, offsetof(T, f)}
#define LIST(T, f, goname) {goname, LH_FK_LIST, offsetof(T, f)}
#define TOK(T, f, goname) {goname, LH_FK_TOK, offsetof(T, f)}
#define STR(T, f, goname) {goname, LH_FK_STR, offsetof(T, f)}
#define DIR(T, f, goname) {goname, LH_FK_DIR, offsetof(T, f)}
#define POS(T, f, goname) {goname, LH_FK_POS, offsetof(T, f)}
#define KIND(e, T, n, ...) [e] = {sizeof(T), n, {__VA_ARGS__}}

static const lh_ast_kind_info kinds[LH_NODE_KIND_COUNT] = {
    KIND(LH_BAD_EXPR, lh_bad_expr, 0, {0}),
    KIND(LH_IDENT, lh_ident, 1, STR(lh_ident, name, "Name")),
    KIND(LH_ELLIPSIS, lh_ellipsis, 1, NODE(lh_ellipsis, elt, "Elt")),
    KIND(LH_BASIC_LIT, lh_basic_lit, 3, POS(lh_basic_lit, value_end, "ValueEnd"),
         TOK(lh_basic_lit, kind, "Kind"), STR(lh_basic_lit, value, "Value")),
    KIND(LH_FUNC_LIT, lh_func_lit, 2, NODE(lh_func_lit, type, "Type"),
         NODE(lh_func_lit, body, "Body")),
    KIND(LH_COMPOSITE_LIT, lh_composite_lit, 2, NODE(lh_composite_lit, type, "Type"),
         LIST(lh_composite_lit, elts, "Elts")),
    KIND(LH_PAREN_EXPR, lh_paren_expr, 1, NODE(lh_paren_expr, x, "X")),
    KIND(LH_SELECTOR_EXPR, lh_selector_expr, 2, NODE(lh_selector_expr, x, "X"),
         NODE(lh_selector_expr, sel, "Sel")),
    KIND(LH_INDEX_EXPR, lh_index_expr, 2, NODE(lh_index_expr, x, "X"),
         NODE(lh_index_expr, index, "Index")),
    KIND(LH_INDEX_LIST_EXPR, lh_index_list_expr, 2, NODE(lh_index_list_expr, x, "X"),
         LIST(lh_index_list_expr, indices, "Indices")),
    KIND(LH_SLICE_EXPR, lh_slice_expr, 4, NODE(lh_slice_expr, x, "X"),
         NODE(lh_slice_expr, low, "Low"), NODE(lh_slice_expr, high, "High"),
         NODE(lh_slice_expr, max, "Max")),
    KIND(LH_TYPE_ASSERT_EXPR, lh_type_assert_expr, 2, NODE(lh_type_assert_expr, x, "X"),
         NODE(lh_type_assert_expr, type, "Type")),
    KIND(LH_CALL_EXPR, lh_call_expr, 2, NODE(lh_call_expr, fun, "Fun"),
         LIST(lh_call_expr, args, "Args")),
    KIND(LH_STAR_EXPR, lh_star_expr, 1, NODE(lh_star_expr, x, "X")),
    KIND(LH_UNARY_EXPR, lh_unary_expr, 2, TOK(lh_unary_expr, op, "Op"),
         NODE(lh_unary_expr, x, "X")),
    KIND(LH_BINARY_EXPR, lh_binary_expr, 3, NODE(lh_binary_expr, x, "X"),
         TOK(lh_binary_expr, op, "Op"), NODE(lh_binary_expr, y, "Y")),
    KIND(LH_KEY_VALUE_EXPR, lh_key_value_expr, 2, NODE(lh_key_value_expr, key, "Key"),
         NODE(lh_key_value_expr, value, "Value")),
    KIND(LH_ARRAY_TYPE, lh_array_type, 2, NODE(lh_array_type, len, "Len"),
         NODE(lh_array_type, elt, "Elt")),
    KIND(LH_STRUCT_TYPE, lh_struct_type, 1, NODE(lh_struct_type, fields, "Fields")),
    KIND(LH_FUNC_TYPE, lh_func_type, 3, NODE(lh_func_type, type_params, "TypeParams"),
         NODE(lh_func_type, params, "Params"), NODE(lh_func_type, results, "Results")),
    KIND(LH_INTERFACE_TYPE, lh_interface_type, 1,
         NODE(lh_interface_type, methods, "Methods")),
    KIND(LH_MAP_TYPE, lh_map_type, 2, NODE(lh_map_type, key, "Key"),
         NODE(lh_map_type, value, "Value")),
    KIND(LH_CHAN_TYPE, lh_chan_type, 2, DIR(lh_chan_type, dir, "Dir"),
         NODE(lh_chan_type, value, "Value")),

    KIND(LH_BAD_STMT, lh_bad_stmt, 0, {0}),
    KIND(LH_DECL_STMT, lh_decl_stmt, 1, NODE(lh_decl_stmt, decl, "Decl")),
    KIND(LH_EMPTY_STMT, lh_empty_stmt, 0, {0}),
    KIND(LH_LABELED_STMT, lh_labeled_stmt, 2, NODE(lh_labeled_stmt, label, "Label"),
         NODE(lh_labeled_stmt, stmt, "Stmt")),
    KIND(LH_EXPR_STMT, lh_expr_stmt, 1, NODE(lh_expr_stmt, x, "X")),
    KIND(LH_SEND_STMT, lh_send_stmt, 2, NODE(lh_send_stmt, chan, "Chan"),
         NODE(lh_send_stmt, value, "Value")),
    KIND(LH_INC_DEC_STMT, lh_inc_dec_stmt, 2, NODE(lh_inc_dec_stmt, x, "X"),
         TOK(lh_inc_dec_stmt, tok, "Tok")),
    KIND(LH_ASSIGN_STMT, lh_assign_stmt, 3, LIST(lh_assign_stmt, lhs, "Lhs"),
         TOK(lh_assign_stmt, tok, "Tok"), LIST(lh_assign_stmt, rhs, "Rhs")),
    KIND(LH_GO_STMT, lh_go_stmt, 1, NODE(lh_go_stmt, call, "Call")),
    KIND(LH_DEFER_STMT, lh_defer_stmt, 1, NODE(lh_defer_stmt, call, "Call")),
    KIND(LH_RETURN_STMT, lh_return_stmt, 1, LIST(lh_return_stmt, results, "Results")),
    KIND(LH_BRANCH_STMT, lh_branch_stmt, 2, TOK(lh_branch_stmt, tok, "Tok"),
         NODE(lh_branch_stmt, label, "Label")),
    KIND(LH_BLOCK_STMT, lh_block_stmt, 1, LIST(lh_block_stmt, list, "List")),
    KIND(LH_IF_STMT, lh_if_stmt, 4, NODE(lh_if_stmt, init, "Init"),
         NODE(lh_if_stmt, cond, "Cond"), NODE(lh_if_stmt, body, "Body"),
         NODE(lh_if_stmt, els, "Else")),
    KIND(LH_CASE_CLAUSE, lh_case_clause, 2, LIST(lh_case_clause, list, "List"),
         LIST(lh_case_clause, body, "Body")),
    KIND(LH_SWITCH_STMT, lh_switch_stmt, 3, NODE(lh_switch_stmt, init, "Init"),
         NODE(lh_switch_stmt, tag, "Tag"), NODE(lh_switch_stmt, body, "Body")),
    KIND(LH_TYPE_SWITCH_STMT, lh_type_switch_stmt, 3,
         NODE(lh_type_switch_stmt, init, "Init"),
         NODE(lh_type_switch_stmt, assign, "Assign"),
         NODE(lh_type_switch_stmt, body, "Body")),
    KIND(LH_COMM_CLAUSE, lh_comm_clause, 2, NODE(lh_comm_clause, comm, "Comm"),
         LIST(lh_comm_clause, body, "Body")),
    KIND(LH_SELECT_STMT, lh_select_stmt, 1, NODE(lh_select_stmt, body, "Body")),
    KIND(LH_FOR_STMT, lh_for_stmt, 4, NODE(lh_for_stmt, init, "Init"),
         NODE(lh_for_stmt, cond, "Cond"), NODE(lh_for_stmt, post, "Post"),
         NODE(lh_for_stmt, body, "Body")),
    KIND(LH_RANGE_STMT, lh_range_stmt, 6, NODE(lh_range_stmt, key, "Key"),
         NODE(lh_range_stmt, value, "Value"), TOK(lh_range_stmt, tok, "Tok"),
         POS(lh_range_stmt, range, "Range"), NODE(lh_range_stmt, x, "X"),
         NODE(lh_range_stmt, body, "Body")),

    KIND(LH_IMPORT_SPEC, lh_import_spec, 2, NODE(lh_import_spec, name, "Name"),
         NODE(lh_import_spec, path, "Path")),
    KIND(LH_VALUE_SPEC, lh_value_spec, 3, LIST(lh_value_spec, names, "Names"),
         NODE(lh_value_spec, type, "Type"), LIST(lh_value_spec, values, "Values")),
    KIND(LH_TYPE_SPEC, lh_type_spec, 3, NODE(lh_type_spec, name, "Name"),
         NODE(lh_type_spec, type_params, "TypeParams"), NODE(lh_type_spec, type, "Type")),
    KIND(LH_BAD_DECL, lh_bad_decl, 0, {0}),
    KIND(LH_GEN_DECL, lh_gen_decl, 2, TOK(lh_gen_decl, tok, "Tok"),
         LIST(lh_gen_decl, specs, "Specs")),
    KIND(LH_FUNC_DECL, lh_func_decl, 4, NODE(lh_func_decl, recv, "Recv"),
         NODE(lh_func_decl, name, "Name"), NODE(lh_func_decl, type, "Type"),
         NODE(lh_func_decl, body, "Body")),

    KIND(LH_FIELD, lh_field, 3, LIST(lh_field, names, "Names"), NODE(lh_field, type, "Type"),
         NODE(lh_field, tag, "Tag")),
    KIND(LH_FIELD_LIST, lh_field_list, 1, LIST(lh_field_list, list, "List")),
    KIND(LH_FILE, lh_file, 5, NODE(lh_file, name, "Name"), LIST(lh_file, decls, "Decls"),
         POS(lh_file, file_start, "FileStart"), POS(lh_file, file_end, "FileEnd"),
         STR(lh_file, go_version, "GoVersion")),
};

const lh_ast_kind_info *lh_ast_info(lh_node_kind k)
{
    return &kinds[k];
}

/* ---- walker ----------------------------------------------------------- */

/* Both walks keep a stack of nodes still to visit and push a node's
 * children all at once, last first, so they come off in field order: one
 * pass over the node's fields per node, where resuming a frame field by
 * field cost a quarter of a scan's time (every rule walks every tree). */

/* Pushes n's non-NULL children in reverse field order with push(child). */
#define PUSH_CHILDREN(n, push)                                                 \
    do {                                                                       \
        const lh_ast_kind_info *info_ = &kinds[(n)->kind];                     \
        for (uint32_t f_ = info_->nfields; f_-- > 0;) {                        \
            const lh_ast_field *fd_ = &info_->fields[f_];                      \
            char *base_ = (char *)(n) + fd_->off;                              \
            if (fd_->kind == LH_FK_NODE) {                                     \
                lh_node *c_ = *(lh_node **)base_;                              \
                if (c_)                                                        \
                    push(c_);                                                  \
            } else if (fd_->kind == LH_FK_LIST) {                              \
                const lh_list *l_ = (const lh_list *)base_;                    \
                for (uint32_t e_ = l_->n; e_-- > 0;)                           \
                    if (l_->v[e_])                                             \
                        push(l_->v[e_]);                                       \
            }                                                                  \
        }                                                                      \
    } while (0)

static void *grow_stack(void *st, size_t *cap, size_t elem)
{
    *cap *= 2;
    void *ns = realloc(st, *cap * elem);
    if (!ns)
        abort();
    return ns;
}

/* The same for a stack that starts in the caller's frame (local): most
 * walks are of one function body or smaller, and a malloc and free per
 * walk cost more than the walk. */
static void *grow_local(void *st, const void *local, size_t *cap, size_t elem)
{
    if (st != local)
        return grow_stack(st, cap, elem);
    void *ns = malloc(*cap * 2 * elem);
    if (!ns)
        abort();
    memcpy(ns, st, *cap * elem);
    *cap *= 2;
    return ns;
}

/* A pending node, or (low bit of n set) a node whose post is due. */
typedef struct walk_item {
    uintptr_t n;
    lh_node *parent;
} walk_item;

void lh_ast_walk(lh_node *root, lh_ast_pre_fn pre, lh_ast_post_fn post, void *ctx)
{
    if (!root)
        return;
    walk_item local[128];
    size_t cap = sizeof local / sizeof *local, top = 0;
    walk_item *st = local;
    st[top++] = (walk_item){(uintptr_t)root, NULL};
    while (top > 0) {
        walk_item it = st[--top];
        if (it.n & 1) {
            post((lh_node *)(it.n & ~(uintptr_t)1), it.parent, ctx);
            continue;
        }
        lh_node *n = (lh_node *)it.n;
        if (pre && !pre(n, it.parent, ctx)) {
            if (post)
                post(n, it.parent, ctx);
            continue;
        }
        if (post) {
            if (top == cap)
                st = grow_local(st, local, &cap, sizeof *st);
            st[top++] = (walk_item){it.n | 1, it.parent};
        }
#define PUSH_ITEM(c)                                                           \
    do {                                                                       \
        if (top == cap)                                                        \
            st = grow_local(st, local, &cap, sizeof *st);                      \
        st[top++] = (walk_item){(uintptr_t)(c), n};                            \
    } while (0)
        PUSH_CHILDREN(n, PUSH_ITEM);
#undef PUSH_ITEM
    }
    if (st != local)
        free(st);
}

/* A pending node and its depth (the number of its ancestors). */
typedef struct anc_item {
    lh_node *n;
    size_t depth;
} anc_item;

void lh_ast_walk_anc(lh_node *root, lh_ast_anc_fn visit, void *ctx)
{
    if (!root)
        return;
    anc_item local[128];
    lh_node *alocal[64];
    size_t cap = sizeof local / sizeof *local, top = 0, acap = sizeof alocal / sizeof *alocal;
    anc_item *st = local;
    lh_node **anc = alocal;
    st[top++] = (anc_item){root, 0};
    /* Depth first: when a node comes off the stack, anc[0..depth) still
     * holds its ancestors (everything visited since its parent lies
     * deeper), so the path needs no popping. */
    while (top > 0) {
        anc_item it = st[--top];
        lh_node *n = it.n;
        if (!visit(n, anc, it.depth, ctx))
            continue;
        if (it.depth == acap)
            anc = grow_local(anc, alocal, &acap, sizeof *anc);
        anc[it.depth] = n;
#define PUSH_ITEM(c)                                                           \
    do {                                                                       \
        if (top == cap)                                                        \
            st = grow_local(st, local, &cap, sizeof *st);                      \
        st[top++] = (anc_item){(c), it.depth + 1};                             \
    } while (0)
        PUSH_CHILDREN(n, PUSH_ITEM);
#undef PUSH_ITEM
    }
    if (anc != alocal)
        free(anc);
    if (st != local)
        free(st);
}

uint32_t lh_ast_flatten(lh_node *root, lh_arena *a, lh_ast_flat **out, uint32_t *max_depth)
{
    *out = NULL;
    *max_depth = 0;
    if (!root)
        return 0;
    anc_item local[256];
    /* Entries whose subtree is still being written, shallowest first: a
     * node at depth d closes every open entry d or more deep. */
    uint32_t olocal[64];
    size_t cap = 1024, scap = sizeof local / sizeof *local, ocap = sizeof olocal / sizeof *olocal;
    size_t top = 0, otop = 0;
    uint32_t cnt = 0, maxd = 0;
    lh_ast_flat *v = lh_arena_alloc_raw(a, cap * sizeof *v);
    anc_item *st = local;
    uint32_t *open = olocal;
    st[top++] = (anc_item){root, 0};
    bool deep = false;
    while (top > 0) {
        anc_item it = st[--top];
        if (it.depth >= LH_AST_FLAT_MAX_DEPTH || cnt == UINT32_MAX) {
            deep = true;
            break;
        }
        while (otop > 0 && v[open[otop - 1]].depth >= it.depth)
            v[open[--otop]].next = cnt;
        if (cnt == cap) {
            v = lh_arena_realloc(a, v, cap * sizeof *v, 2 * cap * sizeof *v);
            cap *= 2;
        }
        lh_node *n = it.n;     /* PUSH_CHILDREN's argument must be n */
        /* Built whole, then stored whole: assigning the bit-fields in
         * place would read the entry first, and a first read of a fresh
         * page maps the zero page only to fault again on the write. */
        lh_ast_flat e = {n, 0, (unsigned)it.depth, LH_KIND(n)};
        memcpy(&v[cnt], &e, sizeof e);
        if (otop == ocap)
            open = grow_local(open, olocal, &ocap, sizeof *open);
        open[otop++] = cnt++;
        if (it.depth > maxd)
            maxd = (uint32_t)it.depth;
#define PUSH_ITEM(c)                                                           \
    do {                                                                       \
        if (top == scap)                                                       \
            st = grow_local(st, local, &scap, sizeof *st);                     \
        st[top++] = (anc_item){(c), it.depth + 1};                             \
    } while (0)
        PUSH_CHILDREN(n, PUSH_ITEM);
#undef PUSH_ITEM
    }
    while (otop > 0)
        v[open[--otop]].next = cnt;
    if (st != local)
        free(st);
    if (open != olocal)
        free(open);
    /* Give back what the array did not use (all of it for a tree too
     * deep): it is the arena's newest allocation, so this is in place. */
    v = lh_arena_realloc(a, v, cap * sizeof *v, deep ? 0 : cnt * sizeof *v);
    if (deep)
        return 0;
    *out = v;
    *max_depth = maxd;
    return cnt;
}

bool lh_ident_is(const lh_node *n, const char *name)
{
    if (!n || n->kind != LH_IDENT)
        return false;
    const lh_ident *id = (const lh_ident *)n;
    size_t len = strlen(name);
    return id->name.len == len && memcmp(id->name.p, name, len) == 0;
}

lh_node *lh_ast_unparen(lh_node *n)
{
    return n && n->kind == LH_PAREN_EXPR ? ((lh_paren_expr *)n)->inner : n;
}

bool lh_ast_import_path(const lh_node *spec, lh_str *path)
{
    lh_str lit = ((const lh_basic_lit *)((const lh_import_spec *)spec)->path)->value;
    if (lit.len < 2)
        return false;
    *path = (lh_str){lit.p + 1, lit.len - 2};
    return true;
}

const lh_comment *lh_ast_comments_on_line(const lh_file *f, uint32_t line, uint32_t *n)
{
    uint32_t lo = 0, hi = f->ncomments;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->comments[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t end = lo;
    while (end < f->ncomments && f->comments[end].line == line)
        end++;
    *n = end - lo;
    return *n ? &f->comments[lo] : NULL;
}

lh_pos lh_file_pos(const lh_file *f, uint32_t off)
{
    uint32_t lo = 0, hi = f->nlines;     /* first line starting after off */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return (lh_pos){off, 1, off + 1};
    return (lh_pos){off, lo, off - f->lines[lo - 1] + 1};
}

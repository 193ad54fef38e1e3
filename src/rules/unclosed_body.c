/* unclosed-body: an *http.Response whose Body is not closed on some path.
 * Until Body.Close, the client keeps the connection (and, for HTTP/1.x,
 * the transport's read and write goroutines with their buffers): a
 * handler that leaks one response per request grows by a connection and
 * two goroutines per request (seed 004).
 *
 * Reported at the call yielding the response: http.Get, Head, Post,
 * PostForm, the same methods of *http.Client and Do, RoundTrip of
 * *http.Transport and of http.RoundTripper, and the module's own
 * functions whose first result is an *http.Response (they hand it to
 * their caller). Paths where the call's error is non-nil own no
 * response. */
#include "rules/resource.h"

static const lh_res_source sources[] = {
    {"net/http", NULL, "Get", "http.Get"},
    {"net/http", NULL, "Head", "http.Head"},
    {"net/http", NULL, "Post", "http.Post"},
    {"net/http", NULL, "PostForm", "http.PostForm"},
    {"net/http", "Client", "Do", "(*http.Client).Do"},
    {"net/http", "Client", "Get", "(*http.Client).Get"},
    {"net/http", "Client", "Head", "(*http.Client).Head"},
    {"net/http", "Client", "Post", "(*http.Client).Post"},
    {"net/http", "Client", "PostForm", "(*http.Client).PostForm"},
    {"net/http", "Transport", "RoundTrip", "(*http.Transport).RoundTrip"},
    {NULL, NULL, NULL, NULL},
};

static const char *source(lh_rule_ctx *c, const lh_call_expr *call)
{
    const char *s = lh_rule_callee_name(c, call, sources);
    if (s)
        return s;
    lh_obj *o = lh_rule_callee(c, call);
    if (o && o->kind == LH_OBJ_FUNC && o->pkg && !o->pkg->stub) {
        /* A function of the module handing a response to its caller. */
        const lh_type *ft = lh_sema_obj_type(o);
        if (ft && ft->kind == LH_T_FUNC && ft->nresults >= 1 &&
            lh_type_is_ptr_to(ft->results[0], "net/http", "Response") &&
            !lh_flow_func_closes(o)) {
            static _Thread_local char buf[160];
            snprintf(buf, sizeof buf, "%.*s", (int)o->name.len, o->name.p);
            return buf;
        }
        return NULL;
    }
    /* rt.RoundTrip(req) through the http.RoundTripper interface. */
    lh_node *f = lh_ast_unparen(call->fun);
    if (!o && LH_KIND(f) == LH_SELECTOR_EXPR &&
        lh_ident_is(LH_AS(f, lh_selector_expr)->sel, "RoundTrip") &&
        lh_type_is_named(lh_sema_type_of(c->sema, LH_AS(f, lh_selector_expr)->x), "net/http",
                         "RoundTripper"))
        return "(http.RoundTripper).RoundTrip";
    return NULL;
}

static const char *const release[] = {NULL};
static const char *const benign[] = {"Location", "Cookies", "Write", NULL};
static const lh_flow_kind kind = {release, "Body", benign, NULL, NULL, false};

static const lh_res_spec spec = {
    .source = source,
    .kind = &kind,
    .noun = "the response body",
    .verb = "closed",
    .release_text = "Body.Close()",
    .fix = "defer resp.Body.Close() right after the error check",
};

static void check(lh_rule_ctx *c)
{
    lh_rule_check_resources(c, &spec);
}

const lh_rule lh_rule_unclosed_body = {
    .id = "unclosed-body",
    .summary = "http.Response body not closed on some path",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "The body of an *http.Response must be closed, even when it is not read:\n"
        "until Body.Close the client keeps the connection, and for HTTP/1.x the\n"
        "transport keeps a read and a write goroutine with their buffers. A\n"
        "handler that leaks one response per request grows by a connection and\n"
        "two goroutines per request, until the process runs out of memory or\n"
        "file descriptors.\n"
        "\n"
        "Leaky (the body is closed only when the status is not OK):\n"
        "\n"
        "    resp, err := http.Get(url)\n"
        "    if err != nil {\n"
        "        return err\n"
        "    }\n"
        "    if resp.StatusCode != http.StatusOK {\n"
        "        defer resp.Body.Close()\n"
        "        return errStatus\n"
        "    }\n"
        "    return nil\n"
        "\n"
        "Fixed: defer the close right after the error check:\n"
        "\n"
        "    resp, err := http.Get(url)\n"
        "    if err != nil {\n"
        "        return err\n"
        "    }\n"
        "    defer resp.Body.Close()\n"
        "\n"
        "Reported at the call (http.Get/Head/Post/PostForm, the *http.Client\n"
        "methods, RoundTrip, and the module's functions returning an\n"
        "*http.Response) when some path after the error check reaches the end\n"
        "of the function, or the next iteration of the loop around it, without\n"
        "Body.Close() and without handing the response or its body on\n"
        "(returning it, storing it, passing it to a function we cannot see into,\n"
        "capturing it in a closure). Reading the body with io.ReadAll, io.Copy\n"
        "or a json.Decoder does not close it.\n",
};

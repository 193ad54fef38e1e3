#include "go/token.h"

#include <string.h>

static const char *const tok_names[LH_TOK_COUNT] = {
    [LH_TOK_ILLEGAL] = "ILLEGAL",
    [LH_TOK_EOF] = "EOF",
    [LH_TOK_COMMENT] = "COMMENT",
    [LH_TOK_IDENT] = "IDENT",
    [LH_TOK_INT] = "INT",
    [LH_TOK_FLOAT] = "FLOAT",
    [LH_TOK_IMAG] = "IMAG",
    [LH_TOK_CHAR] = "CHAR",
    [LH_TOK_STRING] = "STRING",
    [LH_TOK_ADD] = "+",
    [LH_TOK_SUB] = "-",
    [LH_TOK_MUL] = "*",
    [LH_TOK_QUO] = "/",
    [LH_TOK_REM] = "%",
    [LH_TOK_AND] = "&",
    [LH_TOK_OR] = "|",
    [LH_TOK_XOR] = "^",
    [LH_TOK_SHL] = "<<",
    [LH_TOK_SHR] = ">>",
    [LH_TOK_AND_NOT] = "&^",
    [LH_TOK_ADD_ASSIGN] = "+=",
    [LH_TOK_SUB_ASSIGN] = "-=",
    [LH_TOK_MUL_ASSIGN] = "*=",
    [LH_TOK_QUO_ASSIGN] = "/=",
    [LH_TOK_REM_ASSIGN] = "%=",
    [LH_TOK_AND_ASSIGN] = "&=",
    [LH_TOK_OR_ASSIGN] = "|=",
    [LH_TOK_XOR_ASSIGN] = "^=",
    [LH_TOK_SHL_ASSIGN] = "<<=",
    [LH_TOK_SHR_ASSIGN] = ">>=",
    [LH_TOK_AND_NOT_ASSIGN] = "&^=",
    [LH_TOK_LAND] = "&&",
    [LH_TOK_LOR] = "||",
    [LH_TOK_ARROW] = "<-",
    [LH_TOK_INC] = "++",
    [LH_TOK_DEC] = "--",
    [LH_TOK_EQL] = "==",
    [LH_TOK_LSS] = "<",
    [LH_TOK_GTR] = ">",
    [LH_TOK_ASSIGN] = "=",
    [LH_TOK_NOT] = "!",
    [LH_TOK_NEQ] = "!=",
    [LH_TOK_LEQ] = "<=",
    [LH_TOK_GEQ] = ">=",
    [LH_TOK_DEFINE] = ":=",
    [LH_TOK_ELLIPSIS] = "...",
    [LH_TOK_LPAREN] = "(",
    [LH_TOK_LBRACK] = "[",
    [LH_TOK_LBRACE] = "{",
    [LH_TOK_COMMA] = ",",
    [LH_TOK_PERIOD] = ".",
    [LH_TOK_RPAREN] = ")",
    [LH_TOK_RBRACK] = "]",
    [LH_TOK_RBRACE] = "}",
    [LH_TOK_SEMICOLON] = ";",
    [LH_TOK_COLON] = ":",
    [LH_TOK_BREAK] = "break",
    [LH_TOK_CASE] = "case",
    [LH_TOK_CHAN] = "chan",
    [LH_TOK_CONST] = "const",
    [LH_TOK_CONTINUE] = "continue",
    [LH_TOK_DEFAULT] = "default",
    [LH_TOK_DEFER] = "defer",
    [LH_TOK_ELSE] = "else",
    [LH_TOK_FALLTHROUGH] = "fallthrough",
    [LH_TOK_FOR] = "for",
    [LH_TOK_FUNC] = "func",
    [LH_TOK_GO] = "go",
    [LH_TOK_GOTO] = "goto",
    [LH_TOK_IF] = "if",
    [LH_TOK_IMPORT] = "import",
    [LH_TOK_INTERFACE] = "interface",
    [LH_TOK_MAP] = "map",
    [LH_TOK_PACKAGE] = "package",
    [LH_TOK_RANGE] = "range",
    [LH_TOK_RETURN] = "return",
    [LH_TOK_SELECT] = "select",
    [LH_TOK_STRUCT] = "struct",
    [LH_TOK_SWITCH] = "switch",
    [LH_TOK_TYPE] = "type",
    [LH_TOK_VAR] = "var",
    [LH_TOK_TILDE] = "~",
};

const char *lh_tok_string(lh_tok_kind k)
{
    if ((unsigned)k >= LH_TOK_COUNT || !tok_names[k])
        return "?";
    return tok_names[k];
}

int lh_tok_precedence(lh_tok_kind k)
{
    switch (k) {
    case LH_TOK_LOR:
        return 1;
    case LH_TOK_LAND:
        return 2;
    case LH_TOK_EQL: case LH_TOK_NEQ: case LH_TOK_LSS:
    case LH_TOK_LEQ: case LH_TOK_GTR: case LH_TOK_GEQ:
        return 3;
    case LH_TOK_ADD: case LH_TOK_SUB: case LH_TOK_OR: case LH_TOK_XOR:
        return 4;
    case LH_TOK_MUL: case LH_TOK_QUO: case LH_TOK_REM: case LH_TOK_SHL:
    case LH_TOK_SHR: case LH_TOK_AND: case LH_TOK_AND_NOT:
        return 5;
    default:
        return 0;
    }
}

/* Keywords are 2 to 11 bytes and mostly differ in their first byte, so a
 * switch on the first byte leaves at most three candidates to compare. */
#define KW(str, kind) \
    if (n == sizeof(str) - 1 && memcmp(s, str, sizeof(str) - 1) == 0) \
        return kind

lh_tok_kind lh_tok_lookup(const char *s, size_t n)
{
    if (n < 2 || n > 11)
        return LH_TOK_IDENT;
    switch (s[0]) {
    case 'b':
        KW("break", LH_TOK_BREAK);
        break;
    case 'c':
        KW("case", LH_TOK_CASE);
        KW("chan", LH_TOK_CHAN);
        KW("const", LH_TOK_CONST);
        KW("continue", LH_TOK_CONTINUE);
        break;
    case 'd':
        KW("default", LH_TOK_DEFAULT);
        KW("defer", LH_TOK_DEFER);
        break;
    case 'e':
        KW("else", LH_TOK_ELSE);
        break;
    case 'f':
        KW("for", LH_TOK_FOR);
        KW("func", LH_TOK_FUNC);
        KW("fallthrough", LH_TOK_FALLTHROUGH);
        break;
    case 'g':
        KW("go", LH_TOK_GO);
        KW("goto", LH_TOK_GOTO);
        break;
    case 'i':
        KW("if", LH_TOK_IF);
        KW("import", LH_TOK_IMPORT);
        KW("interface", LH_TOK_INTERFACE);
        break;
    case 'm':
        KW("map", LH_TOK_MAP);
        break;
    case 'p':
        KW("package", LH_TOK_PACKAGE);
        break;
    case 'r':
        KW("range", LH_TOK_RANGE);
        KW("return", LH_TOK_RETURN);
        break;
    case 's':
        KW("select", LH_TOK_SELECT);
        KW("struct", LH_TOK_STRUCT);
        KW("switch", LH_TOK_SWITCH);
        break;
    case 't':
        KW("type", LH_TOK_TYPE);
        break;
    case 'v':
        KW("var", LH_TOK_VAR);
        break;
    }
    return LH_TOK_IDENT;
}

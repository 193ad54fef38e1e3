#include <stdio.h>
#include "profile/internal.h"
int lh_profile_decode_heap_text(lh_profile *p, const char *text, size_t len,
                                char *err, size_t errlen)
{
    (void)p; (void)text; (void)len;
    snprintf(err, errlen, "heap text profiles are not supported yet");
    return -1;
}

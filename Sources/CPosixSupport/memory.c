#include "CPosixSupport.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void genmon_limit_malloc_arenas(void) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, 2);
#endif
}

int genmon_release_free_memory(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

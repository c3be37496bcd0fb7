#include "CPosixSupport.h"
/* A libc header first: it is what defines __GLIBC__ for the test below. */
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
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

#if defined(__linux__)
/// One executable file mapping from /proc/self/smaps, with what decides whether to release it.
struct code_mapping {
    unsigned long start, end;
    int executable_file;   /* r-xp with a path */
    long resident_kb, anonymous_kb;
};

static long release_mapping(const struct code_mapping *mapping) {
    /* Private copies (a debugger's breakpoint, a text relocation) would be lost: leave those alone. */
    if (!mapping->executable_file || mapping->anonymous_kb != 0 || mapping->resident_kb == 0) return 0;
    size_t length = mapping->end - mapping->start;
    /* Without fault-around, a page touched later maps that page only, not up to 64 KiB around it. */
    madvise((void *)mapping->start, length, MADV_RANDOM);
    if (madvise((void *)mapping->start, length, MADV_DONTNEED) != 0) return 0;
    return mapping->resident_kb * 1024;
}
#endif

long genmon_release_code_pages(void) {
#if defined(__linux__)
    FILE *smaps = fopen("/proc/self/smaps", "re");
    if (smaps == NULL) return -1;
    char line[512];
    struct code_mapping current = {0};
    long released = 0;
    while (fgets(line, sizeof line, smaps) != NULL) {
        unsigned long start, end;
        char permissions[8], path[256] = "";
        unsigned long offset, inode;
        char device[16];
        long kilobytes;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &start, &end, permissions, &offset, device, &inode, path) >= 6) {
            released += release_mapping(&current);
            current = (struct code_mapping){ .start = start, .end = end };
            current.executable_file = strcmp(permissions, "r-xp") == 0 && path[0] == '/' && inode != 0;
        } else if (sscanf(line, "Rss: %ld kB", &kilobytes) == 1) {
            current.resident_kb = kilobytes;
        } else if (sscanf(line, "Anonymous: %ld kB", &kilobytes) == 1) {
            current.anonymous_kb = kilobytes;
        }
    }
    released += release_mapping(&current);
    fclose(smaps);
    return released;
#else
    return 0;
#endif
}

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
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* /proc/self/pagemap: one 64-bit entry per page; bit 63 present, bit 61 a page of the file
   (clear for a private copy made by a write, which must stay). */
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_FILE_PAGE (1ULL << 61)

/// Reclaims one run of pages. MADV_PAGEOUT never loses data (a page changed since is kept or
/// swapped); where the kernel lacks it, only code is dropped (code is never written).
static long release_run(unsigned long start, unsigned long pages, int executable, long page_size) {
    size_t length = pages * (size_t)page_size;
    if (madvise((void *)start, length, MADV_PAGEOUT) == 0) return (long)length;
    if (executable && madvise((void *)start, length, MADV_DONTNEED) == 0) return (long)length;
    return 0;
}

/// Releases the resident pages of the file in one private mapping, run by run.
static long release_mapping(int pagemap, unsigned long start, unsigned long end, int executable, long page_size) {
    /* No readahead around later faults: what comes back is what is used, page by page. */
    madvise((void *)start, end - start, MADV_RANDOM);
    long released = 0;
    uint64_t entries[512];
    unsigned long run_start = 0, run_pages = 0;
    for (unsigned long address = start; address < end;) {
        unsigned long pages = (end - address) / (unsigned long)page_size;
        if (pages > 512) pages = 512;
        off_t offset = (off_t)(address / (unsigned long)page_size) * (off_t)sizeof(uint64_t);
        ssize_t got = pread(pagemap, entries, pages * sizeof(uint64_t), offset);
        if (got <= 0) break;
        pages = (unsigned long)got / sizeof(uint64_t);
        for (unsigned long index = 0; index < pages; index++, address += (unsigned long)page_size) {
            int file_page = (entries[index] & (PAGEMAP_PRESENT | PAGEMAP_FILE_PAGE)) == (PAGEMAP_PRESENT | PAGEMAP_FILE_PAGE);
            if (file_page) {
                if (run_pages == 0) run_start = address;
                run_pages++;
            } else if (run_pages > 0) {
                released += release_run(run_start, run_pages, executable, page_size);
                run_pages = 0;
            }
        }
    }
    if (run_pages > 0) released += release_run(run_start, run_pages, executable, page_size);
    return released;
}
#endif

long genmon_release_code_pages(void) {
#if defined(__linux__)
    FILE *maps = fopen("/proc/self/maps", "re");
    if (maps == NULL) return -1;
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (pagemap < 0) {
        fclose(maps);
        return -1;
    }
    long page_size = sysconf(_SC_PAGESIZE);
    char line[512];
    long released = 0;
    int at_line_start = 1;
    while (fgets(line, sizeof line, maps) != NULL) {
        /* A line longer than the buffer arrives in pieces: only its first piece is a mapping's header. */
        int header = at_line_start;
        size_t length = strlen(line);
        at_line_start = length > 0 && line[length - 1] == '\n';
        if (!header) continue;
        unsigned long start, end, offset, inode;
        char permissions[8], device[16], path[256] = "";
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &start, &end, permissions, &offset, device, &inode, path) < 6) continue;
        if (end <= start || strlen(permissions) < 4) continue;
        /* Private mappings of files only: the program, its libraries. A shared mapping (SQLite's
           -shm) is left alone, and so are anonymous memory, the heap and the stacks. */
        if (path[0] != '/' || inode == 0 || permissions[3] != 'p' || permissions[0] != 'r') continue;
        released += release_mapping(pagemap, start, end, permissions[2] == 'x', page_size);
    }
    close(pagemap);
    fclose(maps);
    return released;
#else
    return 0;
#endif
}

#ifndef GENMON_CPOSIXSUPPORT_H
#define GENMON_CPOSIXSUPPORT_H
#include <stddef.h>

/// Opens a new pseudo-terminal master (non-blocking, close-on-exec) and writes the
/// path of its slave side into `path`. Returns the master descriptor, or -1 with errno set.
int genmon_open_pty_master(char *path, size_t length);

/// Makes standard output line buffered, so a long-running command's output reaches a log file or
/// pipe line by line (Swift 6 cannot touch the C `stdout` variable directly).
void genmon_line_buffer_stdout(void);

/// Limits glibc to two malloc arenas, so memory freed by one event-loop thread can be reused by
/// another and given back, instead of each thread keeping a heap of its own. No-op elsewhere.
void genmon_limit_malloc_arenas(void);

/// Gives freed heap memory back to the system (glibc's malloc_trim); returns 1 when some was.
int genmon_release_free_memory(void);

/// Lets go of the resident pages of mapped program files (the binary, its libraries): the pages
/// of the files themselves in every private file mapping, never a page the program has changed.
/// The kernel reclaims them (MADV_PAGEOUT) and reads back, page by page, only those used again;
/// what only start-up needed stays out of memory. Returns the bytes released, or -1 when
/// /proc/self/maps or /proc/self/pagemap cannot be read.
long genmon_release_code_pages(void);

#endif

/// Whether the kernel's clock is synchronised (adjtimex: no STA_UNSYNC, not TIME_ERROR):
/// 1 synchronised, 0 not, -1 when the kernel cannot be asked. `timedatectl` reads the same.
int genmon_clock_synchronised(void);

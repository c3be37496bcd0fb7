// Swift Testing captures a backtrace for every Swift error thrown anywhere in the test process,
// under one process-wide lock, so that a failing test can say where an error came from. The
// random-input suites throw millions of errors on purpose (every rejected input is one): the
// capture made the Modbus run cost 10.5 s of CPU instead of 1.7 s, and contended for that lock
// across the two-thread cooperative pool. This constructor runs before Swift Testing's entry point
// reads SWT_SWIFT_ERROR_BACKTRACING_ENABLED and turns the capture off, unless the developer has set
// the variable (SWT_SWIFT_ERROR_BACKTRACING_ENABLED=1 swift test brings the backtraces back).
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "CGenmonTesting.h"

static const char *variable = "SWT_SWIFT_ERROR_BACKTRACING_ENABLED";

__attribute__((constructor)) static void turn_off_thrown_error_backtraces(void) {
    setenv(variable, "0", 0);
}

int genmon_testing_thrown_error_backtraces_off(void) {
    const char *value = getenv(variable);
    return value != NULL && (strcmp(value, "0") == 0 || strcasecmp(value, "false") == 0 || strcasecmp(value, "no") == 0);
}

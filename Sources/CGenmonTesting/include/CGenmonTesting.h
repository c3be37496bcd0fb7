#ifndef CGENMONTESTING_H
#define CGENMONTESTING_H

/// Whether this test process started with Swift Testing's capture of a backtrace for every thrown
/// Swift error turned off (by genmon's test support, or by the developer's own environment).
int genmon_testing_thrown_error_backtraces_off(void);

#endif

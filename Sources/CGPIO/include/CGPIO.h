#ifndef GENMON_CGPIO_H
#define GENMON_CGPIO_H
// The Linux GPIO character device's v2 uAPI, as the kernel header declares it. Swift imports the
// structures and enumerations directly; what it cannot import (the function-like _IOR/_IOWR request
// macros, the variadic ioctl, offsetof) is exposed here as plain functions.
#include <linux/gpio.h>
#include <stddef.h>
#include <stdint.h>

/// ioctl request numbers (GPIO_GET_CHIPINFO_IOCTL and the v2 line ioctls).
unsigned long genmon_gpio_get_chipinfo_ioctl(void);
unsigned long genmon_gpio_v2_get_lineinfo_ioctl(void);
unsigned long genmon_gpio_v2_get_line_ioctl(void);
unsigned long genmon_gpio_v2_line_set_config_ioctl(void);
unsigned long genmon_gpio_v2_line_get_values_ioctl(void);
unsigned long genmon_gpio_v2_line_set_values_ioctl(void);

/// ioctl(2) with a pointer argument (Swift cannot call the variadic declaration).
/// Returns the call's result; -1 with errno set on failure. Retries on EINTR.
int genmon_gpio_ioctl(int fd, unsigned long request, void *argument);

/// A non-blocking, close-on-exec pipe (for waking a thread blocked in poll). 0, or -1 with errno set.
int genmon_gpio_wake_pipe(int ends[2]);

/// Structure sizes as this compiler lays them out, for the ABI tests.
size_t genmon_gpio_sizeof_chip_info(void);
size_t genmon_gpio_sizeof_line_attribute(void);
size_t genmon_gpio_sizeof_line_config_attribute(void);
size_t genmon_gpio_sizeof_line_config(void);
size_t genmon_gpio_sizeof_line_request(void);
size_t genmon_gpio_sizeof_line_info(void);
size_t genmon_gpio_sizeof_line_values(void);
size_t genmon_gpio_sizeof_line_event(void);

/// Field offsets named "<structure>.<field>" (for example "gpio_v2_line_request.fd"), or
/// SIZE_MAX for a name this shim does not know. For the ABI tests.
size_t genmon_gpio_offsetof(const char *field);

#endif

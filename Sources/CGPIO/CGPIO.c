// pipe2 needs the GNU feature macros, which Swift's Glibc module does not set.
#define _GNU_SOURCE
#include "CGPIO.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>

unsigned long genmon_gpio_get_chipinfo_ioctl(void) { return GPIO_GET_CHIPINFO_IOCTL; }
unsigned long genmon_gpio_v2_get_lineinfo_ioctl(void) { return GPIO_V2_GET_LINEINFO_IOCTL; }
unsigned long genmon_gpio_v2_get_line_ioctl(void) { return GPIO_V2_GET_LINE_IOCTL; }
unsigned long genmon_gpio_v2_line_set_config_ioctl(void) { return GPIO_V2_LINE_SET_CONFIG_IOCTL; }
unsigned long genmon_gpio_v2_line_get_values_ioctl(void) { return GPIO_V2_LINE_GET_VALUES_IOCTL; }
unsigned long genmon_gpio_v2_line_set_values_ioctl(void) { return GPIO_V2_LINE_SET_VALUES_IOCTL; }

int genmon_gpio_ioctl(int fd, unsigned long request, void *argument) {
    int result;
    do {
        result = ioctl(fd, request, argument);
    } while (result < 0 && errno == EINTR);
    return result;
}

int genmon_gpio_wake_pipe(int ends[2]) { return pipe2(ends, O_CLOEXEC | O_NONBLOCK); }

size_t genmon_gpio_sizeof_chip_info(void) { return sizeof(struct gpiochip_info); }
size_t genmon_gpio_sizeof_line_attribute(void) { return sizeof(struct gpio_v2_line_attribute); }
size_t genmon_gpio_sizeof_line_config_attribute(void) { return sizeof(struct gpio_v2_line_config_attribute); }
size_t genmon_gpio_sizeof_line_config(void) { return sizeof(struct gpio_v2_line_config); }
size_t genmon_gpio_sizeof_line_request(void) { return sizeof(struct gpio_v2_line_request); }
size_t genmon_gpio_sizeof_line_info(void) { return sizeof(struct gpio_v2_line_info); }
size_t genmon_gpio_sizeof_line_values(void) { return sizeof(struct gpio_v2_line_values); }
size_t genmon_gpio_sizeof_line_event(void) { return sizeof(struct gpio_v2_line_event); }

#define FIELD(type, member) { #type "." #member, offsetof(struct type, member) }

static const struct { const char *name; size_t offset; } fields[] = {
    FIELD(gpiochip_info, name),
    FIELD(gpiochip_info, label),
    FIELD(gpiochip_info, lines),
    FIELD(gpio_v2_line_attribute, id),
    FIELD(gpio_v2_line_attribute, flags),
    FIELD(gpio_v2_line_attribute, values),
    FIELD(gpio_v2_line_attribute, debounce_period_us),
    FIELD(gpio_v2_line_config_attribute, attr),
    FIELD(gpio_v2_line_config_attribute, mask),
    FIELD(gpio_v2_line_config, flags),
    FIELD(gpio_v2_line_config, num_attrs),
    FIELD(gpio_v2_line_config, attrs),
    FIELD(gpio_v2_line_request, offsets),
    FIELD(gpio_v2_line_request, consumer),
    FIELD(gpio_v2_line_request, config),
    FIELD(gpio_v2_line_request, num_lines),
    FIELD(gpio_v2_line_request, event_buffer_size),
    FIELD(gpio_v2_line_request, fd),
    FIELD(gpio_v2_line_info, name),
    FIELD(gpio_v2_line_info, consumer),
    FIELD(gpio_v2_line_info, offset),
    FIELD(gpio_v2_line_info, num_attrs),
    FIELD(gpio_v2_line_info, flags),
    FIELD(gpio_v2_line_info, attrs),
    FIELD(gpio_v2_line_values, bits),
    FIELD(gpio_v2_line_values, mask),
    FIELD(gpio_v2_line_event, timestamp_ns),
    FIELD(gpio_v2_line_event, id),
    FIELD(gpio_v2_line_event, offset),
    FIELD(gpio_v2_line_event, seqno),
    FIELD(gpio_v2_line_event, line_seqno),
};

size_t genmon_gpio_offsetof(const char *field) {
    if (field == NULL) return SIZE_MAX;
    for (size_t index = 0; index < sizeof(fields) / sizeof(fields[0]); index++) {
        if (strcmp(fields[index].name, field) == 0) return fields[index].offset;
    }
    return SIZE_MAX;
}

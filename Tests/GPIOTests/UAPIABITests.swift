import CGPIO
@testable import GPIO
import Testing

/// The v2 uAPI as the kernel documents it (include/uapi/linux/gpio.h): sizes, offsets and request
/// numbers written out here, so a wrong header, packing or ioctl encoding fails the build's tests.
@Suite("GPIO uAPI ABI")
struct UAPIABITests {
    @Test("structure sizes match the kernel ABI", arguments: [
        ("gpiochip_info", genmon_gpio_sizeof_chip_info(), 68),
        ("gpio_v2_line_attribute", genmon_gpio_sizeof_line_attribute(), 16),
        ("gpio_v2_line_config_attribute", genmon_gpio_sizeof_line_config_attribute(), 24),
        ("gpio_v2_line_config", genmon_gpio_sizeof_line_config(), 272),
        ("gpio_v2_line_request", genmon_gpio_sizeof_line_request(), 592),
        ("gpio_v2_line_info", genmon_gpio_sizeof_line_info(), 256),
        ("gpio_v2_line_values", genmon_gpio_sizeof_line_values(), 16),
        ("gpio_v2_line_event", genmon_gpio_sizeof_line_event(), 48),
    ])
    func sizes(name: String, size: Int, documented: Int) {
        #expect(size == documented, "\(name)")
    }

    @Test("Swift imports the structures with the same sizes")
    func swiftSizes() {
        #expect(MemoryLayout<gpiochip_info>.size == 68)
        #expect(MemoryLayout<gpio_v2_line_attribute>.size == 16)
        #expect(MemoryLayout<gpio_v2_line_config_attribute>.size == 24)
        #expect(MemoryLayout<gpio_v2_line_config>.size == 272)
        #expect(MemoryLayout<gpio_v2_line_request>.size == 592)
        #expect(MemoryLayout<gpio_v2_line_info>.size == 256)
        #expect(MemoryLayout<gpio_v2_line_values>.size == 16)
        #expect(MemoryLayout<gpio_v2_line_event>.size == 48)
        #expect(EdgeEvent.encodedSize == 48)
    }

    @Test("field offsets match the kernel ABI", arguments: [
        ("gpiochip_info.name", 0), ("gpiochip_info.label", 32), ("gpiochip_info.lines", 64),
        ("gpio_v2_line_attribute.id", 0), ("gpio_v2_line_attribute.flags", 8), ("gpio_v2_line_attribute.values", 8),
        ("gpio_v2_line_attribute.debounce_period_us", 8),
        ("gpio_v2_line_config_attribute.attr", 0), ("gpio_v2_line_config_attribute.mask", 16),
        ("gpio_v2_line_config.flags", 0), ("gpio_v2_line_config.num_attrs", 8), ("gpio_v2_line_config.attrs", 32),
        ("gpio_v2_line_request.offsets", 0), ("gpio_v2_line_request.consumer", 256), ("gpio_v2_line_request.config", 288),
        ("gpio_v2_line_request.num_lines", 560), ("gpio_v2_line_request.event_buffer_size", 564), ("gpio_v2_line_request.fd", 588),
        ("gpio_v2_line_info.name", 0), ("gpio_v2_line_info.consumer", 32), ("gpio_v2_line_info.offset", 64),
        ("gpio_v2_line_info.num_attrs", 68), ("gpio_v2_line_info.flags", 72), ("gpio_v2_line_info.attrs", 80),
        ("gpio_v2_line_values.bits", 0), ("gpio_v2_line_values.mask", 8),
        ("gpio_v2_line_event.timestamp_ns", 0), ("gpio_v2_line_event.id", 8), ("gpio_v2_line_event.offset", 12),
        ("gpio_v2_line_event.seqno", 16), ("gpio_v2_line_event.line_seqno", 20),
    ])
    func offsets(field: String, documented: Int) {
        #expect(genmon_gpio_offsetof(field) == documented, "\(field)")
    }

    @Test("an unknown field name is reported, not guessed")
    func unknownField() {
        #expect(genmon_gpio_offsetof("gpio_v2_line_request.nonsense") == Int(bitPattern: UInt.max))
        #expect(genmon_gpio_offsetof(nil) == Int(bitPattern: UInt.max))
    }

    @Test("Swift sees the request's fields where C does")
    func swiftOffsets() {
        #expect(MemoryLayout<gpio_v2_line_request>.offset(of: \.consumer) == 256)
        #expect(MemoryLayout<gpio_v2_line_request>.offset(of: \.config) == 288)
        #expect(MemoryLayout<gpio_v2_line_request>.offset(of: \.num_lines) == 560)
        #expect(MemoryLayout<gpio_v2_line_request>.offset(of: \.fd) == 588)
        #expect(MemoryLayout<gpio_v2_line_info>.offset(of: \.flags) == 72)
        #expect(MemoryLayout<gpio_v2_line_event>.offset(of: \.line_seqno) == 20)
    }

    @Test("ioctl request numbers are the kernel's", arguments: [
        ("GPIO_GET_CHIPINFO_IOCTL", genmon_gpio_get_chipinfo_ioctl(), UInt(0x8044_B401), 2, 0x01, 68),
        ("GPIO_V2_GET_LINEINFO_IOCTL", genmon_gpio_v2_get_lineinfo_ioctl(), UInt(0xC100_B405), 3, 0x05, 256),
        ("GPIO_V2_GET_LINE_IOCTL", genmon_gpio_v2_get_line_ioctl(), UInt(0xC250_B407), 3, 0x07, 592),
        ("GPIO_V2_LINE_SET_CONFIG_IOCTL", genmon_gpio_v2_line_set_config_ioctl(), UInt(0xC110_B40D), 3, 0x0D, 272),
        ("GPIO_V2_LINE_GET_VALUES_IOCTL", genmon_gpio_v2_line_get_values_ioctl(), UInt(0xC010_B40E), 3, 0x0E, 16),
        ("GPIO_V2_LINE_SET_VALUES_IOCTL", genmon_gpio_v2_line_set_values_ioctl(), UInt(0xC010_B40F), 3, 0x0F, 16),
    ])
    func requestNumbers(name: String, value: UInt, documented: UInt, direction: UInt, number: UInt, size: UInt) {
        #expect(value == documented, "\(name)")
        // The generic Linux encoding: direction (1 write, 2 read) << 30 | size << 16 | type 0xB4 << 8 | number.
        #expect(direction << 30 | size << 16 | 0xB4 << 8 | number == documented, "\(name)")
    }

    @Test("line flags, attribute ids and event ids carry the kernel's values")
    func constants() {
        let flags: [(LineFlags, UInt64)] = [
            (.used, 1), (.activeLow, 2), (.input, 4), (.output, 8), (.edgeRising, 16), (.edgeFalling, 32), (.openDrain, 64),
            (.openSource, 128), (.biasPullUp, 256), (.biasPullDown, 512), (.biasDisabled, 1024), (.eventClockRealtime, 2048),
            (.eventClockHTE, 4096),
        ]
        for (flag, value) in flags { #expect(flag.rawValue == value) }
        #expect(UAPI.attributeFlags == 1 && UAPI.attributeOutputValues == 2 && UAPI.attributeDebounce == 3)
        #expect(EdgeEvent.Edge.rising.rawValue == 1 && EdgeEvent.Edge.falling.rawValue == 2)
        #expect(UAPI.nameSize == 32 && UAPI.maximumLines == 64 && UAPI.maximumAttributes == 10)
    }
}

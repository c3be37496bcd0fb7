import Foundation
import Glibc
@testable import GPIO
import Testing

/// The real character-device path, as far as a machine without GPIO hardware allows.
@Suite("GPIO character device")
struct CharacterDeviceTests {
    @Test("opening a chip that does not exist says so and says where to look")
    func missingChip() {
        #expect(throws: GPIOError.chipMissing(path: "/dev/gpiochip99")) { try CharacterDeviceChip(path: "/dev/gpiochip99") }
        let message = GPIOError.chipMissing(path: "/dev/gpiochip99").description
        #expect(message.contains("/dev/gpiochip99") && message.contains("genmon gpio list"))
    }

    @Test("a device that is not a GPIO chip is named as such", arguments: ["/dev/null", "/dev/zero"])
    func notAChip(path: String) {
        #expect(throws: GPIOError.notAGPIOChip(path: path)) { try CharacterDeviceChip(path: path) }
    }

    @Test("a regular file is not a GPIO chip either")
    func regularFile() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/gpiochip0"
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a chip".utf8))
        #expect(throws: GPIOError.notAGPIOChip(path: path)) { try CharacterDeviceChip(path: path) }
    }

    @Test("errno from open maps to the clear errors", arguments: [
        (EACCES, GPIOError.permissionDenied(path: "/dev/gpiochip0")),
        (EPERM, GPIOError.permissionDenied(path: "/dev/gpiochip0")),
        (ENOENT, GPIOError.chipMissing(path: "/dev/gpiochip0")),
        (ENODEV, GPIOError.chipMissing(path: "/dev/gpiochip0")),
        (ENXIO, GPIOError.chipMissing(path: "/dev/gpiochip0")),
        (EMFILE, GPIOError.system(call: "open", path: "/dev/gpiochip0", errno: EMFILE)),
    ])
    func openErrors(code: Int32, expected: GPIOError) {
        #expect(GPIOError.opening("/dev/gpiochip0", errno: code) == expected)
    }

    @Test("permission denied names the gpio group and the device")
    func permissionMessage() {
        let message = GPIOError.permissionDenied(path: "/dev/gpiochip4").description
        #expect(message.contains("`gpio` group") && message.contains("/dev/gpiochip4") && message.contains("usermod -aG gpio"))
    }

    @Test("a device directory without chips lists none, and finding the header then says there is no chip")
    func noChips() throws {
        let directory = try temporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory + "/ttyAMA0", contents: nil)
        let provider = CharacterDeviceProvider(deviceDirectory: directory)
        #expect(try provider.chipPaths().isEmpty)
        #expect(throws: GPIOError.noChips(directory: directory)) { try HeaderChip.find(model: pi4, provider: provider) }
        #expect(GPIOError.noChips(directory: "/dev").description.contains("Raspberry Pi"))
        #expect(throws: GPIOError.noChips(directory: directory + "/absent")) {
            try CharacterDeviceProvider(deviceDirectory: directory + "/absent").chipPaths()
        }
    }

    @Test("chips are listed in numeric order, and ones that are not chips are reported, not trusted")
    func listing() throws {
        let directory = try temporaryDirectory()
        for name in ["gpiochip10", "gpiochip2", "gpiochip0", "gpiomem", "gpiochipX"] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: nil)
        }
        let provider = CharacterDeviceProvider(deviceDirectory: directory + "/")
        #expect(try provider.chipPaths() == ["gpiochip0", "gpiochip2", "gpiochip10", "gpiochipX"].map { directory + "/" + $0 })
        let inventory = GPIOInventory.collect(provider: provider, model: pi4)
        #expect(inventory.chips.isEmpty && inventory.header == nil)
        #expect(inventory.problems.contains(.notAGPIOChip(path: directory + "/gpiochip0")))
    }

    @Test("the kernel's EBUSY, EINVAL and ENOTSUPP become the clear errors")
    func requestErrors() {
        let holders: [LineOffset: LineInfo] = [24: LineInfo(offset: 24, consumer: "pigpio", used: true), 23: LineInfo(offset: 23)]
        func map(_ code: Int32) -> GPIOError {
            GPIOError.lineRequestFailed(errno: code, chip: "/dev/gpiochip0", offsets: [23, 24]) { holders[$0] }
        }
        #expect(map(EBUSY) == .lineBusy(chip: "/dev/gpiochip0", offset: 24, consumer: "pigpio", pin: nil))
        #expect(GPIOError.lineRequestFailed(errno: EBUSY, chip: "c", offsets: [7]) { _ in nil } == .lineBusy(chip: "c", offset: 7, consumer: "", pin: nil))
        #expect(map(EINVAL).description.contains("refused the line settings for lines 23, 24"))
        #expect(map(524) == .unsupportedSettings(chip: "/dev/gpiochip0", detail: "errno 524"))
        #expect(map(EOPNOTSUPP) == .unsupportedSettings(chip: "/dev/gpiochip0", detail: "errno \(EOPNOTSUPP)"))
        #expect(map(EIO) == .system(call: "GPIO_V2_GET_LINE_IOCTL", path: "/dev/gpiochip0", errno: EIO))
        #expect(map(EIO).description.contains("Input/output error"))
    }

    @Test("a line busy error names the holder, and the header pin when known")
    func busyMessage() {
        let error = GPIOError.lineBusy(chip: "/dev/gpiochip0", offset: 23, consumer: "gengpio", pin: nil).naming(pin: 16)
        #expect(error.description == "Header pin 16 (GPIO line 23 on /dev/gpiochip0) is held by another program: \"gengpio\". "
            + "Stop that program, or free the pin in its configuration, or choose another pin; `genmon gpio list` shows who holds each line.")
        #expect(GPIOError.lineBusy(chip: "/dev/gpiochip0", offset: 23, consumer: "", pin: nil).description.contains("gave no name"))
    }
}

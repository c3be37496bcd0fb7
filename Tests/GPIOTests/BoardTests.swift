import Foundation
@testable import GPIO
import Testing

@Suite("Raspberry Pi header and model")
struct BoardTests {
    @Test("the header maps BOARD pins to BCM GPIOs as the Pi's pinout does", arguments: [
        (3, 2), (5, 3), (7, 4), (8, 14), (10, 15), (11, 17), (12, 18), (13, 27), (15, 22), (16, 23), (18, 24), (19, 10), (21, 9),
        (22, 25), (23, 11), (24, 8), (26, 7), (27, 0), (28, 1), (29, 5), (31, 6), (32, 12), (33, 13), (35, 19), (36, 16), (37, 26),
        (38, 20), (40, 21),
    ])
    func gpioPins(pin: Int, bcm: Int) throws {
        #expect(try RaspberryPiHeader.bcm(forPin: pin) == bcm)
        #expect(RaspberryPiHeader.pin(forBCM: bcm) == pin)
    }

    @Test("power and ground pins, and numbers off the header, are refused with the reason", arguments: [
        (1, "3.3 V power"), (17, "3.3 V power"), (2, "5 V power"), (4, "5 V power"), (6, "ground"), (9, "ground"), (14, "ground"),
        (20, "ground"), (25, "ground"), (30, "ground"), (34, "ground"), (39, "ground"), (0, "pins 1 to 40"), (41, "pins 1 to 40"),
        (-3, "pins 1 to 40"),
    ])
    func invalidPins(pin: Int, reason: String) {
        #expect {
            try RaspberryPiHeader.bcm(forPin: pin)
        } throws: { error in
            guard case let .invalidPin(number, text) = error as? GPIOError else { return false }
            return number == pin && text.contains(reason)
        }
    }

    @Test("the header brings out GPIO 0 to 27 once each")
    func coverage() {
        #expect(RaspberryPiHeader.gpioPins.count == 28)
        #expect(Set(RaspberryPiHeader.gpioPins.compactMap { try? RaspberryPiHeader.bcm(forPin: $0) }) == Set(0...27))
        #expect(RaspberryPiHeader.pin(forBCM: 28) == nil)
        #expect(RaspberryPiHeader.describe(pin: 16) == "pin 16 (GPIO23)" && RaspberryPiHeader.describe(pin: 6) == "pin 6 (ground)")
        #expect(GPIOError.invalidPin(pin: 6, reason: "it is ground, not a GPIO").description.contains("3, 5, 7, 8, 10"))
    }

    @Test("device-tree model strings name the family", arguments: [
        ("Raspberry Pi 5 Model B Rev 1.0\0", BoardModel.Family.pi5),
        ("Raspberry Pi 500 Rev 1.0\0", .pi5),
        ("Raspberry Pi Compute Module 5 Rev 1.0\0", .pi5),
        ("Raspberry Pi 4 Model B Rev 1.4\0", .pi4),
        ("Raspberry Pi 400 Rev 1.0\0", .pi4),
        ("Raspberry Pi Compute Module 4 Rev 1.0\0", .pi4),
        ("Raspberry Pi 3 Model B Rev 1.2\0", .pi3),
        ("Raspberry Pi 3 Model B Plus Rev 1.3\0", .pi3),
        ("Raspberry Pi 3 Model A Plus Rev 1.0\0", .pi3),
        ("Raspberry Pi Zero 2 W Rev 1.0\0", .zero2W),
        ("Raspberry Pi Zero W Rev 1.1\0", .earlierFortyPin),
        ("Raspberry Pi 2 Model B Rev 1.1\0", .earlierFortyPin),
        ("Raspberry Pi Model B Plus Rev 1.2\0", .earlierFortyPin),
        ("Raspberry Pi Model B Rev 2\0", .twentySixPin),
        ("Raspberry Pi Model A Rev 2\0", .twentySixPin),
        ("Raspberry Pi 9 Model Z\0", .unknown),
        ("Pine64 RockPro64\0", .unknown),
        ("", .unknown),
    ])
    func models(text: String, family: BoardModel.Family) {
        let model = BoardModel.parse(text)
        #expect(model.family == family)
        #expect(!model.name.contains("\0"))
    }

    @Test("the header chip's label follows the model")
    func labels() {
        #expect(BoardModel.parse("Raspberry Pi 5 Model B Rev 1.0").headerChipLabels == ["pinctrl-rp1"])
        #expect(pi4.headerChipLabels == ["pinctrl-bcm2711"])
        #expect(BoardModel.parse("Raspberry Pi Zero 2 W Rev 1.0").headerChipLabels == ["pinctrl-bcm2835"])
        #expect(BoardModel.parse("Raspberry Pi 3 Model B Rev 1.2").headerChipLabels == ["pinctrl-bcm2835"])
    }

    @Test("the model is read from the first device-tree file that exists; none means unknown")
    func detect() throws {
        let directory = try temporaryDirectory()
        let model = directory + "/model"
        try Data("Raspberry Pi 5 Model B Rev 1.0\0".utf8).write(to: URL(fileURLWithPath: model))
        #expect(BoardModel.detect(modelFiles: [directory + "/missing", model]) == BoardModel(name: "Raspberry Pi 5 Model B Rev 1.0", family: .pi5))
        #expect(BoardModel.detect(modelFiles: [directory + "/missing"]) == BoardModel(name: "", family: .unknown))
        #expect(BoardModel.detect(modelFiles: [directory + "/missing"]).displayName == "an unknown board")
        let large = directory + "/large"
        try Data(repeating: 0x41, count: 10_000).write(to: URL(fileURLWithPath: large))
        #expect(BoardModel.detect(modelFiles: [large]).family == .unknown)
    }

    @Test("the old 26-pin boards are refused with a clear error")
    func twentySixPin() throws {
        let model = BoardModel.parse("Raspberry Pi Model B Rev 2")
        #expect(throws: GPIOError.unsupportedBoard(model: "Raspberry Pi Model B Rev 2")) { try model.lineOffset(forPin: 16) }
        #expect(try pi4.lineOffset(forPin: 16) == 23)
        #expect(pi4.pin(forLine: 23) == 16 && pi4.pin(forLine: 40) == nil)
    }

    @Test("a Pi 5's header is found on the RP1 chip by its label, wherever it is numbered", arguments: ["/dev/gpiochip4", "/dev/gpiochip0"])
    func pi5(path: String) throws {
        let gpio = SimulatedGPIO()
        for (index, label) in ["gpio-brcmstb@107d508500", "gpio-brcmstb@107d508520", "gpio-brcmstb@107d517c00", "gpio-brcmstb@107d517c20"].enumerated() {
            gpio.addChip(path: path == "/dev/gpiochip0" ? "/dev/gpiochip1\(index)" : "/dev/gpiochip\(index)", label: label, lineCount: 32)
        }
        gpio.addChip(path: path, label: "pinctrl-rp1", lineCount: 54)
        let header = try HeaderChip.find(model: BoardModel.parse("Raspberry Pi 5 Model B Rev 1.0"), provider: gpio)
        #expect(header.info.path == path && header.choice == .modelLabel)
    }

    @Test("without the expected label another header label is used, then gpiochip0")
    func fallbacks() throws {
        let gpio = SimulatedGPIO()
        gpio.addChip(path: "/dev/gpiochip0", label: "some-expander", lineCount: 8)
        gpio.addChip(path: "/dev/gpiochip2", label: "pinctrl-bcm2835", lineCount: 54)
        let known = try HeaderChip.find(model: pi4, provider: gpio)
        #expect(known.info.path == "/dev/gpiochip2" && known.choice == .knownLabel)
        gpio.removeChip("/dev/gpiochip2")
        let fallback = try HeaderChip.find(model: BoardModel.parse(""), provider: gpio)
        #expect(fallback.info.path == "/dev/gpiochip0" && fallback.choice == .fallback)
        gpio.removeChip("/dev/gpiochip0")
        gpio.addChip(path: "/dev/gpiochip3", label: "some-expander", lineCount: 8)
        #expect(throws: GPIOError.noChips(directory: "/dev")) { try HeaderChip.find(model: pi4, provider: gpio) }
    }

    @Test("no chips at all, or none that may be opened, give the clear errors")
    func nothingUsable() {
        let gpio = SimulatedGPIO()
        #expect(throws: GPIOError.noChips(directory: "/dev")) { try HeaderChip.find(model: pi4, provider: gpio) }
        gpio.addChip(path: "/dev/gpiochip0", label: "pinctrl-bcm2711", lineCount: 58).denyAccess()
        #expect(throws: GPIOError.permissionDenied(path: "/dev/gpiochip0")) { try HeaderChip.find(model: pi4, provider: gpio) }
    }
}

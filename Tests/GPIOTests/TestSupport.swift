import Foundation
@testable import GPIO
import GenmonBasics


/// The bytes of a C structure as the kernel would see them.
func bytes<T>(of value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}

func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
}

func u64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
}

/// The path of a test fixture under `Tests/Fixtures`.
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "genmon-gpio-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A simulated Raspberry Pi 4: the header chip at gpiochip0 and the firmware's expander at gpiochip1.
func simulatedPi4() -> (gpio: SimulatedGPIO, header: SimulatedChip) {
    let gpio = SimulatedGPIO()
    let header = gpio.addRaspberryPiHeaderChip(path: "/dev/gpiochip0", label: "pinctrl-bcm2711", lineCount: 58)
    gpio.addChip(path: "/dev/gpiochip1", label: "raspberrypi-exp-gpio", lineCount: 8, lineNames: ["BT_ON", "WL_ON", "PWR_LED_OFF"])
    return (gpio, header)
}

let pi4 = BoardModel.parse("Raspberry Pi 4 Model B Rev 1.4\0")

/// Every element of a stream until it ends.
func collect<Element>(_ stream: AsyncStream<Element>) async -> [Element] {
    var elements: [Element] = []
    for await element in stream { elements.append(element) }
    return elements
}

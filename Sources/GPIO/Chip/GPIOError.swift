import Foundation

/// Everything that can go wrong with GPIO, each with a message that says what to do about it.
public enum GPIOError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// No `/dev/gpiochip*` at all in the device directory: not a Raspberry Pi, or no GPIO driver.
    case noChips(directory: String)
    /// The named chip path does not exist.
    case chipMissing(path: String)
    /// The path exists but is not a GPIO character device.
    case notAGPIOChip(path: String)
    /// Opening the chip was refused (EACCES / EPERM).
    case permissionDenied(path: String)
    /// The line is already requested by another consumer; `consumer` is what that program called itself.
    case lineBusy(chip: String, offset: LineOffset, consumer: String, pin: Int?)
    /// A header pin number that is not a GPIO on this board (out of 1...40, power or ground).
    case invalidPin(pin: Int, reason: String)
    /// A line offset beyond the chip's line count.
    case lineOutOfRange(chip: String, offset: LineOffset, lineCount: Int)
    /// A request genmon will not send (too many lines, duplicates, a bad consumer name...).
    case invalidRequest(String)
    /// The kernel refused settings this chip cannot do (bias, debounce...).
    case unsupportedSettings(chip: String, detail: String)
    /// The board's header is not one genmon maps (the old 26-pin Model A/B).
    case unsupportedBoard(model: String)
    /// The line request was used after it was released.
    case released
    /// `edgeEvents()` was asked for twice on one request (there is one event queue per request).
    case eventsAlreadyWatched
    /// Any other failure of a system call, with its errno.
    case system(call: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case let .noChips(directory):
            return "No GPIO chip found (no \(directory)/gpiochip* devices). GPIO needs a Raspberry Pi or another Linux "
                + "board with a GPIO character device; if this is one, check that its GPIO driver is loaded."
        case let .chipMissing(path):
            return "There is no GPIO chip at \(path). Use one of the chips `genmon gpio list` shows "
                + "(ls /dev/gpiochip*); a machine that is not a Raspberry Pi may have none."
        case let .notAGPIOChip(path):
            return "\(path) is not a GPIO character device. Give the path of a /dev/gpiochipN device."
        case let .permissionDenied(path):
            return "Permission denied opening \(path). Add the user that runs genmon to the `gpio` group "
                + "(sudo usermod -aG gpio <user>), then log in again or restart genmon; or run genmon as root."
        case let .lineBusy(chip, offset, consumer, pin):
            let place = pin.map { "header pin \($0) (GPIO line \(offset) on \(chip))" } ?? "GPIO line \(offset) on \(chip)"
            let holder = consumer.isEmpty ? "another program (it gave no name)" : "another program: \"\(consumer)\""
            return "\(place.prefix(1).uppercased() + place.dropFirst()) is held by \(holder). Stop that program, or free the pin "
                + "in its configuration, or choose another pin; `genmon gpio list` shows who holds each line."
        case let .invalidPin(pin, reason):
            return "Pin \(pin) cannot be used: \(reason). Use a header pin number (BOARD numbering, 1–40) that is a GPIO: "
                + RaspberryPiHeader.gpioPins.map(String.init).joined(separator: ", ") + "."
        case let .lineOutOfRange(chip, offset, count):
            return "Line \(offset) does not exist on \(chip), which has \(count) lines (0–\(max(count - 1, 0)))."
        case let .invalidRequest(detail):
            return "Invalid GPIO line request: \(detail)."
        case let .unsupportedSettings(chip, detail):
            return "\(chip) does not support these line settings (\(detail)). Try without them (for example without kernel debounce or bias)."
        case let .unsupportedBoard(model):
            return "\(model) has the old 26-pin header, which genmon does not map; use a board with the 40-pin header."
        case .released:
            return "The GPIO lines were already released."
        case .eventsAlreadyWatched:
            return "Edge events of this line request are already being read."
        case let .system(call, path, errno):
            return "\(call) on \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))."
        }
    }

    /// The error for an `open(2)` of a chip path that failed with `errno`.
    public static func opening(_ path: String, errno: Int32) -> GPIOError {
        switch errno {
        case ENOENT, ENODEV, ENXIO: .chipMissing(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        case ENOTDIR: .chipMissing(path: path)
        default: .system(call: "open", path: path, errno: errno)
        }
    }

    /// What a failed GPIO_V2_GET_LINE_IOCTL means; `lineInfo` asks who holds a line when it was busy.
    public static func lineRequestFailed(errno: Int32, chip: String, offsets: [LineOffset], lineInfo: (LineOffset) -> LineInfo?) -> GPIOError {
        switch errno {
        case EBUSY:
            for offset in offsets {
                if let line = lineInfo(offset), line.used { return .lineBusy(chip: chip, offset: offset, consumer: line.consumer, pin: nil) }
            }
            return .lineBusy(chip: chip, offset: offsets.first ?? 0, consumer: "", pin: nil)
        case EOPNOTSUPP, ENOSYS, 524 /* the kernel's internal ENOTSUPP, which some drivers let out */:
            return .unsupportedSettings(chip: chip, detail: "errno \(errno)")
        case EINVAL:
            return .invalidRequest("the kernel refused the line settings for lines \(offsets.map(String.init).joined(separator: ", ")) of \(chip)")
        default:
            return .system(call: "GPIO_V2_GET_LINE_IOCTL", path: chip, errno: errno)
        }
    }

    /// This error with the header pin named, when the caller knows it.
    public func naming(pin: Int?) -> GPIOError {
        guard case let .lineBusy(chip, offset, consumer, _) = self, let pin else { return self }
        return .lineBusy(chip: chip, offset: offset, consumer: consumer, pin: pin)
    }
}

import CGPIO
import Foundation
import Glibc
import Synchronization

/// The chips under a device directory (`/dev` on a real machine).
public struct CharacterDeviceProvider: GPIOChipProvider {
    public let deviceDirectory: String

    public init(deviceDirectory: String = "/dev") {
        self.deviceDirectory = deviceDirectory
    }

    public var directory: String { deviceDirectory }

    public func chipPaths() throws(GPIOError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: deviceDirectory) else {
            throw .noChips(directory: deviceDirectory)
        }
        let directory = deviceDirectory.hasSuffix("/") ? String(deviceDirectory.dropLast()) : deviceDirectory
        return sortedChipPaths(names.filter { $0.hasPrefix("gpiochip") }.map { directory + "/" + $0 })
    }

    public func openChip(_ path: String) throws(GPIOError) -> any GPIOChip {
        try CharacterDeviceChip(path: path)
    }
}

/// A GPIO chip opened through its character device (`/dev/gpiochipN`), driven with the v2 uAPI.
public final class CharacterDeviceChip: GPIOChip {
    public let info: GPIOChipInfo
    private let descriptor: Mutex<Int32>

    /// Opens the chip and reads its name, label and line count.
    public init(path: String) throws(GPIOError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .opening(path, errno: errno) }
        var raw = gpiochip_info()
        guard genmon_gpio_ioctl(fd, GPIOIoctl.chipInfo, &raw) == 0 else {
            let failure = errno
            Glibc.close(fd)
            throw failure == ENOTTY || failure == EINVAL ? .notAGPIOChip(path: path)
                : .system(call: "GPIO_GET_CHIPINFO_IOCTL", path: path, errno: failure)
        }
        info = UAPI.chipInfo(raw, path: path)
        descriptor = Mutex(fd)
    }

    deinit { close() }

    public func lineInfo(_ offset: LineOffset) throws(GPIOError) -> LineInfo {
        guard Int(offset) < info.lineCount else { throw .lineOutOfRange(chip: info.path, offset: offset, lineCount: info.lineCount) }
        var raw = gpio_v2_line_info()
        raw.offset = offset
        let failure = withDescriptor { fd in genmon_gpio_ioctl(fd, GPIOIoctl.lineInfo, &raw) == 0 ? 0 : errno }
        guard failure == 0 else { throw .system(call: "GPIO_V2_GET_LINEINFO_IOCTL", path: info.path, errno: failure) }
        return UAPI.lineInfo(raw)
    }

    public func request(_ spec: LineRequestSpec) throws(GPIOError) -> any GPIOLineRequest {
        try spec.validate(chip: info)
        var raw = try UAPI.lineRequest(spec)
        let failure = withDescriptor { fd in genmon_gpio_ioctl(fd, GPIOIoctl.getLine, &raw) == 0 ? 0 : errno }
        guard failure == 0 else {
            throw GPIOError.lineRequestFailed(errno: failure, chip: info.path, offsets: spec.offsets) { try? self.lineInfo($0) }
        }
        return CharacterDeviceLineRequest(descriptor: raw.fd, chipPath: info.path, offsets: spec.offsets)
    }

    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// Runs `body` with the open descriptor; EBADF when the chip was closed.
    private func withDescriptor(_ body: (Int32) -> Int32) -> Int32 {
        descriptor.withLock { fd in fd >= 0 ? body(fd) : EBADF }
    }
}

/// Lines held through a line request descriptor.
final class CharacterDeviceLineRequest: GPIOLineRequest {
    let chipPath: String
    let offsets: [LineOffset]
    private struct State {
        var descriptor: Int32
        var reader: EdgeEventReader?
        var watched = false
    }
    private let state: Mutex<State>

    init(descriptor: Int32, chipPath: String, offsets: [LineOffset]) {
        self.chipPath = chipPath
        self.offsets = offsets
        state = Mutex(State(descriptor: descriptor))
    }

    deinit { release() }

    func values() throws(GPIOError) -> [LineOffset: Bool] {
        var raw = UAPI.values(Dictionary(uniqueKeysWithValues: offsets.map { ($0, false) }), in: offsets)
        try ioctl(GPIOIoctl.getValues, "GPIO_V2_LINE_GET_VALUES_IOCTL", &raw)
        return UAPI.decodeValues(raw, in: offsets)
    }

    func setValues(_ values: [LineOffset: Bool]) throws(GPIOError) {
        for offset in values.keys where !offsets.contains(offset) {
            throw .invalidRequest("line \(offset) is not part of this request")
        }
        guard !values.isEmpty else { return }
        var raw = UAPI.values(values, in: offsets)
        try ioctl(GPIOIoctl.setValues, "GPIO_V2_LINE_SET_VALUES_IOCTL", &raw)
    }

    func reconfigure(_ lines: [LineSpec]) throws(GPIOError) {
        var config = try UAPI.lineConfig(try requestOrder(lines, offsets: offsets))
        try ioctl(GPIOIoctl.setConfig, "GPIO_V2_LINE_SET_CONFIG_IOCTL", &config)
    }

    func edgeEvents() throws(GPIOError) -> AsyncStream<EdgeEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: EdgeEvent.self, bufferingPolicy: .bufferingNewest(EdgeEventReader.bufferedEvents))
        try state.withLock { (state: inout State) throws(GPIOError) in
            guard state.descriptor >= 0 else { throw .released }
            guard !state.watched else { throw .eventsAlreadyWatched }
            let reader = try EdgeEventReader(descriptor: state.descriptor, path: chipPath, continuation: continuation)
            continuation.onTermination = { _ in reader.wake() }
            state.reader = reader
            state.watched = true
        }
        return stream
    }

    func release() {
        let (descriptor, reader) = state.withLock { state in
            defer { state.descriptor = -1; state.reader = nil }
            return (state.descriptor, state.reader)
        }
        reader?.stop()
        if descriptor >= 0 { close(descriptor) }
    }

    private func ioctl<T>(_ request: UInt, _ name: String, _ argument: inout T) throws(GPIOError) {
        let failure = state.withLock { state -> Int32 in
            guard state.descriptor >= 0 else { return -1 }
            return withUnsafeMutableBytes(of: &argument) { genmon_gpio_ioctl(state.descriptor, request, $0.baseAddress) } == 0 ? 0 : errno
        }
        if failure == -1 { throw .released }
        if failure != 0 { throw .system(call: name, path: chipPath, errno: failure) }
    }
}

/// `lines` in the order of `offsets`, which they must cover exactly.
func requestOrder(_ lines: [LineSpec], offsets: [LineOffset]) throws(GPIOError) -> [LineSpec] {
    guard lines.count == offsets.count, Set(lines.map(\.offset)) == Set(offsets), Set(offsets).count == offsets.count else {
        throw .invalidRequest("a new configuration must list exactly the requested lines \(offsets.map(String.init).joined(separator: ", "))")
    }
    return offsets.compactMap { offset in lines.first { $0.offset == offset } }
}

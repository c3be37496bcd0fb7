import Foundation
import Synchronization

/// The host facts of the monitor report's "Platform Stats" block, read from /proc and /etc on Linux.
/// CPU utilisation is measured between two calls (the first call measures since boot).
public final class LinuxPlatformStats: Sendable {
    private let lastCPU = Mutex<(busy: UInt64, total: UInt64)?>(nil)
    private let root: String
    public let timeZone: TimeZone
    /// The board's model (a Raspberry Pi names itself in the device tree) and the OS release:
    /// fixed while genmon runs, so read once.
    let raspberryPiModel: String?
    private let release: [String: String]

    /// - Parameter root: prefix of /proc and /etc (tests point it at a fake tree).
    public init(root: String = "", timeZone: TimeZone = .current) {
        self.root = root
        self.timeZone = timeZone
        raspberryPiModel = (try? String(contentsOfFile: root + "/proc/device-tree/model", encoding: .utf8))
            .map { $0.replacingOccurrences(of: "\0", with: "").trimmingCharacters(in: .whitespacesAndNewlines) }
        release = Self.osRelease(try? String(contentsOfFile: root + "/etc/os-release", encoding: .utf8))
    }

    /// The provider closure a `ReportContext` takes.
    public var provider: @Sendable (Date) -> [(String, String)] { { [self] date in self.stats(now: date) } }

    public func stats(now: Date) -> [(String, String)] {
        var items: [(String, String)] = []
        if isRaspberryPi, let temperature = cpuTemperature() {
            items.append(("CPU Temperature", temperature))
            if let model = raspberryPiModel { items.append(("Pi Model", model)) }
        }
        if let cpu = cpuUtilization() { items.append(("CPU Utilization", PythonFormat.fixed(cpu, decimals: 2) + "%")) }
        if let name = release["NAME"] { items.append(("OS Name", name)) }
        if let version = release["VERSION"] { items.append(("OS Version", version)) }
        if let uptime = uptimeSeconds() { items.append(("System Uptime", PythonFormat.timedelta(uptime))) }
        if let interface = defaultRouteInterface() { items.append(("Network Interface Used", interface)) }
        items.append(("System Time", PythonFormat.longDateTime(now, zone: timeZone, padDay: true)))
        return items
    }

    private func read(_ path: String) -> String? { try? String(contentsOfFile: root + path, encoding: .utf8) }

    public var isRaspberryPi: Bool { raspberryPiModel?.contains("Raspberry Pi") ?? false }

    func cpuTemperature() -> String? {
        cpuTemperatureCelsius().map { PythonFormat.fixed($0, decimals: 2) + " C" }
    }

    /// The CPU temperature in °C from the kernel's first thermal zone, when it has one.
    public func cpuTemperatureCelsius() -> Double? {
        guard let text = read("/sys/class/thermal/thermal_zone0/temp"), let milli = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return milli / 1000
    }

    func cpuUtilization() -> Double? {
        guard let line = read("/proc/stat")?.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { return nil }
        let total = fields.reduce(0, &+)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        let busy = total &- idle
        let previous = lastCPU.withLock { state -> (busy: UInt64, total: UInt64)? in
            defer { state = (busy, total) }
            return state
        }
        // Wrapping: some counters (iowait) may go backwards; the guard below rejects such a pair.
        let deltaTotal = total &- (previous?.total ?? 0), deltaBusy = busy &- (previous?.busy ?? 0)
        guard deltaTotal > 0, deltaBusy <= deltaTotal else { return 0 }
        return Double(deltaBusy) * 100 / Double(deltaTotal)
    }

    static func osRelease(_ text: String?) -> [String: String] {
        var values: [String: String] = [:]
        for line in (text ?? "").split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            values[String(line[..<equals])] = value
        }
        return values
    }

    func uptimeSeconds() -> Double? {
        read("/proc/uptime")?.split(separator: " ").first.flatMap { Double($0) }
    }

    /// The interface of the default route (`/proc/net/route` destination 00000000).
    func defaultRouteInterface() -> String? {
        for line in (read("/proc/net/route") ?? "").split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count > 1, fields[1] == "00000000" { return String(fields[0]) }
        }
        return nil
    }
}

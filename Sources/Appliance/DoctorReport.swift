import Foundation

/// One of `genmon doctor`'s checks: a plain verdict and, when it is not good, what to do.
public struct DoctorFinding: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case pass = "ok"
        case fail = "FAIL"
        /// Nothing to check (MQTT not configured, a TCP bridge instead of a serial device).
        case notApplicable = "--"
    }

    public var check: String
    public var verdict: Verdict
    /// What was found, in words.
    public var detail: String
    /// What to do about it (empty when it passes).
    public var fix: String

    public init(_ check: String, _ verdict: Verdict, _ detail: String, fix: String = "") {
        self.check = check
        self.verdict = verdict
        self.detail = detail
        self.fix = fix
    }

    public static func pass(_ check: String, _ detail: String) -> DoctorFinding { .init(check, .pass, detail) }
    public static func fail(_ check: String, _ detail: String, fix: String) -> DoctorFinding { .init(check, .fail, detail, fix: fix) }
    public static func notApplicable(_ check: String, _ detail: String) -> DoctorFinding { .init(check, .notApplicable, detail) }
}

/// Every finding, printed for a person; the exit status is 0 only when nothing failed.
public struct DoctorReport: Sendable, Equatable {
    public var findings: [DoctorFinding] = []

    public init(findings: [DoctorFinding] = []) { self.findings = findings }

    public var failures: [DoctorFinding] { findings.filter { $0.verdict == .fail } }
    public var passed: Bool { failures.isEmpty }
    public var exitStatus: Int32 { passed ? 0 : 1 }

    public var text: String {
        var lines: [String] = []
        for finding in findings {
            lines.append("[\(finding.verdict.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0))] \(finding.check): \(finding.detail)")
            if !finding.fix.isEmpty { lines.append("       fix: \(finding.fix)") }
        }
        lines.append(passed ? "all checks passed" : "\(failures.count) check(s) failed: " + failures.map(\.check).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

/// Things on the machine that keep a serial port from genmon, read from text so they can be tested.
public enum SerialPortRivals {
    /// The kernel console on the controller's UART (`console=serial0,115200` in /proc/cmdline, as
    /// Raspberry Pi OS ships it): it writes boot messages into the controller and answers its bytes.
    public static func consoleOnPort(cmdline: String, device: String, deviceTarget: String?) -> String? {
        let names = Set([device, deviceTarget].compactMap { $0 }.map { ($0 as NSString).lastPathComponent })
        for word in cmdline.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.hasPrefix("console=") {
            let value = word.dropFirst("console=".count).split(separator: ",").first.map(String.init) ?? ""
            // serial0 is the Pi's alias for the primary UART: ttyAMA0 or ttyS0.
            let aliases: Set<String> = value == "serial0" ? ["serial0", "ttyAMA0", "ttyS0"] : [value]
            if !aliases.isDisjoint(with: names) { return String(word) }
        }
        return nil
    }

    /// Programs known to open serial ports by themselves, by process name (`/proc/PID/comm`).
    public static let knownGrabbers: [String: String] = [
        "ModemManager": "sudo systemctl disable --now ModemManager (it probes every serial port for a modem)",
        "agetty": "sudo systemctl disable --now serial-getty@ttyAMA0.service serial-getty@ttyS0.service (a login prompt on the port)",
        "gpsd": "stop gpsd or tell it which port is the GPS's",
        "brltty": "sudo apt remove brltty (it claims USB serial adapters)",
    ]
}

/// CRC errors and timeouts over a sampling window, from two readings of the counters.
public struct CommunicationRates: Sendable, Equatable {
    public var requests: Int
    public var crcErrors: Int
    public var timeouts: Int

    public init(requests: Int, crcErrors: Int, timeouts: Int) {
        self.requests = requests
        self.crcErrors = crcErrors
        self.timeouts = timeouts
    }

    /// The counts between `before` and `after` (a restart in between gives the later counts alone).
    public static func between(_ before: CommunicationRates, _ after: CommunicationRates) -> CommunicationRates {
        guard after.requests >= before.requests else { return after }
        return CommunicationRates(requests: after.requests - before.requests, crcErrors: max(0, after.crcErrors - before.crcErrors),
                                  timeouts: max(0, after.timeouts - before.timeouts))
    }

    public var crcPercent: Double { requests > 0 ? Double(crcErrors) * 100 / Double(requests) : 0 }
    public var timeoutPercent: Double { requests > 0 ? Double(timeouts) * 100 / Double(requests) : 0 }

    /// The verdict: a healthy 9600-baud line loses well under 1 % of transactions.
    public func finding(over seconds: Int) -> DoctorFinding {
        let name = "communication over \(seconds) s"
        let detail = "\(requests) transactions, CRC errors \(String(format: "%.1f", crcPercent)) %, timeouts \(String(format: "%.1f", timeoutPercent)) %"
        if requests == 0 {
            return .fail(name, "no transactions", fix: "the controller does not answer: see the checks above")
        }
        if crcPercent > 2 {
            return .fail(name, detail, fix: "noise on the line: shorten or shield the cable, check the ground, keep it away from the engine's wiring")
        }
        if timeoutPercent > 5 {
            return .fail(name, detail, fix: "answers go missing: check the connector, the cable, and that nothing else uses the port")
        }
        return .pass(name, detail)
    }
}

import Foundation
import GenmonBasics

/// Who may change the generator over the socket. The original let any host that reached the port
/// do anything; here only the local host may, plus hosts named in an allow-list. Everything else
/// may still read every report.
public struct ControlPolicy: Sendable, Equatable {
    public var allowList: [AddressRange]

    public init(allowList: [AddressRange] = []) { self.allowList = allowList }

    /// Parses allow-list entries; throws on the first entry that is not an address or CIDR block.
    public init(allowing entries: [String]) throws(ControlPolicyError) {
        var ranges: [AddressRange] = []
        for entry in entries {
            guard let range = AddressRange(entry) else { throw ControlPolicyError.invalidEntry(entry) }
            ranges.append(range)
        }
        allowList = ranges
    }

    /// True for loopback addresses (127.0.0.0/8, ::1, and IPv4-mapped 127.x) and allow-listed ones.
    /// An address that does not parse never may.
    public func mayControl(_ address: String) -> Bool {
        guard let ip = IPAddress(address) else { return false }
        return ip.isLoopback || allowList.contains { $0.contains(ip) }
    }
}

public enum ControlPolicyError: Error, Equatable, CustomStringConvertible {
    case invalidEntry(String)
    public var description: String {
        switch self {
        case let .invalidEntry(entry): "'\(entry)' is not an IP address or CIDR block (e.g. 192.168.1.20 or 192.168.1.0/24)"
        }
    }
}

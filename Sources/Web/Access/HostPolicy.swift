import Foundation
import GenmonBasics
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The names the web server answers to (the `Host` of a request).
///
/// A page on another site can make a browser send requests to genmon through a name it controls
/// that resolves to genmon's address (DNS rebinding); only the `Host` header gives that away. So
/// only these are served: loopback and `localhost`, this machine's own addresses and host name
/// (also as `.local`), the names given in `http_host_names` (and those of the certificate and of
/// `web_trusted_origins`). Anything else is answered 421 with a sentence saying what to configure.
/// A request without `Host` (HTTP/1.0 tools) is served: a browser always sends one.
public struct HostPolicy: Sendable {
    /// Lowercased names and address literals accepted besides the built-in ones.
    public let names: Set<String>
    private let machine: MachineNames

    public init(names: [String] = []) {
        self.names = Set(names.compactMap { Self.hostPart(of: $0) })
        machine = MachineNames.shared
    }

    /// Whether a request whose `Host` is `authority` may be served.
    public func allows(authority: String?) -> Bool {
        guard let authority else { return true }
        guard let host = Self.hostPart(of: authority) else { return false }
        if host == "localhost" || host.hasSuffix(".localhost") || names.contains(host) { return true }
        if let address = IPAddress(host) {
            return address.isLoopback || names.contains(address.description) || machine.addresses().contains(address.description)
        }
        return machine.names().contains(host)
    }

    /// `Example.org:8000` → `example.org`, `[fd00::1]:443` → `fd00::1`; nil when it is not a host.
    static func hostPart(of authority: String) -> String? {
        var text = authority.trimmingCharacters(in: .whitespaces).lowercased()
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let inner = String(text[text.index(after: text.startIndex)..<close])
            return IPAddress(inner)?.description
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            guard text[text.index(after: colon)...].allSatisfy(\.isNumber) else { return nil }
            text = String(text[..<colon])
        } else if text.contains(":") {
            return IPAddress(text)?.description
        }
        while text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, text.utf8.count <= 253,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }) else { return nil }
        return IPAddress(text)?.description ?? text
    }
}

/// This machine's addresses and names, looked up again at most every 30 s (addresses change).
final class MachineNames: Sendable {
    static let shared = MachineNames()

    private struct Cache {
        var addresses: Set<String> = []
        var names: Set<String> = []
        var taken: ContinuousClock.Instant?
    }

    private let cache = Mutex(Cache())

    func addresses() -> Set<String> { refreshed().addresses }
    func names() -> Set<String> { refreshed().names }

    private func refreshed() -> (addresses: Set<String>, names: Set<String>) {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ cache in cache.taken.map { $0.duration(to: now) < .seconds(30) } == true ? cache : nil }) {
            return (cached.addresses, cached.names)
        }
        let addresses = Self.interfaceAddresses()
        var names: Set<String> = []
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count) == 0 {
            let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
            if !name.isEmpty {
                names.insert(name)
                let short = name.split(separator: ".").first.map(String.init) ?? name
                names.insert(short)
                names.insert(short + ".local")
            }
        }
        cache.withLock { $0 = Cache(addresses: addresses, names: names, taken: now) }
        return (addresses, names)
    }

    static func interfaceAddresses() -> Set<String> {
        var result: Set<String> = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return result }
        defer { freeifaddrs(list) }
        var cursor = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                inet_ntop(AF_INET, &v4, &text, socklen_t(text.count))
            case AF_INET6:
                var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count))
            default:
                continue
            }
            let string = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let parsed = IPAddress(string) { result.insert(parsed.description) }
        }
        return result
    }
}

import Foundation

/// The original add-ons' `notify_*` filters: which kinds of event a channel tells.
public enum AddonFilterCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case info, error, warning, outage, softwareUpdate = "sw_update", piState = "pi_state"

    /// The key in the add-on's file (`notify_warning`; the original's web page writes `notify_warn`).
    public var key: String { "notify_" + rawValue }
}

/// How often a channel may send to one recipient: at most one message per `minimumInterval`
/// (what comes meanwhile goes as one summary) and at most `dailyLimit` in any 24 hours (0: no limit).
public struct PacingSettings: Sendable, Equatable {
    public var minimumInterval: Double
    public var dailyLimit: Int

    public init(minimumInterval: Double, dailyLimit: Int) {
        self.minimumInterval = max(0, minimumInterval)
        self.dailyLimit = max(0, dailyLimit)
    }

    /// Reads `minimum_interval` (or the original's `minimum_wait_between_messages`) and `daily_limit`.
    init(_ section: IniSection, defaults: PacingSettings, problems: inout [ConfigError]) {
        var interval = defaults.minimumInterval, limit = defaults.dailyLimit
        do {
            if let value = try section.double("minimum_wait_between_messages", in: 0...86_400) { interval = value }
            if let value = try section.double("minimum_interval", in: 0...86_400) { interval = value }
        } catch { problems.append(error) }
        do { if let value = try section.int("daily_limit", in: 0...100_000) { limit = value } } catch { problems.append(error) }
        self.init(minimumInterval: interval, dailyLimit: limit)
    }
}

/// What every add-on channel has: its filters and its pacing.
public struct ChannelCommon: Sendable, Equatable {
    public var filters: Set<AddonFilterCategory>
    public var pacing: PacingSettings

    public init(filters: Set<AddonFilterCategory> = Set(AddonFilterCategory.allCases), pacing: PacingSettings) {
        self.filters = filters
        self.pacing = pacing
    }

    init(_ section: IniSection, pacing defaults: PacingSettings, problems: inout [ConfigError]) {
        var filters = Set<AddonFilterCategory>()
        for category in AddonFilterCategory.allCases {
            // The original's web page writes notify_warn; its code reads notify_warning. Either works here.
            let alias = category == .warning ? section.lenientBool("notify_warn", default: true, problems: &problems) : true
            if section.lenientBool(category.key, default: true, problems: &problems), alias { filters.insert(category) }
        }
        self.init(filters: filters, pacing: PacingSettings(section, defaults: defaults, problems: &problems))
    }
}

/// `base_url` (ours): scheme, host and port of a service, replacing those of its usual address so
/// a self-hosted service or a test server can stand in. Only http and https.
public struct ServiceAddress: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// A path prefix kept from `base_url` (a service behind a reverse proxy at `/ntfy`).
    public var pathPrefix: String

    /// Parses `https://host[:port][/prefix]`; the reason when it is not such an address.
    public init(_ text: String) throws(AddressError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { throw AddressError("'\(text)' is not an http:// or https:// address") }
        guard let host = components.host, !host.isEmpty else { throw AddressError("'\(text)' has no host") }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw AddressError("'\(text)' must be only scheme, host, port and path")
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        var prefix = components.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
    }

    /// `https://host[:port]` and the prefix.
    public var description: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (port.map { ":\($0)" } ?? "") + pathPrefix
    }

    /// The full address of `path` (which starts with `/`) on this service.
    public func url(_ path: String) -> String { description + path }

    /// `url` (a full service address such as a Slack webhook) moved to this scheme, host and port,
    /// keeping its path and query.
    public func rebase(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        return self.url(path) + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    public struct AddressError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

extension IniSection {
    /// `key` as a service address, nil when absent; a problem (and nil) when malformed.
    func address(_ key: String, problems: inout [ConfigError]) -> ServiceAddress? {
        guard let text = string(key) else { return nil }
        do { return try ServiceAddress(text) } catch {
            problems.append(self.error(key, error.description))
            return nil
        }
    }

    /// A full `http(s)://` URL (a webhook), nil when absent; a problem (and nil) when malformed.
    func webURL(_ key: String, problems: inout [ConfigError]) -> String? {
        guard let text = string(key) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host?.isEmpty == false else {
            problems.append(error(key, "'\(text.prefix(80))' is not an http:// or https:// address"))
            return nil
        }
        return text
    }

    /// A comma-separated list (`blanks: true`: blanks separate too, as Pushover's keys may be).
    func list(_ key: String, blanks: Bool = true) -> [String] {
        (string(key) ?? "").split { $0 == "," || (blanks && ($0 == " " || $0 == "\t")) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The reason a section lacks required keys, or nil.
    func missing(_ keys: [String]) -> String? {
        let absent = keys.filter { string($0) == nil }
        return absent.isEmpty ? nil : "\(absent.joined(separator: ", ")) missing in [\(name)] of \((file.path as NSString).lastPathComponent)"
    }
}

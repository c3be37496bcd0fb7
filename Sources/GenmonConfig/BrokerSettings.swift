import Foundation

/// How an add-on reaches its MQTT broker, as genmqtt.conf and genhomeassistant.conf write it
/// (`mqtt_address`, `mqtt_port`, `username`, `password`, `client_id`, the TLS keys), plus genmon's
/// own `mqtt_version` and `persistent_session`. Plain values: the MQTT module turns them into a client.
public struct BrokerSettings: Sendable, Equatable {
    /// TLS as the original configures it: on when `cert_authority_path` names a file.
    public struct TLS: Sendable, Equatable {
        public var caFile: String
        public var certificateFile: String?
        public var keyFile: String?
        /// `cert_reqs`: `Required` / `Optional` verify the broker, `None` does not.
        public var verifyBroker: Bool
        /// `tls_version`: "1.0", "1.1", "1.2" (the oldest version accepted; genmon never goes below 1.2
        /// unless asked, and warns).
        public var minimumVersion: String
    }

    public var host: String
    /// With TLS the original forces 8883 whatever `mqtt_port` says; so does genmon.
    public var port: Int
    public var username: String?
    public var password: String?
    public var clientID: String
    public var tls: TLS?
    /// genmon's own `mqtt_version`: "3.1.1" (the original's) or "5".
    public var protocolVersion: String
    /// genmon's own `persistent_session`: keep the broker-side session across reconnects.
    public var persistentSession: Bool

    /// Reads the broker keys of `section`; `defaultClientID` is the add-on's (`genmon`, `genmon_ha`).
    init(_ section: AddOnConfigSection, defaultClientID: String) throws(ConfigError) {
        guard let host = section.string("mqtt_address") else {
            throw section.error("mqtt_address", "needed: the broker's host name or address")
        }
        self.host = host
        port = try section.int("mqtt_port", in: 1...65535) ?? 1883
        username = section.string("username")
        password = section.string("password")
        clientID = section.string("client_id") ?? defaultClientID
        guard clientID.utf8.count <= 65535, !clientID.contains("\u{0}") else { throw section.error("client_id", "is not a usable client id") }
        if let ca = section.string("cert_authority_path") {
            guard FileManager.default.fileExists(atPath: ca) else {
                throw section.error("cert_authority_path", "'\(ca)' does not exist")
            }
            let requirement = (section.string("cert_reqs") ?? "Required").lowercased()
            guard ["required", "optional", "none"].contains(requirement) else {
                throw section.error("cert_reqs", "'\(requirement)' must be Required, Optional or None")
            }
            let version = section.string("tls_version") ?? "1.2"
            guard ["1.0", "1.1", "1.2", "1.3"].contains(version) else {
                throw section.error("tls_version", "'\(version)' must be 1.0, 1.1, 1.2 or 1.3")
            }
            let certificate = section.string("client_cert_path"), key = section.string("client_key_path")
            if (certificate == nil) != (key == nil) {
                throw section.error(certificate == nil ? "client_key_path" : "client_cert_path", "client_cert_path and client_key_path go together")
            }
            tls = TLS(caFile: ca, certificateFile: certificate, keyFile: key, verifyBroker: requirement != "none", minimumVersion: version)
            port = 8883
        }
        let version = section.string("mqtt_version") ?? "3.1.1"
        guard ["3.1.1", "5"].contains(version) else { throw section.error("mqtt_version", "'\(version)' must be 3.1.1 or 5") }
        protocolVersion = version
        persistentSession = try section.bool("persistent_session") ?? false
    }

    /// "host:port", for logs.
    public var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
}

/// One add-on file's section, with errors that name the file, line and key.
struct AddOnConfigSection {
    let file: IniFile
    let name: String
    var section: IniSection { IniSection(file, name) }

    init(_ file: IniFile, _ name: String) throws(ConfigError) {
        guard file.sections.keys.contains(where: { $0.lowercased() == name.lowercased() }) else {
            throw ConfigError(path: file.path, line: nil, message: "no [\(name)] section")
        }
        self.file = file
        self.name = name
    }

    func error(_ key: String, _ message: String) -> ConfigError { section.error(key, message) }
    func string(_ key: String) -> String? { section.string(key) }
    func bool(_ key: String) throws(ConfigError) -> Bool? { try section.bool(key) }
    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? { try section.int(key, in: range) }
    func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? { try section.double(key, in: range) }

    /// A comma-separated list, blanks trimmed, empty items dropped.
    func list(_ key: String) -> [String]? {
        string(key).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// A topic prefix: no wildcards, no leading or trailing `/`.
    func topic(_ key: String) throws(ConfigError) -> String? {
        guard var value = string(key) else { return nil }
        while value.hasSuffix("/") { value.removeLast() }
        guard !value.contains("+"), !value.contains("#"), !value.hasPrefix("/"), !value.contains("\u{0}") else {
            throw error(key, "'\(value)' is not a usable topic prefix (no +, # or leading /)")
        }
        return value.isEmpty ? nil : value
    }
}

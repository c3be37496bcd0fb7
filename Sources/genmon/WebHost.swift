import ArgumentParser
import Foundation
import Logging
import GenmonConfig
import HomeAutomation
import Monitor
import Web

/// How `genmon run` and `genmon demo` serve the web app.
enum WebMode {
    case off
    /// Accounts in the data directory; with no users yet, a one-time setup code in the log.
    case run
    /// Accounts in memory and a sign-in link for the demo admin, valid for this run only.
    case demo
}

extension MonitorHost {
    /// Opens the web app's account database in the data directory (`accounts.sqlite`).
    static func openAccounts(in directory: String) throws -> AccountStore {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try AccountStore(path: (directory as NSString).appendingPathComponent("accounts.sqlite"))
        } catch {
            throw ValidationError("cannot open the account database in \(directory): \(error) "
                                  + "(choose another with --data-dir or datadirectory in genmon.conf)")
        }
    }

    /// The web app's services (the HTTP server and its live-stream closer), which say where the
    /// app is once it listens.
    func webServices(_ mode: WebMode, quiet: Bool) async throws -> [NamedService] {
        switch mode {
        case .off: return []
        case .demo: return try await demoWebServices()
        case .run: guard configuration.webEnabled else { return [] }
        }
        let accounts = try Self.openAccounts(in: configuration.dataDirectory)
        let setupCode = try await accounts.userCount() == 0 ? SetupCode() : nil
        var tls: CertificateStore.Material?
        if configuration.webHTTPS {
            do {
                if let certificate = configuration.webCertificateFile, let key = configuration.webKeyFile {
                    tls = try CertificateStore.load(certificate: certificate, key: key)
                } else {
                    let directory = (configuration.dataDirectory as NSString).appendingPathComponent("web-tls")
                    tls = try CertificateStore.selfSigned(in: directory, hostNames: [configuration.webAddress] + configuration.webHostNames)
                }
            } catch {
                throw ValidationError("HTTPS: \(error)")
            }
        }
        let app = WebApp(
            service: monitor, database: database, accounts: accounts, legacy: legacyDispatcher, notifications: notify.desk,
            views: ViewBuilder(settings: configuration.settings, timeZone: .current),
            configuration: WebAppConfiguration(https: tls != nil, sendHSTS: tls.map { !$0.selfSigned } ?? false,
                                               trustedOrigins: Set(configuration.webTrustedOrigins), setupCode: setupCode,
                                               hosts: hostPolicy, metrics: metricsEndpoint, integrations: integrationLinks))
        let listener = WebServer.Configuration(host: configuration.webAddress, port: configuration.webPort, tls: tls, limits: webLimits)
        let webAddress = configuration.webAddress, dataDirectory = configuration.dataDirectory, certificate = tls
        return try web(app, listener) { port in
            let url = listener.baseURL(port: port)
            if !quiet {
                print("web app on \(url)" + (webAddress == "127.0.0.1" ? " (this machine only; set flask_listen_ip_address to share it)" : ""))
                if let tls = certificate {
                    print("HTTPS certificate" + (tls.selfSigned ? " (self-signed, kept in \(dataDirectory)/web-tls)" : "") + ": SHA-256 " + tls.fingerprint)
                }
            }
            if let code = setupCode?.value {
                // Printed even with --quiet: without it nobody can sign in.
                print("""
                    no web users yet: open \(url)/#/setup and enter the one-time setup code \(code)
                    to create the first admin (or run `genmon user add --admin NAME`). The code changes at every start.
                    """)
            }
        }
    }

    /// The names the web app answers to: the configured ones, the listen address and the trusted
    /// origins' hosts, besides localhost and this machine's own (see `HostPolicy`).
    var hostPolicy: HostPolicy {
        HostPolicy(names: configuration.webHostNames + [configuration.webAddress] + configuration.webTrustedOrigins)
    }

    /// Connection caps within the open-files budget. Half is kept for this machine (a reverse proxy,
    /// the local pages): strangers on the LAN cannot take every place.
    var webLimits: WebConnectionLimits {
        WebConnectionLimits(maximumConnections: descriptors.webConnections, perAddress: configuration.webMaximumConnectionsPerAddress,
                            loopbackReserve: max(1, descriptors.webConnections / 2), refusingMaximum: descriptors.webRefusing)
    }

    /// The demo: accounts in memory, a demo admin, and a link that signs the visitor in.
    func demoWebServices() async throws -> [NamedService] {
        let accounts = try AccountStore.inMemory(hasher: PasswordHasher(cost: 8))
        try await accounts.addUser(name: DemoAccount.name, role: .admin, password: Secrets.password())
        let key = Secrets.token()
        let app = WebApp(
            service: monitor, database: database, accounts: accounts, legacy: legacyDispatcher, notifications: notify.desk,
            views: ViewBuilder(settings: configuration.settings, timeZone: .current),
            configuration: WebAppConfiguration(demoLoginKey: key, hosts: hostPolicy, metrics: metricsEndpoint, integrations: integrationLinks))
        let listener = WebServer.Configuration(host: configuration.webAddress, port: configuration.webPort, limits: webLimits)
        return try web(app, listener) { port in
            print("web app: open \(listener.baseURL(port: port))/demo-login?key=\(key)")
            print("         (signs you in as the demo admin; the link works for this run only)")
        }
    }

    /// `/metrics` from the Prometheus registry; open to anyone with `metrics_public`.
    var metricsEndpoint: MetricsEndpoint {
        let metrics = metrics
        return MetricsEndpoint(isPublic: configuration.metricsPublic) { metrics.render() }
    }

    /// The MQTT connections for the monitor page.
    var integrationLinks: @Sendable () -> [IntegrationLinkView] {
        let mqtt = mqtt
        return { (mqtt?.links ?? []).map(IntegrationLinkView.init) }
    }

    func web(_ app: WebApp, _ listener: WebServer.Configuration, onListening: @escaping @Sendable (Int) -> Void) throws -> [NamedService] {
        let readiness = readiness
        let services = try WebServer.services(for: app, configuration: listener, logger: Logger(label: "genmon.web")) { port in
            onListening(port)
            readiness.ready(Self.webPart)
        }
        return services.map {
            NamedService(name: "web app on \(listener.host):\(listener.port)", service: $0,
                         hint: "is another genmon running? set http_port in genmon.conf or use --web-port")
        }
    }
}

extension IntegrationLinkView {
    /// An MQTT connection as the monitor page shows it.
    init(_ link: MQTTLinkStatus) {
        let status = link.status
        self.init(name: "MQTT: " + link.purpose, endpoint: status.broker, state: status.state.rawValue, connectedSince: status.connectedSince,
                  lastPublishAt: status.lastPublishAt, lastError: status.lastError, lastErrorAt: status.lastErrorAt,
                  queued: status.queuedMessages, sent: status.messagesSent)
    }
}

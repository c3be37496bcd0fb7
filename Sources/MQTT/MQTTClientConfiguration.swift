import MQTTProtocol
import NIOCore
import NIOSSL

/// TLS options for the broker connection.
public struct MQTTTLSConfiguration: Sendable, Equatable {
    /// PEM file of the certificate authorities to trust; nil trusts the system's store.
    public var caFile: String?
    /// PEM client certificate (chain) for brokers that require one.
    public var certificateFile: String?
    /// PEM private key of the client certificate.
    public var privateKeyFile: String?
    /// Verify the broker's certificate and name (on by default; turn off only for testing).
    public var verifyCertificate: Bool
    /// Name to send (SNI) and to verify; defaults to the broker host unless that is an IP address, which is then
    /// checked against the certificate's IP addresses.
    public var serverName: String?
    /// Oldest TLS version accepted.
    public var minimumVersion: TLSVersion

    /// Creates the value from its fields (defaults as shown).
    public init(caFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil, verifyCertificate: Bool = true,
                serverName: String? = nil, minimumVersion: TLSVersion = .tlsv12) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.verifyCertificate = verifyCertificate
        self.serverName = serverName
        self.minimumVersion = minimumVersion
    }

    /// Builds the NIOSSL context; throws with the file at fault when a certificate or key cannot be read.
    func makeContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = minimumVersion
        tls.certificateVerification = verifyCertificate ? .fullVerification : .none
        if let caFile { tls.trustRoots = .file(caFile) }
        if let certificateFile {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            } catch {
                throw MQTTClientError.tlsFile(certificateFile, String(describing: error))
            }
        }
        if let privateKeyFile {
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
            } catch {
                throw MQTTClientError.tlsFile(privateKeyFile, String(describing: error))
            }
        }
        if let caFile {
            // Read it once here so that a missing or broken CA file is reported clearly, not as a handshake failure.
            do { _ = try NIOSSLCertificate.fromPEMFile(caFile) } catch { throw MQTTClientError.tlsFile(caFile, String(describing: error)) }
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// The SNI / verification name for `host`.
    func hostnameForVerification(host: String) -> String? {
        if let serverName { return serverName }
        return (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}

/// Everything the client needs: where the broker is, how to reach it, and the session settings.
public struct MQTTClientConfiguration: Sendable, Equatable {
    public var host: String
    /// Defaults to 1883, or 8883 with TLS.
    public var port: Int
    /// nil for plain TCP.
    public var tls: MQTTTLSConfiguration?
    /// Protocol version, client id, credentials, will, keep-alive, limits, back-off.
    public var session: MQTTSessionConfiguration
    /// Messages kept per subscription while its handler is busy; the oldest are dropped and counted beyond it.
    public var handlerQueueLimit: Int

    /// Creates the value from its fields (defaults as shown).
    public init(host: String, port: Int? = nil, tls: MQTTTLSConfiguration? = nil, session: MQTTSessionConfiguration, handlerQueueLimit: Int = 256) {
        self.host = host
        self.port = port ?? (tls == nil ? 1883 : 8883)
        self.tls = tls
        self.session = session
        self.handlerQueueLimit = handlerQueueLimit
    }

    /// "host:port", for logs and status.
    public var brokerDescription: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Errors the client reports to its callers.
public enum MQTTClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A TLS certificate or key file could not be read.
    case tlsFile(String, String)

    public var description: String {
        switch self {
        case let .tlsFile(path, reason): "cannot use TLS file \(path): \(reason)"
        }
    }
}

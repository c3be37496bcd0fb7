import NIOSSL

/// How a connection to a mail server (SMTP or IMAP) is secured, and how far its certificate is trusted.
public struct MailTLSConfiguration: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable {
        /// TLS from the first byte (SMTP 465, IMAP 993).
        case implicit
        /// Plain at first, upgraded with STARTTLS before credentials are sent (SMTP 587, IMAP 143).
        case startTLS
        /// No TLS at all: only for loopback or when the user asks for it explicitly.
        case none
    }

    public var mode: Mode
    /// Check the server's certificate chain and host name. Turned off only by `tls_verify = False`.
    public var verifyCertificates: Bool
    /// A PEM file of extra CAs trusted for mail servers (`ssl_ca_file`), beside the system trust store.
    public var additionalCAFile: String?

    public init(mode: Mode, verifyCertificates: Bool = true, additionalCAFile: String? = nil) {
        self.mode = mode
        self.verifyCertificates = verifyCertificates
        self.additionalCAFile = additionalCAFile
    }

    /// The client-side TLS context for this configuration (system roots plus the extra CA file).
    public func makeSSLContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if verifyCertificates {
            tls.certificateVerification = .fullVerification
            if let additionalCAFile { tls.additionalTrustRoots = [.file(additionalCAFile)] }
        } else {
            tls.certificateVerification = .none
        }
        return try NIOSSLContext(configuration: tls)
    }
}

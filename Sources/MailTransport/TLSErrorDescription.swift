import MailProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// Turns NIO and TLS errors into a failure kind and words a person can act on.
enum TLSErrorDescription {
    static func classify(_ error: Error, serverName: String?, step: SMTPStep) -> (SMTPFailure.Kind, String) {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return (.certificateRejected, "the certificate is not for \(serverName ?? "this address")")
        }
        if let sslError = error as? NIOSSLError {
            let text = "\(sslError)"
            if case .handshakeFailed = sslError {
                if text.contains("CERTIFICATE_VERIFY_FAILED") || text.lowercased().contains("certificate") {
                    return (.certificateRejected, "the certificate chain is not trusted (\(text))")
                }
                return (.tlsHandshakeFailed, text)
            }
            if case .uncleanShutdown = sslError { return (.connectionLost(step), "the server closed the connection without ending TLS") }
            return (.tlsHandshakeFailed, text)
        }
        if error is NIOSSLExtraError || error is BoringSSLError { return (.tlsHandshakeFailed, "\(error)") }
        return (.connectionLost(step), "\(error)")
    }

    /// A connect error in plain words.
    static func connectFailure(_ error: Error, endpoint: String, timeoutSeconds: Int) -> SMTPFailure {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return SMTPFailure(kind: .timedOut(.connect, afterSeconds: timeoutSeconds), detail: "no connection to \(endpoint)")
        }
        if let connectionError = error as? NIOConnectionError {
            if connectionError.dnsAError != nil, connectionError.dnsAAAAError != nil, connectionError.connectionErrors.isEmpty {
                return SMTPFailure(kind: .connectionFailed, detail: "the host name of \(endpoint) could not be resolved")
            }
            let reasons = connectionError.connectionErrors.map { "\($0.target): \($0.error)" }
            return SMTPFailure(kind: .connectionFailed, detail: "\(endpoint): " + (reasons.isEmpty ? "\(error)" : reasons.joined(separator: "; ")))
        }
        return SMTPFailure(kind: .connectionFailed, detail: "\(endpoint): \(error)")
    }
}

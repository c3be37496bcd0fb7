import Foundation
import GenmonConfig
import Logging
import MQTT
import MQTTProtocol
import NIOSSL

extension BrokerSettings {
    /// The MQTT client configuration for these settings, with `will` as the last will.
    public func clientConfiguration(will: MQTTWill?, backoff: MQTTBackoff = MQTTBackoff()) -> MQTTClientConfiguration {
        var session = MQTTSessionConfiguration(
            version: protocolVersion == "5" ? .v5 : .v3_1_1, clientID: clientID, cleanSession: !persistentSession, keepAlive: 60,
            username: username, password: password.map { Array($0.utf8) }, will: will, backoff: backoff)
        // The original's retained state topics may be many; events are few.
        session.bufferLimits = MQTTBufferLimits(maximumRetainedTopics: 2048, maximumEvents: 500, maximumBytes: 2 << 20)
        let tlsConfiguration = tls.map { tls in
            MQTTTLSConfiguration(caFile: tls.caFile, certificateFile: tls.certificateFile, privateKeyFile: tls.keyFile,
                                 verifyCertificate: tls.verifyBroker, minimumVersion: Self.tlsVersion(tls.minimumVersion))
        }
        return MQTTClientConfiguration(host: host, port: port, tls: tlsConfiguration, session: session)
    }

    static func tlsVersion(_ text: String) -> TLSVersion {
        switch text {
        case "1.0": .tlsv1
        case "1.1": .tlsv11
        case "1.3": .tlsv13
        default: .tlsv12
        }
    }
}

/// One broker connection of genmon's, for the status page: what it is for and how it is.
public struct MQTTLinkStatus: Sendable, Equatable {
    /// "genmqtt", "genmon layout", "Home Assistant".
    public var purpose: String
    public var status: MQTTConnectionStatus
}

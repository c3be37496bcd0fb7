import Crypto
import Foundation
import SwiftASN1
import X509

/// A test certificate authority with a server certificate for 127.0.0.1 / localhost and a client certificate,
/// written as PEM files into a folder. A second, unrelated authority is there to prove verification is on.
struct TestCertificates {
    let caFile: String
    let serverCertificateFile: String
    let serverKeyFile: String
    let clientCertificateFile: String
    let clientKeyFile: String
    let otherCAFile: String

    init(directory: URL) throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("genmon test CA") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        func leaf(_ name: String, usage: ExtendedKeyUsage.Usage, alternativeNames: [GeneralName]) throws -> (Certificate, P256.Signing.PrivateKey) {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
                issuer: caName, subject: try DistinguishedName { CommonName(name) }, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    SubjectAlternativeNames(alternativeNames)
                },
                issuerPrivateKey: .init(caKey))
            return (certificate, key)
        }
        let (server, serverKey) = try leaf("mosquitto test server", usage: .serverAuth, alternativeNames: [
            .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
        ])
        let (client, clientKey) = try leaf("genmon-client", usage: .clientAuth, alternativeNames: [.dnsName("genmon-client")])
        let otherKey = P256.Signing.PrivateKey()
        let otherName = try DistinguishedName { CommonName("someone else's CA") }
        let other = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(otherKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: otherName, subject: otherName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0)) },
            issuerPrivateKey: .init(otherKey))

        func write(_ text: String, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        caFile = try write(ca.serializeAsPEM().pemString, "ca.pem")
        serverCertificateFile = try write(server.serializeAsPEM().pemString, "server.pem")
        serverKeyFile = try write(serverKey.pemRepresentation, "server.key")
        clientCertificateFile = try write(client.serializeAsPEM().pemString, "client.pem")
        clientKeyFile = try write(clientKey.pemRepresentation, "client.key")
        otherCAFile = try write(other.serializeAsPEM().pemString, "other-ca.pem")
    }
}

import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates made by the tests (SMTP, IMAP and the HTTP channels): a CA genmon is told to trust, a second CA it is not told about,
/// and server certificates signed by them, written as PEM files in a temporary directory.
public struct TestCertificates: Sendable {
    /// The trusted CA's certificate (what `additionalCAFile` points at).
    public let caFile: String
    /// Server certificate for `localhost` and 127.0.0.1, signed by the trusted CA.
    public let localhost: (certificate: String, key: String)
    /// Server certificate for `mail.example.org` only, signed by the trusted CA.
    public let wrongHost: (certificate: String, key: String)
    /// Server certificate for `localhost`, signed by a CA nobody trusts.
    public let untrusted: (certificate: String, key: String)

    /// Made once per test run.
    public static let shared: Result<TestCertificates, Error> = Result { try TestCertificates() }

    private init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-test-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let trusted = try Self.makeCA(name: "genmon test CA")
        let stranger = try Self.makeCA(name: "stranger CA")
        caFile = try Self.write(trusted.certificate.serializeAsPEM().pemString, to: directory, name: "ca.pem")
        localhost = try Self.makeServer(names: ["localhost"], ip: [127, 0, 0, 1], issuer: trusted, directory: directory, file: "localhost")
        wrongHost = try Self.makeServer(names: ["mail.example.org"], ip: nil, issuer: trusted, directory: directory, file: "wronghost")
        untrusted = try Self.makeServer(names: ["localhost"], ip: [127, 0, 0, 1], issuer: stranger, directory: directory, file: "untrusted")
    }

    private struct Authority {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
    }

    private static func makeCA(name: String) throws -> Authority {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400 * 2),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return Authority(certificate: certificate, key: key)
    }

    private static func makeServer(
        names: [String], ip: [UInt8]?, issuer: Authority, directory: URL, file: String
    ) throws -> (certificate: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        var alternativeNames = names.map { GeneralName.dnsName($0) }
        if let ip { alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip)))) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86400),
            issuer: issuer.certificate.subject, subject: try DistinguishedName { CommonName(names[0]) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
                AuthorityKeyIdentifier(keyIdentifier: try issuer.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(issuer.key))
        let certificatePath = try write(certificate.serializeAsPEM().pemString, to: directory, name: "\(file).pem")
        let keyPath = try write(key.pemRepresentation, to: directory, name: "\(file)-key.pem")
        return (certificatePath, keyPath)
    }

    private static func write(_ text: String, to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

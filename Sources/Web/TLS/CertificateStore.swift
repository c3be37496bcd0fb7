import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#endif

/// Where HTTPS gets its certificate: files the user gives, or one genmon makes once, keeps in the
/// data directory and uses again at every start (so a browser that was told to trust it keeps
/// trusting it). A kept certificate is replaced only when it is about to expire.
public enum CertificateStore {
    public struct Material: Sendable {
        public var certificatePEM: String
        public var privateKeyPEM: String
        /// Whether genmon made it (then browsers warn until told to trust it).
        public var selfSigned: Bool
        /// SHA-256 of the certificate (DER), for a person to compare with what the browser shows.
        public var fingerprint: String
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String, String)
        case invalid(String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): "cannot read \(path): \(reason)"
            case let .invalid(reason): reason
            }
        }
    }

    /// The user's certificate and key (PEM files).
    public static func load(certificate: String, key: String) throws -> Material {
        let certificatePEM = try read(certificate)
        let keyPEM = try read(key)
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
            guard let first = certificates.first else { throw Failure.invalid("\(certificate) holds no certificate") }
            _ = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            return Material(certificatePEM: certificatePEM, privateKeyPEM: keyPEM, selfSigned: false,
                            fingerprint: fingerprint(try first.toDERBytes()))
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.invalid("\(certificate) / \(key): \(error)")
        }
    }

    /// The certificate kept in `directory` (`cert.pem`, `key.pem`), made now if there is none or it
    /// expires within 30 days.
    public static func selfSigned(in directory: String, hostNames: [String] = [], now: Date = Date()) throws -> Material {
        let certificatePath = (directory as NSString).appendingPathComponent("cert.pem")
        let keyPath = (directory as NSString).appendingPathComponent("key.pem")
        if FileManager.default.fileExists(atPath: certificatePath), FileManager.default.fileExists(atPath: keyPath),
           var kept = try? load(certificate: certificatePath, key: keyPath),
           let certificate = try? Certificate(pemEncoded: kept.certificatePEM),
           certificate.notValidAfter > now.addingTimeInterval(30 * 86_400) {
            kept.selfSigned = true
            return kept
        }
        let material = try make(hostNames: hostNames, now: now)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            // The key first, readable by the owner only, then the certificate.
            try write(material.privateKeyPEM, to: keyPath, mode: 0o600)
            try write(material.certificatePEM, to: certificatePath, mode: 0o644)
        } catch {
            throw Failure.unreadable(directory, "\(error)")
        }
        return material
    }

    /// A new self-signed certificate (ECDSA P-256) for localhost, this host's names and addresses.
    public static func make(hostNames: [String] = [], now: Date = Date()) throws -> Material {
        let key = P256.Signing.PrivateKey()
        var names: [GeneralName] = []
        var seen = Set<String>()
        for name in ["localhost", ProcessInfo.processInfo.hostName] + hostNames where !name.isEmpty && seen.insert(name.lowercased()).inserted {
            if let bytes = ipBytes(name) { names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...]))) } else { names.append(.dnsName(name)) }
        }
        for address in ["127.0.0.1", "::1"] + localAddresses() where seen.insert(address).inserted {
            if let bytes = ipBytes(address) { names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...]))) }
        }
        do {
            let subject = try DistinguishedName {
                CommonName("genmon on \(ProcessInfo.processInfo.hostName)")
                OrganizationName("genmon (self-signed)")
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(825 * 86_400),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: .init(key))
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return Material(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
                            selfSigned: true, fingerprint: fingerprint(serializer.serializedBytes))
        } catch {
            throw Failure.invalid("cannot make a certificate: \(error)")
        }
    }

    /// NIOSSL's server configuration for the material.
    public static func tlsConfiguration(_ material: Material) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(material.certificatePEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(bytes: Array(material.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    static func fingerprint(_ der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    static func read(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Failure.unreadable(path, error.localizedDescription)
        }
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: Int(mode)]) else {
            throw Failure.unreadable(temporary, "cannot write")
        }
        chmod(temporary, mode)
        guard rename(temporary, path) == 0 else { throw Failure.unreadable(path, String(cString: strerror(errno))) }
    }

    /// The 4 or 16 bytes of an IP address literal.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// This host's IPv4 addresses (so the certificate names the address a phone types in).
    static func localAddresses() -> [String] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            if let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) {
                var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var inet = pointer.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &inet, &buffer, socklen_t(INET_ADDRSTRLEN))
                }
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            cursor = entry.pointee.ifa_next
        }
        return addresses
    }
}

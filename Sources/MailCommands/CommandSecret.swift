import Foundation
import OneTimeCode

/// Why the one-time-code secret cannot be read or written.
public enum CommandSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case notPrivate(path: String, mode: UInt16)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .malformed(path, reason): "\(path) does not hold a usable secret: \(reason) (enroll again: genmon email-commands enroll --force)"
        case let .notPrivate(path, mode): "\(path) can be read by other users (mode \(String(mode, radix: 8))); run chmod 600 on it or enroll again"
        case let .unwritable(path, reason): "cannot write \(path): \(reason)"
        }
    }
}

/// The shared secret of the one-time codes, kept in the data directory in a file only genmon's user
/// may read (mode 0600): one line of Base32, as the enrolment showed it.
public enum CommandSecret {
    public static let fileName = "email-commands.secret"
    /// A file larger than this is not a secret genmon wrote.
    static let maximumFileSize = 1024

    /// The file's path in `dataDirectory`.
    public static func path(in dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    /// The secret, nil when none was enrolled. Refuses a file others can read: the secret would no longer be secret.
    public static func load(from path: String) throws(CommandSecretError) -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        let mode = UInt16(status.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .notPrivate(path: path, mode: mode) }
        guard status.st_size <= maximumFileSize, let data = FileManager.default.contents(atPath: path) else {
            throw .malformed(path: path, reason: "not a small text file")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let secret: [UInt8]
        do { secret = try Base32.decode(text) } catch { throw .malformed(path: path, reason: "\(error)") }
        do { _ = try TOTP(secret: secret) } catch { throw .malformed(path: path, reason: "\(error)") }
        return secret
    }

    /// Writes `secret` to `path` with mode 0600 (through a temporary file renamed into place, so a
    /// crash leaves the old secret or the new one, never half of one).
    public static func save(_ secret: [UInt8], to path: String) throws(CommandSecretError) {
        let temporary = path + ".new"
        let text = Base32.encode(secret, padded: false) + "\n"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
    }
}

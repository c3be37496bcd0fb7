import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// genmon's data directory holds password hashes, session and token digests, the audit log and
/// the TLS key: nothing in it is for other local users. `genmon run` and `genmon user` make the
/// process's files private (`restrictFileCreation`), and at start `secure(_:)` makes the directory
/// 0700 and takes group and other access away from anything already in it (files an older genmon,
/// a copy or a restore left readable), saying what it changed.
public enum PrivateDirectory {
    /// One mode repaired.
    public struct Repair: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var from: mode_t
        public var to: mode_t

        public var description: String { "\(path) (" + Self.octal(from) + " → " + Self.octal(to) + ")" }

        static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case cannotCreate(path: String, reason: String)
        case notADirectory(path: String)

        public var description: String {
            switch self {
            case let .cannotCreate(path, reason): "cannot create the data directory \(path): \(reason)"
            case let .notADirectory(path): "the data directory \(path) is not a directory"
            }
        }
    }

    /// Every file this process creates from now on is readable by its owner only (umask 077).
    public static func restrictFileCreation() {
        umask(0o077)
    }

    /// Creates `path` (0700) if needed, and removes group and other access from it and from
    /// everything beneath it that this user owns. Returns what it changed, and what it could not
    /// (owned by someone else), for one log line each.
    public static func secure(_ path: String) throws(Failure) -> (repaired: [Repair], notOwned: [String]) {
        var status = stat()
        if lstat(path, &status) != 0 {
            guard errno == ENOENT else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotCreate(path: path, reason: error.localizedDescription)
            }
            chmod(path, 0o700)
            return ([], [])
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path: path) }
        var repaired: [Repair] = []
        var notOwned: [String] = []
        tighten(path, status, &repaired, &notOwned)
        // Deep enough for the data directory's own layout (web-tls/); links are not followed.
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in walker {
                let full = (path as NSString).appendingPathComponent(relative)
                var entry = stat()
                guard lstat(full, &entry) == 0 else { continue }
                let type = entry.st_mode & S_IFMT
                guard type == S_IFREG || type == S_IFDIR else { continue }
                tighten(full, entry, &repaired, &notOwned)
            }
        }
        return (repaired, notOwned)
    }

    private static func tighten(_ path: String, _ status: stat, _ repaired: inout [Repair], _ notOwned: inout [String]) {
        let mode = status.st_mode & 0o7777
        guard mode & 0o077 != 0 else { return }
        guard status.st_uid == geteuid() else {
            notOwned.append(path)
            return
        }
        let private_ = mode & 0o7700
        if chmod(path, private_) == 0 {
            repaired.append(Repair(path: path, from: mode, to: private_))
        } else {
            notOwned.append(path)
        }
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real Dovecot on 127.0.0.1 for one test: its own config, passwd-file user, Maildir and TLS certificate
/// (made by a CA of its own) in a temporary folder, run in the foreground and always stopped.
public final class DovecotServer: Sendable {
    /// Why the server could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static let username = "genmon"
    public static let password = "pa ss\"wörd"  // a space, a quote and 8-bit: LOGIN must quote or use a literal

    public let directory: URL
    public let imapPort: Int
    public let imapsPort: Int
    public let idle: Bool
    public let plainMechanism: Bool
    private let mailOwner: (uid: uid_t, gid: gid_t)
    private let process = Mutex<RunningProcess?>(nil)

    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var logFile: URL { directory.appendingPathComponent("dovecot.log") }
    public var maildir: URL { directory.appendingPathComponent("mail/\(Self.username)/Maildir") }

    /// Whether `dovecot` is installed (the tests say so plainly instead of failing obscurely).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") }

    /// Starts Dovecot; `idle: false` leaves IDLE, MOVE and LITERAL+ out of the advertised capabilities;
    /// `plainMechanism: false` offers no AUTH=PLAIN, so clients must use LOGIN.
    public static func start(idle: Bool = true, plainMechanism: Bool = true) async throws -> DovecotServer {
        let server = try DovecotServer(idle: idle, plainMechanism: plainMechanism)
        do {
            try await server.makeCertificates()
            try server.writeConfiguration()
            try await server.start()
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    private init(idle: Bool, plainMechanism: Bool) throws {
        guard Self.isInstalled else { throw Failure("dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-dovecot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        imapPort = try LoopbackPort.free()
        imapsPort = try LoopbackPort.free()
        self.idle = idle
        self.plainMechanism = plainMechanism
        // Dovecot refuses root for its login and mail processes: as root, use its own system users.
        if getuid() == 0, let mail = getpwnam("dovecot") {
            mailOwner = (mail.pointee.pw_uid, mail.pointee.pw_gid)
        } else {
            mailOwner = (getuid(), getgid())
        }
    }

    deinit {
        process.withLock { $0?.killNow() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A CA, and a server certificate it signs for 127.0.0.1 and localhost.
    private func makeCertificates() async throws {
        func openssl(_ arguments: [String]) async throws {
            try await ProcessRunner.check("openssl", arguments, workingDirectory: directory)
        }
        try await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                           "-days", "2", "-subj", "/CN=genmon test CA"])
        try await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                           "-subj", "/CN=localhost"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try await openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                           "-out", "server.pem", "-days", "2", "-extfile", "san.ext"])
        chmod(directory.appendingPathComponent("server.key").path, 0o644)
    }

    private func writeConfiguration() throws {
        let path = directory.path
        let isRoot = getuid() == 0
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        let group = String(cString: getgrgid(getgid()).pointee.gr_name)
        // Without IDLE the server also offers no MOVE and no LITERAL+: the fallbacks get exercised.
        let capabilities = idle ? "" : "imap_capability = IMAP4rev1 SASL-IR AUTH=PLAIN UIDPLUS\n"
        let config = """
            protocols = imap
            listen = 127.0.0.1
            base_dir = \(path)/run
            state_dir = \(path)/state
            log_path = \(path)/dovecot.log
            default_internal_user = \(isRoot ? "dovecot" : me)
            default_internal_group = \(isRoot ? "dovecot" : group)
            default_login_user = \(isRoot ? "dovenull" : me)
            first_valid_uid = 1
            ssl = yes
            ssl_cert = <\(path)/server.pem
            ssl_key = <\(path)/server.key
            auth_mechanisms = \(plainMechanism ? "plain login" : "login")
            disable_plaintext_auth = no
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u \(path)/passwd
            }
            userdb {
              driver = static
              args = uid=\(mailOwner.uid) gid=\(mailOwner.gid) home=\(path)/mail/%u
            }
            mail_location = maildir:\(path)/mail/%u/Maildir
            namespace inbox {
              inbox = yes
              separator = /
            }
            mailbox_idle_check_interval = 1 secs
            # No statistics process: under load, login processes would wait seconds for its handshake.
            stats_writer_socket_path =
            \(capabilities)service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(imapPort)
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = \(imapsPort)
                ssl = yes
              }
            }

            """
        try config.write(to: directory.appendingPathComponent("dovecot.conf"), atomically: true, encoding: .utf8)
        try "\(Self.username):{PLAIN}\(Self.password)::::\n".write(to: directory.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        let mail = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        chown(mail.path, mailOwner.uid, mailOwner.gid)
    }

    /// Starts Dovecot in the foreground and waits until both ports are listening (probed by binding:
    /// a connection would start login processes that slow the shutdown).
    public func start() async throws {
        let dovecot = try await RunningProcess.start("/usr/sbin/dovecot", ["-F", "-c", directory.appendingPathComponent("dovecot.conf").path])
        process.withLock { $0 = dovecot }
        do {
            try await dovecot.waitUntilListening(on: [imapPort, imapsPort], timeout: .seconds(15))
        } catch {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            await stop()
            throw Failure("dovecot did not start (\(error)); log:\n\(log)")
        }
    }

    /// Stops Dovecot like a service manager would (its master and every child, open IMAP sessions
    /// included: Dovecot alone lets those live on) and waits until its ports are free again.
    public func stop() async {
        guard let dovecot = process.withLock({ $0.take() }) else { return }
        await dovecot.stop(grace: .seconds(10))
        _ = await LoopbackPort.waitUntilFree([imapPort, imapsPort])
    }

    /// Runs `body` with a started server, and always stops the server afterwards.
    @discardableResult
    public static func with<T>(idle: Bool = true, plainMechanism: Bool = true, _ body: (DovecotServer) async throws -> T) async throws -> T {
        let server = try await start(idle: idle, plainMechanism: plainMechanism)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Drops a message into a folder's Maildir `new/`, as a delivery agent would.
    public func deliver(_ message: String, to folder: String = "Generator") throws {
        let folderDirectory = folder.uppercased() == "INBOX" ? maildir : maildir.appendingPathComponent("." + folder.replacingOccurrences(of: "/", with: "."))
        for sub in ["", "cur", "new", "tmp"] {
            let url = sub.isEmpty ? folderDirectory : folderDirectory.appendingPathComponent(sub)
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
            chown(url.path, mailOwner.uid, mailOwner.gid)
        }
        chown(maildir.path, mailOwner.uid, mailOwner.gid)
        chown(maildir.deletingLastPathComponent().path, mailOwner.uid, mailOwner.gid)
        let name = "\(Int(Date().timeIntervalSince1970)).M\(UInt32.random(in: 0...UInt32.max))P\(getpid()).genmon-test"
        let temporary = folderDirectory.appendingPathComponent("tmp/\(name)")
        try Data(message.utf8).write(to: temporary)
        chown(temporary.path, mailOwner.uid, mailOwner.gid)
        try FileManager.default.moveItem(at: temporary, to: folderDirectory.appendingPathComponent("new/\(name)"))
    }

    /// How many messages a folder holds on disk.
    public func messageCount(in folder: String) -> Int {
        let folderDirectory = maildir.appendingPathComponent("." + folder.replacingOccurrences(of: "/", with: "."))
        return ["cur", "new"].reduce(0) { count, sub in
            count + ((try? FileManager.default.contentsOfDirectory(atPath: folderDirectory.appendingPathComponent(sub).path))?.count ?? 0)
        }
    }
}

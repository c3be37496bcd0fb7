import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Dovecot on 127.0.0.1 for one test: its own config, passwd-file user, Maildir and TLS certificate
/// (made by a CA of its own) in a temporary folder, run in the foreground and always stopped.
final class DovecotServer: @unchecked Sendable {
    static let username = "genmon"
    static let password = "pa ss\"wörd"  // a space, a quote and 8-bit: LOGIN must quote or use a literal

    let directory: URL
    let imapPort: Int
    let imapsPort: Int
    let idle: Bool
    let plainMechanism: Bool
    private var processID: pid_t?
    private let mailOwner: (uid: uid_t, gid: gid_t)

    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var logFile: URL { directory.appendingPathComponent("dovecot.log") }
    var maildir: URL { directory.appendingPathComponent("mail/\(Self.username)/Maildir") }

    /// Whether `dovecot` is installed (the tests say so plainly instead of failing obscurely).
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") }

    /// Starts Dovecot; `idle: false` leaves IDLE, MOVE and LITERAL+ out of the advertised capabilities;
    /// `plainMechanism: false` offers no AUTH=PLAIN, so clients must use LOGIN.
    init(idle: Bool = true, plainMechanism: Bool = true) throws {
        guard Self.isInstalled else { throw TestFailure("dovecot is not installed: apt-get install dovecot-imapd (.ci/run does)") }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-dovecot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        imapPort = try Self.freePort()
        imapsPort = try Self.freePort()
        self.idle = idle
        self.plainMechanism = plainMechanism
        // Dovecot refuses root for its login and mail processes: as root, use its own system users.
        if getuid() == 0, let mail = getpwnam("dovecot") {
            mailOwner = (mail.pointee.pw_uid, mail.pointee.pw_gid)
        } else {
            mailOwner = (getuid(), getgid())
        }
        do {
            try makeCertificates()
            try writeConfiguration()
            try start()
        } catch {
            stop()
            throw error
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(arguments.joined(separator: " ")) failed") }
    }

    /// A CA, and a server certificate it signs for 127.0.0.1 and localhost.
    private func makeCertificates() throws {
        try run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                 "-days", "2", "-subj", "/CN=genmon test CA"])
        try run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                 "-subj", "/CN=localhost"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: directory.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
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

    /// Starts Dovecot in the foreground and waits until both ports are listening.
    func start() throws {
        let pid = try Self.spawn(["/usr/sbin/dovecot", "-F", "-c", directory.appendingPathComponent("dovecot.conf").path])
        processID = pid
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            // Bound means listening; probing by connecting would start login processes that slow the shutdown.
            if !Self.canBind(port: imapPort) && !Self.canBind(port: imapsPort) { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { processID = nil; break }
            usleep(20_000)
        }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        stop()
        throw TestFailure("dovecot did not start; log:\n\(log)")
    }

    /// Stops Dovecot like a service manager would (its master and every child, open IMAP sessions
    /// included: Dovecot alone lets those live on) and waits until its ports are free again.
    func stop() {
        guard let pid = processID else { return }
        processID = nil
        let children = Self.childProcessIDs(of: pid)
        kill(pid, SIGTERM)
        for child in children { kill(child, SIGKILL) }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        // Its login processes close the listening sockets as they notice the master is gone. Probe by
        // binding, not connecting: a connection would start another login process.
        let free = Date().addingTimeInterval(10)
        while !(Self.canBind(port: imapPort) && Self.canBind(port: imapsPort)) && Date() < free { usleep(20_000) }
    }

    /// The processes whose parent is `parent` (from /proc).
    static func childProcessIDs(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // Fields after "(name)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }

    /// Starts a program with no signals blocked (Foundation's Process passes on the test runner's
    /// blocked mask, and Dovecot would then never see SIGTERM), its output discarded.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw TestFailure("posix_spawn \(arguments[0]) failed: \(result)") }
        return pid
    }

    /// Drops a message into a folder's Maildir `new/`, as a delivery agent would.
    func deliver(_ message: String, to folder: String = "Generator") throws {
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
    func messageCount(in folder: String) -> Int {
        let folderDirectory = maildir.appendingPathComponent("." + folder.replacingOccurrences(of: "/", with: "."))
        return ["cur", "new"].reduce(0) { count, sub in
            count + ((try? FileManager.default.contentsOfDirectory(atPath: folderDirectory.appendingPathComponent(sub).path))?.count ?? 0)
        }
    }

    static func accepts(port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Whether nobody listens on `port` (binding with SO_REUSEADDR ignores connections in TIME_WAIT).
    static func canBind(port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var one: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw TestFailure("socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A short test message.
func testMessage(subject: String, from: String = "owner@example.com", body: String = "body\r\n") -> String {
    "From: \(from)\r\nTo: genmon@example.com\r\nSubject: \(subject)\r\nMessage-ID: <\(UUID().uuidString)@example.com>\r\n\r\n\(body)"
}

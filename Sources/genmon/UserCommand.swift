import ArgumentParser
import Foundation
import GenmonConfig
import Web
#if canImport(Glibc)
import Glibc
#endif

/// Where the account commands find the account database: the data directory of genmon.conf, or
/// --data-dir.
struct AccountLocation: ParsableArguments {
    @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).")
    var config: String?
    @Option(help: "genmon's data directory (default /var/lib/genmon, or datadirectory in genmon.conf).")
    var dataDir: String?

    func open() throws -> AccountStore {
        var directory = GenmonConfiguration().dataDirectory
        let path = config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
        if let path {
            do { directory = try GenmonConfiguration(file: try IniFile(contentsOf: path)).dataDirectory } catch { throw failure("\(error)") }
        }
        if let dataDir { directory = dataDir }
        do {
            try MonitorHost.secureDataDirectory(directory)
            return try MonitorHost.openAccounts(in: directory)
        } catch { throw failure("\(error)") }
    }
}

/// `genmon user`: the web app's people.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the web app's users (admins may control the generator, viewers only look).",
        discussion: "Works beside a running genmon: a new user can sign in at once; removals apply within seconds.",
        subcommands: [Add.self, List.self, Remove.self, Password.self, SetRole.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. Asks for the password (empty: one is made up and shown), or reads it from standard input.")
        @OptionGroup var location: AccountLocation
        @Flag(help: "An admin: may start and stop the generator and manage accounts.") var admin = false
        @Flag(help: "Make up a password and show it, without asking.") var generate = false
        @Argument(help: "The user name (letters, digits and . _ - @).") var name: String

        func run() async throws {
            let store = try location.open()
            let (password, generated) = try PasswordPrompt.obtain(generate: generate, for: name)
            do {
                try await store.addUser(name: name, role: admin ? .admin : .viewer, password: password)
            } catch { throw failure("\(error)") }
            print("added \(admin ? "admin" : "viewer") \(name)" + (generated ? " with the password: \(password)" : ""))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")
        @OptionGroup var location: AccountLocation

        func run() async throws {
            let store = try location.open()
            let users = try await store.users()
            let sessions = try await store.sessionCounts()
            if users.isEmpty { print("no users yet: add an admin with `genmon user add --admin NAME`") }
            for user in users {
                print("\(user.name)\t\(user.role.rawValue)\tsessions: \(sessions[user.name] ?? 0)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user (and sign them out everywhere).")
        @OptionGroup var location: AccountLocation
        @Argument var name: String

        func run() async throws {
            do { try await location.open().removeUser(name: name) } catch { throw failure("\(error)") }
            print("removed \(name)")
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (and sign them out everywhere).")
        @OptionGroup var location: AccountLocation
        @Flag(help: "Make up a password and show it, without asking.") var generate = false
        @Argument var name: String

        func run() async throws {
            let store = try location.open()
            let (password, generated) = try PasswordPrompt.obtain(generate: generate, for: name)
            do { try await store.setPassword(name: name, password: password) } catch { throw failure("\(error)") }
            print("new password set for \(name)" + (generated ? ": \(password)" : ""))
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Make a user an admin or a viewer.")
        @OptionGroup var location: AccountLocation
        @Argument var name: String
        @Argument(help: "admin or viewer") var role: String

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw failure("the role is admin or viewer") }
            do { try await location.open().setRole(name: name, role: role) } catch { throw failure("\(error)") }
            print("\(name) is now \(role == .admin ? "an admin" : "a viewer")")
        }
    }
}

/// `genmon token`: API tokens for scripts and home automation.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens for scripts and home automation (sent as `Authorization: Bearer <token>`).",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; it is shown once and kept only as a hash.")
        @OptionGroup var location: AccountLocation
        @Flag(help: "An admin token: may control the generator.") var admin = false
        @Argument(help: "A name for it, e.g. home-assistant.") var name: String

        func run() async throws {
            let store = try location.open()
            do {
                let created = try await store.createToken(name: name, role: admin ? .admin : .viewer, createdBy: "cli:\(NSUserName())")
                print(created.secret)
                FileHandle.standardError.write(Data("\(admin ? "admin" : "viewer") token \(name) created; it is not shown again\n".utf8))
            } catch { throw failure("\(error)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (by name and first characters).")
        @OptionGroup var location: AccountLocation

        func run() async throws {
            let formatter = ISO8601DateFormatter()
            for token in try await location.open().tokens() {
                let used = token.lastUsedAt.map { "last used \(formatter.string(from: $0))" } ?? "never used"
                print("\(token.name)\t\(token.role.rawValue)\t\(token.prefix)…\t\(used)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token.")
        @OptionGroup var location: AccountLocation
        @Argument var name: String

        func run() async throws {
            do { try await location.open().revokeToken(name: name) } catch { throw failure("\(error)") }
            print("revoked \(name)")
        }
    }
}

/// Gets a password from a person at a terminal, from standard input, or makes one up.
enum PasswordPrompt {
    static func obtain(generate: Bool, for name: String) throws -> (password: String, generated: Bool) {
        if generate { return (Secrets.password(), true) }
        if isatty(STDIN_FILENO) == 1 {
            let first = ask("password for \(name) (empty: make one up): ")
            if first.isEmpty { return (Secrets.password(), true) }
            guard ask("again: ") == first else { throw failure("the two passwords differ") }
            return (first, false)
        }
        let line = readLine(strippingNewline: true) ?? ""
        return line.isEmpty ? (Secrets.password(), true) : (line, false)
    }

    /// Reads a line without echoing it.
    static func ask(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

import ArgumentParser
import Foundation
import GenmonBasics
import GenmonConfig
import MailCommands
import OneTimeCode

/// `genmon email-commands`: set up commands by e-mail.
struct EmailCommandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "email-commands",
        abstract: "Set up commands by e-mail (the one-time codes that commands changing the generator need).",
        subcommands: [Enroll.self]
    )

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the secret of the one-time codes and show it once, as text, as an otpauth:// URI and as a QR code.",
            discussion: """
                Scan the QR code with an authenticator app (or type the secret into it). Commands that change the \
                generator then carry the app's current code in the subject: `generator: setremote=start code=123456`. \
                The secret is kept in the data directory (email-commands.secret, readable by genmon's user only); \
                restart genmon to use a new one. Enrolling again (--force) makes every earlier app entry useless.
                """)

        @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).") var config: String?
        @Option(help: "genmon's data directory (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
        @Flag(help: "Replace a secret enrolled before.") var force = false
        @Option(help: "QR code style: colors, dark-on-light, light-on-dark, none.") var qr = "colors"

        func run() async throws {
            GenmonLogHandler.level = .warning
            let path = config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
            var configuration = GenmonConfiguration()
            if let path {
                do { configuration = try GenmonConfiguration(file: try IniFile(contentsOf: path)) } catch { throw failure("\(error)") }
            }
            if let dataDir { configuration.dataDirectory = dataDir }
            let style: QRCode.TerminalStyle?
            switch qr {
            case "colors": style = .colors
            case "dark-on-light": style = .plainDarkOnLight
            case "light-on-dark": style = .plainLightOnDark
            case "none": style = nil
            default: throw failure("--qr must be colors, dark-on-light, light-on-dark or none")
            }
            do { try MonitorHost.secureDataDirectory(configuration.dataDirectory) } catch { throw failure("\(error)") }
            let secretPath = CommandSecret.path(in: configuration.dataDirectory)
            if FileManager.default.fileExists(atPath: secretPath), !force {
                throw failure("a secret is already enrolled (\(secretPath)); --force replaces it, and the authenticator entries made from it stop working")
            }
            var generator = SystemRandomNumberGenerator()
            let secret = TOTP.generateSecret(using: &generator)
            do { try CommandSecret.save(secret, to: secretPath) } catch { throw failure("\(error)") }
            let uri = OTPAuthURI.totp(secret: secret, issuer: "genmon", account: configuration.siteName)
            let text = Base32.encode(secret, padded: false)
            let grouped = stride(from: 0, to: text.count, by: 4).map { start -> String in
                let begin = text.index(text.startIndex, offsetBy: start)
                return String(text[begin..<(text.index(begin, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex)])
            }.joined(separator: " ")
            print("One-time codes for e-mail commands at \(configuration.siteName).")
            print("")
            print("Secret: \(grouped)")
            print("URI: \(uri)")
            if let style, let symbol = try? QRCode.encode(text: uri, errorCorrection: .medium) {
                print("")
                print(symbol.terminalText(style: style), terminator: "")
            }
            print("")
            print("Saved in \(secretPath) (readable by genmon's user only). This is the only time the secret is shown.")
            print("Restart genmon to use it. Commands that change the generator need the app's current code:")
            print("  Subject: generator: setremote=start code=123456")
            print("Only senders listed in email_command_senders (mymail.conf) are obeyed.")
        }
    }
}

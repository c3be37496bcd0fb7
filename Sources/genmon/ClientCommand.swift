import ArgumentParser
import Foundation
import LegacyProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `genmon client`: talk to a running monitor over the original's command socket, interactively
/// or once for a script.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Send commands to a running monitor over its command socket (port 9082).",
        discussion: """
        Without a command: an interactive prompt (arrow keys edit and recall earlier commands; 'help' lists \
        the monitor's commands; 'exit' leaves). With a command: send it, print the answer, exit. The \
        'generator: ' prefix is optional.

          genmon client                      interactive, to this computer's monitor
          genmon client 192.168.1.20         interactive, to another computer
          genmon client status               one report
          genmon client --json status        the same report as JSON
          genmon client pi.local setremote=stop
        """
    )

    @Option(name: .long, help: "Monitor host (the first argument may also name it).")
    var host: String?

    @Option(name: [.short, .long], help: "Command socket port.")
    var port = 9082

    @Flag(name: .long, help: "Ask for the JSON form of each report (status → status_json).")
    var json = false

    @Option(name: .long, help: "Seconds to wait for an answer.")
    var timeout = 60

    @Argument(help: "[host] [command ...]")
    var words: [String] = []

    func run() async throws {
        let (positionalHost, positionalCommand) = ToolArguments.client(words)
        let host = self.host ?? positionalHost ?? "127.0.0.1"
        var command = positionalCommand
        if json { command = ClientInput.jsonForm(of: command ?? "status") }
        let client: LegacyClient
        do {
            client = try await LegacyClient.connect(host: host, port: port)
        } catch {
            throw failure("\(error) (is genmon running, and is \(host):\(port) its command socket?)")
        }
        defer { Task { await client.close() } }
        if let command {
            do {
                let reply = try await client.command(command, timeout: .seconds(timeout))
                print(reply.hasSuffix("\n") ? String(reply.dropLast()) : reply)
            } catch {
                throw failure("\(error)")
            }
            return
        }
        try await interactive(client: client, host: host)
    }

    func interactive(client: LegacyClient, host: String) async throws {
        print(client.greeting)
        let terminal = TerminalLineReader()
        var current = client
        while let line = await terminal.readLine(prompt: "genmon> ") {
            switch ClientInput(line: line) {
            case .quit: return
            case .nothing: continue
            case let .send(request):
                do {
                    print(try await current.request(request, timeout: .seconds(timeout)))
                } catch LegacyClientError.closed {
                    // The monitor restarted: connect again once and repeat the request.
                    guard let again = try? await LegacyClient.connect(host: host, port: port) else {
                        throw failure("the monitor closed the connection and cannot be reached again")
                    }
                    current = again
                    print(again.greeting)
                    print(try await again.request(request, timeout: .seconds(timeout)))
                } catch {
                    throw failure("\(error)")
                }
            }
        }
    }
}

/// Reads lines from the terminal with editing and history (raw mode) or plainly from a pipe.
/// Blocking reads run on their own thread so they never hold a concurrency worker.
final class TerminalLineReader: @unchecked Sendable {
    private var editor = ClientLineEditor()
    private let isTerminal = isatty(STDIN_FILENO) == 1

    func readLine(prompt: String) async -> String? {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: self.isTerminal ? self.readEdited(prompt: prompt) : Swift.readLine())
            }.start()
        }
    }

    private func readEdited(prompt: String) -> String? {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return Swift.readLine() }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        defer { tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
        redraw(prompt: prompt)
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count <= 0 { return nil }
            for key in ClientLineEditor.keys(from: Array(buffer[0..<count])) {
                switch editor.apply(key) {
                case let .submit(line):
                    write("\r\n")
                    return line
                case .quit:
                    write("\r\n")
                    return nil
                case .redraw: redraw(prompt: prompt)
                case .none: break
                }
            }
        }
    }

    private func redraw(prompt: String) {
        let back = editor.line.count - editor.cursor
        write("\r\u{1B}[K" + prompt + editor.text + (back > 0 ? "\u{1B}[\(back)D" : ""))
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

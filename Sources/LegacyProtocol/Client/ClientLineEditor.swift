import Foundation

/// The editing logic of the interactive client's prompt: insert, delete, move, and walk the
/// history with the arrow keys. Pure: the terminal code feeds it keys and redraws its line.
public struct ClientLineEditor: Sendable {
    public enum Key: Sendable, Equatable {
        case character(Character)
        case backspace, delete, left, right, home, end, up, down
        case enter
        /// Ctrl-C: drop the line.
        case cancel
        /// Ctrl-D: end of input on an empty line, delete otherwise.
        case endOfInput
        /// Ctrl-U: delete to the start of the line.
        case killLine
    }

    public enum Action: Sendable, Equatable {
        case redraw
        case submit(String)
        case quit
        case none
    }

    public private(set) var line: [Character] = []
    public private(set) var cursor = 0
    public private(set) var history: [String] = []
    private var historyIndex: Int?
    private var draft: [Character] = []
    public let historyLimit: Int

    public init(history: [String] = [], historyLimit: Int = 500) {
        self.history = Array(history.suffix(historyLimit))
        self.historyLimit = historyLimit
    }

    public var text: String { String(line) }

    public mutating func apply(_ key: Key) -> Action {
        switch key {
        case let .character(character):
            line.insert(character, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return .none }
            cursor -= 1
            line.remove(at: cursor)
        case .delete:
            guard cursor < line.count else { return .none }
            line.remove(at: cursor)
        case .left:
            guard cursor > 0 else { return .none }
            cursor -= 1
        case .right:
            guard cursor < line.count else { return .none }
            cursor += 1
        case .home: cursor = 0
        case .end: cursor = line.count
        case .killLine:
            line.removeFirst(cursor)
            cursor = 0
        case .up:
            guard !history.isEmpty else { return .none }
            let index: Int
            if let current = historyIndex {
                guard current > 0 else { return .none }
                index = current - 1
            } else {
                draft = line
                index = history.count - 1
            }
            historyIndex = index
            line = Array(history[index])
            cursor = line.count
        case .down:
            guard let current = historyIndex else { return .none }
            if current + 1 < history.count {
                historyIndex = current + 1
                line = Array(history[current + 1])
            } else {
                historyIndex = nil
                line = draft
            }
            cursor = line.count
        case .enter:
            let submitted = text
            record(submitted)
            reset()
            return .submit(submitted)
        case .cancel:
            reset()
        case .endOfInput:
            if line.isEmpty { return .quit }
            return apply(.delete)
        }
        return .redraw
    }

    /// Adds a line to the history (not blanks, not a repeat of the last one).
    public mutating func record(_ entry: String) {
        let trimmed = entry.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, history.last != entry else { return }
        history.append(entry)
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
    }

    private mutating func reset() {
        line = []
        cursor = 0
        historyIndex = nil
        draft = []
    }

    /// Decodes terminal input bytes into keys (ANSI escape sequences for the arrows, Home, End, Delete).
    public static func keys(from bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        var pending: [UInt8] = []
        func flushText() {
            guard !pending.isEmpty else { return }
            for character in String(decoding: pending, as: UTF8.self) { keys.append(.character(character)) }
            pending.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x1B where index + 2 < bytes.count && (bytes[index + 1] == 0x5B || bytes[index + 1] == 0x4F):
                flushText()
                let code = bytes[index + 2]
                index += 3
                switch code {
                case 0x41: keys.append(.up)
                case 0x42: keys.append(.down)
                case 0x43: keys.append(.right)
                case 0x44: keys.append(.left)
                case 0x48: keys.append(.home)
                case 0x46: keys.append(.end)
                case 0x33 where index < bytes.count && bytes[index] == 0x7E:
                    index += 1
                    keys.append(.delete)
                default:
                    // Skip the rest of an unknown sequence (digits, semicolons, then a final byte).
                    while index < bytes.count, bytes[index] < 0x40 { index += 1 }
                    if index < bytes.count { index += 1 }
                }
                continue
            case 0x0D, 0x0A: flushText(); keys.append(.enter)
            case 0x7F, 0x08: flushText(); keys.append(.backspace)
            case 0x03: flushText(); keys.append(.cancel)
            case 0x04: flushText(); keys.append(.endOfInput)
            case 0x15: flushText(); keys.append(.killLine)
            case 0x01: flushText(); keys.append(.home)
            case 0x05: flushText(); keys.append(.end)
            case 0x02: flushText(); keys.append(.left)
            case 0x06: flushText(); keys.append(.right)
            case 0x10: flushText(); keys.append(.up)
            case 0x0E: flushText(); keys.append(.down)
            case 0x00..<0x20, 0x1B: flushText()
            default: pending.append(byte)
            }
            index += 1
        }
        flushText()
        return keys
    }
}

/// What the interactive client does with a typed line.
public enum ClientInput: Sendable, Equatable {
    case quit
    case nothing
    /// Send this request (the `generator: ` prefix added when the user left it out).
    case send(String)

    public init(line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "exit" || lowered == "quit" || lowered == "generator: exit" || lowered == "generator:exit" {
            self = .quit
        } else if trimmed.isEmpty {
            self = .nothing
        } else {
            self = .send(LegacyClient.prefixed(trimmed))
        }
    }

    /// `--json`: each report name becomes its JSON form (`status` → `status_json`).
    public static func jsonForm(of command: String) -> String {
        command.split(separator: " ").map { token -> String in
            let name = token.lowercased()
            if LegacyCommand(rawValue: name + "_json") != nil { return name + "_json" }
            return String(token)
        }.joined(separator: " ")
    }
}

import Foundation

extension ThresholdRuleSpec {
    /// The longest rule text read, and the longest duration and largest number accepted.
    static let maximumLength = 200
    static let maximumDuration: Double = 7 * 86_400
    static let maximumMagnitude: Double = 1e6

    /// Parses a rule's text (the value of a `threshold_<name>` line).
    public init(name: String, text: String) throws(RuleSyntaxError) {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw RuleSyntaxError("the rule's name (after threshold_) must be letters, digits, _ or -")
        }
        guard text.count <= Self.maximumLength else { throw RuleSyntaxError("longer than \(Self.maximumLength) characters") }
        var tokens = Self.tokens(text)[...]
        guard let readingWord = tokens.popFirst() else {
            throw RuleSyntaxError("empty; expected e.g. 'battery below 12.2 V for 5 min'")
        }
        guard let reading = Reading(rawValue: readingWord.replacingOccurrences(of: "-", with: "_")) else {
            throw RuleSyntaxError("'\(readingWord)' is not a reading; use one of " + Reading.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let direction: Direction
        switch tokens.popFirst() {
        case "below", "<": direction = .below
        case "above", ">": direction = .above
        case let word: throw RuleSyntaxError("expected 'below' or 'above' after \(readingWord), found '\(word ?? "nothing")'")
        }
        let limit = try Self.amount(&tokens, reading: reading, what: "the limit")
        var duration: Double = 0
        var hysteresis: Double?
        var category = NotificationCategory.warn
        var seen = Set<String>()
        while let word = tokens.popFirst() {
            guard seen.insert(word).inserted else { throw RuleSyntaxError("'\(word)' given twice") }
            switch word {
            case "for": duration = try Self.duration(&tokens)
            case "hysteresis":
                let value = try Self.amount(&tokens, reading: reading, what: "the hysteresis")
                guard value >= 0 else { throw RuleSyntaxError("the hysteresis cannot be negative") }
                hysteresis = value
            case "category":
                guard let nameWord = tokens.popFirst(), let parsed = NotificationCategory(rawValue: nameWord) else {
                    throw RuleSyntaxError("category must be outage, error, warn or info")
                }
                category = parsed
            default:
                throw RuleSyntaxError("unexpected '\(word)'; after the limit come 'for <duration>', 'hysteresis <amount>', 'category <name>'")
            }
        }
        self.init(name: name, reading: reading, direction: direction, limit: limit, duration: duration,
                  hysteresis: hysteresis, category: category)
    }

    /// Words, lower-cased, with numbers split from units and comparison signs from their neighbours
    /// (`12.2V` → `12.2 v`, `<12` → `< 12`, `5min` → `5 min`).
    static func tokens(_ text: String) -> [String] {
        var spaced = ""
        var previous: Character = " "
        for character in text.lowercased() {
            let isNumberPart = character.isNumber || character == "."
            let wasNumberPart = previous.isNumber || previous == "."
            if character == "<" || character == ">" {
                spaced += " \(character) "
            } else if (wasNumberPart && (character.isLetter || character == "%")) || (previous.isLetter && isNumberPart && previous != "_") {
                spaced += " \(character)"
            } else {
                spaced.append(character)
            }
            previous = character
        }
        return spaced.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
    }

    /// A number, with the reading's unit after it if any (checked to be that unit).
    static func amount(_ tokens: inout ArraySlice<String>, reading: Reading, what: String) throws(RuleSyntaxError) -> Double {
        guard let word = tokens.popFirst() else { throw RuleSyntaxError("\(what) is missing") }
        guard let value = Double(word), value.isFinite else { throw RuleSyntaxError("\(what) '\(word)' is not a number") }
        guard abs(value) <= maximumMagnitude else {
            throw RuleSyntaxError("\(what) \(word) is too large (at most \(Int(maximumMagnitude)) either way)")
        }
        // A unit of any reading is taken (and checked); any other word is left for the clauses.
        if let unit = tokens.first, Set(Reading.allCases.map { $0.unit.lowercased() }).contains(unit) {
            guard unit == reading.unit.lowercased() else {
                throw RuleSyntaxError("\(reading.rawValue) is measured in \(reading.unit), not '\(unit)'")
            }
            tokens.removeFirst()
        }
        return value
    }

    /// `5 min`, `30s`, `1 h`, `90 seconds`.
    static func duration(_ tokens: inout ArraySlice<String>) throws(RuleSyntaxError) -> Double {
        guard let word = tokens.popFirst(), let value = Double(word), value.isFinite, value >= 0 else {
            throw RuleSyntaxError("'for' needs a duration such as 30 s or 5 min")
        }
        let scale: Double
        switch tokens.popFirst() {
        case "s", "sec", "secs", "second", "seconds": scale = 1
        case "m", "min", "mins", "minute", "minutes": scale = 60
        case "h", "hr", "hrs", "hour", "hours": scale = 3600
        case let unit: throw RuleSyntaxError("'\(unit ?? "nothing")' is not a unit of time; use s, min or h")
        }
        let seconds = value * scale
        guard seconds <= maximumDuration else { throw RuleSyntaxError("a duration longer than 7 days is not useful here") }
        return seconds
    }
}

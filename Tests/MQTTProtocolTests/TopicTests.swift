import Testing
import MQTTProtocol

@Suite("Topic names, filters and matching")
struct TopicTests {
    @Test("topic names", arguments: [
        ("a", true), ("a/b/c", true), ("/", true), ("//", true), ("/a", true), ("a/", true), ("$SYS/x", true),
        ("generator/Status/Engine/Battery Voltage", true), ("ü/€", true),
        ("", false), ("a/+", false), ("#", false), ("a/#", false), ("a+b", false), ("a#", false), ("a\u{0}b", false),
    ])
    func names(topic: String, valid: Bool) {
        #expect(MQTTTopic.isValidName(topic) == valid)
    }

    @Test("topic filters", arguments: [
        ("#", true), ("+", true), ("a/#", true), ("a/+/b", true), ("+/+", true), ("/+", true), ("+/", true), ("a//b", true),
        ("$SYS/#", true), ("$share/group/a/#", true), ("$share/g/+", true), ("$shared/a", true),
        ("", false), ("a/#/b", false), ("a#", false), ("a/b#", false), ("#/", false), ("a+", false), ("a/+b", false),
        ("$share/", false), ("$share/g", false), ("$share/g/", false), ("$share//a", false), ("$share/g+/a", false),
        ("$share/g#/a", false), ("a\u{0}", false),
    ])
    func filters(filter: String, valid: Bool) {
        #expect(MQTTTopic.isValidFilter(filter) == valid)
    }

    /// (filter, topic, matches): the spec's examples (§4.7) and the edge cases around them.
    static let matchTable: [(String, String, Bool)] = [
        ("sport/tennis/player1/#", "sport/tennis/player1", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        ("sport/#", "sport", true),
        ("#", "sport/tennis", true),
        ("#", "/", true),
        ("sport/tennis/+", "sport/tennis/player1", true),
        ("sport/tennis/+", "sport/tennis/player1/tournament", false),
        ("sport/+", "sport", false),
        ("sport/+", "sport/", true),
        ("+/+", "/finance", true),
        ("/+", "/finance", true),
        ("+", "/finance", false),
        ("+", "finance", true),
        ("+", "", false),
        ("a/b", "a/b", true),
        ("a/b", "a/b/c", false),
        ("a/b/c", "a/b", false),
        ("a/b", "A/b", false),
        ("a//b", "a//b", true),
        ("a/+/b", "a//b", true),
        ("#", "$SYS/uptime", false),
        ("+/uptime", "$SYS/uptime", false),
        ("$SYS/#", "$SYS/uptime", true),
        ("$SYS/+", "$SYS/uptime", true),
        ("$share/group/a/+", "a/b", true),
        ("$share/group/#", "a/b", true),
        ("$share/group/a/+", "b/b", false),
        ("generator/#", "generator/Status/Engine/Battery Voltage", true),
        ("homeassistant/+/generator/+/config", "homeassistant/sensor/generator/rpm/config", true),
    ]

    @Test("filter matching follows the spec", arguments: 0..<matchTable.count)
    func matching(index: Int) {
        let (filter, topic, expected) = Self.matchTable[index]
        #expect(MQTTTopic.matches(filter: filter, topic: topic) == expected, "\(filter) vs \(topic)")
    }
}

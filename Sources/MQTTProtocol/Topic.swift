/// Topic names, topic filters and how filters match names.
///
/// Rules (MQTT 3.1.1 §4.7, MQTT 5 §4.7): a topic name is 1...65535 bytes of MQTT UTF-8 with no `+` or `#`.
/// In a filter, `#` must be a whole level and the last one; `+` must be a whole level. Filters that start
/// with a wildcard do not match topic names that start with `$` (broker-internal topics such as `$SYS`).
/// A shared subscription `$share/<group>/<filter>` matches as its `<filter>`.
public enum MQTTTopic {
    private static let slash = UInt8(ascii: "/")
    private static let plus = UInt8(ascii: "+")
    private static let hash = UInt8(ascii: "#")
    private static let dollar = UInt8(ascii: "$")
    private static let sharePrefix = Array("$share/".utf8)

    /// Throws unless `topic` may be published to.
    public static func validateName(_ topic: String) throws(MQTTProtocolError) {
        let utf8 = topic.utf8
        guard !utf8.isEmpty else { throw .invalidTopicName(topic) }
        try MQTTString.validate(utf8)
        if utf8.contains(plus) || utf8.contains(hash) { throw .invalidTopicName(topic) }
    }

    /// True when `topic` may be published to.
    public static func isValidName(_ topic: String) -> Bool {
        do { try validateName(topic); return true } catch { return false }
    }

    /// Throws unless `filter` may be subscribed to.
    public static func validateFilter(_ filter: String) throws(MQTTProtocolError) {
        let utf8 = Array(filter.utf8)
        guard !utf8.isEmpty else { throw .invalidTopicFilter(filter) }
        try MQTTString.validate(filter.utf8)
        var body = utf8[...]
        if utf8.starts(with: sharePrefix) {
            // $share/<group>/<filter>: the group is one non-empty level without wildcards.
            let afterPrefix = utf8[sharePrefix.count...]
            guard let groupEnd = afterPrefix.firstIndex(of: slash), groupEnd > afterPrefix.startIndex else {
                throw .invalidTopicFilter(filter)
            }
            let group = afterPrefix[..<groupEnd]
            if group.contains(plus) || group.contains(hash) { throw .invalidTopicFilter(filter) }
            body = utf8[(groupEnd + 1)...]
            guard !body.isEmpty else { throw .invalidTopicFilter(filter) }
        }
        let levels = body.split(separator: slash, omittingEmptySubsequences: false)
        for (position, level) in levels.enumerated() {
            if level.contains(hash) && (level.count != 1 || position != levels.count - 1) { throw .invalidTopicFilter(filter) }
            if level.contains(plus) && level.count != 1 { throw .invalidTopicFilter(filter) }
        }
    }

    /// True when `filter` may be subscribed to.
    public static func isValidFilter(_ filter: String) -> Bool {
        do { try validateFilter(filter); return true } catch { return false }
    }

    /// True when `filter` is a shared subscription (`$share/<group>/<filter>`).
    public static func isSharedSubscription(_ filter: String) -> Bool {
        filter.utf8.starts(with: sharePrefix)
    }

    /// The part of a filter that is matched against topic names (drops a `$share/<group>/` prefix).
    public static func matchingPart(of filter: String) -> Substring {
        guard isSharedSubscription(filter) else { return filter[...] }
        let afterPrefix = filter.utf8.dropFirst(sharePrefix.count)
        guard let groupEnd = afterPrefix.firstIndex(of: slash) else { return filter[filter.endIndex...] }
        return Substring(filter.utf8[filter.utf8.index(after: groupEnd)...])
    }

    /// True when a message published to `topic` is delivered to a subscription on `filter`.
    ///
    /// Both are assumed valid; invalid input simply does not match.
    public static func matches(filter: String, topic: String) -> Bool {
        let filterBytes = matchingPart(of: filter).utf8
        let topicBytes = topic.utf8
        guard let first = topicBytes.first, let filterFirst = filterBytes.first else { return false }
        if first == dollar && (filterFirst == plus || filterFirst == hash) { return false }

        var filterLevels = filterBytes.split(separator: slash, omittingEmptySubsequences: false).makeIterator()
        var topicLevels = topicBytes.split(separator: slash, omittingEmptySubsequences: false).makeIterator()
        while true {
            let filterLevel = filterLevels.next()
            let topicLevel = topicLevels.next()
            switch (filterLevel, topicLevel) {
            case (nil, nil):
                return true
            case let (filterLevel?, _) where filterLevel.count == 1 && filterLevel.first == hash:
                return true  // `#` matches the parent level too ("a/#" matches "a") and everything below.
            case (nil, _), (_, nil):
                return false
            case let (filterLevel?, topicLevel?):
                if filterLevel.count == 1 && filterLevel.first == plus { continue }
                if !filterLevel.elementsEqual(topicLevel) { return false }
            }
        }
    }
}

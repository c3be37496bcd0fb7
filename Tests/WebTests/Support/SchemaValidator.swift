import Foundation

/// Checks JSON against the OpenAPI document's schemas: the subset the document uses ($ref, type,
/// nullable, enum, required, properties, additionalProperties: false, items, oneOf, formats
/// date-time and date, minimum, maximum, minLength).
struct SchemaValidator: @unchecked Sendable {
    let document: [String: Any]

    init(_ bytes: [UInt8]) throws {
        guard let document = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw HarnessError("openapi.json is not a JSON object")
        }
        self.document = document
    }

    var paths: [String: [String: Any]] { document["paths"] as? [String: [String: Any]] ?? [:] }

    func operation(_ path: String, _ method: String) -> [String: Any]? { paths[path]?[method.lowercased()] as? [String: Any] }

    /// The documented schema of a response, or nil when the status is not documented.
    func responseSchema(_ path: String, _ method: String, status: Int) -> (documented: Bool, schema: [String: Any]?) {
        guard let responses = operation(path, method)?["responses"] as? [String: Any],
              let response = responses[String(status)] as? [String: Any] else { return (false, nil) }
        let content = response["content"] as? [String: Any]
        let json = content?["application/json"] as? [String: Any]
        return (true, json?["schema"] as? [String: Any])
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/components/schemas/") else { return schema }
        let name = String(ref.dropFirst("#/components/schemas/".count))
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return resolve(schemas?[name] as? [String: Any] ?? [:])
    }

    /// Problems found, empty when the value fits.
    func validate(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(schema)
        if let choices = schema["oneOf"] as? [[String: Any]] {
            return choices.contains { validate(value, $0, at: path).isEmpty } ? [] : ["\(path): matches none of oneOf"]
        }
        if value is NSNull { return schema["nullable"] as? Bool == true || schema.isEmpty ? [] : ["\(path): null is not allowed"] }
        var problems: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        let isBool = String(describing: type(of: value)) == "__NSCFBoolean" || type(of: value) == Bool.self
        switch schema["type"] as? String {
        case "object"?:
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path): missing \(key)") }
            for (key, item) in object {
                if let property = properties[key] as? [String: Any] {
                    problems += validate(item, property, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): \(key) is not documented")
                }
            }
        case "array"?:
            guard let array = value as? [Any] else { return ["\(path): not an array"] }
            let items = schema["items"] as? [String: Any] ?? [:]
            for (index, item) in array.enumerated() { problems += validate(item, items, at: "\(path)[\(index)]") }
        case "string"?:
            guard let text = value as? String else { return ["\(path): not a string"] }
            if let minimum = schema["minLength"] as? Int, text.count < minimum { problems.append("\(path): shorter than \(minimum)") }
            switch schema["format"] as? String {
            case "date-time"?:
                if ISO8601DateFormatter().date(from: text) == nil { problems.append("\(path): \(text) is not an ISO-8601 time") }
            case "date"?:
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.locale = Locale(identifier: "en_US_POSIX")
                if formatter.date(from: text) == nil { problems.append("\(path): \(text) is not a date") }
            default: break
            }
        case "integer"?:
            guard !isBool, let number = value as? NSNumber, Double(truncating: number) == Double(truncating: number).rounded() else {
                return ["\(path): not an integer"]
            }
            if let minimum = schema["minimum"] as? Int, number.intValue < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Int, number.intValue > maximum { problems.append("\(path): above \(maximum)") }
        case "number"?:
            if isBool || !(value is NSNumber) { problems.append("\(path): not a number") }
        case "boolean"?:
            if !isBool { problems.append("\(path): not a boolean") }
        default:
            break
        }
        return problems
    }
}

/// Masks what must not leave the machine in a support bundle: passwords, tokens, keys, secrets and
/// addresses people sign in with, in INI files (`key = value`), keeping everything else as it is.
public enum SecretMask {
    public static let mask = "********"

    /// Parts of key names whose values are secret (`password`, `smtp_password`, `access_token`,
    /// `api_key`, `email_pw`, `secret`, `webhook`, `sid`, `auth`, Pushover's `appid` and `userid`, ...),
    /// matched case-insensitively.
    static let secretWords = ["pass", "token", "secret", "key", "auth", "sid", "webhook", "credential", "cookie", "pin", "otp",
                              "appid", "userid", "api", "pw"]
    /// Keys that contain one of the words but are harmless and useful for diagnosis.
    static let harmless: Set<String> = ["keyword", "usepin", "use_pin", "authtype", "auth_type", "smtpauth", "disablesmtpauth"]

    /// True when a key's value is masked.
    public static func isSecret(key: String) -> Bool {
        let name = key.lowercased().trimmingCharacters(in: .whitespaces)
        guard !harmless.contains(name) else { return false }
        return secretWords.contains { name.contains($0) }
    }

    /// The INI text with every secret value replaced by `mask` (empty values stay empty, so the
    /// reader sees that none was set). Comment lines are kept; `key: value` lines are handled too.
    public static func maskINI(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { maskLine(String($0)) }.joined(separator: "\n")
    }

    static func maskLine(_ line: String) -> String {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let first = trimmed.first, first != "#", first != ";", first != "[" else { return line }
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return line }
        let key = String(line[..<separator])
        let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        guard isSecret(key: key), !value.isEmpty else { return line }
        return key + String(line[separator]) + " " + mask
    }

    /// Masks each of `secrets` wherever it appears in free text (log lines): values from the config
    /// files that may have been logged.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in Set(secrets) where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }

    /// The secret values in INI text, for `scrub`.
    public static func secretValues(inINI text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard let first = trimmed.first, first != "#", first != ";", first != "[",
                  let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            return isSecret(key: String(line[..<separator])) && !value.isEmpty ? value : nil
        }
    }
}

import Foundation

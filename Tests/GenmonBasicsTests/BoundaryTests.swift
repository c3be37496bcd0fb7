import Foundation
import GenmonTesting
import Testing

/// The architecture's two rules, checked on the source tree: interfaces render from the snapshot
/// and never talk Modbus, and a register's meaning lives in Generac alone.
@Suite("Module boundaries")
struct BoundaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Modules that show or send things to people: they depend on Monitor's snapshot and command door only.
    static let interfaceModules = ["LegacyProtocol", "Web", "Store", "Notify", "MailIntake", "MailCommands", "MQTT", "GPIO", "Platform", "HomeAutomation",
                                   "Appliance"]

    static func swiftFiles(under folder: String) -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.compactMap { url in
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return (String(url.path.dropFirst(root.path.count + 1)), text)
        }
    }

    @Test("no interface module imports the Modbus layers")
    func interfacesDoNotImportModbus() async {
        var offenders: [String] = []
        var pacer = CooperativePacer()
        for file in Self.interfaceModules.flatMap({ Self.swiftFiles(under: "Sources/" + $0) }) {
            await pacer.pace()
            let importsModbus = file.text.split(separator: "\n").contains { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("import ModbusTransport") || trimmed.hasPrefix("import ModbusCore")
                    || trimmed.hasPrefix("@testable import ModbusTransport")
            }
            if importsModbus { offenders.append(file.path) }
        }
        #expect(offenders.isEmpty, "these interface files import the Modbus layers: \(offenders)")
        #expect(!Self.swiftFiles(under: "Sources/Web").isEmpty, "the source tree was not found at \(Self.root.path)")
    }

    @Test("no interface target depends on the Modbus layers in Package.swift")
    func manifestKeepsInterfacesApart() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for module in Self.interfaceModules {
            guard let start = manifest.range(of: "name: \"\(module)\"") else { continue }
            let rest = manifest[start.upperBound...]
            // The declaration ends where the next target's name begins.
            let end = rest.range(of: "name: \"")?.lowerBound ?? rest.endIndex
            let declaration = rest[..<end]
            #expect(!declaration.contains("\"ModbusTransport\"") && !declaration.contains("\"ModbusCore\""),
                    "\(module) lists a Modbus layer among its dependencies")
        }
    }

    @Test("outside Generac only the diagnostics view reads raw register words")
    func rawWordsStayInGenerac() async {
        let allowed: Set<String> = ["Sources/Monitor/RegisterDiagnostics.swift"]
        let patterns = ["image[", ".image[", "words(from:", "registers.word(at:", "Register.", "0x0"]
        let files = Self.swiftFiles(under: "Sources").filter { !$0.path.hasPrefix("Sources/Generac/") && !allowed.contains($0.path) }
        var offenders: [String] = []
        var pacer = CooperativePacer()
        for file in files where Self.interfaceModules.contains(where: { file.path.hasPrefix("Sources/\($0)/") }) {
            await pacer.pace()
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for pattern in patterns where code.contains(pattern) {
                    // A hex literal is a register only where it is used as an address; values and masks are fine.
                    if pattern == "0x0", !(code.contains("address") || code.contains("image") || code.contains("register")) { continue }
                    offenders.append("\(file.path):\(number + 1): \(code.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        // The monitor owns the image it polls into, through Generac's API (store, log slots), never by index.
        for file in files where file.path.hasPrefix("Sources/Monitor/") || file.path.hasPrefix("Sources/GenmonTesting/") {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("image[") || line.contains("words(from:") {
                offenders.append("\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "raw register access outside Generac and the diagnostics view:\n\(offenders.joined(separator: "\n"))")
    }
}

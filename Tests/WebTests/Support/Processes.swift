import Foundation
import Testing

/// The built `genmon` executable next to the test bundle, when it was built.
let genmonBinary: URL? = {
    let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("genmon")
    return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
}()

/// Child processes run at the lowest priority, so other suites' timing checks keep their CPU.
let niceCommand: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") ? "/usr/bin/nice" : nil

/// Runs `genmon` to the end on a plain thread (never blocking the cooperative pool).
func genmon(_ arguments: [String], input: String? = nil) async throws -> (output: String, status: Int32) {
    let executable = try #require(genmonBinary)
    return try await withCheckedThrowingContinuation { continuation in
        Thread {
            do {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: niceCommand ?? executable.path)
                process.arguments = niceCommand == nil ? arguments : ["-n", "19", executable.path] + arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                let stdin = Pipe()
                process.standardInput = input == nil ? FileHandle.nullDevice : stdin
                try process.run()
                if let input {
                    stdin.fileHandleForWriting.write(Data(input.utf8))
                    try? stdin.fileHandleForWriting.close()
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (String(decoding: data, as: UTF8.self), process.terminationStatus))
            } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}

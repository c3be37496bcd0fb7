import Foundation
import GenmonTesting
import Testing

/// The built `genmon` executable next to the test bundle, when it was built.
let genmonBinary: URL? = GenmonExecutable.url

/// Runs `genmon` to the end (standard output and error together), at low priority.
func genmon(_ arguments: [String], input: String? = nil) async throws -> (output: String, status: Int32) {
    try await GenmonExecutable.run(arguments, input: input)
}

import CPosixSupport
import Foundation
import Testing

/// Most of genmon's resident memory is mapped program code, much of it run only at start.
/// Letting those pages go must shrink the resident set and leave every function working.
@Suite("Letting go of code pages", .serialized)
struct CodePageReleaseTests {
    /// The whole of a /proc file: they report a size of 0, so a read sized by it would stop early.
    static func procText(_ path: String) throws -> String {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Resident kilobytes of the mappings whose header line in /proc/self/smaps `matches`.
    static func residentKilobytes(ofMappings matches: (_ header: Substring, _ fields: [Substring]) -> Bool) throws -> Int {
        var total = 0
        var counted = false
        for line in try Self.procText("/proc/self/smaps").split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5, !first.hasSuffix(":") {
                counted = matches(line, fields)
            } else if counted, fields.first == "Rss:", fields.count > 1, let kilobytes = Int(fields[1]) {
                total += kilobytes
            }
        }
        return total
    }

    /// Resident kilobytes of executable file mappings.
    static func residentCodeKilobytes() throws -> Int {
        try residentKilobytes { _, fields in fields[1] == "r-xp" && fields.count >= 6 && fields[5].hasPrefix("/") }
    }

    /// Resident kilobytes of the mappings of `path`.
    static func residentKilobytes(ofMappingsOf path: String) throws -> Int {
        try residentKilobytes { header, _ in header.hasSuffix(path) }
    }

    @Test("resident code shrinks, and the code still runs afterwards")
    func releasesAndKeepsWorking() throws {
        let before = try Self.residentCodeKilobytes()
        let released = genmon_release_code_pages()
        let after = try Self.residentCodeKilobytes()
        #expect(released > 1 << 20, "a Swift test process has more than a MiB of code resident")
        // What runs between the two readings (here and in tests running beside this one) comes back
        // at once, so only a clear drop is asked for.
        #expect(after < before, "resident code \(before) kB before, \(after) kB after")
        // Code paged out is paged back in on use: sorting, JSON and formatting all still work.
        let numbers = (0..<1000).map { ($0 * 7919) % 1000 }.sorted()
        #expect(numbers == Array(0..<1000))
        let data = try JSONEncoder().encode(["released": released])
        #expect(try JSONDecoder().decode([String: Int].self, from: data)["released"] == released)
        #expect(String(format: "%.1f", 2.25) == "2.2" || String(format: "%.1f", 2.25) == "2.3")
    }

    @Test("releasing twice in a row is harmless")
    func releasingAgainIsHarmless() {
        _ = genmon_release_code_pages()
        #expect(genmon_release_code_pages() >= 0)
    }

    /// The type of the file system holding `path` (the longest mount point above it in /proc/mounts).
    static func fileSystemType(of path: String) throws -> String {
        let mounts = try Self.procText("/proc/mounts").split(separator: "\n").map { $0.split(separator: " ") }
        let holding = mounts.filter { $0.count > 2 && (path + "/").hasPrefix($0[1] == "/" ? "/" : $0[1] + "/") }
        return holding.max { $0[1].count < $1[1].count }.map { String($0[2]) } ?? "unknown"
    }

    /// Maps `path` read-only and private, and reads every page of it so it is resident.
    static func mapAndTouch(_ path: String, bytes: Int) throws -> UnsafeMutableRawPointer {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let address = try #require(mmap(nil, bytes, PROT_READ, MAP_PRIVATE, fd, 0).flatMap { $0 == MAP_FAILED ? nil : $0 })
        var sum = 0
        for offset in stride(from: 0, to: bytes, by: 4096) { sum &+= Int(address.load(fromByteOffset: offset, as: UInt8.self)) }
        #expect(sum == bytes / 4096 * 7)
        return address
    }

    @Test("a mapping whose path is longer than the line buffer is let go, and so are the mappings listed after it")
    func longPathsDoNotConfuseTheMapsReader() throws {
        // /proc/self/maps lines are read 512 bytes at a time: a 700-character path splits its line.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-maps-\(getpid())")
        defer { try? FileManager.default.removeItem(at: base) }
        let deep = (0..<7).reduce(base) { url, level in url.appendingPathComponent(String(repeating: "d\(level)", count: 50)) }
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let bytes = 64 * 4096
        let page = Data(repeating: 7, count: bytes)
        let long = deep.appendingPathComponent("long-\(String(repeating: "x", count: 60))").path
        let short = base.appendingPathComponent("short").path
        try page.write(to: URL(fileURLWithPath: long))
        try page.write(to: URL(fileURLWithPath: short))
        #expect(long.utf8.count > 600)
        let longMapping = try Self.mapAndTouch(long, bytes: bytes)
        let shortMapping = try Self.mapAndTouch(short, bytes: bytes)
        defer { munmap(longMapping, bytes); munmap(shortMapping, bytes) }
        // Pages of a tmpfs file cannot be paged out without swap: only the parsing is checked there.
        let onTmpfs = try Self.fileSystemType(of: base.path) == "tmpfs"
        let residentBefore = try Self.residentKilobytes(ofMappingsOf: short)
        #expect(residentBefore == bytes / 1024, "\(residentBefore) kB of the short mapping resident after reading it")

        #expect(genmon_release_code_pages() > 0)
        if !onTmpfs {
            #expect(try Self.residentKilobytes(ofMappingsOf: long) == 0, "the long-path mapping was let go")
            #expect(try Self.residentKilobytes(ofMappingsOf: short) == 0, "the mapping after it was let go")
        }
        // Read back intact from the file.
        #expect(longMapping.load(fromByteOffset: bytes - 1, as: UInt8.self) == 7)
        #expect(shortMapping.load(fromByteOffset: 0, as: UInt8.self) == 7)
    }
}

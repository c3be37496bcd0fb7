import Foundation

/// Carries out install steps: into `/`, or into a staging tree (`root`), where commands are only
/// listed (a package's maintainer scripts run them) and ownership is left to the packager.
public struct InstallExecutor {
    /// `/`, or the staging tree's folder.
    public let root: String
    /// Runs a command and returns its exit status and what it printed.
    public let runCommand: ([String]) throws -> (status: Int32, output: String)
    /// Where each step is reported.
    public let report: (String) -> Void

    public init(root: String, runCommand: @escaping ([String]) throws -> (status: Int32, output: String), report: @escaping (String) -> Void) {
        self.root = root
        self.runCommand = runCommand
        self.report = report
    }

    public var isStaging: Bool { root != "/" }

    /// A failed step: what and why.
    public struct Failure: Error, CustomStringConvertible {
        public let step: String
        public let reason: String
        public var description: String { "\(step): \(reason)" }
    }

    /// The path in the tree this executor writes to.
    public func staged(_ path: String) -> String {
        isStaging ? (root.hasSuffix("/") ? String(root.dropLast()) : root) + path : path
    }

    public func perform(_ steps: [InstallStep]) throws(Failure) {
        for step in steps {
            do { try perform(step) } catch let failure as Failure { throw failure } catch {
                throw Failure(step: step.description, reason: "\(error)")
            }
        }
    }

    func perform(_ step: InstallStep) throws {
        let files = FileManager.default
        switch step {
        case let .copyExecutable(from, to):
            let target = staged(to)
            try files.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // A new file renamed over the old one: the running binary (an upgrade) keeps its inode.
            let temporary = target + ".new"
            try? files.removeItem(atPath: temporary)
            try files.copyItem(atPath: from, toPath: temporary)
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            guard rename(temporary, target) == 0 else { throw Failure(step: step.description, reason: String(cString: strerror(errno))) }
            report(step.description)
        case let .createDirectory(path, mode, owner):
            let target = staged(path)
            try files.createDirectory(atPath: target, withIntermediateDirectories: true)
            try files.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
            if let owner { try own(target, owner: owner, recursive: false) }
            report(step.description)
        case let .writeFile(path, contents, mode, owner):
            let target = staged(path)
            try files.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: target, atomically: true, encoding: .utf8)
            try files.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
            if let owner { try own(target, owner: owner, recursive: false) }
            report(step.description)
        case let .own(path, owner, recursive):
            try own(staged(path), owner: owner, recursive: recursive)
            if !isStaging { report(step.description) }
        case .keep:
            report(step.description)
        case let .run(command, _):
            guard !isStaging else {
                report("skipped in a staging tree: " + step.description)
                return
            }
            let (status, output) = try runCommand(command)
            guard status == 0 else {
                throw Failure(step: step.description, reason: "exit status \(status): " + output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            report(step.description)
        case let .remove(path):
            let target = staged(path)
            if files.fileExists(atPath: target) { try files.removeItem(atPath: target) }
            report(step.description)
        case let .removeTree(path):
            let target = staged(path)
            if files.fileExists(atPath: target) { try files.removeItem(atPath: target) }
            report(step.description)
        }
    }

    /// chown to the user and its group; nothing in a staging tree (the user exists only on the target).
    func own(_ path: String, owner: String, recursive: Bool) throws {
        guard !isStaging else { return }
        guard let user = getpwnam(owner) else { throw Failure(step: "chown \(path)", reason: "no user \(owner)") }
        let (uid, gid) = (user.pointee.pw_uid, user.pointee.pw_gid)
        var paths = [path]
        if recursive, let walker = FileManager.default.enumerator(atPath: path) {
            paths += walker.compactMap { $0 as? String }.map { path + "/" + $0 }
        }
        for item in paths where lchown(item, uid, gid) != 0 {
            throw Failure(step: "chown \(item)", reason: String(cString: strerror(errno)))
        }
    }
}

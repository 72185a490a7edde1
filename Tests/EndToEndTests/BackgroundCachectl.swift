import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A cachectl left running (`watch`) while the test acts on the server, its output going to
/// files so that it can never block on a full pipe.
final class BackgroundCachectl {
    let process = Process()
    private let out: URL
    private let err: URL

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let dir = try ShellScript.temporaryDirectory()
        out = dir.appendingPathComponent("stdout")
        err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

    /// Waits for the exit (killing it after `timeout`) and returns its status.
    @discardableResult
    func wait(timeout: TimeInterval = 20) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until `condition` holds, up to `timeout`; false when it never did.
    static func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return false
    }
}

extension RedisServer {
    /// Subscribers of `channel` right now (`PUBSUB NUMSUB`).
    func subscribers(_ channel: String) throws -> Int {
        Int(try cli(["PUBSUB", "NUMSUB", channel]).split(separator: "\n").last.map(String.init) ?? "") ?? 0
    }
}

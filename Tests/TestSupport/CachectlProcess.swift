import Foundation

/// Runs the built `cachectl` binary as a user would and captures what it printed.
public struct CachectlRun: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutBytes: Data
    public var elapsed: TimeInterval
}

public enum Cachectl {
    /// The binary under test: `CACHECTL_BIN`, or the debug build next to the test bundle.
    public static var binaryPath: String {
        if let p = ProcessInfo.processInfo.environment["CACHECTL_BIN"], !p.isEmpty { return p }
        let bundleDir = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cachectl").path,
            bundleDir.appendingPathComponent("cachectl").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/cachectl").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[candidates.count - 1]
    }

    /// Runs cachectl with `arguments`, a clean environment plus `environment`, and no
    /// terminal (stdin is empty), the way CI and cron run it.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data = Data(),
                           timeout: TimeInterval = 30) throws -> CachectlRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binaryPath)
        p.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        let start = Date()
        try p.run()
        input.fileHandleForWriting.write(stdin)
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe, and
        // bound the wait so a hanging cachectl fails the test instead of hanging it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(2_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        group.wait()
        return CachectlRun(exitCode: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                           stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: outData,
                           elapsed: Date().timeIntervalSince(start))
    }
}

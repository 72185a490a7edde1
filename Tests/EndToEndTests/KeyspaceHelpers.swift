import XCTest
import Foundation
import TestSupport
import RedisClient

/// What the keyspace end-to-end tests share: a database of their own on the shared server,
/// cachectl's connection arguments for it, and a way to interrupt a running cachectl.
extension XCTestCase {
    func keyspaceDatabase(_ database: Int) throws -> (RedisConnection, [String]) {
        let s = try RedisServer.shared.get()
        let conn = try AwkwardKeys.connect(database: database)
        addTeardownBlock { _ = try? conn.command("FLUSHDB") }
        return (conn, ["-p", "\(s.port)", "-n", "\(database)"])
    }

    /// Decodes `keys list` NDJSON: `keyBase64` when present, `key` otherwise.
    func keysFromNDJSON(_ data: Data) throws -> [[UInt8]] {
        try data.split(separator: 0x0A).map { line in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            if let b64 = object["keyBase64"] as? String { return Array(try XCTUnwrap(Data(base64Encoded: b64))) }
            return Array(try XCTUnwrap(object["key"] as? String).utf8)
        }
    }

    func jsonObject(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
    }

    /// Runs cachectl, sends `signal` after `delay` seconds, and returns what it printed.
    func runInterrupted(_ arguments: [String], signal: Int32, after delay: TimeInterval) throws -> (exitCode: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = arguments
        p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: delay)
        kill(p.processIdentifier, signal)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, outData, String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell pipeline with `$CACHECTL` set to the binary under test.
    func shell(_ script: String) throws -> (status: Int32, stdout: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "CACHECTL": Cachectl.binaryPath]
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }
}

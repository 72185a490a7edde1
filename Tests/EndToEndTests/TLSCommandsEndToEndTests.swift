import XCTest
import Foundation
import TestSupport
import RedisClient

/// Every subcommand works over TLS unchanged: the transport is the only difference.
final class TLSCommandsEndToEndTests: XCTestCase {
    private func tlsArgs(_ f: TLSFixture, mutual: Bool = false) -> [String] {
        var args = ["--tls", "--cacert", f.caFile, "-h", "localhost", "-p", "\(mutual ? f.mutual.port : f.good.port)"]
        if mutual { args += ["--cert", f.clientCertFile, "--tls-key", f.clientKeyFile] }
        return args
    }

    private func connection(_ f: TLSFixture) throws -> RedisConnection {
        try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "localhost", port: f.good.port),
                                                     tls: TLSOptions(caCertificateFile: f.caFile)))
    }

    func testKeysAndInvalidateOverTLS() throws {
        let f = try TLSFixture.shared.get()
        let conn = try connection(f)
        var commands: [[[UInt8]]] = []
        for i in 0..<300 { commands.append([Array("SET".utf8), Array("tls:inv:\(i)".utf8), Array("v".utf8)]) }
        for i in 0..<20 { commands.append([Array("SET".utf8), Array("tls:keep:\(i)".utf8), Array("v".utf8)]) }
        _ = try conn.pipeline(commands)
        let list = try Cachectl.run(tlsArgs(f) + ["keys", "list", "tls:inv:*"])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(Set(list.stdout.split(separator: "\n").map(String.init)), Set((0..<300).map { "tls:inv:\($0)" }))
        let run = try Cachectl.run(tlsArgs(f) + ["invalidate", "tls:inv:*", "--yes", "--json"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\"deleted\":300"), run.stdout)
        XCTAssertEqual(try conn.scan(cursor: Array("0".utf8), match: Array("tls:inv:*".utf8), count: 10_000).keys.count, 0)
        XCTAssertEqual(try conn.command("EXISTS", "tls:keep:0").int, 1)
        _ = try Cachectl.run(tlsArgs(f) + ["invalidate", "tls:keep:*", "--yes"])
    }

    func testInvalidateKeyWithMutualTLSUsesTLSKey() throws {
        let f = try TLSFixture.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(
            endpoint: .tcp(host: "localhost", port: f.mutual.port),
            tls: TLSOptions(caCertificateFile: f.caFile, certificateFile: f.clientCertFile, keyFile: f.clientKeyFile)))
        try conn.command("SET", "mtls:named", "v")
        let r = try Cachectl.run(tlsArgs(f, mutual: true) + ["invalidate", "--key", "mtls:named", "--yes"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try conn.command("EXISTS", "mtls:named").int, 0)
    }

    func testLockAndRateLimitOverTLS() throws {
        let f = try TLSFixture.shared.get()
        let name = "tls-lock-\(getpid())"
        let acquired = try Cachectl.run(tlsArgs(f) + ["lock", "acquire", name, "--ttl", "10s"])
        XCTAssertEqual(acquired.exitCode, 0, acquired.stderr)
        let owner = acquired.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try Cachectl.run(tlsArgs(f) + ["lock", "status", name]).exitCode, 0)
        XCTAssertEqual(try Cachectl.run(tlsArgs(f) + ["lock", "release", name, "--owner", owner]).exitCode, 0)
        let run = try Cachectl.run(tlsArgs(f) + ["lock", "run", name, "--ttl", "3s", "--", "/bin/sh", "-c", "exit 7"])
        XCTAssertEqual(run.exitCode, 7, run.stderr)
        var allowed = 0
        for _ in 0..<4 {
            let r = try Cachectl.run(tlsArgs(f) + ["ratelimit", "check", "tls:rl:\(getpid())", "--limit", "2", "--window", "30s"])
            if r.exitCode == 0 { allowed += 1 }
        }
        XCTAssertEqual(allowed, 2)
    }
}

/// A TLS-only cluster whose certificates name `localhost` only: nodes announce IP
/// addresses, so every node connection must be verified against the name the user gave.
final class TLSClusterEndToEndTests: XCTestCase {
    func testKeysInvalidateAndLocksOnATLSCluster() throws {
        let tls = try TLSFixture.shared.get()
        let f = try ClusterFixture.start(tls: tls)
        defer { for n in f.nodes { n.stop() } }
        let base = ["--tls", "--cacert", tls.caFile, "-h", "localhost", "-p", "\(f.ports[0])"]
        let client = try ClusterClient(seed: try RedisConnection.connect(ConnectionConfig(
            endpoint: .tcp(host: "localhost", port: f.ports[0]), tls: TLSOptions(caCertificateFile: tls.caFile))))
        for i in 0..<300 {
            let key = Array("tc:del:\(i)".utf8)
            try client.command([Array("SET".utf8), key, Array("v".utf8)], key: key)
        }
        let keep = Array("tc:keep".utf8)
        try client.command([Array("SET".utf8), keep, Array("v".utf8)], key: keep)

        let list = try Cachectl.run(base + ["keys", "list", "tc:del:*"])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(Set(list.stdout.split(separator: "\n")).count, 300)
        let run = try Cachectl.run(base + ["invalidate", "tc:del:*", "--yes", "--json"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\"deleted\":300"), run.stdout)
        XCTAssertEqual(try client.command([Array("EXISTS".utf8), keep], key: keep).int, 1)
        let lock = try Cachectl.run(base + ["lock", "run", "tls-cluster", "--ttl", "5s", "--", "/bin/sh", "-c", "exit 5"])
        XCTAssertEqual(lock.exitCode, 5, lock.stderr)
        let health = try Cachectl.run(base + ["health", "--json"])
        XCTAssertEqual(health.exitCode, 0, health.stderr)
        XCTAssertTrue(health.stdout.contains("\"state\":\"ok\""), health.stdout)
    }
}

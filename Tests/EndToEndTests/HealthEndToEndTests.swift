import XCTest
import Foundation
import TestSupport

/// Runs the real binary against real servers and checks what a user or script sees.
final class HealthEndToEndTests: XCTestCase {
    func testHealthTableShowsTheServersVersion() throws {
        let s = try RedisServer.shared.get()
        let version = try s.cli(["info", "server"]).split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("redis_version:") }.map { String($0.dropFirst("redis_version:".count)) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        let r = try Cachectl.run(["-p", "\(s.port)", "health"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(version), r.stdout)
        XCTAssertTrue(r.stdout.contains("latency"), r.stdout)
        XCTAssertFalse(r.stderr.contains("error"), r.stderr)
        XCTAssertFalse(r.stderr.contains("breach"), r.stderr)
    }

    func testHealthJSONHasTheSeedShape() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["health", "--json", "--samples", "2", "--port", "\(s.port)"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual(object["healthy"] as? Bool, true)
        XCTAssertNotNil(object["latency"] as? Double)
        XCTAssertNotNil(object["memory"] as? String)
        XCTAssertNotNil(object["version"] as? String)
        let latency = try XCTUnwrap(object["latencyMs"] as? [String: Any])
        XCTAssertEqual(latency["samples"] as? Int, 2)
    }

    func testURLFromEnvironment() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["health", "-q"], environment: ["REDIS_URL": "redis://127.0.0.1:\(s.port)/1"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "", "--quiet prints nothing")
    }

    func testBreachedThresholdExitsOneAndListsTheBreach() throws {
        let s = try RedisServer.shared.get()
        // 0 ms cannot be met by any real round trip.
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--max-latency-ms", "0"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("breach: latency"), r.stderr)
        let j = try Cachectl.run(["-p", "\(s.port)", "health", "--max-latency-ms", "0", "--json"])
        XCTAssertEqual(j.exitCode, 1)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: j.stdoutBytes) as? [String: Any])
        XCTAssertEqual(object["healthy"] as? Bool, false)
        XCTAssertEqual((object["breaches"] as? [[String: Any]])?.first?["metric"] as? String, "latency")
    }

    func testBreachAndWarningWording() throws {
        let s = try RedisServer.shared.get()
        _ = try s.cli(["get", "health:e2e:surely-missing"])  // at least one miss: hit rate < 100
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--min-hit-rate", "100", "--max-memory-pct", "50"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cachectl: breach: hit rate "), r.stderr)
        XCTAssertTrue(r.stderr.contains("% is below --min-hit-rate 100.00%"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: --max-memory-pct not checked: the server has no maxmemory limit"), r.stderr)
        let j = try Cachectl.run(["-p", "\(s.port)", "health", "--min-hit-rate", "100", "--max-memory-pct", "50", "--json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: j.stdoutBytes) as? [String: Any])
        let breach = try XCTUnwrap((object["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "hitRate")
        XCTAssertEqual(breach["limit"] as? Double, 100)
        XCTAssertEqual(breach["node"] as? String, "127.0.0.1:\(s.port)", "every per-node fact names its node")
        XCTAssertTrue((breach["message"] as? String)?.hasPrefix("hit rate ") ?? false)
        let warnings = try XCTUnwrap(object["warnings"] as? [[String: Any]])
        XCTAssertTrue(warnings.contains { $0["message"] as? String == "--max-memory-pct not checked: the server has no maxmemory limit" },
                      "\(warnings)")
        XCTAssertTrue(warnings.contains { $0["metric"] as? String == "maxmemory" }, "\(warnings)")
        let unchecked = try XCTUnwrap(object["unchecked"] as? [[String: Any]])
        XCTAssertEqual(unchecked.compactMap { $0["check"] as? String }, ["--max-memory-pct"])
    }

    func testRefusedConnectionExits69Quickly() throws {
        let port = try freePort()
        let r = try Cachectl.run(["-p", "\(port)", "health"])
        XCTAssertEqual(r.exitCode, 69)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: connection refused"), r.stderr)
        XCTAssertLessThan(r.elapsed, 3)
    }

    func testSilentServerExits75WithinTheTimeout() throws {
        let silent = try SilentServer()
        let r = try Cachectl.run(["-p", "\(silent.port)", "--timeout", "500ms", "health"])
        XCTAssertEqual(r.exitCode, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("timed out"), r.stderr)
        XCTAssertLessThan(r.elapsed, 5)
    }

    func testWrongPasswordExits77AndNeverPrintsIt() throws {
        let s = try RedisServer.withPassword.get()
        let secret = "Wr0ng-Secret-Value"
        for run in [
            try Cachectl.run(["-p", "\(s.port)", "health", "-v"], environment: ["REDISCLI_AUTH": secret]),
            try Cachectl.run(["health", "--verbose"], environment: ["REDIS_URL": "redis://:\(secret)@127.0.0.1:\(s.port)"]),
            try Cachectl.run(["-u", "redis://default:\(secret)@127.0.0.1:\(s.port)", "health", "--json", "-v"]),
        ] {
            XCTAssertEqual(run.exitCode, 77, run.stderr)
            XCTAssertFalse(run.stdout.contains(secret))
            XCTAssertFalse(run.stderr.contains(secret), run.stderr)
            XCTAssertTrue(run.stderr.contains("WRONGPASS"), run.stderr)
        }
    }

    func testMissingPasswordExits77() throws {
        let s = try RedisServer.withPassword.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("NOAUTH"), r.stderr)
    }

    func testRightPasswordFromEnvironmentWorks() throws {
        let s = try RedisServer.withPassword.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--json"], environment: ["REDIS_PASSWORD": s.password ?? ""])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    func testBadURLExits78WithRedactedPassword() throws {
        let r = try Cachectl.run(["-u", "redis://:topsecret@host:99999", "health"])
        XCTAssertEqual(r.exitCode, 78)
        XCTAssertFalse(r.stderr.contains("topsecret"), r.stderr)
        XCTAssertTrue(r.stderr.contains("***"), r.stderr)
    }

    func testAskpassWithoutTerminalIsAConfigurationError() throws {
        let r = try Cachectl.run(["--askpass", "health"])
        XCTAssertEqual(r.exitCode, 78, r.stderr)
        XCTAssertTrue(r.stderr.contains("REDISCLI_AUTH"), r.stderr)
    }

    /// Valkey was reported as Redis 7.2.4: the server and its own version are named, and
    /// the Redis version it answers as stands beside them. Runs in the server matrix.
    func testHealthNamesTheServerAndItsOwnVersion() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any], r.stdout)
        let expected = RedisServer.serverVersion
        XCTAssertEqual(doc["server"] as? String, expected.name, "\(doc)")
        let version = try XCTUnwrap(doc["version"] as? String)
        XCTAssertTrue(version.hasPrefix("\(expected.major).\(expected.minor)."), version)
        let redisVersion = try XCTUnwrap(doc["redisVersion"] as? String)
        let table = try Cachectl.run(["-p", "\(s.port)", "health"])
        if expected.name == "valkey" {
            XCTAssertTrue(redisVersion.hasPrefix("7."), redisVersion)
            XCTAssertTrue(table.stdout.contains("valkey \(version) (redis \(redisVersion) compatible)"), table.stdout)
        } else {
            XCTAssertEqual(redisVersion, version)
        }
    }
}

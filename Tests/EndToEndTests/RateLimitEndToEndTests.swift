import XCTest
import Foundation
import TestSupport

/// `cachectl ratelimit` from the shell: exact counting under concurrency, windows that
/// end, counters that always expire, and the applications' keys and per-endpoint presets.
final class RateLimitEndToEndTests: XCTestCase {
    static let db = "14"

    func testFiftyConcurrentChecksAllowExactlyTheLimit() throws {
        let s = try RedisServer.shared.get()
        let key = uniqueKey("burst")
        let r = try ShellScript.run("""
            for n in $(seq 1 50); do
              ( "$CACHECTL" -p \(s.port) -n \(Self.db) ratelimit check \(key) --limit 10 --window 30s -q; echo "exit $?" ) &
            done
            wait
            """)
        let exits = r.stdout.split(separator: "\n")
        XCTAssertEqual(exits.count, 50, r.stderr)
        XCTAssertEqual(exits.filter { $0 == "exit 0" }.count, 10, r.stdout)
        XCTAssertEqual(exits.filter { $0 == "exit 1" }.count, 40, r.stdout)
        XCTAssertEqual(try redis(s, "GET", key), "10")
        XCTAssertGreaterThan(Int(try redis(s, "PTTL", key)) ?? -1, 0)
    }

    func testRequestsAreAllowedAgainAfterTheWindow() throws {
        let s = try RedisServer.shared.get()
        for algorithm in ["fixed", "sliding", "gcra"] {
            let key = uniqueKey("window-\(algorithm)")
            let args = ["-p", "\(s.port)", "-n", Self.db, "ratelimit", "check", key, "--limit", "2", "--window", "1s",
                        "--algorithm", algorithm]
            XCTAssertEqual(try Cachectl.run(args).exitCode, 0, algorithm)
            XCTAssertEqual(try Cachectl.run(args).exitCode, 0, algorithm)
            let denied = try Cachectl.run(args + ["--json"])
            XCTAssertEqual(denied.exitCode, 1, algorithm)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: denied.stdoutBytes) as? [String: Any])
            XCTAssertEqual(object["allowed"] as? Bool, false)
            let retry = try XCTUnwrap(object["retryAfterMs"] as? Int, "\(algorithm): \(denied.stdout)")
            XCTAssertTrue((1...1000).contains(retry), "\(algorithm): \(retry)")
            usleep(UInt32(retry + 100) * 1000)
            XCTAssertEqual(try Cachectl.run(args).exitCode, 0, "\(algorithm) allows again once the window has moved on")
            XCTAssertGreaterThan(Int(try redis(s, "PTTL", key)) ?? -1, 0, "\(algorithm) keys expire")
        }
    }

    func testEveryFixedCounterCarriesATTL() throws {
        let s = try RedisServer.shared.get()
        let keys = (0..<5).map { uniqueKey("ttl-\($0)") }
        for (i, key) in keys.enumerated() {
            for _ in 0...i {
                _ = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "ratelimit", "check", key, "--limit", "3", "--window", "45s"])
            }
        }
        // A counter some other client left without TTL is given one by the next check.
        let bare = uniqueKey("bare")
        try redis(s, "SET", bare, "1")
        let repaired = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "ratelimit", "check", bare, "--limit", "3", "--window", "45s"])
        XCTAssertEqual(repaired.exitCode, 0)
        XCTAssertTrue(repaired.stderr.contains("had no TTL"), repaired.stderr)
        for key in keys + [bare] {
            let pttl = Int(try redis(s, "PTTL", key)) ?? -1
            XCTAssertTrue((1...45_000).contains(pttl), "\(key): \(pttl)")
        }
    }

    func testSeedLoginPresetAllowsFivePerMinutePerIPAndEndpoint() throws {
        let s = try RedisServer.shared.get()
        let ip = uniqueIP()
        let args = ["-p", "\(s.port)", "-n", Self.db, "ratelimit", "check", "--ip", ip, "--endpoint", "/api/auth/login", "--json"]
        let first = try Cachectl.run(args)
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        XCTAssertEqual(first.stdout, "{\"allowed\":true,\"remaining\":4,\"resetIn\":60,\"total\":1,\"limit\":5}\n")
        for _ in 2...5 { XCTAssertEqual(try Cachectl.run(args).exitCode, 0) }
        let sixth = try Cachectl.run(args)
        XCTAssertEqual(sixth.exitCode, 1)
        XCTAssertTrue(sixth.stdout.contains("\"allowed\":false"), sixth.stdout)
        let key = "rate:\(ip):_api_auth_login"
        XCTAssertEqual(try redis(s, "GET", key), "5")
        XCTAssertTrue((1...60_000).contains(Int(try redis(s, "PTTL", key)) ?? -1))
        // Another endpoint of the same IP has its own counter and the default 100/min.
        let other = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "ratelimit", "check", "--ip", ip, "--endpoint", "/api/search", "--json"])
        XCTAssertTrue(other.stdout.contains("\"limit\":100"), other.stdout)
    }

    func testIPStatusListsEveryEndpointAndResetForgetsThem() throws {
        let s = try RedisServer.shared.get()
        let ip = uniqueIP()
        let base = ["-p", "\(s.port)", "-n", Self.db, "ratelimit"]
        for endpoint in ["/api/auth/login", "/api/auth/login", "/api/payments/7"] {
            _ = try Cachectl.run(base + ["check", "--ip", ip, "--endpoint", endpoint])
        }
        let status = try Cachectl.run(base + ["status", "--ip", ip, "--json"])
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: status.stdoutBytes) as? [String: [String: Any]])
        XCTAssertEqual(Set(object.keys), ["/api/auth/login", "/api/payments/7"])
        XCTAssertEqual(object["/api/auth/login"]?["current"] as? Int, 2)
        XCTAssertEqual(object["/api/auth/login"]?["limit"] as? Int, 5)
        XCTAssertEqual(object["/api/payments/7"]?["limit"] as? Int, 30)
        XCTAssertEqual(object["/api/auth/login"]?["resetIn"] as? Int, 60)

        let single = try Cachectl.run(base + ["status", "--ip", ip, "--endpoint", "/api/auth/login"])
        XCTAssertEqual(single.stdout, "allowed: 3 of 5 left, resets in 1m\n")
        for _ in 0..<3 { _ = try Cachectl.run(base + ["check", "--ip", ip, "--endpoint", "/api/auth/login"]) }
        let exhausted = try Cachectl.run(base + ["status", "--ip", ip])
        XCTAssertEqual(exhausted.exitCode, 1, "login is used up")
        XCTAssertTrue(exhausted.stdout.hasPrefix("ENDPOINT"), exhausted.stdout)
        XCTAssertTrue(exhausted.stdout.contains("rate:\(ip):_api_auth_login"), exhausted.stdout)

        XCTAssertEqual(try Cachectl.run(base + ["reset", "--ip", ip]).exitCode, 64, "needs --yes without a terminal")
        let dry = try Cachectl.run(base + ["reset", "--ip", ip, "--dry-run"])
        XCTAssertEqual(dry.stdout.split(separator: "\n").count, 2, dry.stdout)
        let reset = try Cachectl.run(base + ["reset", "--ip", ip, "--yes", "--json"])
        XCTAssertEqual(reset.exitCode, 0, reset.stderr)
        XCTAssertTrue(reset.stdout.hasPrefix("{\"reset\":2,"), reset.stdout)
        XCTAssertEqual(try redis(s, "EXISTS", "rate:\(ip):_api_auth_login", "rate:\(ip):_api_payments_7"), "0")
        XCTAssertEqual(try Cachectl.run(base + ["reset", "--ip", ip, "--yes"]).exitCode, 1, "nothing left to reset")
    }

    func testUsageErrors() throws {
        for args in [
            ["ratelimit", "check", "k"],                                           // no --limit/--window
            ["ratelimit", "check", "k", "--ip", "1.2.3.4", "--endpoint", "/x"],    // both forms
            ["ratelimit", "check", "--endpoint", "/x"],                            // endpoint without ip
            ["ratelimit", "check", "--ip", "1.2.3.4"],                             // check needs an endpoint
            ["ratelimit", "check", "k", "--limit", "5", "--window", "1s", "--burst", "3"],
            ["ratelimit", "check", "k", "--limit", "5", "--window", "1s", "--cost", "6"],
            ["ratelimit", "check", "k", "--limit", "0", "--window", "1s"],
        ] {
            let r = try Cachectl.run(args)
            XCTAssertEqual(r.exitCode, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: "), r.stderr)
        }
    }

    // MARK: Helpers

    private func uniqueKey(_ label: String) -> String { "e2e:rate:\(label):\(UUID().uuidString.prefix(8))" }

    /// An address of this test's own, so counters never meet another test's.
    private func uniqueIP() -> String { "10.\(Int.random(in: 0...255)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))" }

    @discardableResult
    private func redis(_ s: RedisServer, _ args: String...) throws -> String {
        try s.cli(["-n", Self.db] + args)
    }
}

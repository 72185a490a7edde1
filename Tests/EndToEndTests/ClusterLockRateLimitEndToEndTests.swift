import XCTest
import Foundation
import TestSupport

/// Locks and rate limits on a three-primary cluster behave as on one node: their scripts
/// are single-slot and routed by key.
final class ClusterLockRateLimitEndToEndTests: XCTestCase {
    func testLockLifecycleOnACluster() throws {
        let f = try ClusterFixture.shared.get()
        let base = ["-p", "\(f.ports[0])", "lock"]
        for i in 0..<6 {
            let name = "cluster-deploy-\(i)-\(getpid())"
            let acquired = try Cachectl.run(base + ["acquire", name, "--ttl", "30s"])
            XCTAssertEqual(acquired.exitCode, 0, acquired.stderr)
            let owner = acquired.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(try Cachectl.run(base + ["acquire", name, "--ttl", "30s"]).exitCode, 1, "held: a second acquire fails")
            XCTAssertEqual(try Cachectl.run(base + ["status", name]).exitCode, 0)
            XCTAssertEqual(try Cachectl.run(base + ["release", name, "--owner", "someone-else"]).exitCode, 1)
            let released = try Cachectl.run(base + ["release", name, "--owner", owner])
            XCTAssertEqual(released.exitCode, 0, released.stderr)
            XCTAssertEqual(try Cachectl.run(base + ["status", name]).exitCode, 1)
        }
    }

    /// A counter of the earlier layout (`{lock:NAME}:fence`) carries on on a cluster too: the
    /// script reads it undeclared, from the same slot as the new counter.
    func testFenceTokensCarryOnFromTheEarlierLayoutOnACluster() throws {
        let f = try ClusterFixture.shared.get()
        let name = "cluster-legacy-\(getpid())"
        try f.nodes[0].cli(["-c", "SET", "{lock:\(name)}:fence", "41"])
        defer {
            _ = try? f.nodes[0].cli(["-c", "DEL", "{lock:\(name)}:fence"])
            _ = try? f.nodes[0].cli(["-c", "DEL", "fence:{lock:\(name)}"])
        }
        for expected in ["42", "43"] {
            let r = try Cachectl.run(["-p", "\(f.ports[1])", "lock", "run", name, "--ttl", "5s", "--",
                                      "/bin/sh", "-c", "echo $CACHECTL_LOCK_TOKEN"])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), expected)
        }
        XCTAssertEqual(try f.nodes[0].cli(["-c", "GET", "{lock:\(name)}:fence"]), "41", "the old key is left alone")
    }

    func testLockRunOnACluster() throws {
        let f = try ClusterFixture.shared.get()
        let r = try Cachectl.run(["-p", "\(f.ports[1])", "lock", "run", "cluster-run-\(getpid())", "--ttl", "5s", "--",
                                  "/bin/sh", "-c", "echo token=$CACHECTL_LOCK_TOKEN; exit 42"])
        XCTAssertEqual(r.exitCode, 42, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("token="), r.stdout)
    }

    /// The semaphore's five keys share the lock key's slot, so its scripts run on any node.
    func testSemaphoreOnACluster() throws {
        let f = try ClusterFixture.shared.get()
        for i in 0..<4 {
            let name = "cluster-sem-\(i)-\(getpid())"
            let base = ["-p", "\(f.ports[i % 3])", "lock"]
            var owners: [String] = []
            for _ in 0..<2 {
                let r = try Cachectl.run(base + ["acquire", name, "--holders", "2", "--ttl", "30s"])
                XCTAssertEqual(r.exitCode, 0, r.stderr)
                owners.append(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            XCTAssertEqual(try Cachectl.run(base + ["acquire", name, "--holders", "2"]).exitCode, 1, "full")
            XCTAssertEqual(try Cachectl.run(base + ["status", name, "--holders", "2"]).exitCode, 0)
            for owner in owners {
                XCTAssertEqual(try Cachectl.run(base + ["release", name, "--holders", "2", "--owner", owner]).exitCode, 0)
            }
            let run = try Cachectl.run(base + ["run", name, "--holders", "2", "--", "/bin/sh", "-c", "exit 7"])
            XCTAssertEqual(run.exitCode, 7, run.stderr)
        }
    }

    func testRateLimitOnAClusterAllowsExactlyTheLimit() throws {
        let f = try ClusterFixture.shared.get()
        for i in 0..<4 {
            let key = "cluster:rl:\(i):\(getpid())"
            var allowed = 0
            for _ in 0..<5 {
                let r = try Cachectl.run(["-p", "\(f.ports[2])", "ratelimit", "check", key, "--limit", "3", "--window", "60s"])
                XCTAssertTrue([0, 1].contains(r.exitCode), r.stderr)
                if r.exitCode == 0 { allowed += 1 }
            }
            XCTAssertEqual(allowed, 3, key)
        }
    }

    func testRateLimitIPStatusAndResetVisitEveryPrimary() throws {
        let f = try ClusterFixture.shared.get()
        let ip = "10.9.\(getpid() % 250).7"
        let endpoints = ["/api/auth/login", "/api/search", "/api/payments", "/api/otp/send", "/api/a", "/api/b"]
        for e in endpoints {
            let r = try Cachectl.run(["-p", "\(f.ports[0])", "ratelimit", "check", "--ip", ip, "--endpoint", e])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
        }
        let status = try Cachectl.run(["-p", "\(f.ports[0])", "ratelimit", "status", "--ip", ip, "--json"])
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        for e in endpoints { XCTAssertTrue(status.stdout.contains(e), "\(e) missing from \(status.stdout)") }
        let reset = try Cachectl.run(["-p", "\(f.ports[0])", "ratelimit", "reset", "--ip", ip, "--yes"])
        XCTAssertEqual(reset.exitCode, 0, reset.stderr)
        var remaining = 0
        for node in f.nodes { remaining += Int(try node.cli(["--scan", "--pattern", "rate:\(ip):*"]).split(whereSeparator: \.isNewline).count) }
        XCTAssertEqual(remaining, 0)
    }
}

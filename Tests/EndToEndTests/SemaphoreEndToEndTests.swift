import XCTest
import Foundation
import TestSupport

/// `cachectl lock … --holders N`: a semaphore as scripts use it.
final class SemaphoreEndToEndTests: XCTestCase {
    static let db = "13"

    /// 10 runs of a command that counts how many of its kind run at once (a counter file
    /// updated under flock(1)): never more than 3, and every run finishes.
    func testTenConcurrentRunsNeverExceedThreeHolders() throws {
        let s = try RedisServer.shared.get()
        let dir = try ShellScript.temporaryDirectory().path
        let name = semaphoreName("ten")
        let r = try ShellScript.run("""
            echo 0 > "\(dir)/running"
            cmd='flock "$1/lock" sh -c "n=\\$(( \\$(cat $1/running) + 1 )); echo \\$n > $1/running; echo \\$n >> $1/seen"
                 sleep 0.3
                 flock "$1/lock" sh -c "echo \\$(( \\$(cat $1/running) - 1 )) > $1/running"
                 echo done >> "$1/done"'
            for n in $(seq 1 10); do
              "$CACHECTL" -p \(s.port) -n \(Self.db) lock run \(name) --holders 3 --ttl 10s --wait 60s -- sh -c "$cmd" sh "\(dir)" || echo "run failed: $?" &
            done
            wait
            """, timeout: 90)
        XCTAssertEqual(r.stdout, "", r.stderr)
        let seen = try String(contentsOfFile: "\(dir)/seen", encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        XCTAssertEqual(seen.count, 10)
        XCTAssertLessThanOrEqual(seen.max() ?? 99, 3, "more than three commands ran at once: \(seen)")
        XCTAssertGreaterThan(seen.max() ?? 0, 1, "the semaphore let several run at once")
        XCTAssertEqual(try String(contentsOfFile: "\(dir)/done", encoding: .utf8).split(separator: "\n").count, 10)
        XCTAssertEqual(try redis(s, "EXISTS", "semaphore:{lock:\(name)}:holders"), "0", "every run released its lease")
    }

    func testAcquireStatusReleaseAndTheMutexLayoutForOneHolder() throws {
        let s = try RedisServer.shared.get()
        let name = semaphoreName("cli")
        let base = ["-p", "\(s.port)", "-n", Self.db, "lock"]
        var owners: [String] = []
        for _ in 0..<2 {
            let r = try Cachectl.run(base + ["acquire", name, "--holders", "2", "--ttl", "30s"])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            owners.append(r.stdout.trimmingCharacters(in: .newlines))
        }
        let full = try Cachectl.run(base + ["acquire", name, "--holders", "2"])
        XCTAssertEqual(full.exitCode, 1)
        XCTAssertTrue(full.stderr.contains("has 2 of 2 held"), full.stderr)
        let status = try Cachectl.run(base + ["status", name, "--holders", "2", "--json"])
        XCTAssertEqual(status.exitCode, 0, "full: exit 0")
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: status.stdoutBytes) as? [String: Any])
        XCTAssertEqual(doc["locked"] as? Bool, true)
        XCTAssertEqual(doc["limit"] as? Int, 2)
        XCTAssertEqual(Set((doc["holders"] as? [[String: Any]] ?? []).compactMap { $0["owner"] as? String }), Set(owners))
        let text = try Cachectl.run(base + ["status", name, "--holders", "2"])
        XCTAssertTrue(text.stdout.contains(owners[0]) && text.stdout.contains("expires in"), text.stdout)

        let wrong = try Cachectl.run(base + ["release", name, "--holders", "2", "--owner", "nobody"])
        XCTAssertEqual(wrong.exitCode, 1)
        let ok = try Cachectl.run(base + ["release", name, "--holders", "2", "--owner", owners[0]])
        XCTAssertEqual(ok.exitCode, 0, ok.stderr)
        let extended = try Cachectl.run(base + ["extend", name, "--holders", "2", "--owner", owners[1], "--ttl", "1m"])
        XCTAssertEqual(extended.exitCode, 0, extended.stderr)
        XCTAssertEqual(try Cachectl.run(base + ["status", name, "--holders", "2"]).exitCode, 1, "a lease is free: exit 1")
        XCTAssertEqual(try Cachectl.run(base + ["release", name, "--holders", "2", "--force", "--yes"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(base + ["acquire", name, "--holders", "0"]).exitCode, 64)

        // --holders 1 is today's mutex, key lock:NAME holding the owner.
        let mutex = try Cachectl.run(base + ["acquire", name + "-m", "--holders", "1"])
        XCTAssertEqual(mutex.exitCode, 0, mutex.stderr)
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)-m"), mutex.stdout.trimmingCharacters(in: .newlines))
    }

    func testRunPassesTheSemaphoreKeyAndAFencingToken() throws {
        let s = try RedisServer.shared.get()
        let name = semaphoreName("env")
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--holders", "2", "--",
                                  "sh", "-c", "echo $CACHECTL_LOCK_KEY $CACHECTL_LOCK_TOKEN"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let parts = r.stdout.split(separator: " ")
        XCTAssertEqual(parts.first.map(String.init), "semaphore:{lock:\(name)}:holders")
        XCTAssertNotNil(parts.last.flatMap { Int($0.trimmingCharacters(in: .newlines)) })
    }

    private func semaphoreName(_ label: String) -> String { "e2e-sem-\(label)-\(UUID().uuidString.prefix(8))" }

    @discardableResult
    private func redis(_ s: RedisServer, _ args: String...) throws -> String {
        try s.cli(["-n", Self.db] + args)
    }
}

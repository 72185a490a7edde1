import XCTest
import Foundation
import TestSupport

/// `cachectl acl` prints the least-privilege line offline; what the line allows is tested
/// against a real server in LeastPrivilegeEndToEndTests.
final class AclCommandEndToEndTests: XCTestCase {
    func testLineForInvalidateAndLockUnderAPrefix() throws {
        // Port 1: nothing listens there, and acl must not try.
        let r = try Cachectl.run(["-p", "1", "--user", "cron", "--prefix", "app:", "acl", "invalidate", "lock",
                                  "--publish", "cache:invalidate"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(r.stdout, "ACL SETUSER cron on resetkeys resetchannels -@all +scan +unlink +sscan +srem +multi +exec +exists "
                       + "+dbsize +command|info +publish +info +evalsha +eval +set +get +del +incr +pexpire +pttl +time +zadd "
                       + "+zrem +zscore +zrank +zcard +zcount +zrange +zrangebyscore +zremrangebyscore "
                       + "+client|setname +cluster|myid +cluster|slots +asking ~app:* &cache:invalidate\n")
    }

    func testDefaultsNamespacesQuotingAndSelect() throws {
        let lock = try Cachectl.run(["acl", "lock"])
        XCTAssertEqual(lock.exitCode, 0, lock.stderr)
        XCTAssertTrue(lock.stdout.hasPrefix("ACL SETUSER cachectl on "), lock.stdout)
        XCTAssertTrue(lock.stdout.hasSuffix(" ~lock:* ~fence:* ~semaphore:*\n"), lock.stdout)
        XCTAssertEqual(lock.stderr, "", "lock's own namespaces need no warning")

        let keys = try Cachectl.run(["acl", "keys"])
        XCTAssertTrue(keys.stdout.hasSuffix(" ~*\n"), keys.stdout)
        XCTAssertTrue(keys.stderr.contains("give --prefix"), keys.stderr)

        let odd = try Cachectl.run(["-n", "3", "--prefix", "my app*:", "acl", "keys", "--publish", "ev ents"])
        XCTAssertTrue(odd.stdout.contains(" +select "), odd.stdout)
        XCTAssertTrue(odd.stdout.hasSuffix(" \"~my app\\\\*:*\" \"&ev ents\"\n"), odd.stdout)
        XCTAssertFalse(try Cachectl.run(["acl", "health"]).stdout.contains("~"), "health touches no key")
    }

    func testUsageErrors() throws {
        XCTAssertEqual(try Cachectl.run(["acl"]).exitCode, 64)
        let unknown = try Cachectl.run(["acl", "keys", "flushall"])
        XCTAssertEqual(unknown.exitCode, 64)
        XCTAssertTrue(unknown.stderr.contains("'flushall'"), unknown.stderr)
    }

    /// `--server-version 6.0`: no channel rules (Redis 6.0 refuses them), said once on stderr;
    /// the line still loads on the servers the tests start (6.2+ accept it too).
    func testALineForRedis60HasNoChannelRules() throws {
        let old = try Cachectl.run(["--user", "w60", "acl", "watch", "health", "--server-version", "6.0"])
        XCTAssertEqual(old.exitCode, 0, old.stderr)
        XCTAssertFalse(old.stdout.contains("resetchannels") || old.stdout.contains(" &"), old.stdout)
        XCTAssertTrue(old.stderr.contains("warning: Redis 6.0 has no channel rules"), old.stderr)
        let current = try Cachectl.run(["--user", "w62", "acl", "watch", "--server-version", "6.2.14"])
        XCTAssertTrue(current.stdout.contains(" resetchannels ") && current.stdout.contains(" &cache:invalidate"), current.stdout)
        let s = try RedisServer.shared.get()
        let words = old.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        XCTAssertEqual(try s.cli(Array(words)), "OK")
        for bad in ["x", "6.", "5.0", "6.0.1.2"] {
            let r = try Cachectl.run(["acl", "health", "--server-version", bad])
            XCTAssertEqual(r.exitCode, 64, "\(bad): \(r.stderr)")
        }
    }
}

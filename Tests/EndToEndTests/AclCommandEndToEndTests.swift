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
}

import XCTest
import Foundation
import TestSupport

/// On a cluster, a user that may not run INFO still finds every primary (CLUSTER MYID),
/// and a lock's keys, fence counter included, stay under the prefix and in one slot.
final class ClusterLeastPrivilegeEndToEndTests: XCTestCase {
    func testACLUserWithoutINFOFansOutAndLocksUnderThePrefix() throws {
        // Before 7.0, CLUSTER (SLOTS and MYID included) was @admin and @dangerous as a whole.
        try XCTSkipUnless(RedisServer.isAtLeastRedis(7, 0),
                          "needs Redis 7.0: on \(RedisServer.serverDescription) -@dangerous refuses CLUSTER SLOTS")
        let f = try ClusterFixture.shared.get()
        for node in f.nodes {
            try node.setUser("capp", rules: ["on", ">capp-pw", "~app:*", "&*", "+@all", "-@dangerous"])
        }
        let tag = "clp\(getpid())"
        let keys = (0..<60).map { "app:\(tag):\($0)" }
        for key in keys { _ = try f.nodes[0].cli(["-c", "SET", key, "v", "EX", "600"]) }
        let env = ["REDISCLI_AUTH": "capp-pw"]
        let base = ["-p", "\(f.ports[0])", "--user", "capp"]

        let list = try Cachectl.run(base + ["keys", "list", "app:\(tag):*"], environment: env)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(Set(list.stdout.split(separator: "\n").map(String.init)), Set(keys), "every primary was scanned")

        let lock = try Cachectl.run(base + ["--prefix", "app:", "lock", "run", tag, "--", "true"], environment: env)
        XCTAssertEqual(lock.exitCode, 0, lock.stderr)
        XCTAssertEqual(try f.nodes[0].cli(["-c", "GET", "app:fence:{app:lock:\(tag)}"]), "1")

        let gone = try Cachectl.run(base + ["invalidate", "app:\(tag):*", "--yes"], environment: env)
        XCTAssertEqual(gone.exitCode, 0, gone.stderr)
        XCTAssertTrue(gone.stdout.contains("deleted  \(keys.count) keys"), gone.stdout)
    }
}

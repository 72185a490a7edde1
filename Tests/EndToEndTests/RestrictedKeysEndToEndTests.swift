import XCTest
import Foundation
import TestSupport

/// A user allowed `~app:*` only, on a keyspace that holds other keys too: SCAN lists every
/// key (it is not key-checked) but reading one outside `app:*` is refused. The keys
/// commands skip and count those keys (`unreadable`, one warning) instead of stopping at
/// the first with exit 77.
final class RestrictedKeysEndToEndTests: XCTestCase {
    func testKeysOutsideTheUsersPatternsAreSkippedAndCounted() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.setUser("app", rules: ["on", ">app-pw", "~app:*", "&*", "+@all", "-@dangerous"])
        for i in 0..<3 { try s.cli(["SET", "app:\(i)", "v", "EX", "600"]) }
        for i in 0..<5 { try s.cli(["SET", "other:\(i)", "v"]) }
        let env = ["REDIS_URL": "redis://app:app-pw@127.0.0.1:\(s.port)"]
        let warning = "cachectl: warning: 5 keys skipped: the ACL user may not read them (outside its key patterns)"

        for command in [["keys", "stats", "--json"], ["keys", "audit", "--json"]] {
            let r = try Cachectl.run(command, environment: env)
            XCTAssertEqual(r.exitCode, 0, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(warning), "\(command): \(r.stderr)")
            let last = try XCTUnwrap(r.stdout.split(separator: "\n").last, r.stdout)
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], r.stdout)
            XCTAssertEqual(doc["unreadable"] as? Int, 5, "\(command): \(doc)")
        }
        let list = try Cachectl.run(["keys", "list", "--ttl"], environment: env)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(list.stdout.split(separator: "\n").count, 3, list.stdout)
        XCTAssertTrue(list.stderr.contains(warning), list.stderr)
        // --prefix avoids them: nothing skipped, nothing said.
        let scoped = try Cachectl.run(["--prefix", "app:", "keys", "stats"], environment: env)
        XCTAssertEqual(scoped.exitCode, 0, scoped.stderr)
        XCTAssertFalse(scoped.stderr.contains("skipped"), scoped.stderr)
    }
}

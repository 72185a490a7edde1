import XCTest
import Foundation
import TestSupport

/// Through a real sentinel: `health` reaches the primary, shows the sentinel view, and still
/// reaches the primary after `SENTINEL FAILOVER`.
final class SentinelEndToEndTests: XCTestCase {
    func testHealthThroughSentinelFollowsAFailover() throws {
        let f = try SentinelFixture.shared.get()
        let before = try Cachectl.run(["--sentinel", f.sentinelAddress, "--master", f.masterName, "health", "--json"])
        XCTAssertEqual(before.exitCode, 0, before.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: before.stdoutBytes) as? [String: Any])
        XCTAssertEqual(object["role"] as? String, "master")
        let view = try XCTUnwrap(object["sentinel"] as? [String: Any])
        XCTAssertEqual(view["primary"] as? String, "127.0.0.1:\(f.primary.port)")
        XCTAssertEqual(view["quorum"] as? Int, 1)
        XCTAssertEqual(view["replicas"] as? Int, 1)

        _ = try f.sentinel.cli(["sentinel", "failover", f.masterName])
        let deadline = Date().addingTimeInterval(30)
        var promoted = false
        while Date() < deadline {
            if try f.currentPrimaryPort() == f.replica.port,
               try f.replica.cli(["role"]).hasPrefix("master") { promoted = true; break }
            usleep(200_000)
        }
        XCTAssertTrue(promoted, "the sentinel did not promote the replica")
        let after = try Cachectl.run(["--sentinel", f.sentinelAddress, "--master", f.masterName, "health", "--json"])
        XCTAssertEqual(after.exitCode, 0, after.stderr)
        let afterObject = try XCTUnwrap(try JSONSerialization.jsonObject(with: after.stdoutBytes) as? [String: Any])
        XCTAssertEqual(afterObject["role"] as? String, "master")
        XCTAssertEqual((afterObject["sentinel"] as? [String: Any])?["primary"] as? String, "127.0.0.1:\(f.replica.port)")
    }

    func testUnknownMasterNameAndMissingMasterFlag() throws {
        let f = try SentinelFixture.shared.get()
        let unknown = try Cachectl.run(["--sentinel", f.sentinelAddress, "--master", "nosuch", "--timeout", "1s", "health"])
        XCTAssertEqual(unknown.exitCode, 78, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("nosuch"), unknown.stderr)
        let missing = try Cachectl.run(["--sentinel", f.sentinelAddress, "health"])
        XCTAssertEqual(missing.exitCode, 78, missing.stderr)
    }
}

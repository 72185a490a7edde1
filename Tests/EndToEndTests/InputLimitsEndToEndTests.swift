import XCTest
import Foundation
import TestSupport

/// Values that would trap, allocate absurdly or stall the server are usage errors (64).
final class InputLimitsEndToEndTests: XCTestCase {
    func testOutOfRangeValuesExit64() throws {
        let s = try RedisServer.shared.get()
        let p = ["-p", "\(s.port)", "-n", "14"]
        let cases: [[String]] = [
            ["invalidate", "lim:*", "--yes", "--rate", "1e300"],
            ["invalidate", "lim:*", "--yes", "--rate", "99999999999999999999"],
            ["invalidate", "lim:*", "--yes", "--rate", "1e-300"],
            ["invalidate", "lim:*", "--yes", "--max-latency-ms", "1e300"],
            ["health", "--samples", "99999999999999"],
            ["health", "--max-latency-ms", "1e300"],
            ["ratelimit", "check", "lim:k", "--limit", "9223372036854775807", "--window", "1s"],
            ["ratelimit", "check", "lim:k", "--limit", "100000000", "--window", "1m", "--algorithm", "sliding", "--cost", "100000000"],
            ["ratelimit", "check", "lim:k", "--limit", "5", "--window", "99999h"],
        ]
        for args in cases {
            let r = try Cachectl.run(p + args)
            XCTAssertEqual(r.exitCode, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: "), "\(args): \(r.stderr)")
        }
        for port in ["0", "70000"] {
            let r = try Cachectl.run(["-p", port, "health"])
            XCTAssertEqual(r.exitCode, 64, r.stderr)
        }
    }

    func testConfirmationHintOnlyOffersDryRunWhereItExists() throws {
        let s = try RedisServer.shared.get()
        let lock = try Cachectl.run(["-p", "\(s.port)", "-n", "14", "lock", "acquire", "hint-lock", "--ttl", "5s"])
        XCTAssertEqual(lock.exitCode, 0, lock.stderr)
        let force = try Cachectl.run(["-p", "\(s.port)", "-n", "14", "lock", "release", "hint-lock", "--force"])
        XCTAssertEqual(force.exitCode, 64, force.stderr)
        XCTAssertFalse(force.stderr.contains("--dry-run"), force.stderr)
        let inv = try Cachectl.run(["-p", "\(s.port)", "-n", "14", "invalidate", "hint:*"])
        XCTAssertEqual(inv.exitCode, 64, inv.stderr)
        XCTAssertTrue(inv.stderr.contains("--dry-run"), inv.stderr)
        _ = try Cachectl.run(["-p", "\(s.port)", "-n", "14", "lock", "release", "hint-lock", "--force", "--yes"])
    }
}

import XCTest
import Foundation
import TestSupport

/// Passwords never reach stdout or stderr, even where a server echoes them back.
final class SecretsEndToEndTests: XCTestCase {
    func testServerWithoutHELLODoesNotEchoThePassword() throws {
        let secret = "Ech0ed-S3cret"
        let s = try RedisServer.start(password: secret, extraArguments: ["--rename-command", "HELLO", ""])
        defer { s.stop() }
        let r = try Cachectl.run(["-p", "\(s.port)", "--resp3", "health", "-v"], environment: ["REDISCLI_AUTH": secret])
        XCTAssertNotEqual(r.exitCode, 0)
        XCTAssertFalse(r.stderr.contains(secret), r.stderr)
        XCTAssertFalse(r.stdout.contains(secret), r.stdout)
        XCTAssertTrue(r.stderr.contains("RESP3"), r.stderr)
    }

    func testURLPasswordsWithSlashOrQuestionMarkStayHidden() throws {
        for url in ["redis://:pa?ssLEAK@127.0.0.1:99999", "redis://:pa/ssLEAK@127.0.0.1:99999", "redis://:pa/ssLEAK@h:0/x"] {
            let flag = try Cachectl.run(["-u", url, "health"])
            XCTAssertEqual(flag.exitCode, 78, flag.stderr)
            XCTAssertFalse(flag.stderr.contains("LEAK"), flag.stderr)
            let env = try Cachectl.run(["health"], environment: ["REDIS_URL": url])
            XCTAssertEqual(env.exitCode, 78, env.stderr)
            XCTAssertFalse(env.stderr.contains("LEAK"), env.stderr)
        }
    }

    func testREDIS_URLPasswordIsNotSentToTheURLFlagsServer() throws {
        let plain = try RedisServer.shared.get()
        // With the password sent, a server without one answers "AUTH … without any password
        // configured" (exit 77); without it, health succeeds.
        let r = try Cachectl.run(["-u", "redis://127.0.0.1:\(plain.port)", "health", "-q"],
                                 environment: ["REDIS_URL": "redis://:prodpw@127.0.0.1:1"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }
}

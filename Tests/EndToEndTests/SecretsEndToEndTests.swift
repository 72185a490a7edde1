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

    /// Every shape a URL can be mistyped in: no scheme, one slash, a bad port, an open
    /// IPv6 bracket, a bad percent-escape, a bad query, a bare word.
    func testNoURLShapePrintsItsPassword() throws {
        let shapes = ["default:LEAKpw@127.0.0.1:6379", "LEAKpw", "redis:/u:LEAKpw@h", "redis://u:LEAKpw@h:notaport",
                      "rediss://u:LEAKpw@[::1", "unix://u:LEAKpw@tmp/x", "redis://u:p%ZZLEAKpw@h", "redis://u:LEAKpw@h:1?db=x",
                      "redis://u:LEAK%40pw@h:1?x=1", "redis://:LEAK pw\"'@h:0"]
        for url in shapes {
            let env = try Cachectl.run(["health", "-v"], environment: ["REDIS_URL": url])
            XCTAssertEqual(env.exitCode, 78, "\(url): \(env.stderr)")
            XCTAssertFalse(env.stderr.contains("LEAK"), env.stderr)
            let flag = try Cachectl.run(["-u", url, "keys", "list", "-v"])
            XCTAssertEqual(flag.exitCode, 78, "\(url): \(flag.stderr)")
            XCTAssertFalse(flag.stderr.contains("LEAK") || flag.stdout.contains("LEAK"), flag.stderr)
        }
        let noScheme = try Cachectl.run(["health"], environment: ["REDIS_URL": "default:s3cret@127.0.0.1:6379"])
        XCTAssertTrue(noScheme.stderr.contains("'default:***@127.0.0.1:6379'"), noScheme.stderr)
    }

    func testPasswordInUrlFlagWarnsOnceButNotFromTheEnvironment() throws {
        let s = try RedisServer.withPassword.get()
        let secret = try XCTUnwrap(s.password)
        let url = "redis://default:\(secret)@127.0.0.1:\(s.port)"
        let flag = try Cachectl.run(["-u", url, "keys", "list", "nothing-*", "-v"])
        XCTAssertEqual(flag.exitCode, 0, flag.stderr)
        XCTAssertEqual(flag.stderr.components(separatedBy: "password on the command line").count, 2, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("REDISCLI_AUTH") && flag.stderr.contains("--askpass"), flag.stderr)
        XCTAssertTrue(flag.stderr.contains("password=***"), flag.stderr)
        XCTAssertFalse(flag.stderr.contains(secret), flag.stderr)
        let env = try Cachectl.run(["keys", "list", "nothing-*", "-v"], environment: ["REDIS_URL": url])
        XCTAssertEqual(env.exitCode, 0, env.stderr)
        XCTAssertFalse(env.stderr.contains("command line"), env.stderr)
        XCTAssertFalse(env.stderr.contains(secret), env.stderr)
        // Percent-encoded, and wrong: the server's refusal does not carry it either.
        let wrong = try Cachectl.run(["keys", "list", "-v"], environment: ["REDIS_URL": "redis://default:LEAK%2Fx%40y@127.0.0.1:\(s.port)"])
        XCTAssertEqual(wrong.exitCode, 77, wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("LEAK"), wrong.stderr)
    }
}

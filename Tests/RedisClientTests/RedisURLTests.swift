import XCTest
@testable import RedisClient

final class RedisURLTests: XCTestCase {
    func testFullRedisURL() throws {
        let url = try RedisURL.parse("redis://alice:p%40ss%3Aword@cache.example:6380/3")
        XCTAssertEqual(url.host, "cache.example")
        XCTAssertEqual(url.port, 6380)
        XCTAssertEqual(url.database, 3)
        XCTAssertEqual(url.username, "alice")
        XCTAssertEqual(url.password, "p@ss:word")
        XCTAssertFalse(url.tls)
    }

    func testPasswordOnlyAndTLS() throws {
        let url = try RedisURL.parse("rediss://:secret@host")
        XCTAssertNil(url.username)
        XCTAssertEqual(url.password, "secret")
        XCTAssertEqual(url.host, "host")
        XCTAssertNil(url.port)
        XCTAssertTrue(url.tls)
    }

    func testIPv6Literal() throws {
        let url = try RedisURL.parse("redis://[::1]:7000/0")
        XCTAssertEqual(url.host, "::1")
        XCTAssertEqual(url.port, 7000)
        XCTAssertEqual(url.database, 0)
        XCTAssertEqual(Endpoint.tcp(host: "::1", port: 7000).display, "[::1]:7000")
    }

    func testUnixURLWithDatabase() throws {
        let url = try RedisURL.parse("unix:///var/run/redis.sock?db=4")
        XCTAssertEqual(url.endpoint, .unix(path: "/var/run/redis.sock"))
        XCTAssertEqual(url.database, 4)
    }

    func testMalformedURLsAreConfigurationErrorsWithoutPassword() {
        let cases = ["http://x", "redis://:hunter2@host:notaport", "redis://:hunter2@host:70000",
                     "redis://:hunter2@host/abc", "redis://:hunter2@[::1", "localhost:6379", "unix://relative/path",
                     "redis://:hunter2@host/?foo=1"]
        for text in cases {
            XCTAssertThrowsError(try RedisURL.parse(text), text) { error in
                guard let e = error as? RedisError else { return XCTFail("not a RedisError: \(error)") }
                XCTAssertEqual(e.category, .configuration, text)
                XCTAssertFalse(e.description.contains("hunter2"), e.description)
            }
        }
    }

    func testPasswordsWithSlashQuestionMarkAndHashParseAndRedact() throws {
        for password in ["pa/ss", "pa?ss", "pa#ss", "p@ss/?#"] {
            let text = "redis://u:\(password)@host:6380/2"
            let url = try RedisURL.parse(text)
            XCTAssertEqual(url.password, password)
            XCTAssertEqual(url.host, "host")
            XCTAssertEqual(url.port, 6380)
            XCTAssertEqual(url.database, 2)
            XCTAssertEqual(RedisURL.redact(text), "redis://u:***@host:6380/2")
            XCTAssertEqual(RedisURL.redact("redis://:\(password)@host:99999"), "redis://:***@host:99999")
            XCTAssertThrowsError(try RedisURL.parse("redis://:\(password)LEAK@host:99999")) { error in
                XCTAssertFalse("\(error)".contains("LEAK"), "\(error)")
            }
        }
    }

    func testRedaction() {
        XCTAssertEqual(RedisURL.redact("redis://alice:secret@host:1/2"), "redis://alice:***@host:1/2")
        XCTAssertEqual(RedisURL.redact("redis://secret@host"), "redis://***@host")
        XCTAssertEqual(RedisURL.redact("redis://host:6379"), "redis://host:6379")
        XCTAssertEqual(RedisURL.redact("rediss://:a@b@host"), "rediss://:***@host")
    }

    /// Without a scheme the user info is still found; a bare word may be a password.
    func testRedactionOfURLsWithoutAScheme() {
        XCTAssertEqual(RedisURL.redact("default:s3cret@host:6379"), "default:***@host:6379")
        XCTAssertEqual(RedisURL.redact("redis:/u:s3cret@h"), "redis:***@h")
        XCTAssertEqual(RedisURL.redact("s3cret@host"), "***@host")
        XCTAssertEqual(RedisURL.redact("s3cret"), "***")
        XCTAssertEqual(RedisURL.redact("pa:ss:word"), "***")
        XCTAssertEqual(RedisURL.redact("cache.internal:6379"), "cache.internal:6379")
        XCTAssertEqual(RedisURL.redact("[::1]:6379/2"), "[::1]:6379/2")
        XCTAssertThrowsError(try RedisURL.parse("default:s3cret@host:6379")) { error in
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
        }
    }
}

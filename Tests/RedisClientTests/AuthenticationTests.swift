import XCTest
import TestSupport
@testable import RedisClient

final class AuthenticationTests: XCTestCase {
    private func server() throws -> RedisServer { try RedisServer.withPassword.get() }

    func testRightPasswordConnects() throws {
        let s = try server()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), password: s.password))
        XCTAssertEqual(try conn.command("PING").string, "PONG")
    }

    func testWrongPasswordStopsTheConnection() throws {
        let s = try server()
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), password: "wrong-pw-xyz"))) { error in
            guard let e = error as? RedisError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.category, .authentication)
            XCTAssertFalse(e.description.contains("wrong-pw-xyz"))
        }
    }

    func testWrongPasswordOverRESP3() throws {
        let s = try server()
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), password: "nope", resp3: true))) { error in
            XCTAssertEqual((error as? RedisError)?.category, .authentication)
        }
    }

    func testNoPasswordGivesNoauthOnFirstCommand() throws {
        let s = try server()
        var c = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))
        c.clientName = nil
        let conn = try RedisConnection.connect(c)
        XCTAssertThrowsError(try conn.command("PING")) { error in
            XCTAssertEqual((error as? RedisError)?.category, .authentication)
        }
    }

    func testACLUserAndNoPermission() throws {
        let s = try server()
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), password: s.password))
        try admin.command("ACL", "SETUSER", "reader", "reset", "on", ">reader-pw", "~*", "+@read", "+ping", "+client|setname", "+hello", "+auth")
        let reader = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), username: "reader", password: "reader-pw"))
        XCTAssertEqual(try reader.command("PING").string, "PONG")
        XCTAssertThrowsError(try reader.command("SET", "k", "v")) { error in
            guard case .permissionDenied(let text)? = error as? RedisError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.hasPrefix("NOPERM"), text)
        }
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), username: "reader", password: "bad"))) { error in
            XCTAssertEqual((error as? RedisError)?.category, .authentication)
        }
    }
}

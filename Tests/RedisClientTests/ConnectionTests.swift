import XCTest
import RESP
import TestSupport
@testable import RedisClient

final class ConnectionTests: XCTestCase {
    private func server() throws -> RedisServer { try RedisServer.shared.get() }

    private func config(_ s: RedisServer, _ change: (inout ConnectionConfig) -> Void = { _ in }) -> ConnectionConfig {
        var c = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))
        change(&c)
        return c
    }

    func testPingAndBinarySafeRoundTrip() throws {
        let s = try server()
        let conn = try RedisConnection.connect(config(s))
        XCTAssertEqual(try conn.command("PING"), .simpleString(Array("PONG".utf8)))
        let key: [UInt8] = Array("test:bin:".utf8) + [0x00, 0x0A, 0x0D, 0xFF, 0x20, 0x22, 0x5C]
        let value: [UInt8] = Array(0...255)
        XCTAssertEqual(try conn.command([Array("SET".utf8), key, value]).string, "OK")
        XCTAssertEqual(try conn.command([Array("GET".utf8), key]), .bulkString(value))
        try conn.command([Array("DEL".utf8), key])
    }

    func testPipelineKeepsOrderAndReturnsErrorRepliesAsValues() throws {
        let conn = try RedisConnection.connect(config(try server()))
        var commands: [[[UInt8]]] = []
        for i in 0..<500 { commands.append([Array("ECHO".utf8), Array("m\(i)".utf8)]) }
        commands.append([Array("NOSUCHCOMMAND".utf8)])
        commands.append([Array("ECHO".utf8), Array("after".utf8)])
        let replies = try conn.pipeline(commands)
        XCTAssertEqual(replies.count, 502)
        for i in 0..<500 { XCTAssertEqual(replies[i].string, "m\(i)") }
        XCTAssertTrue(replies[500].isError)
        XCTAssertEqual(replies[501].string, "after")
    }

    func testErrorReplyThrowsServerErrorVerbatim() throws {
        let conn = try RedisConnection.connect(config(try server()))
        try conn.command("SET", "test:wrongtype", "x")
        XCTAssertThrowsError(try conn.command("LPUSH", "test:wrongtype", "y")) { error in
            guard case .server(let text)? = error as? RedisError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.hasPrefix("WRONGTYPE"), text)
        }
        try conn.command("DEL", "test:wrongtype")
    }

    func testSelectAndClientName() throws {
        let conn = try RedisConnection.connect(config(try server()) { $0.database = 3 })
        try conn.command("SET", "test:db3", "here")
        let other = try RedisConnection.connect(config(try server()))
        XCTAssertTrue(try other.command("GET", "test:db3").isNull, "SELECT 3 must have moved the first connection")
        XCTAssertEqual(try conn.command("CLIENT", "GETNAME").string, "cachectl")
        try conn.command("DEL", "test:db3")
    }

    func testRESP3Negotiation() throws {
        let conn = try RedisConnection.connect(config(try server()) { $0.resp3 = true })
        XCTAssertEqual(conn.protocolVersion, 3)
        try conn.command("HSET", "test:resp3:h", "f", "v")
        guard case .map(let pairs) = try conn.command("HGETALL", "test:resp3:h") else {
            return XCTFail("HGETALL under RESP3 must be a map")
        }
        XCTAssertEqual(pairs, [RESPPair(.bulk("f"), .bulk("v"))])
        try conn.command("DEL", "test:resp3:h")
    }

    func testRefusedConnectionIsUnavailable() throws {
        let port = try freePort()
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: port)))) { error in
            XCTAssertEqual(error as? RedisError, .connectionRefused(endpoint: "127.0.0.1:\(port)"))
        }
    }

    func testSilentServerTimesOut() throws {
        let silent = try SilentServer()
        var c = ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: silent.port))
        c.replyTimeout = .milliseconds(300)
        c.clientName = "cachectl" // the handshake's CLIENT SETNAME is the first reply awaited
        let start = ContinuousClock.now
        XCTAssertThrowsError(try RedisConnection.connect(c)) { error in
            XCTAssertEqual((error as? RedisError)?.category, .timeout)
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
    }

    func testUnknownHostIsUnavailable() {
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "no-such-host.invalid", port: 6379)))) { error in
            guard case .hostNotFound? = error as? RedisError else { return XCTFail("\(error)") }
        }
    }

    func testUnixSocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-test-\(getpid()).sock").path
        let s = try RedisServer.start(extraArguments: ["--unixsocket", path, "--unixsocketperm", "700"])
        defer { s.stop() }
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .unix(path: path)))
        XCTAssertEqual(try conn.command("PING").string, "PONG")
        XCTAssertThrowsError(try RedisConnection.connect(ConnectionConfig(endpoint: .unix(path: path + ".missing"))))
    }
}

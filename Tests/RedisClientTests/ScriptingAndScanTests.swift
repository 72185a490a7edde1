import XCTest
import RESP
import TestSupport
@testable import RedisClient

final class ScriptingAndScanTests: XCTestCase {
    func testSHA1KnownVectors() {
        XCTAssertEqual(SHA1.hexDigest([]), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(SHA1.hexDigest(Array("abc".utf8)), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(SHA1.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    func testEvalLoadsOnNoscriptThenUsesTheDigest() throws {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        let script = LuaScript("return {KEYS[1], ARGV[1], \(UInt32.random(in: 0...UInt32.max))}")
        XCTAssertEqual(try conn.command("SCRIPT", "EXISTS", script.sha1).elements, [.integer(0)])
        let reply = try conn.eval(script, keys: [Array("k".utf8)], args: [Array("a".utf8)])
        XCTAssertEqual(reply.elements?.prefix(2).map { $0.string }, ["k", "a"])
        XCTAssertEqual(try conn.command("SCRIPT", "EXISTS", script.sha1).elements, [.integer(1)],
                       "the local SHA-1 must match the server's digest")
        XCTAssertThrowsError(try conn.eval(LuaScript("return redis.call('NOPE')"), keys: [], args: []))
    }

    func testScanVisitsEveryMatchingKeyOnce() throws {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: 7))
        try conn.command("FLUSHDB")
        var cmds: [[[UInt8]]] = []
        for i in 0..<300 { cmds.append([Array("SET".utf8), Array("scan:a:\(i)".utf8), Array("v".utf8)]) }
        for i in 0..<50 { cmds.append([Array("SET".utf8), Array("scan:b:\(i)".utf8), Array("v".utf8)]) }
        _ = try conn.pipeline(cmds)
        var seen = Set<[UInt8]>()
        var cursor: [UInt8] = Array("0".utf8)
        repeat {
            let page = try conn.scan(cursor: cursor, match: Array("scan:a:*".utf8), count: 100)
            for k in page.keys { seen.insert(k) }
            cursor = page.cursor
        } while cursor != Array("0".utf8)
        XCTAssertEqual(seen.count, 300)
        XCTAssertTrue(seen.allSatisfy { $0.starts(with: Array("scan:a:".utf8)) })
        try conn.command("FLUSHDB")
    }
}

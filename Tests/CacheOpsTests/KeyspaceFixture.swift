import XCTest
import TestSupport
import RedisClient
import CacheOps

/// Keys that break naive tools: spaces, newlines, quotes, backslashes, CR LF, NUL,
/// invalid UTF-8, emoji; and near misses that must be left alone.
enum AwkwardKeys {
    static let matching: [[UInt8]] = [
        "m:plain", "m:with space", "m:new\nline", "m:quote\"d", "m:back\\slash", "m:crlf\r\n", "m:tab\there",
        "m:emoji🔑", "m:'single'", "m:$(echo hi)", "m:*star?", "m:", "m:café",
    ].map { Array($0.utf8) } + [[0x6D, 0x3A, 0xFF, 0xFE, 0x00, 0x01], [0x6D, 0x3A, 0xC3]]

    static let others: [[UInt8]] = ["n:plain", "xm:plain", "M:upper", "m", " m:lead", "tag:unrelated"]
        .map { Array($0.utf8) } + [[0x6E, 0x3A, 0xFF]]

    static let pattern = Array("m:*".utf8)

    /// A connection to `database` on the shared server, emptied first and after the test.
    static func connect(database: Int, prefix: [UInt8] = [], testCase: XCTestCase) throws -> RedisConnection {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port),
                                                                database: database, keyPrefix: prefix))
        try conn.command("FLUSHDB")
        testCase.addTeardownBlock { _ = try? conn.command("FLUSHDB") }
        return conn
    }

    static func seed(_ conn: RedisConnection, _ keys: [[UInt8]], ttl: Int? = nil) throws {
        let set = keys.map { key -> [[UInt8]] in
            var c = [Array("SET".utf8), key, Array("value".utf8)]
            if let ttl { c += [Array("EX".utf8), Array(String(ttl).utf8)] }
            return c
        }
        for reply in try conn.pipeline(set) { XCTAssertFalse(reply.isError, "\(reply)") }
    }

    static func allKeys(_ conn: RedisConnection) throws -> Set<[UInt8]> {
        var seen = Set<[UInt8]>()
        var cursor = ScanCursor.start
        repeat {
            let page = try conn.scan(cursor: cursor, count: 1000)
            seen.formUnion(page.keys)
            cursor = page.cursor
        } while cursor != ScanCursor.start
        return seen
    }
}

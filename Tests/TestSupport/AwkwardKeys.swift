import Foundation
import RedisClient

/// A keyspace that breaks naive tools: keys with spaces, newlines, quotes, backslashes,
/// CR LF, control bytes, invalid UTF-8 and emoji, next to near misses that must be left
/// alone. Seeded through the client, never through redis-cli, so every byte is exact.
public enum AwkwardKeys {
    /// Keys matching `pattern`. None holds a NUL byte (see `withNul`): such a key cannot
    /// travel through argv or `-0` output at all.
    public static let matching: [[UInt8]] = [
        "m:plain", "m:with space", "m:new\nline", "m:quote\"d", "m:back\\slash", "m:crlf\r\n", "m:tab\there",
        "m:emoji🔑", "m:'single'", "m:$(echo hi)", "m:*star?", "m:", "m:café", "m:\u{202E}rtl", "m:-n",
    ].map { Array($0.utf8) } + [[0x6D, 0x3A, 0xFF, 0xFE, 0x01], [0x6D, 0x3A, 0xC3], [0x6D, 0x3A, 0x1B, 0x5B, 0x33, 0x31, 0x6D]]

    /// Near misses: a different first segment, case, a leading space, no colon.
    public static let others: [[UInt8]] = ["n:plain", "xm:plain", "M:upper", "m", " m:lead", "tag:unrelated"]
        .map { Array($0.utf8) } + [[0x6E, 0x3A, 0xFF]]

    /// Matches `pattern` but holds a NUL byte.
    public static let withNul: [UInt8] = [0x6D, 0x3A, 0x61, 0x00, 0x62]

    public static let pattern = Array("m:*".utf8)

    /// A connection to `database` on the shared server, emptied first; the caller empties it after.
    public static func connect(database: Int, prefix: [UInt8] = []) throws -> RedisConnection {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port),
                                                                database: database, keyPrefix: prefix))
        try conn.command("FLUSHDB")
        return conn
    }

    public static func seed(_ conn: RedisConnection, _ keys: [[UInt8]], ttl: Int? = nil) throws {
        let set = keys.map { key -> [[UInt8]] in
            var c = [Array("SET".utf8), key, Array("value".utf8)]
            if let ttl { c += [Array("EX".utf8), Array(String(ttl).utf8)] }
            return c
        }
        for reply in try conn.pipeline(set) where reply.isError {
            throw RedisError.server("seeding failed: \(reply)")
        }
    }

    /// Every key in the connection's database, read with SCAN.
    public static func allKeys(_ conn: RedisConnection) throws -> Set<[UInt8]> {
        var seen = Set<[UInt8]>()
        var cursor: [UInt8] = [UInt8(ascii: "0")]
        repeat {
            let page = try conn.scan(cursor: cursor, count: 1000)
            seen.formUnion(page.keys)
            cursor = page.cursor
        } while cursor != [UInt8(ascii: "0")]
        return seen
    }
}

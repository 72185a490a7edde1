import RESP
import RedisClient

/// A key found outside the bench namespace, which makes the database not a bench target.
public struct ForeignKeys: Sendable, Equatable {
    /// `DBSIZE`: every key in the database.
    public var databaseSize: Int64
    /// The first key found that `bench` did not write.
    public var example: [UInt8]
}

extension Bench {
    /// Looks for a key not under `namespace`, so that nobody benchmarks (and cleans up)
    /// a production database by accident. Stops at the first one; a database holding only
    /// bench keys (left by `--keep`) is scanned through, which SCAN does without blocking.
    public static func findForeignKey(on connection: RedisConnection, namespace: [UInt8]) throws(RedisError) -> ForeignKeys? {
        guard let size = try connection.command("DBSIZE").int, size > 0 else { return nil }
        var cursor: [UInt8] = Array("0".utf8)
        repeat {
            let page = try connection.scan(cursor: cursor, count: 1000)
            if let foreign = page.keys.first(where: { !$0.starts(with: namespace) }) {
                return ForeignKeys(databaseSize: size, example: foreign)
            }
            cursor = page.cursor
        } while cursor != Array("0".utf8)
        return nil
    }

    /// Deletes every key under `namespace` (SCAN MATCH + UNLINK, which frees memory off
    /// the server's main thread) and returns how many went.
    @discardableResult
    public static func deleteKeys(on connection: RedisConnection, namespace: [UInt8]) throws(RedisError) -> Int {
        let pattern = GlobPattern.escape(namespace) + [UInt8(ascii: "*")]
        var cursor: [UInt8] = Array("0".utf8)
        var deleted = 0
        repeat {
            let page = try connection.scan(cursor: cursor, match: pattern, count: 1000)
            if !page.keys.isEmpty {
                deleted += Int(min(Int64(page.keys.count), try connection.command([Array("UNLINK".utf8)] + page.keys).quantity ?? 0))
            }
            cursor = page.cursor
        } while cursor != Array("0".utf8)
        return deleted
    }

    /// Whether the server runs in cluster mode, where keys live on several nodes: bench
    /// drives one server and does not follow MOVED redirections (yet).
    public static func isCluster(_ connection: RedisConnection) throws(RedisError) -> Bool {
        try ClusterClient.isClusterNode(connection)
    }
}

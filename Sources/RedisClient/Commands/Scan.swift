import RESP

/// One `SCAN` step's answer.
public struct ScanPage: Sendable, Equatable {
    /// `0` when the iteration is complete.
    public var cursor: [UInt8]
    public var keys: [[UInt8]]
    public var isLast: Bool { cursor == [UInt8(ascii: "0")] }
}

/// Guards a SCAN-family walk (SCAN, SSCAN, HSCAN) against a server whose iteration never
/// ends: Redis and Valkey visit buckets in one direction only, so a cursor never comes back
/// within one walk. A cursor seen twice means the walk would loop for ever (a broken proxy,
/// a fake): it stops, as a protocol error (exit 70), instead of hanging a cron job.
public struct ScanConvergence: Sendable {
    private var seen: Set<[UInt8]> = []
    private let command: String

    public init(command: String = "SCAN") { self.command = command }

    /// Records the cursor of the page just read; throws when it was returned before.
    public mutating func check(_ cursor: [UInt8]) throws(RedisError) {
        guard cursor != [UInt8(ascii: "0")] else { return }
        guard seen.insert(cursor).inserted else {
            throw .protocolViolation("\(command) returned cursor \(String(decoding: cursor.prefix(40), as: UTF8.self)) a second time: "
                                     + "its iteration would never end; stopped after \(seen.count) pages")
        }
    }
}

extension RedisConnection {
    /// Builds a `SCAN cursor [MATCH pattern] [COUNT n] [TYPE t]` command; exposed so callers
    /// can pipeline it with other work.
    public static func scanCommand(cursor: [UInt8], match: [UInt8]?, count: Int?, type: String?) -> [[UInt8]] {
        var c: [[UInt8]] = [Array("SCAN".utf8), cursor]
        if let match { c += [Array("MATCH".utf8), match] }
        if let count { c += [Array("COUNT".utf8), Array(String(count).utf8)] }
        if let type { c += [Array("TYPE".utf8), Array(type.utf8)] }
        return c
    }

    /// Decodes a SCAN reply (`[cursor, [keys…]]`).
    public static func parseScanReply(_ reply: RESPValue) throws(RedisError) -> ScanPage {
        if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
        guard let parts = reply.elements, parts.count == 2, let cursor = parts[0].bytes, let items = parts[1].elements else {
            throw .protocolViolation("SCAN reply is not [cursor, keys]")
        }
        var keys: [[UInt8]] = []
        keys.reserveCapacity(items.count)
        for item in items {
            guard let k = item.bytes else { throw .protocolViolation("SCAN returned a non-string key") }
            keys.append(k)
        }
        return ScanPage(cursor: cursor, keys: keys)
    }

    /// One SCAN step. Callers loop until `isLast`; SCAN never blocks the server the way KEYS does.
    public func scan(cursor: [UInt8], match: [UInt8]? = nil, count: Int? = nil, type: String? = nil) throws(RedisError) -> ScanPage {
        enqueue(Self.scanCommand(cursor: cursor, match: match, count: count, type: type))
        return try Self.parseScanReply(try readReply())
    }
}

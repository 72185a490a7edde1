import RESP
import RedisClient

/// The start of a value, as much as `keys show` fetches of it.
public enum KeyPreview: Sendable, Equatable {
    /// The first bytes of a string (GETRANGE).
    case string([UInt8])
    /// Field/value pairs (HSCAN).
    case hash([(field: [UInt8], value: [UInt8])])
    /// Members (SSCAN) or elements (LRANGE).
    case set([[UInt8]])
    case list([[UInt8]])
    /// Members with their scores, lowest first (ZRANGE WITHSCORES).
    case zset([(member: [UInt8], score: Double)])
    /// Entries with their fields, oldest first (XRANGE COUNT).
    case stream([(id: [UInt8], fields: [(field: [UInt8], value: [UInt8])])])
    /// A type cachectl does not preview (a module's).
    case none

    public static func == (a: KeyPreview, b: KeyPreview) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.hash(let x), .hash(let y)): return x.map(\.field) == y.map(\.field) && x.map(\.value) == y.map(\.value)
        case (.set(let x), .set(let y)), (.list(let x), .list(let y)): return x == y
        case (.zset(let x), .zset(let y)): return x.map(\.member) == y.map(\.member) && x.map(\.score) == y.map(\.score)
        case (.stream(let x), .stream(let y)): return x.map(\.id) == y.map(\.id)
        case (.none, .none): return true
        default: return false
        }
    }

    /// Items shown: bytes for a string, fields/members/elements/entries otherwise.
    public var count: Int {
        switch self {
        case .string(let b): return b.count
        case .hash(let p): return p.count
        case .set(let m), .list(let m): return m.count
        case .zset(let m): return m.count
        case .stream(let e): return e.count
        case .none: return 0
        }
    }
}

/// What `keys show` reports for one key.
public struct KeyDetails: Sendable, Equatable {
    /// Without the prefix.
    public var key: [UInt8]
    /// `TYPE`: string, hash, list, set, zset, stream, or a module's type name.
    public var type: String
    public var expiry: KeyExpiry
    /// `OBJECT ENCODING`; nil when refused.
    public var encoding: String?
    /// `MEMORY USAGE`; nil when refused.
    public var memoryBytes: Int64?
    /// Bytes of a string, fields of a hash, members of a set or zset, elements of a list,
    /// entries of a stream; nil for other types.
    public var length: Int64?
    public var preview: KeyPreview

    /// The preview holds less than the whole value.
    public var truncated: Bool { length.map { Int64(preview.count) < $0 } ?? false }
}

public struct KeyShowOptions: Sendable, Equatable {
    /// Bytes of a string to fetch.
    public var bytes: Int
    /// Fields, members, elements or entries to fetch.
    public var items: Int

    public init(bytes: Int = 1024, items: Int = 10) {
        self.bytes = bytes
        self.items = items
    }
}

/// `cachectl keys show`: a look at one key without fetching a huge value whole: its
/// length comes from STRLEN/HLEN/…, its preview from GETRANGE/HSCAN/SSCAN/ZRANGE/LRANGE/
/// XRANGE bounded by the options.
public enum KeyShow {
    /// nil when the key does not exist. Refused optional facts land in `facts`.
    public static func inspect(_ key: [UInt8], on client: RoutedClient, scope: KeyScope, options: KeyShowOptions,
                               facts: inout OptionalFacts) throws(RedisError) -> KeyDetails? {
        let full = scope.key(key)
        func run(_ words: [String], _ extra: [[UInt8]] = []) throws(RedisError) -> RESPValue {
            var args = [Array(words[0].utf8), full]
            args += words.dropFirst().map { Array($0.utf8) }
            return try client.command(args + extra, key: full)
        }
        let type = try client.command([Array("TYPE".utf8), full], key: full).string ?? "none"
        if type == "none" { return nil }
        let pttl = try client.command([Array("PTTL".utf8), full], key: full).int ?? -2
        if pttl == -2 { return nil }
        let encoding = try facts.attempt("OBJECT ENCODING", provides: "encodings") { () throws(RedisError) in
            try client.command([Array("OBJECT".utf8), Array("ENCODING".utf8), full], key: full).string
        } ?? nil
        let memory = try facts.attempt("MEMORY USAGE", provides: "memory use") { () throws(RedisError) in
            try client.command([Array("MEMORY".utf8), Array("USAGE".utf8), full], key: full).int
        } ?? nil
        let n = String(max(1, options.items))
        let length: Int64?
        let preview: KeyPreview
        switch type {
        case "string":
            length = try run(["STRLEN"]).int
            preview = .string(options.bytes <= 0 ? [] : try run(["GETRANGE", "0", String(options.bytes - 1)]).bytes ?? [])
        case "hash":
            length = try run(["HLEN"]).int
            let flat = try scanMembers("HSCAN", full, client: client, want: options.items * 2)
            var pairs: [(field: [UInt8], value: [UInt8])] = []
            var i = 0
            while i + 1 < flat.count && pairs.count < options.items {
                pairs.append((flat[i], flat[i + 1]))
                i += 2
            }
            preview = .hash(pairs)
        case "set":
            length = try run(["SCARD"]).int
            preview = .set(Array(try scanMembers("SSCAN", full, client: client, want: options.items).prefix(options.items)))
        case "zset":
            length = try run(["ZCARD"]).int
            preview = .zset(try scored(try run(["ZRANGE", "0", String(options.items - 1), "WITHSCORES"])))
        case "list":
            length = try run(["LLEN"]).int
            preview = .list((try run(["LRANGE", "0", String(options.items - 1)]).elements ?? []).compactMap(\.bytes))
        case "stream":
            length = try run(["XLEN"]).int
            preview = .stream(try entries(try run(["XRANGE", "-", "+", "COUNT", n])))
        default:
            length = nil
            preview = .none
        }
        return KeyDetails(key: key, type: type, expiry: pttl == -1 ? .never : .inMilliseconds(max(0, pttl)),
                          encoding: encoding, memoryBytes: memory, length: length, preview: preview)
    }

    /// HSCAN/SSCAN until `want` items (or the end), at most 100 calls: a bounded look.
    static func scanMembers(_ command: String, _ key: [UInt8], client: RoutedClient, want: Int) throws(RedisError) -> [[UInt8]] {
        var cursor = ScanCursor.start
        var out: [[UInt8]] = []
        for _ in 0..<100 {
            let reply = try client.command([Array(command.utf8), key, cursor, Array("COUNT".utf8), Array(String(max(10, want)).utf8)], key: key)
            let page = try RedisConnection.parseScanReply(reply)
            out += page.keys
            cursor = page.cursor
            if page.isLast || out.count >= want { break }
        }
        return out
    }

    /// RESP2 answers `member, score, …`; RESP3 `[[member, score], …]`.
    static func scored(_ reply: RESPValue) throws(RedisError) -> [(member: [UInt8], score: Double)] {
        let items = reply.elements ?? []
        var out: [(member: [UInt8], score: Double)] = []
        if let first = items.first, first.elements != nil {
            for pair in items {
                guard let p = pair.elements, p.count == 2, let m = p[0].bytes, let s = score(p[1]) else {
                    throw .protocolViolation("ZRANGE WITHSCORES answered an unexpected shape")
                }
                out.append((m, s))
            }
            return out
        }
        var i = 0
        while i + 1 < items.count {
            guard let m = items[i].bytes, let s = score(items[i + 1]) else {
                throw .protocolViolation("ZRANGE WITHSCORES answered an unexpected shape")
            }
            out.append((m, s))
            i += 2
        }
        return out
    }

    private static func score(_ value: RESPValue) -> Double? {
        if case .double(let d) = value { return d }
        return value.string.flatMap { Double($0) ?? ($0 == "inf" ? .infinity : $0 == "-inf" ? -.infinity : nil) }
    }

    /// XRANGE: `[[id, [field, value, …]], …]`.
    static func entries(_ reply: RESPValue) throws(RedisError) -> [(id: [UInt8], fields: [(field: [UInt8], value: [UInt8])])] {
        var out: [(id: [UInt8], fields: [(field: [UInt8], value: [UInt8])])] = []
        for entry in reply.elements ?? [] {
            guard let parts = entry.elements, parts.count == 2, let id = parts[0].bytes else {
                throw .protocolViolation("XRANGE answered an unexpected shape")
            }
            var fields: [(field: [UInt8], value: [UInt8])] = []
            let flat: [RESPValue]
            if case .map(let pairs) = parts[1] {
                flat = pairs.flatMap { [$0.key, $0.value] }
            } else {
                flat = parts[1].elements ?? []
            }
            var i = 0
            while i + 1 < flat.count {
                fields.append((flat[i].bytes ?? [], flat[i + 1].bytes ?? []))
                i += 2
            }
            out.append((id, fields))
        }
        return out
    }
}

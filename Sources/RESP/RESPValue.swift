/// One RESP2 or RESP3 value as it travels on the wire.
///
/// Strings are bytes, not `String`: Redis keys and values are binary-safe and a lossy
/// UTF-8 conversion here would corrupt keys holding arbitrary bytes.
public enum RESPValue: Sendable, Hashable {
    /// `+OK` — a status reply.
    case simpleString([UInt8])
    /// `-ERR …` — a simple error reply (RESP2 and RESP3).
    case error([UInt8])
    /// `:42`
    case integer(Int64)
    /// `$5 hello`; `nil` is RESP2's null bulk string (`$-1`).
    case bulkString([UInt8]?)
    /// `*2 …`; `nil` is RESP2's null array (`*-1`).
    case array([RESPValue]?)
    /// RESP3 `_` null.
    case null
    /// RESP3 `#t` / `#f`.
    case boolean(Bool)
    /// RESP3 `,3.14` (also `inf`, `-inf`, `nan`).
    case double(Double)
    /// RESP3 `(1234…` kept as its decimal digits: it may exceed every native integer.
    case bigNumber([UInt8])
    /// RESP3 `!` — an error whose text may hold any bytes.
    case bulkError([UInt8])
    /// RESP3 `=` — a string with a three-byte format such as `txt` or `mkd`.
    case verbatimString(format: [UInt8], text: [UInt8])
    /// RESP3 `%` — pairs in server order (a dictionary would lose order and duplicate keys).
    case map([RESPPair])
    /// RESP3 `~`
    case set([RESPValue])
    /// RESP3 `|` attributes and the value they annotate, kept together so that a reader
    /// that does not care can take `.value` and move on.
    indirect case attribute([RESPPair], RESPValue)
    /// RESP3 `>` — out-of-band data (pub/sub messages, client-side caching invalidations).
    case push([RESPValue])
}

/// A key and value of a RESP3 map or attribute.
public struct RESPPair: Sendable, Hashable {
    public var key: RESPValue
    public var value: RESPValue
    public init(_ key: RESPValue, _ value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// Convenience for tests and command building: a bulk string holding the UTF-8 of `s`.
    public static func bulk(_ s: String) -> RESPValue { .bulkString(Array(s.utf8)) }

    /// The value without any attribute wrapper.
    public var unwrapped: RESPValue {
        if case .attribute(_, let inner) = self { return inner.unwrapped }
        return self
    }

    /// True for simple and bulk errors.
    public var isError: Bool {
        switch unwrapped {
        case .error, .bulkError: return true
        default: return false
        }
    }

    /// The error text of an error reply, `nil` otherwise.
    public var errorBytes: [UInt8]? {
        switch unwrapped {
        case .error(let b), .bulkError(let b): return b
        default: return nil
        }
    }

    /// The bytes of any string-like reply (simple, bulk, verbatim, big number).
    public var bytes: [UInt8]? {
        switch unwrapped {
        case .simpleString(let b), .bigNumber(let b): return b
        case .bulkString(let b): return b
        case .verbatimString(_, let t): return t
        default: return nil
        }
    }

    /// The reply as text, replacing invalid UTF-8: for display and INFO parsing, never for keys.
    public var string: String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Integer replies, and strings holding a decimal integer (RESP2 often sends numbers as strings).
    public var int: Int64? {
        switch unwrapped {
        case .integer(let i): return i
        case .boolean(let b): return b ? 1 : 0
        default:
            guard let s = string else { return nil }
            return Int64(s)
        }
    }

    /// Largest count `quantity` accepts: 2^48 (keys, bytes, subscribers) is beyond any real
    /// server, yet far enough from Int64.max that sums and products of counts cannot overflow.
    public static let maxQuantity: Int64 = 1 << 48

    /// An integer reply that counts something (keys deleted, DBSIZE, MEMORY USAGE bytes,
    /// subscribers): `int` when it is within 0...maxQuantity, `nil` otherwise, so that an
    /// impossible count is a protocol error and never reaches arithmetic.
    public var quantity: Int64? {
        guard let n = int, n >= 0, n <= Self.maxQuantity else { return nil }
        return n
    }

    /// The elements of arrays, sets and pushes; `nil` for null and for non-aggregates.
    public var elements: [RESPValue]? {
        switch unwrapped {
        case .array(let a): return a
        case .set(let a), .push(let a): return a
        default: return nil
        }
    }

    /// Null in both protocol versions.
    public var isNull: Bool {
        switch unwrapped {
        case .null, .bulkString(nil), .array(nil): return true
        default: return false
        }
    }
}

/// What a reply is, read from the wire bytes of one complete value without building it:
/// enough for a load generator to branch on (a cache miss, a lock not taken, a script's
/// verdict) while allocating nothing. Pair with `RESPParser.skipNext(inspecting:)`, which
/// has already validated the bytes.
public struct RESPReplySummary: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case simpleString, error, integer, bulkString, null, boolean, aggregate, push, other
    }

    public var kind: Kind
    /// A `:` reply's value, a boolean as 1 or 0, and for an array or set whose first
    /// element is one of those, that element's value (scripts answer `{allowed, …}`).
    public var integer: Int64?

    public init(kind: Kind, integer: Int64? = nil) {
        self.kind = kind
        self.integer = integer
    }

    /// Classifies `wire`, which must hold exactly one complete, valid value.
    public init(wire: UnsafeBufferPointer<UInt8>) {
        guard let type = wire.first else {
            self.init(kind: .other)
            return
        }
        switch type {
        case RESPByte.simpleString:
            self.init(kind: .simpleString)
        case RESPByte.simpleError, RESPByte.bulkError:
            self.init(kind: .error)
        case RESPByte.integer:
            self.init(kind: .integer, integer: Self.integer(in: wire, from: 1))
        case RESPByte.bulkString:
            self.init(kind: wire.count > 1 && wire[1] == RESPByte.minus ? .null : .bulkString)
        case RESPByte.null:
            self.init(kind: .null)
        case RESPByte.boolean:
            self.init(kind: .boolean, integer: wire.count > 1 && wire[1] == UInt8(ascii: "t") ? 1 : 0)
        case RESPByte.array, RESPByte.set:
            if wire.count > 1 && wire[1] == RESPByte.minus {
                self.init(kind: .null)
            } else {
                self.init(kind: .aggregate, integer: Self.firstElementInteger(in: wire))
            }
        case RESPByte.push:
            self.init(kind: .push)
        default:
            self.init(kind: .other)
        }
    }

    /// The text of an error reply (`-ERR …` or a RESP3 bulk error), `nil` for anything else.
    public static func errorText(wire: UnsafeBufferPointer<UInt8>) -> String? {
        guard let type = wire.first else { return nil }
        let body: UnsafeBufferPointer<UInt8>
        switch type {
        case RESPByte.simpleError:
            guard wire.count >= 3 else { return nil }
            body = UnsafeBufferPointer(rebasing: wire[1..<(wire.count - 2)])
        case RESPByte.bulkError:
            guard let cr = wire.firstIndex(of: RESPByte.cr), cr + 2 <= wire.count - 2 else { return nil }
            body = UnsafeBufferPointer(rebasing: wire[(cr + 2)..<(wire.count - 2)])
        default:
            return nil
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The value of the element after an aggregate's header line, when it is `:` or `#`.
    private static func firstElementInteger(in wire: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let cr = wire.firstIndex(of: RESPByte.cr) else { return nil }
        let first = cr + 2
        guard first + 1 < wire.count else { return nil }
        switch wire[first] {
        case RESPByte.integer: return integer(in: wire, from: first + 1)
        case RESPByte.boolean: return wire[first + 1] == UInt8(ascii: "t") ? 1 : 0
        default: return nil
        }
    }

    /// Reads the digits of an already validated integer line starting at `index`.
    private static func integer(in wire: UnsafeBufferPointer<UInt8>, from index: Int) -> Int64? {
        var i = index
        guard i < wire.count else { return nil }
        let negative = wire[i] == RESPByte.minus
        if negative || wire[i] == RESPByte.plus { i += 1 }
        var value: Int64 = 0
        while i < wire.count {
            let digit = wire[i] &- RESPByte.zero
            if digit >= 10 { break }
            // Validated input has at most 19 digits; wrapping keeps a hand-made one from trapping.
            value = negative ? value &* 10 &- Int64(digit) : value &* 10 &+ Int64(digit)
            i += 1
        }
        return value
    }
}

/// The ASCII bytes RESP is made of, named so the parser reads like the spec.
enum RESPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let zero = UInt8(ascii: "0")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let question = UInt8(ascii: "?")
    static let colon = UInt8(ascii: ":")

    static let simpleString = UInt8(ascii: "+")
    static let simpleError = UInt8(ascii: "-")
    static let integer = UInt8(ascii: ":")
    static let bulkString = UInt8(ascii: "$")
    static let array = UInt8(ascii: "*")
    static let null = UInt8(ascii: "_")
    static let boolean = UInt8(ascii: "#")
    static let double = UInt8(ascii: ",")
    static let bigNumber = UInt8(ascii: "(")
    static let bulkError = UInt8(ascii: "!")
    static let verbatimString = UInt8(ascii: "=")
    static let map = UInt8(ascii: "%")
    static let set = UInt8(ascii: "~")
    static let attribute = UInt8(ascii: "|")
    static let push = UInt8(ascii: ">")
}

/// Parser limits, resolved once so the hot path reads plain stored integers.
struct RESPLimits: Sendable {
    var maxBulkLength: Int
    var maxDepth: Int
    /// Element counts above `Int32.max` are refused: Redis itself caps aggregates there,
    /// and each element takes at least three bytes, so such a reply would exceed 6 GB.
    var maxAggregateCount: Int = Int(Int32.max)
    /// Status and error lines are capped like bulk strings: both are buffered whole.
    var maxLineLength: Int
    /// Shortest round-trip doubles need 24 bytes; 256 leaves room for long decimal forms
    /// from other servers while keeping a garbage line from being buffered at length.
    var maxDoubleLength: Int = 256
    /// The reply budget's element count (`RESPBudget.maxElements`).
    var maxElements: Int = RESPBudget.unlimited.maxElements
}

/// Why reading stopped: either the stream is bad, or it simply has not all arrived.
enum WireFailure: Error {
    case incomplete
    case invalid(RESPProtocolError)
}

/// A read position over buffered bytes with the primitive readers both the value builder
/// and the skip scanner share, so the two agree byte for byte on what is valid.
///
/// Every reader either advances `pos` past a complete, valid element or throws without
/// moving it. Errors are decided by the bytes read so far only, which is what makes the
/// outcome independent of how the stream was split into chunks.
struct RESPWire {
    let buf: UnsafeBufferPointer<UInt8>
    var pos: Int
    let limits: RESPLimits
    /// Values the value being read holds in all, counting itself and every child its
    /// aggregate headers so far have declared (a map's pair counts twice).
    var declared = 1

    /// Counts `children` more declared values, refusing past the element budget. Called
    /// right after each aggregate header, in wire order, by the builder and the scanner alike.
    @inline(__always)
    static func declare(_ children: Int, onto declared: inout Int, limit: Int) throws(WireFailure) {
        guard children <= limit - declared else { throw .invalid(.tooManyElements(limit: limit)) }
        declared += children
    }

    @inline(__always)
    var end: Int { buf.count }

    /// Reads a CR LF–terminated line starting at `pos`, returning its content range.
    /// `searchFrom` lets a resumed scan skip bytes already known to hold no CR, so a long
    /// line arriving in many chunks is searched once rather than once per chunk.
    @inline(__always)
    mutating func line(type: UInt8, maxLength: Int, searchFrom: Int = 0) throws(WireFailure) -> Range<Int> {
        let start = pos
        // A CR at `start + maxLength` still leaves a line of exactly `maxLength` bytes; if
        // every position up to there is buffered and none holds a CR, the line is too long.
        let overlong = maxLength < end - start
        let stop = overlong ? start + maxLength + 1 : end
        var i = searchFrom > start ? searchFrom : start
        while i < stop {
            if buf[i] == RESPByte.cr {
                guard i + 1 < end else { throw .incomplete }
                guard buf[i + 1] == RESPByte.lf else { throw .invalid(.missingCRLF(type: type)) }
                pos = i + 2
                return start..<i
            }
            i += 1
        }
        if overlong { throw .invalid(.lineTooLong(type: type, limit: maxLength)) }
        throw .incomplete
    }

    /// Reads a length or count header: digits, or `-1` where the type has a null form.
    /// The limit is checked digit by digit so an absurd length fails before its CR LF.
    @inline(__always)
    mutating func length(type: UInt8, limit: Int, allowsNull: Bool) throws(WireFailure) -> Int {
        var i = pos
        guard i < end else { throw .incomplete }
        let first = buf[i]
        if first == RESPByte.minus {
            guard allowsNull else { throw .invalid(.invalidLength(type: type)) }
            guard i + 1 < end else { throw .incomplete }
            guard buf[i + 1] == UInt8(ascii: "1") else { throw .invalid(.invalidLength(type: type)) }
            try terminator(at: i + 2, type: type, orElse: .invalidLength(type: type))
            return -1
        }
        if first == RESPByte.question { throw .invalid(.streamedTypeUnsupported(type: type)) }
        var value = 0
        var digits = 0
        while true {
            guard i < end else { throw .incomplete }
            let byte = buf[i]
            let digit = byte &- RESPByte.zero
            if digit >= 10 { break }
            digits += 1
            // 19 digits bounds leading zeros too; no real length needs more.
            guard digits <= 19 else { throw .invalid(.invalidLength(type: type)) }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(Int(digit))
            guard !o1, !o2, next <= limit else { throw .invalid(.lengthTooLarge(type: type, limit: limit)) }
            value = next
            i += 1
        }
        guard digits > 0 else { throw .invalid(.invalidLength(type: type)) }
        try terminator(at: i, type: type, orElse: .invalidLength(type: type))
        return value
    }

    /// Requires CR LF at `index` and moves past it. A byte other than CR there means the
    /// line's content is wrong (`orElse`); a CR without LF is a broken terminator.
    @inline(__always)
    mutating func terminator(at index: Int, type: UInt8, orElse contentError: RESPProtocolError) throws(WireFailure) {
        guard index < end else { throw .incomplete }
        guard buf[index] == RESPByte.cr else { throw .invalid(contentError) }
        guard index + 1 < end else { throw .incomplete }
        guard buf[index + 1] == RESPByte.lf else { throw .invalid(.missingCRLF(type: type)) }
        pos = index + 2
    }

    /// Reads `length` payload bytes and their CR LF. Availability is checked first and in
    /// O(1), so a large payload arriving in chunks costs nothing until it is complete.
    @inline(__always)
    mutating func payload(length: Int, type: UInt8) throws(WireFailure) -> Range<Int> {
        let start = pos
        guard length <= end - start - 2 else { throw .incomplete }
        let stop = start + length
        guard buf[stop] == RESPByte.cr, buf[stop + 1] == RESPByte.lf else {
            throw .invalid(.missingCRLF(type: type))
        }
        pos = stop + 2
        return start..<stop
    }

    /// Reads the body of a `:` reply. Accumulates towards the sign so that `Int64.min`
    /// parses without overflowing on its magnitude.
    @inline(__always)
    mutating func integer() throws(WireFailure) -> Int64 {
        var i = pos
        guard i < end else { throw .incomplete }
        let negative = buf[i] == RESPByte.minus
        if negative || buf[i] == RESPByte.plus { i += 1 }
        var value: Int64 = 0
        var digits = 0
        while true {
            guard i < end else { throw .incomplete }
            let digit = buf[i] &- RESPByte.zero
            if digit >= 10 { break }
            digits += 1
            guard digits <= 19 else { throw .invalid(.invalidInteger) }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative
                ? shifted.subtractingReportingOverflow(Int64(digit))
                : shifted.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { throw .invalid(.invalidInteger) }
            value = next
            i += 1
        }
        guard digits > 0 else { throw .invalid(.invalidInteger) }
        try terminator(at: i, type: RESPByte.integer, orElse: .invalidInteger)
        return value
    }

    /// Reads the body of a `#` reply: exactly `t` or `f`.
    @inline(__always)
    mutating func boolean() throws(WireFailure) -> Bool {
        guard pos < end else { throw .incomplete }
        let value: Bool
        switch buf[pos] {
        case UInt8(ascii: "t"): value = true
        case UInt8(ascii: "f"): value = false
        default: throw .invalid(.invalidBoolean)
        }
        try terminator(at: pos + 1, type: RESPByte.boolean, orElse: .invalidBoolean)
        return value
    }

    /// Reads the (empty) body of a `_` null.
    @inline(__always)
    mutating func null() throws(WireFailure) {
        try terminator(at: pos, type: RESPByte.null, orElse: .missingCRLF(type: RESPByte.null))
    }

    /// Reads the body of a `,` reply.
    mutating func double() throws(WireFailure) -> Double {
        let range = try line(type: RESPByte.double, maxLength: limits.maxDoubleLength)
        let text = UnsafeBufferPointer(rebasing: buf[range])
        guard let value = RESPDoubleSyntax.parse(text) else { throw .invalid(.invalidDouble) }
        return value
    }

    /// Reads the body of a `(` reply, returning the range of its sign and digits.
    mutating func bigNumber(searchFrom: Int = 0) throws(WireFailure) -> Range<Int> {
        let range = try line(type: RESPByte.bigNumber, maxLength: limits.maxLineLength, searchFrom: searchFrom)
        var i = range.lowerBound
        if i < range.upperBound, buf[i] == RESPByte.minus || buf[i] == RESPByte.plus { i += 1 }
        guard i < range.upperBound else { throw .invalid(.invalidBigNumber) }
        while i < range.upperBound {
            guard buf[i] &- RESPByte.zero < 10 else { throw .invalid(.invalidBigNumber) }
            i += 1
        }
        return range
    }

    /// Checks the `fmt:` prefix of a `=` payload; the format is three bytes by spec.
    @inline(__always)
    func checkVerbatim(_ range: Range<Int>) throws(WireFailure) {
        guard range.count >= 4, buf[range.lowerBound + 3] == RESPByte.colon else {
            throw .invalid(.invalidVerbatimString)
        }
    }

    /// A fresh array holding `range`, copied in one `memcpy`.
    @inline(__always)
    func bytes(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeBufferPointer(rebasing: buf[range]))
    }
}

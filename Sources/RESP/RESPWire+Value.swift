extension RESPWire {
    /// `+OK` is most of a write pipeline's replies; sharing one array for it saves an
    /// allocation per reply, and arrays being values, no caller can tell.
    static let ok: [UInt8] = Array("OK".utf8)

    /// Builds the value starting at `pos`, `depth` being the number of enclosing aggregates.
    ///
    /// Recursion is bounded by `maxDepth`, checked before descending. On `.incomplete` the
    /// partial work is thrown away; the caller switches to the resumable skip scan so that
    /// a slowly arriving value is not rebuilt from scratch on every chunk.
    mutating func value(depth: Int) throws(WireFailure) -> RESPValue {
        guard pos < end else { throw .incomplete }
        let type = buf[pos]
        pos += 1
        switch type {
        case RESPByte.simpleString:
            let range = try line(type: type, maxLength: limits.maxLineLength)
            if range.count == 2 && buf[range.lowerBound] == UInt8(ascii: "O") && buf[range.lowerBound + 1] == UInt8(ascii: "K") {
                return .simpleString(Self.ok)
            }
            return .simpleString(bytes(range))
        case RESPByte.simpleError:
            let range = try line(type: type, maxLength: limits.maxLineLength)
            return .error(bytes(range))
        case RESPByte.integer:
            return .integer(try integer())
        case RESPByte.bulkString:
            let count = try length(type: type, limit: limits.maxBulkLength, allowsNull: true)
            if count < 0 { return .bulkString(nil) }
            return .bulkString(bytes(try payload(length: count, type: type)))
        case RESPByte.array:
            let count = try aggregateCount(type: type, depth: depth, allowsNull: true)
            if count < 0 { return .array(nil) }
            return .array(try elements(count, depth: depth))
        case RESPByte.null:
            try null()
            return .null
        case RESPByte.boolean:
            return .boolean(try boolean())
        case RESPByte.double:
            return .double(try double())
        case RESPByte.bigNumber:
            return .bigNumber(bytes(try bigNumber()))
        case RESPByte.bulkError:
            let count = try length(type: type, limit: limits.maxBulkLength, allowsNull: false)
            return .bulkError(bytes(try payload(length: count, type: type)))
        case RESPByte.verbatimString:
            let count = try length(type: type, limit: limits.maxBulkLength, allowsNull: false)
            let range = try payload(length: count, type: type)
            try checkVerbatim(range)
            let split = range.lowerBound + 3
            return .verbatimString(format: bytes(range.lowerBound..<split), text: bytes(split + 1..<range.upperBound))
        case RESPByte.map:
            let count = try aggregateCount(type: type, depth: depth, allowsNull: false)
            return .map(try pairs(count, depth: depth))
        case RESPByte.set:
            let count = try aggregateCount(type: type, depth: depth, allowsNull: false)
            return .set(try elements(count, depth: depth))
        case RESPByte.push:
            let count = try aggregateCount(type: type, depth: depth, allowsNull: false)
            return .push(try elements(count, depth: depth))
        case RESPByte.attribute:
            let count = try aggregateCount(type: type, depth: depth, allowsNull: false)
            // The annotated value is declared with the pairs: the scanner counts it so too.
            try Self.declare(1, onto: &declared, limit: limits.maxElements)
            let attributes = try pairs(count, depth: depth)
            // The annotated value sits inside the attribute for depth purposes, which keeps
            // a chain of attributes from recursing without bound.
            return .attribute(attributes, try value(depth: depth + 1))
        default:
            throw .invalid(.unknownType(type))
        }
    }

    /// Reads an aggregate's count, refusing to open one level more than `maxDepth`.
    @inline(__always)
    mutating func aggregateCount(type: UInt8, depth: Int, allowsNull: Bool) throws(WireFailure) -> Int {
        guard depth < limits.maxDepth else { throw .invalid(.nestingTooDeep(limit: limits.maxDepth)) }
        return try length(type: type, limit: limits.maxAggregateCount, allowsNull: allowsNull)
    }

    /// Every element takes at least three bytes (`_\r\n`), so capacity beyond a third of
    /// what is buffered can never be needed yet: a hostile count reserves nothing.
    @inline(__always)
    func plausibleCount(_ declared: Int, bytesPerItem: Int) -> Int {
        min(declared, (end - pos) / bytesPerItem)
    }

    mutating func elements(_ count: Int, depth: Int) throws(WireFailure) -> [RESPValue] {
        try Self.declare(count, onto: &declared, limit: limits.maxElements)
        var result: [RESPValue] = []
        result.reserveCapacity(plausibleCount(count, bytesPerItem: 3))
        for _ in 0..<count {
            result.append(try value(depth: depth + 1))
        }
        return result
    }

    mutating func pairs(_ count: Int, depth: Int) throws(WireFailure) -> [RESPPair] {
        try Self.declare(2 * count, onto: &declared, limit: limits.maxElements)
        var result: [RESPPair] = []
        result.reserveCapacity(plausibleCount(count, bytesPerItem: 6))
        for _ in 0..<count {
            let key = try value(depth: depth + 1)
            result.append(RESPPair(key, try value(depth: depth + 1)))
        }
        return result
    }
}

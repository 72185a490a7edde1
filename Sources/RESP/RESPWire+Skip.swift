/// Where a skip scan stopped when the buffer ran out, so the next attempt resumes there
/// instead of re-reading the whole value. Offsets are relative to the start of the value
/// being scanned, which keeps them valid when the parser compacts its buffer.
struct SkipState: Sendable {
    /// One open aggregate: how many child values it still needs.
    struct Frame: Sendable {
        var remaining: Int
        /// True for an attribute whose annotated value decides the reply's kind (the
        /// top-level value, or the annotated value of such an attribute).
        var decidesKind: Bool
    }

    /// Start of the next header to read.
    var offset = 0
    /// Open aggregates, innermost last. Kept across values (cleared, not freed) so that
    /// skipping aggregates does not allocate once the stack has grown.
    var frames: [Frame] = []
    /// Buffered bytes needed before a retry can make progress (a bulk's full payload).
    var need = 0
    /// Where to resume looking for the CR of the line at `offset`.
    var lineSearchFrom = 0
    /// Error or not, decided by the first non-attribute type byte at the top level.
    var kind = RESPParser.SkipResult.value
    /// Whether a scan is under way.
    var active = false
    /// Values declared so far, as `RESPWire.declared` counts them for the builder.
    var declared = 1

    mutating func reset() {
        offset = 0
        // Checked first: clearing an empty array still reallocates its (shared) storage.
        if !frames.isEmpty { frames.removeAll(keepingCapacity: true) }
        need = 0
        lineSearchFrom = 0
        active = false
        declared = 1
    }
}

extension RESPWire {
    /// Validates one value without building it, iteratively (an explicit frame stack in
    /// place of recursion), resuming from and saving to `state`.
    ///
    /// Returns with `pos` just past the value, or throws `.incomplete` with `state`
    /// pointing at the first header that has not fully arrived.
    mutating func skip(_ state: inout SkipState) throws(WireFailure) {
        guard end >= state.need else { throw .incomplete }
        state.active = true
        pos = state.offset
        while true {
            state.offset = pos
            state.need = 0
            guard pos < end else { throw .incomplete }
            let type = buf[pos]
            let decidesKind: Bool
            if let top = state.frames.last {
                decidesKind = top.decidesKind && top.remaining == 1
            } else {
                decidesKind = true
            }
            if decidesKind && type != RESPByte.attribute {
                state.kind = type == RESPByte.simpleError || type == RESPByte.bulkError ? .error : .value
            }
            pos += 1
            var children = 0
            switch type {
            case RESPByte.simpleString, RESPByte.simpleError:
                _ = try line(type: type, maxLength: limits.maxLineLength, searchFrom: state.lineSearchFrom)
            case RESPByte.integer:
                _ = try integer()
            case RESPByte.bulkString, RESPByte.bulkError, RESPByte.verbatimString:
                let count = try length(type: type, limit: limits.maxBulkLength, allowsNull: type == RESPByte.bulkString)
                if count >= 0 {
                    state.need = pos + count + 2
                    let range = try payload(length: count, type: type)
                    if type == RESPByte.verbatimString { try checkVerbatim(range) }
                }
            case RESPByte.null:
                try null()
            case RESPByte.boolean:
                _ = try boolean()
            case RESPByte.double:
                _ = try double()
            case RESPByte.bigNumber:
                _ = try bigNumber(searchFrom: state.lineSearchFrom)
            case RESPByte.array, RESPByte.set, RESPByte.push:
                children = try openAggregate(type: type, depth: state.frames.count, allowsNull: type == RESPByte.array)
            case RESPByte.map:
                children = 2 * (try openAggregate(type: type, depth: state.frames.count, allowsNull: false))
            case RESPByte.attribute:
                // The pairs plus the annotated value; the attribute is not a value alone.
                children = 2 * (try openAggregate(type: type, depth: state.frames.count, allowsNull: false)) + 1
            default:
                throw .invalid(.unknownType(type))
            }
            state.lineSearchFrom = 0
            if children > 0 {
                try Self.declare(children, onto: &state.declared, limit: limits.maxElements)
                state.frames.append(.init(remaining: children, decidesKind: decidesKind && type == RESPByte.attribute))
                continue
            }
            // A leaf (or empty aggregate) is complete: close every aggregate it completes.
            while let top = state.frames.last {
                if top.remaining > 1 {
                    state.frames[state.frames.count - 1].remaining = top.remaining - 1
                    break
                }
                state.frames.removeLast()
            }
            if state.frames.isEmpty { return }
        }
    }

    /// Skips a value that is not an aggregate, without touching any scan state: the common
    /// case of a pipeline of status, integer and bulk replies. Returns `nil`, consuming
    /// nothing, when the value at `pos` is an aggregate and needs the full scan.
    @inline(__always)
    mutating func skipLeaf() throws(WireFailure) -> RESPParser.SkipResult? {
        guard pos < end else { throw .incomplete }
        let type = buf[pos]
        switch type {
        case RESPByte.simpleString, RESPByte.simpleError:
            pos += 1
            _ = try line(type: type, maxLength: limits.maxLineLength)
            return type == RESPByte.simpleError ? .error : .value
        case RESPByte.integer:
            pos += 1
            _ = try integer()
            return .value
        case RESPByte.bulkString, RESPByte.bulkError:
            pos += 1
            let count = try length(type: type, limit: limits.maxBulkLength, allowsNull: type == RESPByte.bulkString)
            if count >= 0 { _ = try payload(length: count, type: type) }
            return type == RESPByte.bulkError ? .error : .value
        default:
            return nil
        }
    }

    /// Reads an aggregate header for the scan; a null array counts as a leaf (0 children).
    @inline(__always)
    private mutating func openAggregate(type: UInt8, depth: Int, allowsNull: Bool) throws(WireFailure) -> Int {
        max(0, try aggregateCount(type: type, depth: depth, allowsNull: allowsNull))
    }
}

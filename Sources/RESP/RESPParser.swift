/// Incremental RESP2/RESP3 reply parser: feed it bytes as they arrive, take values out.
///
/// Values come out identically however the stream is split into chunks, down to one byte
/// at a time. A value is only consumed once it has completely arrived; until then `next()`
/// returns `nil` and leaves the buffer as it was.
///
/// Cost stays linear in the bytes received even when a value trickles in: a declared bulk
/// length is checked against the buffered bytes in O(1), and an incomplete value is handed
/// to a resumable scan that remembers where it stopped, so a later call continues there
/// and the value is built once, when it is complete.
///
/// Hostile input gets a typed `RESPProtocolError`, never a trap: lengths are parsed with
/// overflow checks and limits, nothing is reserved for a declared size before the bytes
/// are there, and nesting is bounded. After an error the stream cannot be resynchronised,
/// so every later call throws the same error; discard the parser with the connection.
public struct RESPParser: Sendable {
    /// What `skipNextReturningKind()` skipped: a load generator counts failures without
    /// building replies.
    public enum SkipResult: Sendable, Equatable {
        /// Anything but an error reply.
        case value
        /// A simple (`-`) or bulk (`!`) error, possibly behind attributes.
        case error
    }

    /// Largest accepted bulk string, bulk error, verbatim string and status/error line.
    public let maxBulkLength: Int
    /// Deepest accepted aggregate nesting; an attribute counts as one level.
    public let maxDepth: Int
    /// Largest accepted aggregate element count (map and attribute: pair count). Redis caps
    /// aggregates at `Int32.max` as well, and such a reply would already exceed 6 GB.
    public static let maxAggregateCount = Int(Int32.max)

    private var storage: [UInt8] = []
    /// Start of the first unconsumed byte in `storage`.
    private var readIndex = 0
    private var skipState = SkipState()
    private var failure: RESPProtocolError?
    private var limits: RESPLimits

    /// The bound on the next value and every later one, until changed. Change it between
    /// values: a value already half-read is judged by the budget in force when it completes.
    public var budget: RESPBudget = .unlimited {
        didSet { limits.maxElements = budget.maxElements }
    }

    /// Consumed bytes are dropped once at least this many have accumulated and they
    /// outnumber the unconsumed ones, so each byte is moved at most about once.
    private static let compactionThreshold = 4096
    /// A buffer that grew for one huge value is released once drained past this size.
    private static let retainedCapacity = 4 << 20

    /// - Parameters:
    ///   - maxBulkLength: largest payload accepted, as Redis's `proto-max-bulk-len`.
    ///   - maxDepth: deepest nesting accepted. Building values recurses once per level, so
    ///     this also bounds stack use; keep it in the hundreds.
    public init(maxBulkLength: Int = 512 * 1024 * 1024, maxDepth: Int = 128) {
        // Clamping keeps offset arithmetic (`position + length + 2`) far from overflow.
        self.maxBulkLength = min(max(0, maxBulkLength), Int.max / 4)
        self.maxDepth = max(0, maxDepth)
        self.limits = RESPLimits(
            maxBulkLength: self.maxBulkLength,
            maxDepth: self.maxDepth,
            maxAggregateCount: Self.maxAggregateCount,
            maxLineLength: self.maxBulkLength
        )
    }

    /// Bytes received but not yet consumed as values.
    public var bufferedByteCount: Int { storage.count - readIndex }

    /// Bytes held including consumed ones not yet compacted away: lets tests check that
    /// memory stays bounded over a long stream.
    var heldByteCount: Int { storage.count }

    public mutating func append(_ bytes: [UInt8]) {
        compact()
        storage.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        storage.append(contentsOf: bytes)
    }

    /// The next complete value, or `nil` if it has not fully arrived (nothing is consumed).
    public mutating func next() throws(RESPProtocolError) -> RESPValue? {
        if let failure { throw failure }
        guard readIndex < storage.count else { return nil }
        do {
            if skipState.active {
                // A value that was incomplete before: only build it once the scan sees all of it.
                guard try resumeScan() else { return nil }
                skipState.reset()
            }
            let (value, length) = try read { wire throws(WireFailure) in try wire.value(depth: 0) }
            readIndex += length
            return value
        } catch {
            guard case .incomplete = error else { return try fail(error) }
            // Start the resumable scan now, so later calls pick up where this one stopped.
            do {
                _ = try resumeScan()
            } catch {
                return try fail(error)
            }
            return nil
        }
    }

    /// Consumes the next complete value without building it; false if it has not fully
    /// arrived. Validates exactly as `next()` does, but allocates nothing.
    public mutating func skipNext() throws(RESPProtocolError) -> Bool {
        try skipNextReturningKind() != nil
    }

    /// Like `skipNext()`, also telling whether the skipped value was an error reply;
    /// `nil` if it has not fully arrived.
    public mutating func skipNextReturningKind() throws(RESPProtocolError) -> SkipResult? {
        guard let (length, kind) = try nextValueExtent() else { return nil }
        readIndex += length
        return kind
    }

    /// Like `skipNext()`, handing the complete value's wire bytes to `inspect` before they
    /// are consumed, so a caller can classify a reply (a miss, a lock not taken, an error's
    /// text) without building it; `nil` if the value has not fully arrived. The bytes are
    /// only valid inside `inspect`.
    public mutating func skipNext<T>(inspecting inspect: (UnsafeBufferPointer<UInt8>) -> T) throws(RESPProtocolError) -> T? {
        guard let (length, _) = try nextValueExtent() else { return nil }
        let start = readIndex
        readIndex += length
        return storage.withUnsafeBufferPointer { all in
            inspect(UnsafeBufferPointer(rebasing: all[start..<(start + length)]))
        }
    }

    /// `skipNext(inspecting:)` with the inspection a load generator makes of every reply,
    /// as a plain (non-generic) call for its hot path: the reply's summary, and for an
    /// error reply its text in `errorText`.
    public mutating func skipNextSummary(errorText: inout String?) throws(RESPProtocolError) -> RESPReplySummary? {
        try skipNext { wire in
            let summary = RESPReplySummary(wire: wire)
            if summary.kind == .error { errorText = RESPReplySummary.errorText(wire: wire) }
            return summary
        }
    }

    /// The length and kind of the next complete value, found without building it: a leaf
    /// in one pass, anything else by the resumable scan. `nil` if it has not fully arrived.
    /// Consumes nothing; a caller given a length must consume exactly that.
    private mutating func nextValueExtent() throws(RESPProtocolError) -> (Int, SkipResult)? {
        if let failure { throw failure }
        guard readIndex < storage.count else { return nil }
        do {
            if !skipState.active {
                let (kind, length) = try read { wire throws(WireFailure) in try wire.skipLeaf() }
                if let kind { return (length, kind) }
            }
        } catch {
            // An incomplete leaf falls through to the scan, which records where to resume.
            if case .invalid = error { return try fail(error) }
        }
        do {
            guard try resumeScan() else { return nil }
        } catch {
            return try fail(error)
        }
        let result = (skipState.offset, skipState.kind)
        skipState.reset()
        return result
    }

    /// Runs `body` over the unconsumed bytes, returning its result and how far it read.
    @inline(__always)
    private func read<T>(_ body: (inout RESPWire) throws(WireFailure) -> T) throws(WireFailure) -> (T, Int) {
        let start = readIndex
        let stop = viewEnd
        let limits = self.limits
        do {
            return try storage.withUnsafeBufferPointer { all throws(WireFailure) in
                var wire = RESPWire(buf: UnsafeBufferPointer(rebasing: all[start..<stop]), pos: 0, limits: limits)
                let result = try body(&wire)
                return (result, wire.pos)
            }
        } catch .incomplete {
            throw overBudget ? .invalid(.valueTooLarge(limit: budget.maxBytes)) : .incomplete
        }
    }

    /// The end of what a reader of the value at `readIndex` may see: no further than the
    /// byte budget allows, so that whether a value fits, and which error a broken one
    /// raises first, depend on its own bytes and never on how they were chunked.
    private var viewEnd: Int {
        budget.maxBytes < storage.count - readIndex ? readIndex + budget.maxBytes : storage.count
    }

    /// True when the value at `readIndex` has not ended within its byte budget.
    private var overBudget: Bool { storage.count - readIndex > budget.maxBytes }

    /// Continues the skip scan of the value at `readIndex`. On completion `skipState.offset`
    /// is the value's length; on `.incomplete` the state records where to resume.
    private mutating func resumeScan() throws(WireFailure) -> Bool {
        let start = readIndex
        let stop = viewEnd
        let limits = self.limits
        // Moved out for the scan (not copied, which would make the frame stack shared and
        // copied on its next push) so the closure below touches a local, not `self`.
        var state = SkipState()
        swap(&state, &skipState)
        defer { swap(&state, &skipState) }
        do {
            try storage.withUnsafeBufferPointer { all throws(WireFailure) in
                var wire = RESPWire(buf: UnsafeBufferPointer(rebasing: all[start..<stop]), pos: 0, limits: limits)
                try wire.skip(&state)
                state.offset = wire.pos
            }
            return true
        } catch .incomplete {
            if overBudget { throw .invalid(.valueTooLarge(limit: budget.maxBytes)) }
            let available = stop - start
            state.need = max(state.need, available + 1)
            state.lineSearchFrom = max(state.offset + 1, available - 1)
            return false
        }
    }

    /// Records a protocol error so later calls repeat it; `.incomplete` means "no value yet".
    private mutating func fail<T>(_ error: WireFailure) throws(RESPProtocolError) -> T? {
        switch error {
        case .incomplete:
            return nil
        case .invalid(let protocolError):
            failure = protocolError
            throw protocolError
        }
    }

    /// Drops consumed bytes before appending, amortised: see `compactionThreshold`.
    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == storage.count {
            if storage.capacity > Self.retainedCapacity {
                storage = []
            } else {
                storage.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        } else if readIndex >= Self.compactionThreshold && readIndex >= storage.count - readIndex {
            storage.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

import RESP

/// One connection driven without blocking by an event loop: requests are appended as
/// encoded bytes, written when the socket takes them, and replies are consumed in order
/// from the parser, inspected in place rather than built.
///
/// Set-up (TLS, `HELLO`/`AUTH`, `SELECT`, `CLIENT SETNAME`) reuses the blocking handshake
/// of `RedisConnection`, which then hands its socket over; everything after that happens
/// here. Used from one thread at a time; not `Sendable`.
public final class PipelinedConnection {
    /// Where errors say we are connected to; never holds credentials.
    public let endpoint: String
    private let transport: Transport
    /// Queued requests: a plain byte buffer, so that queueing one is a bounds check and a
    /// copy (the load generator queues millions a second).
    private var outgoing: UnsafeMutableRawPointer
    private var capacity: Int
    private var queued = 0
    /// Bytes of `outgoing` already written.
    private var written = 0
    private var parser = RESPParser()
    /// TLS can hold decrypted bytes inside OpenSSL that the descriptor no longer
    /// signals, so its reads continue until `.wouldBlock`; a plain socket stops at the
    /// first short read and lets level-triggered readiness report the rest.
    private let drainsReads: Bool
    private var writeBlocked = false
    private var readBlockedOnWrite = false

    /// Connects and runs the handshake with the blocking client, then takes its socket.
    public static func connect(_ config: ConnectionConfig) throws(RedisError) -> PipelinedConnection {
        try PipelinedConnection(handingOver: RedisConnection.connect(config))
    }

    /// Takes over the socket of `connection`, which must be between replies and is
    /// unusable afterwards.
    public init(handingOver connection: RedisConnection) throws(RedisError) {
        endpoint = connection.endpoint
        transport = try connection.releaseTransport()
        drainsReads = !(transport is SocketTransport)
        capacity = 4096
        outgoing = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        transport.close()
        outgoing.deallocate()
    }

    public var fileDescriptor: Int32 { transport.fileDescriptor }

    /// The bound on every reply (see `RESPBudget`): the load generator knows the largest
    /// reply its commands can get, and a peer sending more has the connection dropped.
    public var replyBudget: RESPBudget {
        get { parser.budget }
        set { parser.budget = newValue }
    }

    /// Whether the event loop must watch for output readiness: bytes are waiting for the
    /// socket, or TLS needs to write before it can read.
    public var needsWritable: Bool { writeBlocked || readBlockedOnWrite }

    /// Bytes queued and not yet written.
    public var pendingOutputCount: Int { queued - written }

    /// Bytes received and not yet consumed as replies.
    public var bufferedInputCount: Int { parser.bufferedByteCount }

    // MARK: Requests

    /// Queues encoded bytes (one or more whole commands).
    public func enqueue(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count).copyMemory(from: base, byteCount: bytes.count)
        queued += bytes.count
    }

    public func enqueue(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { enqueue($0) }
    }

    /// Queues `byteCount` bytes written in place by `fill`: a pre-encoded command copied
    /// and patched (key digits, a token) without a temporary buffer.
    @inline(__always)
    public func enqueue(byteCount: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let start = reserve(byteCount)
        fill(UnsafeMutableRawBufferPointer(start: start, count: byteCount))
        queued += byteCount
    }

    /// Room for `count` more bytes after the queued ones; written bytes are dropped first.
    @inline(__always)
    private func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        if queued + count > capacity { grow(count) }
        return outgoing + queued
    }

    private func grow(_ count: Int) {
        if written > 0 {
            outgoing.copyMemory(from: outgoing + written, byteCount: queued - written)
            queued -= written
            written = 0
        }
        guard queued + count > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < queued + count { newCapacity *= 2 }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        bigger.copyMemory(from: outgoing, byteCount: queued)
        outgoing.deallocate()
        outgoing = bigger
        capacity = newCapacity
    }

    /// Writes what the socket takes. Returns true when nothing is left; otherwise
    /// `needsWritable` tells whether to wait for output readiness (TLS may instead need
    /// input, which the loop always watches).
    @discardableResult
    public func flush() throws(RedisError) -> Bool {
        writeBlocked = false
        while written < queued {
            switch try transport.write(UnsafeRawBufferPointer(start: outgoing + written, count: queued - written)) {
            case .bytes(let n):
                written += n
            case .wouldBlock(let readiness):
                writeBlocked = readiness == .writable
                return false
            case .closed:
                throw .connectionLost(endpoint: endpoint, reason: "the server closed the connection")
            }
        }
        queued = 0
        written = 0
        return true
    }

    // MARK: Replies

    /// Reads what has arrived into the parser, through `scratch` (one buffer can serve
    /// every connection of a thread). Returns the number of bytes read; a closed stream is
    /// `connectionLost`.
    @discardableResult
    public func read(using scratch: UnsafeMutableRawBufferPointer) throws(RedisError) -> Int {
        readBlockedOnWrite = false
        var total = 0
        while true {
            switch try transport.read(into: scratch) {
            case .bytes(let n):
                parser.append(UnsafeRawBufferPointer(rebasing: scratch[..<n]))
                total += n
                if n < scratch.count && !drainsReads { return total }
            case .wouldBlock(let readiness):
                readBlockedOnWrite = readiness == .writable
                return total
            case .closed:
                throw .connectionLost(endpoint: endpoint, reason: "the server closed the connection")
            }
        }
    }

    /// Consumes the next complete reply, handing its wire bytes to `inspect`; `nil` when
    /// none has fully arrived. RESP3 push messages are skipped: they answer no request.
    public func nextReply<T>(_ inspect: (UnsafeBufferPointer<UInt8>) -> T) throws(RedisError) -> T? {
        while true {
            let skipped: T??
            do {
                skipped = try parser.skipNext { wire -> T? in
                    wire.first == UInt8(ascii: ">") ? nil : inspect(wire)
                }
            } catch {
                throw .protocolViolation("\(error.reason) from \(endpoint)")
            }
            guard let reply = skipped else { return nil }
            if let reply { return reply }
        }
    }

    /// `nextReply` with the summary a load generator needs, without generic dispatch on
    /// its hot path; an error reply's text goes to `errorText`.
    public func nextReplySummary(errorText: inout String?) throws(RedisError) -> RESPReplySummary? {
        while true {
            let summary: RESPReplySummary?
            do {
                summary = try parser.skipNextSummary(errorText: &errorText)
            } catch {
                throw .protocolViolation("\(error.reason) from \(endpoint)")
            }
            guard let summary else { return nil }
            if summary.kind != .push { return summary }
        }
    }

    /// Closes the socket; the event poller forgets it with it.
    public func close() {
        transport.close()
    }
}

import RESP

/// A connection in subscribed mode: messages arrive whenever publishers send them, so a
/// quiet minute is normal, not a lost reply. Reading waits until a caller's deadline and
/// returns `nil` when nothing came, leaving the connection usable (unlike
/// `RedisConnection.readReply`, whose per-reply timeout breaks the connection); liveness
/// is the caller's business (a `PING` now and then, answered within the reply timeout).
///
/// RESP2 messages (arrays) and RESP3 pushes come out alike, as `RESPValue`s. Set-up
/// reuses the blocking handshake, which then hands its socket over. Used from one thread;
/// not `Sendable`.
public final class SubscriberConnection {
    /// Where errors say we are connected to; never holds credentials.
    public let endpoint: String
    /// 2 or 3: what the handshake negotiated.
    public let protocolVersion: Int
    public let config: ConnectionConfig
    private let transport: Transport
    private var parser = RESPParser()
    private var readChunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var broken: RedisError?

    /// Connects (through the sentinels when configured) and runs the handshake.
    public static func connect(_ config: ConnectionConfig) throws(RedisError) -> SubscriberConnection {
        try SubscriberConnection(handingOver: RedisConnection.connect(config))
    }

    /// Takes over the socket of `connection`, which must be between replies and is
    /// unusable afterwards.
    public init(handingOver connection: RedisConnection) throws(RedisError) {
        endpoint = connection.endpoint
        protocolVersion = connection.protocolVersion
        config = connection.config
        transport = try connection.releaseTransport()
    }

    deinit { transport.close() }

    public func close() {
        transport.close()
        broken = .connectionLost(endpoint: endpoint, reason: "closed")
    }

    /// Writes one command whole, waiting at most the reply timeout for the socket.
    public func send(_ args: [[UInt8]]) throws(RedisError) {
        if let broken { throw broken }
        let bytes = RESPEncoder.command(args)
        let deadline = ContinuousClock.now + config.replyTimeout
        var offset = 0
        while offset < bytes.count {
            let attempt: Result<TransportResult, RedisError> = bytes.withUnsafeBytes { raw in
                Result { () throws(RedisError) in try transport.write(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            switch attempt {
            case .failure(let error): throw fail(error)
            case .success(.bytes(let n)): offset += n
            case .success(.closed): throw fail(.connectionLost(endpoint: endpoint, reason: "closed by peer"))
            case .success(.wouldBlock(let readiness)):
                guard try wait(for: readiness, until: deadline) else {
                    throw fail(.timeout(endpoint: endpoint, waitingFor: "the socket to accept data", after: config.replyTimeout))
                }
            }
        }
    }

    /// The next value the server sent (a message, a subscription confirmation, a `PING`
    /// answer), or `nil` when none has fully arrived by `deadline`. Bytes of a value still
    /// arriving stay buffered for the next call.
    public func next(until deadline: ContinuousClock.Instant) throws(RedisError) -> RESPValue? {
        if let broken { throw broken }
        while true {
            do {
                if let value = try parser.next() { return value }
            } catch {
                throw fail(.protocolViolation("\(error)"))
            }
            let attempt: Result<TransportResult, RedisError> = readChunk.withUnsafeMutableBytes { raw in
                Result { () throws(RedisError) in try transport.read(into: raw) }
            }
            switch attempt {
            case .failure(let error): throw fail(error)
            case .success(.bytes(let n)):
                readChunk.withUnsafeBytes { raw in parser.append(UnsafeRawBufferPointer(rebasing: raw[..<n])) }
            case .success(.closed):
                throw fail(.connectionLost(endpoint: endpoint, reason: "the server closed the connection"))
            case .success(.wouldBlock(let readiness)):
                guard try wait(for: readiness, until: deadline) else { return nil }
            }
        }
    }

    /// False when the deadline passed first.
    private func wait(for readiness: Readiness, until deadline: ContinuousClock.Instant) throws(RedisError) -> Bool {
        switch Sockets.waitFor(fd: transport.fileDescriptor, events: readiness.pollEvents, until: deadline) {
        case .ready: return true
        case .timedOut: return false
        case .failed(let e): throw fail(.io("poll failed: errno \(e)"))
        }
    }

    private func fail(_ error: RedisError) -> RedisError {
        broken = error
        return error
    }
}

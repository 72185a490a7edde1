import RESP

/// One connection to one server, used from one thread: commands go out pipelined, replies
/// come back in order, each awaited no longer than the reply timeout.
///
/// A class because it owns a socket; not `Sendable` because it is not meant to be shared.
public final class RedisConnection {
    public let config: ConnectionConfig
    /// 2 or 3: what the handshake negotiated.
    public private(set) var protocolVersion: Int = 2
    /// Where errors say we are connected to; never holds credentials.
    public var endpoint: String { config.endpoint.display }

    private let transport: Transport
    private var parser = RESPParser()
    private var outgoing: [UInt8] = []
    private var pendingReplies = 0
    /// The budget of each reply awaited, oldest first from `budgetHead` (see `ReplyBudget`).
    private var pendingBudgets: [RESPBudget] = []
    private var budgetHead = 0
    private var readChunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var broken: RedisError?
    /// Set once `releaseTransport()` gave the socket to an event loop, which then owns it.
    private var handedOver = false

    init(config: ConnectionConfig, transport: Transport) {
        self.config = config
        self.transport = transport
    }

    /// Connects and runs the handshake (`HELLO`/`AUTH`, `SELECT`, `CLIENT SETNAME`); a
    /// refused `AUTH` is an error here, never a silent fall back to the default user.
    public static func connect(_ config: ConnectionConfig) throws(RedisError) -> RedisConnection {
        if let sentinel = config.sentinel {
            return try SentinelResolver.connectToPrimary(config, sentinel: sentinel)
        }
        return try connectDirect(config)
    }

    /// Connects to `config.endpoint` itself, ignoring any sentinel settings.
    static func connectDirect(_ config: ConnectionConfig) throws(RedisError) -> RedisConnection {
        let transport: Transport
        switch (config.endpoint, config.tls) {
        case (.tcp(let host, let port), let tls?):
            transport = try TLSTransport.connect(host: host, port: port, options: tls, timeout: config.connectTimeout)
        case (.unix, _?):
            throw .invalidConfiguration("TLS over a Unix socket is not supported")
        case (_, nil):
            transport = try SocketTransport.connect(to: config.endpoint, timeout: config.connectTimeout)
        }
        let connection = RedisConnection(config: config, transport: transport)
        try Handshake.perform(on: connection)
        return connection
    }

    deinit {
        if !handedOver { transport.close() }
    }

    /// Closes the socket; later calls fail with `connectionLost`.
    public func close() {
        if !handedOver { transport.close() }
        broken = .connectionLost(endpoint: endpoint, reason: "closed")
    }

    /// Gives the socket, with the handshake done, to a caller that drives it without
    /// blocking (`PipelinedConnection`). Only between replies: nothing may be queued,
    /// awaited or buffered. The connection is unusable afterwards and no longer closes the
    /// socket; the new owner does.
    func releaseTransport() throws(RedisError) -> Transport {
        if let broken { throw broken }
        guard outgoing.isEmpty, pendingReplies == 0, parser.bufferedByteCount == 0 else {
            throw .protocolViolation("cannot hand over a connection with replies outstanding")
        }
        handedOver = true
        broken = .connectionLost(endpoint: endpoint, reason: "handed over to an event loop")
        return transport
    }

    func setProtocolVersion(_ v: Int) { protocolVersion = v }

    // MARK: Request and reply

    /// Sends one command and returns its reply; an error reply is thrown as a `RedisError`.
    @discardableResult
    public func command(_ args: [[UInt8]]) throws(RedisError) -> RESPValue {
        enqueue(args)
        let reply = try readReply()
        if let err = reply.errorBytes {
            throw RedisError.fromServerReply(redactingSecrets(String(decoding: err, as: UTF8.self)))
        }
        return reply
    }

    /// `text` with this connection's password replaced by `***`: some error replies echo
    /// the command's arguments.
    public func redactingSecrets(_ text: String) -> String {
        guard let password = config.password, !password.isEmpty, text.contains(password) else { return text }
        return text.replacing(password, with: "***")
    }

    @discardableResult
    public func command(_ args: String...) throws(RedisError) -> RESPValue {
        try command(args.map { Array($0.utf8) })
    }

    /// Sends every command in one write and returns every reply in order. Error replies
    /// come back as values, so one failing command does not hide the others' results.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RESPValue] {
        for c in commands { enqueue(c) }
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// Queues a command without sending it; `flush()` or `readReply()` sends the queue.
    /// Lets callers overlap their own work with the server's (scan the next batch while the
    /// last one is being deleted).
    public func enqueue(_ args: [[UInt8]]) {
        RESPEncoder.encodeCommand(args, into: &outgoing)
        pendingReplies += 1
        pendingBudgets.append(ReplyBudget.forCommand(args))
    }

    /// The budget of the oldest reply awaited, taken off the queue.
    private func takeBudget() -> RESPBudget {
        guard budgetHead < pendingBudgets.count else { return ReplyBudget.other }
        let budget = pendingBudgets[budgetHead]
        budgetHead += 1
        if budgetHead == pendingBudgets.count {
            pendingBudgets.removeAll(keepingCapacity: true)
            budgetHead = 0
        }
        return budget
    }

    /// Replies queued or sent but not yet read.
    public var pendingReplyCount: Int { pendingReplies }

    /// Writes everything queued.
    public func flush() throws(RedisError) {
        if let broken { throw broken }
        var offset = 0
        let deadline = ContinuousClock.now + config.replyTimeout
        defer { outgoing.removeFirst(offset) }
        while offset < outgoing.count {
            // Array's closures are untyped-throwing; a Result keeps the error type.
            let attempt: Result<TransportResult, RedisError> = outgoing.withUnsafeBytes { raw in
                Result { () throws(RedisError) in try transport.write(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            let result: TransportResult
            switch attempt {
            case .success(let r): result = r
            case .failure(let error): throw fail(partingWords() ?? error)
            }
            switch result {
            case .bytes(let n): offset += n
            case .closed: throw fail(partingWords() ?? .connectionLost(endpoint: endpoint, reason: "closed by peer"))
            case .wouldBlock(let readiness): try wait(for: readiness, until: deadline, what: "the socket to accept data")
            }
        }
    }

    /// Reads the next reply (flushing queued commands first). Push messages (RESP3
    /// out-of-band data) are skipped: no command's reply is ever a push.
    ///
    /// The reply must arrive whole within the reply timeout and within its command's
    /// budget, however its bytes keep coming (a push flood, a line that never ends): the
    /// deadline is checked after every read, not only when the socket runs dry.
    public func readReply() throws(RedisError) -> RESPValue {
        if !outgoing.isEmpty { try flush() }
        if let broken { throw broken }
        let deadline = ContinuousClock.now + config.replyTimeout
        parser.budget = takeBudget()
        while true {
            let parsed: RESPValue?
            do {
                parsed = try parser.next()
            } catch {
                throw fail(.protocolViolation("\(error.reason) from \(endpoint)"))
            }
            if let value = parsed {
                if case .push = value { continue }
                pendingReplies -= 1
                return value
            }
            // Before every read, so that bytes arriving without pause cannot outlast it.
            try checkDeadline(deadline)
            try fill(until: deadline)
        }
    }

    private func checkDeadline(_ deadline: ContinuousClock.Instant) throws(RedisError) {
        if ContinuousClock.now >= deadline {
            throw fail(.timeout(endpoint: endpoint, waitingFor: "a reply", after: config.replyTimeout))
        }
    }

    private func fill(until deadline: ContinuousClock.Instant) throws(RedisError) {
        while true {
            let attempt: Result<TransportResult, RedisError> = readChunk.withUnsafeMutableBytes { raw in
                Result { () throws(RedisError) in try transport.read(into: raw) }
            }
            let result: TransportResult
            switch attempt {
            case .success(let r): result = r
            case .failure(let error): throw fail(error)
            }
            switch result {
            case .bytes(let n):
                readChunk.withUnsafeBytes { raw in parser.append(UnsafeRawBufferPointer(rebasing: raw[..<n])) }
                return
            case .closed:
                throw fail(partingWords() ?? .connectionLost(endpoint: endpoint, reason: "the server closed the connection"))
            case .wouldBlock(let readiness):
                try wait(for: readiness, until: deadline, what: "a reply")
            }
        }
    }

    private func wait(for readiness: Readiness, until deadline: ContinuousClock.Instant, what: String) throws(RedisError) {
        switch Sockets.waitFor(fd: transport.fileDescriptor, events: readiness.pollEvents, until: deadline) {
        case .ready: return
        case .timedOut: throw fail(.timeout(endpoint: endpoint, waitingFor: what, after: config.replyTimeout))
        case .failed(let e): throw fail(.io("poll failed: errno \(e)"))
        }
    }

    /// What a server said just before it closed the connection, read from what is left in
    /// the socket: a server at `maxclients` (or in protected mode) answers the first
    /// command with an error and closes at once, so our own writes fail, and "closed by
    /// peer" alone would hide why. Only those known parting replies count, so an earlier
    /// command's error still in the socket is never taken for the reason. Nil otherwise.
    private func partingWords() -> RedisError? {
        for _ in 0..<4 {
            if let value = try? parser.next() {
                guard case .error(let text) = value, let said = Self.partingWords(text) else { return nil }
                return said(endpoint)
            }
            let attempt: Result<TransportResult, RedisError> = readChunk.withUnsafeMutableBytes { raw in
                Result { () throws(RedisError) in try transport.read(into: raw) }
            }
            guard case .success(.bytes(let n)) = attempt else { return nil }
            readChunk.withUnsafeBytes { raw in parser.append(UnsafeRawBufferPointer(rebasing: raw[..<n])) }
        }
        return nil
    }

    /// The error replies a server sends to a connection it is about to close (it will not
    /// serve this client at all), as the error to report: unavailable (exit 69), in the
    /// server's words.
    static func partingWords(_ reply: [UInt8]) -> ((String) -> RedisError)? {
        let known = ["ERR max number of clients reached", "DENIED "]
        guard known.contains(where: { reply.starts(with: $0.utf8) }) else { return nil }
        let text = String(decoding: reply, as: UTF8.self)
        return { endpoint in .connectionLost(endpoint: endpoint, reason: "the server answered '\(text)' and closed the connection") }
    }

    /// True once a timeout, a cut or a protocol error made the connection unusable: a pool
    /// replaces it rather than fail every later command on it.
    public var isBroken: Bool { broken != nil }

    /// Marks the connection unusable: after a timeout or a protocol error the reply stream
    /// is out of step, and reusing it would pair replies with the wrong commands.
    private func fail(_ error: RedisError) -> RedisError {
        broken = error
        return error
    }
}

import RESP
import RedisClient

/// One thread's share of one test: its connections, driven by one poller, each keeping
/// up to `pipeline` requests in flight.
///
/// Each batch of ready connections is handled in two passes, as redis-benchmark's event
/// loop does: first every read (replies completed, replacements queued), then one write
/// per connection. Latency runs from that write to the read that brought the reply, so
/// the figures mean what redis-benchmark's mean. Input is watched all the time and
/// output only while a socket is full, so a request costs a share of one `send`, one
/// `recv` and one `epoll_wait`, where redis-benchmark adds five `epoll_ctl` per batch.
///
/// The hot path allocates nothing: requests are template copies patched in place,
/// replies are summarised by the skip parser, and latencies go into a fixed histogram.
/// A struct so that the loop's state is plain stored properties, without the dynamic
/// exclusivity checks class properties would cost on every access.
struct BenchWorker<W: BenchWorkload> {
    /// How a test's length applies to one thread.
    struct Limits {
        /// Requests this thread sends while measuring; nil in duration mode.
        var requests: Int?
        var durationNs: UInt64?
        var warmupNs: UInt64
        /// A request unanswered this long is a timeout.
        var replyTimeoutNs: UInt64
    }

    let index: Int
    private(set) var connections: [PipelinedConnection]
    private var workload: W
    private let pipeline: Int
    private let limits: Limits
    private let signals: BenchSignals
    private let progress: WorkerProgress
    private var random: BenchRandom

    /// Owns the memory the pointers below reach.
    private let storage: WorkerStorage
    private let sentAt: UnsafeMutablePointer<UInt64>
    private let pending: UnsafeMutablePointer<BenchRequest>
    private let heads: UnsafeMutablePointer<Int>
    private let counts: UnsafeMutablePointer<Int>
    private let watchingWritable: UnsafeMutablePointer<Bool>
    private let unstamped: UnsafeMutablePointer<Int>
    private let dirty: UnsafeMutablePointer<Int>
    private let isDirty: UnsafeMutablePointer<Bool>
    private var dirtyCount = 0
    private let templates: UnsafeMutablePointer<PreparedTemplate>
    private let templateBytes: UnsafeMutableRawPointer
    private let templateFields: UnsafeMutablePointer<CommandTemplate.Field>
    private var inFlight = 0

    private var budget: Int
    private var sending = true
    private var recording: Bool
    private var result = WorkerResult()
    private var errorText: String?

    init(index: Int, connections: [PipelinedConnection], workload: W, pipeline: Int, limits: Limits,
         signals: BenchSignals, progress: WorkerProgress, seed: UInt64) {
        self.index = index
        self.connections = connections
        self.workload = workload
        self.pipeline = pipeline
        self.limits = limits
        self.signals = signals
        self.progress = progress
        random = BenchRandom(seed: seed)
        storage = WorkerStorage(connections: connections.count, pipeline: pipeline, templates: workload.templates)
        sentAt = storage.sentAt
        pending = storage.requests
        heads = storage.heads
        counts = storage.counts
        watchingWritable = storage.watchingWritable
        unstamped = storage.unstamped
        dirty = storage.dirty
        isDirty = storage.isDirty
        templates = storage.templates
        templateBytes = storage.templateBytes
        templateFields = storage.fields
        budget = limits.requests ?? Int.max
        recording = limits.warmupNs == 0
    }

    var outcomeNames: [String] { workload.outcomeNames }

    /// Runs until the thread's share is done, the duration is over, or a flag says stop.
    mutating func run() -> WorkerResult {
        defer { progress.finished.store(true, ordering: .releasing) }
        do {
            try loop()
        } catch {
            result.failure = error
            signals.abort.store(true, ordering: .relaxed)
        }
        return result
    }

    private mutating func loop() throws(RedisError) {
        let poller = try EventPoller(capacity: max(1, connections.count))
        for (i, c) in connections.enumerated() { try poller.add(c.fileDescriptor, token: i) }
        // One read buffer serves every connection of the thread: they are read one at a time.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        let start = MonotonicClock.nanoseconds()
        let warmupEnd = start &+ limits.warmupNs
        let sendUntil = limits.durationNs.map { warmupEnd &+ $0 } ?? .max
        result.measureStart = start
        result.lastReply = start
        if limits.requests == 0 { sending = false }
        var nextStallCheck = start &+ 100_000_000
        for i in connections.indices { refill(i, connections[i]) }
        try writeDirty(poller)
        while true {
            if signals.abort.load(ordering: .relaxed) { return }
            if sending && signals.drain.load(ordering: .relaxed) { sending = false }
            if inFlight == 0 && !mayStartRequest { return }
            var now = MonotonicClock.nanoseconds()
            var wake = nextStallCheck
            if !recording { wake = min(wake, warmupEnd) }
            if sending { wake = min(wake, sendUntil) }
            // 50 ms at most, so that the flags above are seen promptly.
            let timeoutMs = wake > now ? Int32(min(50, (wake - now + 999_999) / 1_000_000)) : 0
            let ready = try poller.wait(timeoutMilliseconds: timeoutMs)
            now = MonotonicClock.nanoseconds()
            if !recording && now >= warmupEnd { beginMeasuring(at: now) }
            if sending && now >= sendUntil { sending = false }
            for e in 0..<ready {
                let event = poller.event(at: e)
                try service(event.token, readable: event.readable || event.writable, buffer)
            }
            try writeDirty(poller)
            progress.completed.store(result.completed, ordering: .relaxed)
            if now >= nextStallCheck {
                try checkStalls(now: now)
                nextStallCheck = now &+ 100_000_000
            }
        }
    }

    /// Warm-up is over: forget what was counted; requests still in flight from the
    /// warm-up are not measured (their send time predates `measureStart`).
    private mutating func beginMeasuring(at now: UInt64) {
        recording = true
        result.histogram.reset()
        result.outcomes = BenchOutcomes()
        result.completed = 0
        result.measureStart = now
        result.lastReply = now
    }

    /// Reads what connection `i` received, completes the requests it answers, and queues
    /// as many new ones as its window allows; `writeDirty` sends them.
    @inline(__always)
    private mutating func service(_ i: Int, readable: Bool, _ buffer: UnsafeMutableRawBufferPointer) throws(RedisError) {
        let connection = connections[i]
        if readable {
            try connection.read(using: buffer)
            let now = MonotonicClock.nanoseconds()
            while let reply = try connection.nextReplySummary(errorText: &errorText) {
                guard counts[i] - unstamped[i] > 0 else {
                    throw .protocolViolation("\(connection.endpoint) sent a reply to no request")
                }
                let slot = i &* pipeline &+ heads[i]
                let sent = sentAt[slot]
                let request = pending[slot]
                heads[i] = heads[i] &+ 1 == pipeline ? 0 : heads[i] &+ 1
                counts[i] &-= 1
                inFlight &-= 1
                if reply.kind == .error {
                    // Classified like every other command's error replies: NOAUTH,
                    // WRONGPASS and NOPERM are refusals (exit 77), not server errors.
                    throw RedisError.fromServerReply(errorText ?? "error reply")
                }
                if recording && sent >= result.measureStart {
                    result.histogram.record(now &- sent)
                    result.completed &+= 1
                    result.lastReply = now
                }
                if let next = workload.complete(request, reply: reply, outcomes: &result.outcomes), mayStartRequest {
                    send(next, on: i, connection)
                }
            }
            refill(i, connection)
        }
        markDirty(i)
    }

    private var mayStartRequest: Bool { sending && (budget > 0 || !recording) }

    @inline(__always)
    private mutating func refill(_ i: Int, _ connection: PipelinedConnection) {
        while counts[i] < pipeline && mayStartRequest {
            send(workload.start(&random), on: i, connection)
        }
        markDirty(i)
    }

    @inline(__always)
    private mutating func markDirty(_ i: Int) {
        if !isDirty[i] {
            isDirty[i] = true
            dirty[dirtyCount] = i
            dirtyCount &+= 1
        }
    }

    /// Queues `request`; its send time is set when it is written.
    @inline(__always)
    private mutating func send(_ request: BenchRequest, on i: Int, _ connection: PipelinedConnection) {
        var position = heads[i] &+ counts[i]
        if position >= pipeline { position &-= pipeline }
        pending[i &* pipeline &+ position] = request
        counts[i] &+= 1
        unstamped[i] &+= 1
        inFlight &+= 1
        if recording && budget != Int.max { budget &-= 1 }
        let template = templates[request.command]
        let bytes = templateBytes, fields = templateFields
        connection.enqueue(byteCount: template.count) { out in
            if let base = out.baseAddress {
                WorkerStorage.write(template, bytes: bytes, fields: fields, into: base, key: request.key, token: request.token)
            }
        }
    }

    /// The second pass: one write per connection touched in this batch, stamping the
    /// requests it carries; output readiness is watched only while a socket is full.
    private mutating func writeDirty(_ poller: EventPoller) throws(RedisError) {
        for d in 0..<dirtyCount {
            let i = dirty[d]
            isDirty[i] = false
            let connection = connections[i]
            if unstamped[i] > 0 {
                let now = MonotonicClock.nanoseconds()
                var position = heads[i] &+ counts[i] &- unstamped[i]
                if position >= pipeline { position &-= pipeline }
                for _ in 0..<unstamped[i] {
                    sentAt[i &* pipeline &+ position] = now
                    position = position &+ 1 == pipeline ? 0 : position &+ 1
                }
                unstamped[i] = 0
            }
            if connection.pendingOutputCount > 0 { try connection.flush() }
            let wants = connection.needsWritable
            if wants != watchingWritable[i] {
                try poller.update(connection.fileDescriptor, token: i, writable: wants)
                watchingWritable[i] = wants
            }
        }
        dirtyCount = 0
    }

    /// A connection whose oldest request waited longer than the reply timeout has a
    /// server that stopped answering: a timeout, as for every other command.
    private func checkStalls(now: UInt64) throws(RedisError) {
        for i in connections.indices where counts[i] > 0 {
            let oldest = sentAt[i &* pipeline &+ heads[i]]
            if now > oldest && now - oldest > limits.replyTimeoutNs {
                throw .timeout(endpoint: connections[i].endpoint, waitingFor: "a reply",
                               after: .nanoseconds(Int64(limits.replyTimeoutNs)))
            }
        }
    }
}

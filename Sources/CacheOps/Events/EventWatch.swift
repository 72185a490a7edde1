import RESP
import RedisClient

/// `cachectl watch`: a subscription that outlives quiet hours, restarts and failovers.
///
/// Silence is not failure: reads wait in short slices (so a signal is noticed quickly) and
/// the reply timeout applies only to answers the server owes: the subscription's
/// confirmations and a `PING` sent after `livenessInterval` of silence. A connection that
/// breaks or stops answering is replaced, after a growing pause, by a new one (on a
/// cluster, on the next node: every node receives every `PUBLISH`), and the subscription
/// resumes. Errors that waiting cannot fix (a refused password, a refused channel, a bad
/// setting) end the watch, as does a failure of the very first connection.
public enum EventWatch {
    /// Calls `handle` for each event until it returns false, `deadline` passes or
    /// `shouldStop` returns true.
    public static func run(config: ConnectionConfig, request: WatchRequest,
                           until deadline: ContinuousClock.Instant? = nil,
                           shouldStop: () -> Bool = { false },
                           handle: (WatchEvent) -> Bool) throws(RedisError) -> WatchEnd {
        var loop = WatchLoop(request: request, targets: [config], deadline: deadline)
        return try loop.run(shouldStop: shouldStop, handle: handle)
    }

    /// Errors a new connection may cure: the server went away, restarts, loads its data,
    /// or stopped answering.
    static func isRetryable(_ error: RedisError) -> Bool {
        switch error.category {
        case .unavailable, .timeout, .io, .protocolViolation: return true
        case .server:
            if case .server(let text) = error { return text.hasPrefix("LOADING") || text.hasPrefix("BUSY") }
            return false
        case .configuration, .authentication, .tlsVerification: return false
        }
    }
}

struct WatchLoop {
    let request: WatchRequest
    /// Where the subscription may live; `current` is in use or being tried.
    var targets: [ConnectionConfig]
    var current = 0
    let deadline: ContinuousClock.Instant?
    var backoff: ReconnectBackoff
    private let clock = ContinuousClock()
    /// How often a quiet read returns to look at signals and the deadline.
    private let slice = Duration.milliseconds(100)

    init(request: WatchRequest, targets: [ConnectionConfig], deadline: ContinuousClock.Instant?) {
        self.request = request
        self.targets = targets
        self.deadline = deadline
        self.backoff = request.backoff
    }

    private enum Step { case keepGoing, end(WatchEnd) }

    mutating func run(shouldStop: () -> Bool, handle: (WatchEvent) -> Bool) throws(RedisError) -> WatchEnd {
        var (subscriber, early) = try subscribe(targets[current])
        guard handle(.subscribed(endpoint: subscriber.endpoint, resumed: false)) else { return .handlerDone }
        for m in early where !handle(.message(m)) { return .handlerDone }
        var lastHeard = clock.now
        var pingSent: ContinuousClock.Instant?
        while true {
            if shouldStop() { return .stopRequested }
            let now = clock.now
            if let deadline, now >= deadline { return .deadline }
            var wake = now + slice
            if let deadline { wake = min(wake, deadline) }
            do throws(RedisError) {
                if pingSent == nil && now - lastHeard >= request.livenessInterval {
                    try subscriber.send([Array("PING".utf8)])
                    pingSent = now
                }
                if let sent = pingSent, now - sent > subscriber.config.replyTimeout {
                    throw RedisError.timeout(endpoint: subscriber.endpoint, waitingFor: "an answer to PING",
                                             after: subscriber.config.replyTimeout)
                }
                guard let value = try subscriber.next(until: wake) else { continue }
                lastHeard = clock.now
                let awaitedPing = pingSent != nil
                pingSent = nil
                switch SubscriberReply(value) {
                case .message(let m):
                    if !handle(.message(m)) { return .handlerDone }
                case .error(let text) where !awaitedPing:
                    throw RedisError.fromServerReply(text)
                case .error, .subscribed, .answer, .other:
                    // Any answer, even a refused PING, shows the server is there.
                    break
                }
            } catch {
                guard EventWatch.isRetryable(error) else { throw error }
                let lostAt = subscriber.endpoint
                subscriber.close()
                switch try reconnect(after: error, endpoint: lostAt, shouldStop: shouldStop, handle: handle) {
                case .end(let end): return end
                case .success(let (next, messages)):
                    subscriber = next
                    for m in messages where !handle(.message(m)) { return .handlerDone }
                    lastHeard = clock.now
                    pingSent = nil
                }
            }
        }
    }

    private enum Reconnection {
        case end(WatchEnd)
        case success((SubscriberConnection, [PubSubMessage]))
    }

    /// Pauses, then tries the targets in turn until one subscribes.
    private mutating func reconnect(after error: RedisError, endpoint: String, shouldStop: () -> Bool,
                                    handle: (WatchEvent) -> Bool) throws(RedisError) -> Reconnection {
        var delay = backoff.next()
        guard handle(.lost(error, endpoint: endpoint, retryIn: delay)) else { return .end(.handlerDone) }
        while true {
            var wakeAt = clock.now + delay
            if let deadline { wakeAt = min(wakeAt, deadline) }
            if !Pause.until(wakeAt, shouldStop: shouldStop) { return .end(.stopRequested) }
            if let deadline, clock.now >= deadline { return .end(.deadline) }
            current = (current + 1) % targets.count
            let target = targets[current]
            do throws(RedisError) {
                let (subscriber, early) = try subscribe(target)
                backoff.reset()
                guard handle(.subscribed(endpoint: subscriber.endpoint, resumed: true)) else { return .end(.handlerDone) }
                return .success((subscriber, early))
            } catch {
                guard EventWatch.isRetryable(error) else { throw error }
                delay = backoff.next()
                guard handle(.retryFailed(error, endpoint: target.endpoint.display, retryIn: delay)) else {
                    return .end(.handlerDone)
                }
            }
        }
    }

    /// Connects, learns the cluster's other nodes, subscribes and waits for every
    /// confirmation; messages that arrive meanwhile are returned, not lost.
    private mutating func subscribe(_ config: ConnectionConfig) throws(RedisError) -> (SubscriberConnection, [PubSubMessage]) {
        let connection = try RedisConnection.connect(config)
        let discovered = SubscriberTargets.discover(from: connection)
        if discovered.count > 1 || targets.count == 1 {
            targets = discovered
            current = 0
        }
        let subscriber = try SubscriberConnection(handingOver: connection)
        let verb = request.patterns ? "PSUBSCRIBE" : "SUBSCRIBE"
        try subscriber.send([Array(verb.utf8)] + request.channels)
        var confirmed = 0
        var early: [PubSubMessage] = []
        let limit = clock.now + config.replyTimeout
        while confirmed < request.channels.count {
            guard let value = try subscriber.next(until: limit) else {
                subscriber.close()
                throw .timeout(endpoint: subscriber.endpoint, waitingFor: "the \(verb) confirmation", after: config.replyTimeout)
            }
            switch SubscriberReply(value) {
            case .subscribed: confirmed += 1
            case .message(let m): early.append(m)
            case .error(let text):
                subscriber.close()
                throw RedisError.fromServerReply(subscriber.config.password.map { text.replacing($0, with: "***") } ?? text)
            case .answer, .other: break
            }
        }
        return (subscriber, early)
    }
}

import RESP
import RedisClient

/// Streams the keys matching a pattern with `SCAN` (never `KEYS`), one page at a time, so
/// memory stays the same whatever the keyspace size.
///
/// Each page's details (`PTTL`, `MEMORY USAGE`) go out in the same write as the next
/// `SCAN`, ahead of it: their replies come back first, and the caller handles the page
/// while the server is still scanning the next one.
public enum KeyScanner {
    /// - Parameters:
    ///   - details: which details to fetch for each key (asked once per key, in order).
    ///   - shouldStop: polled between pages (a signal arrived).
    ///   - page: receives each page and the share of the keyspace visited so far; returns
    ///     false to stop (the reader went away).
    /// Keys that vanish between `SCAN` and their details are left out. `MEMORY USAGE` is
    /// optional: when the server refuses it (ACL, renamed, managed service) sizes stay nil,
    /// it is not asked again, and the outcome's `unavailable` says why.
    public static func walk(on connection: RedisConnection, scope: KeyScope, request: KeyScanRequest,
                            details: (_ key: [UInt8]) -> KeyDetailRequest = { _ in .none },
                            shouldStop: () -> Bool = { false },
                            page: (_ entries: [KeyEntry], _ fractionVisited: Double) -> Bool) throws(RedisError) -> KeyScanOutcome {
        let match = scope.pattern(request.pattern)
        // Paced: each SCAN sized to the server's load (see ScanPacer), else `count`.
        var pacer = request.pacing.map { ScanPacer(node: connection, settings: $0) }
        var detailCommands = 0
        func scan(_ cursor: [UInt8]) {
            let count = pacer?.scanSent() ?? request.count
            connection.enqueue(RedisConnection.scanCommand(cursor: cursor, match: match, count: count,
                                                           type: request.type?.rawValue))
        }
        var delivered = 0
        var unreadable = 0
        var facts = OptionalFacts()
        var convergence = ScanConvergence()
        scan(ScanCursor.start)
        var current = try RedisConnection.parseScanReply(try connection.readReply())
        try convergence.check(current.cursor)
        while true {
            var keys = current.keys
            if let limit = request.limit, keys.count > limit - delivered {
                keys.removeLast(keys.count - (limit - delivered))
            }
            let asked = keys.map { key in
                var ask = details(key)
                if !facts.isEmpty { ask.size = false }
                return ask
            }
            for (key, ask) in zip(keys, asked) {
                if ask.expiry { connection.enqueue([Array("PTTL".utf8), key]) }
                if ask.size { connection.enqueue([Array("MEMORY".utf8), Array("USAGE".utf8), key]) }
                detailCommands += (ask.expiry ? 1 : 0) + (ask.size ? 1 : 0)
            }
            if var p = pacer {
                _ = p.adapt(commandsSent: detailCommands, keysSent: detailCommands, shouldStop: shouldStop)
                pacer = p
            }
            let limitReached = request.limit.map { delivered + keys.count >= $0 } ?? false
            let more = !current.isLast && !limitReached && !shouldStop()
            if more { scan(current.cursor) }
            try connection.flush()
            var entries: [KeyEntry] = []
            entries.reserveCapacity(keys.count)
            for (key, ask) in zip(keys, asked) {
                var entry = KeyEntry(key: scope.strip(key))
                var gone = false
                var refused = false
                if ask.expiry {
                    let reply = try connection.readReply()
                    if isKeyRefusal(reply) {
                        refused = true
                    } else {
                        let ms = try integer(reply, "PTTL")
                        gone = ms == -2
                        entry.expiry = ms == -1 ? .never : .inMilliseconds(max(0, ms))
                    }
                }
                if ask.size {
                    let reply = try connection.readReply()
                    if isKeyRefusal(reply) {
                        refused = true
                    } else if let err = reply.errorBytes,
                       case let error = RedisError.fromServerReply(String(decoding: err, as: UTF8.self)),
                       let refusal = error.refusal {
                        facts.record("MEMORY USAGE", provides: "key sizes", refusal: refusal, reply: error.description)
                    } else if reply.isNull {
                        gone = true
                    } else {
                        entry.sizeBytes = try quantity(reply, "MEMORY USAGE")
                    }
                }
                if refused {
                    unreadable += 1
                } else if !gone {
                    entries.append(entry)
                }
            }
            delivered += entries.count
            let fraction = current.isLast ? 1 : ScanCursor.fractionVisited(current.cursor) ?? 0
            let wanted = page(entries, fraction)
            if !more {
                return KeyScanOutcome(keys: delivered, complete: current.isLast, fractionVisited: fraction, unavailable: facts,
                                      unreadable: unreadable)
            }
            let next = try RedisConnection.parseScanReply(try connection.readReply())
            try convergence.check(next.cursor)
            if !wanted {
                return KeyScanOutcome(keys: delivered, complete: false, fractionVisited: fraction, unavailable: facts,
                                      unreadable: unreadable)
            }
            current = next
        }
    }

    /// `walk` over every primary of a cluster (one after the other, the limit shared), or
    /// over the one server. A key lives on exactly one primary, so none is listed twice.
    public static func walk(on client: RoutedClient, scope: KeyScope, request: KeyScanRequest,
                            details: (_ key: [UInt8]) -> KeyDetailRequest = { _ in .none },
                            shouldStop: () -> Bool = { false },
                            page: (_ entries: [KeyEntry], _ fractionVisited: Double) -> Bool) throws(RedisError) -> KeyScanOutcome {
        let nodes = try client.primaryConnections()
        if nodes.count == 1 {
            return try walk(on: nodes[0], scope: scope, request: request, details: details, shouldStop: shouldStop, page: page)
        }
        var delivered = 0
        var outcome = KeyScanOutcome(keys: 0, complete: true, fractionVisited: 0)
        for (index, node) in nodes.enumerated() {
            var nodeRequest = request
            if let limit = request.limit { nodeRequest.limit = limit - delivered }
            var wanted = true
            let part = try walk(on: node, scope: scope, request: nodeRequest, details: details, shouldStop: shouldStop) { entries, f in
                wanted = page(entries, (Double(index) + f) / Double(nodes.count))
                return wanted
            }
            delivered += part.keys
            var facts = outcome.unavailable
            facts.merge(part.unavailable)
            outcome = KeyScanOutcome(keys: delivered, complete: part.complete && index == nodes.count - 1,
                                     fractionVisited: (Double(index) + part.fractionVisited) / Double(nodes.count),
                                     unavailable: facts, unreadable: outcome.unreadable + part.unreadable)
            let limitReached = request.limit.map { delivered >= $0 } ?? false
            if !part.complete || !wanted || limitReached || shouldStop() {
                outcome.complete = false
                break
            }
        }
        return outcome
    }

    /// NOPERM for the key itself (outside the user's `~` patterns), as Redis 6.2 ("…access
    /// one of the keys used as arguments"), 7.x ("No permissions to access a key") and Valkey
    /// word it; a refused *command* is not this and still fails the walk.
    static func isKeyRefusal(_ reply: RESPValue) -> Bool {
        guard let err = reply.errorBytes, case .permissionDenied(let text) = RedisError.fromServerReply(String(decoding: err, as: UTF8.self))
        else { return false }
        let lower = text.lowercased()
        return lower.contains("key") && !lower.contains("command")
    }

    /// A byte count: an impossible one (negative, past 2^48) is a protocol error.
    private static func quantity(_ reply: RESPValue, _ command: String) throws(RedisError) -> Int64 {
        let n = try integer(reply, command)
        guard let q = reply.quantity else { throw .protocolViolation("\(command) answered \(n)") }
        return q
    }

    private static func integer(_ reply: RESPValue, _ command: String) throws(RedisError) -> Int64 {
        if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
        guard let n = reply.int else { throw .protocolViolation("\(command) did not answer with an integer") }
        return n
    }
}

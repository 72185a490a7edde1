import RESP
import RedisClient

/// Multi-key commands (`UNLINK`, `DEL`, `EXISTS`) sent without waiting, their integer
/// replies read later in order, so the caller can keep other commands interleaved.
///
/// On a cluster a multi-key command must stay within one slot, so each batch is split by
/// slot and each part goes to the primary serving it; a part answered with a redirection
/// (`MOVED`, `ASK`, `TRYAGAIN` during a slot migration) is sent again, key by key, through
/// the cluster's redirect client, which has connections of its own: the pipelined ones still have replies in
/// flight, which a retry on them would read in place of its own. Nothing outside the batch
/// is ever touched.
///
/// Counting: `total` is the sum of the replies read, nothing else. An error reply does not
/// stop the reading: it is kept in `firstError` and the replies of every batch already sent
/// are still read and counted, so a run that stops on an error still reports exactly what
/// the server did. Only a broken connection leaves replies unread (that connection's
/// only); their keys stay in `unansweredKeys` (the server may or may not have deleted them).
///
/// Each part's reply is read exactly once: a part leaves the queue before its reply is
/// read, and a redirected re-send that fails (the slot still unavailable after the redirect
/// client's retries, its connection broken) is remembered like an error reply, not thrown,
/// so a caller that goes on reading after an error never reads a reply meant for the next
/// command on that connection.
struct BatchPipeline {
    let connection: RedisConnection
    let cluster: ClusterClient?
    /// Send each slot's part to the primary serving it (named keys); otherwise everything
    /// goes to `connection` (keys it just returned from SCAN), which keeps replies in step
    /// when several nodes are driven at once.
    let routeToOwner: Bool
    let command: [UInt8]
    /// Tag runs on one server: each batch becomes `MULTI`, the deletion, `SREM set
    /// members`, `EXEC`, so a member leaves its set in the same instant its key goes.
    let removingFrom: [UInt8]?
    /// Batches sent and not yet answered, oldest first: the commands each one became.
    private var batches: [[Sent]] = []
    private var touched: [RedisConnection] = []
    /// The sum of the replies read so far (keys deleted, or keys that exist).
    private(set) var total = 0
    /// Keys sent so far.
    private(set) var sentKeys = 0
    /// Commands sent so far (a transaction is four).
    private(set) var commandsSent = 0
    /// Keys sent whose replies have not been read.
    private(set) var unansweredKeys = 0
    /// The first error reply read; later replies were still read and counted.
    private(set) var firstError: RedisError?
    /// A redirected re-send failed: later redirected parts are not re-sent (each would wait
    /// out the same retries); their keys were answered with a redirection, so not deleted.
    private var redirectsFailed = false

    private struct Sent {
        let connection: RedisConnection
        let args: [[UInt8]]
        let slot: Int
        let keys: Int
        let transaction: Bool
    }

    var pendingBatches: Int { batches.count }

    init(connection: RedisConnection, cluster: ClusterClient? = nil,
         routeToOwner: Bool = true, command: String, removingFrom setKey: [UInt8]? = nil) {
        self.connection = connection
        self.cluster = cluster
        self.routeToOwner = routeToOwner
        self.command = Array(command.utf8)
        self.removingFrom = cluster == nil ? setKey : nil
    }

    /// `members`: with `removingFrom`, the set members the keys came from (as stored).
    mutating func send(_ keys: ArraySlice<[UInt8]>, members: ArraySlice<[UInt8]>? = nil) {
        sentKeys += keys.count
        unansweredKeys += keys.count
        guard let cluster else {
            var args: [[UInt8]] = []
            args.reserveCapacity(keys.count + 1)
            args.append(command)
            args.append(contentsOf: keys)
            if let setKey = removingFrom, let members {
                connection.enqueue([Array("MULTI".utf8)])
                connection.enqueue(args)
                connection.enqueue([Array("SREM".utf8), setKey] + members)
                connection.enqueue([Array("EXEC".utf8)])
                batches.append([Sent(connection: connection, args: [], slot: -1, keys: keys.count, transaction: true)])
                commandsSent += 4
            } else {
                connection.enqueue(args)
                batches.append([Sent(connection: connection, args: [], slot: -1, keys: keys.count, transaction: false)])
                commandsSent += 1
            }
            return
        }
        var sent: [Sent] = []
        for (slot, slotKeys) in SlotRouting.partition(keys) {
            let args = [command] + slotKeys
            // A slot without a known owner goes to the scanning node; a redirection fixes it.
            let owner = routeToOwner ? cluster.topology.primary(forSlot: slot).flatMap { try? cluster.connection(to: $0) } : nil
            let target = owner ?? connection
            target.enqueue(args)
            if !touched.contains(where: { $0 === target }) { touched.append(target) }
            sent.append(Sent(connection: target, args: args, slot: slot, keys: args.count - 1, transaction: false))
            commandsSent += 1
        }
        batches.append(sent)
    }

    /// Writes what `send` queued on connections other than the caller's own.
    func flushOthers() throws(RedisError) {
        for c in touched where c !== connection { try c.flush() }
    }

    /// Reads the replies of the `count` oldest batches, every part of them: a part whose
    /// connection broke keeps its keys unanswered and the parts on other connections are
    /// still read and counted; the first such failure is thrown once those batches are done
    /// (so they are always off the queue). Error replies land in `firstError`.
    mutating func collect(_ count: Int) throws(RedisError) {
        var left = min(count, batches.count)
        // A connection that cannot be written to fails its own reads below, no one else's.
        if left > 0 { for c in touched where c !== connection { try? c.flush() } }
        var broken: RedisError?
        while left > 0 {
            // Off the queue before reading: a reply is never read twice, in place of the next.
            for sent in batches.removeFirst() {
                do {
                    let (n, unknown) = try read(sent)
                    unansweredKeys -= sent.keys - unknown
                    total += n
                } catch {
                    broken = broken ?? error
                }
            }
            left -= 1
        }
        if let broken { throw broken }
    }

    mutating func collectAll() throws(RedisError) {
        try collect(batches.count)
    }

    /// One part's count, and how many of its keys have an unknown fate (a redirected
    /// re-send whose connection broke); an error reply counts 0 and is remembered.
    private mutating func read(_ sent: Sent) throws(RedisError) -> (count: Int, unknown: Int) {
        if sent.transaction { return (try readTransaction(sent.connection, keys: sent.keys), 0) }
        let reply = try sent.connection.readReply()
        if let cluster, SlotRouting.isRedirection(reply) { return redirect(sent, cluster: cluster) }
        return (count(reply, atMost: sent.keys), 0)
    }

    /// Re-sends a redirected part key by key through the redirect client. One key at a time:
    /// a multi-key command on a migrating slot keeps answering TRYAGAIN while only some of
    /// its keys have moved. Never throws: the part's own reply is already read, so a failure
    /// here is remembered and the caller's reading stays in step.
    private mutating func redirect(_ sent: Sent, cluster: ClusterClient) -> (count: Int, unknown: Int) {
        // An earlier re-send gave up (its error is `firstError`): the slot is not re-sent again.
        if redirectsFailed { return (0, 0) }
        var n = 0
        for key in sent.args.dropFirst() {
            let single: RESPValue
            do {
                single = try cluster.redirectClient().send([command, key], slot: sent.slot)
            } catch {
                redirectsFailed = true
                remember(error: error)
                return (n, Self.mayHaveRun(after: error) ? 1 : 0)
            }
            if let e = single.errorBytes {
                remember(e)
                continue
            }
            guard let one = single.int, one == 0 || one == 1 else {
                remember(protocol: "\(String(decoding: command, as: UTF8.self)) of 1 key answered "
                         + (single.int.map { "\($0)" } ?? "something other than an integer"))
                continue
            }
            n += Int(one)
        }
        return (n, 0)
    }

    /// Whether the command a redirected send gave up on may have run: not when no connection
    /// was made or every attempt was answered with an error (the retries exhausted), maybe
    /// when a connection broke or timed out with it in flight.
    private static func mayHaveRun(after error: RedisError) -> Bool {
        switch error {
        case .connectionFailed, .connectionRefused, .hostNotFound, .invalidConfiguration: return false
        default: return true
        }
    }

    /// `MULTI` … `EXEC`: four replies; the count is the deletion's, inside EXEC's array.
    private mutating func readTransaction(_ c: RedisConnection, keys: Int) throws(RedisError) -> Int {
        for _ in 0..<3 {
            let queued = try c.readReply()
            if let e = queued.errorBytes { remember(e) }
        }
        let exec = try c.readReply()
        if let e = exec.errorBytes {
            remember(e)
            return 0
        }
        guard let first = exec.elements?.first else {
            remember(protocol: "EXEC did not answer with the transaction's replies")
            return 0
        }
        return count(first, atMost: keys)
    }

    /// A reply's count, which can never exceed the keys the command named.
    private mutating func count(_ reply: RESPValue, atMost keys: Int) -> Int {
        if let e = reply.errorBytes {
            remember(e)
            return 0
        }
        // A count above the keys sent is impossible: a protocol error (after the summary), never a sum.
        guard let n = reply.int, n >= 0, n <= Int64(keys) else {
            remember(protocol: "\(String(decoding: command, as: UTF8.self)) of \(keys) key\(keys == 1 ? "" : "s") answered "
                     + (reply.int.map { "\($0)" } ?? "something other than an integer"))
            return 0
        }
        return Int(n)
    }

    private mutating func remember(_ error: [UInt8]) {
        if firstError == nil {
            firstError = RedisError.fromServerReply(connection.redactingSecrets(String(decoding: error, as: UTF8.self)))
        }
    }

    private mutating func remember(error: RedisError) {
        if firstError == nil { firstError = error }
    }

    private mutating func remember(protocol message: String) {
        if firstError == nil { firstError = .protocolViolation(message) }
    }
}

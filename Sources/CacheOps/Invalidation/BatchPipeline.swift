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
struct BatchPipeline {
    let connection: RedisConnection
    let cluster: ClusterClient?
    /// Send each slot's part to the primary serving it (named keys); otherwise everything
    /// goes to `connection` (keys it just returned from SCAN), which keeps replies in step
    /// when several nodes are driven at once.
    let routeToOwner: Bool
    let command: [UInt8]
    /// Batches sent and not yet answered, oldest first: the commands each one became.
    private var batches: [[Sent]] = []
    private var touched: [RedisConnection] = []
    /// The sum of the replies read so far (keys deleted, or keys that exist).
    private(set) var total = 0
    /// Keys sent so far.
    private(set) var sentKeys = 0

    private struct Sent {
        let connection: RedisConnection
        let args: [[UInt8]]
        let slot: Int
        /// Keys in the command: no reply may count more.
        let keyCount: Int
    }

    var pendingBatches: Int { batches.count }

    init(connection: RedisConnection, cluster: ClusterClient? = nil,
         routeToOwner: Bool = true, command: String) {
        self.connection = connection
        self.cluster = cluster
        self.routeToOwner = routeToOwner
        self.command = Array(command.utf8)
    }

    mutating func send(_ keys: ArraySlice<[UInt8]>) {
        sentKeys += keys.count
        guard let cluster else {
            var args: [[UInt8]] = []
            args.reserveCapacity(keys.count + 1)
            args.append(command)
            args.append(contentsOf: keys)
            connection.enqueue(args)
            batches.append([Sent(connection: connection, args: [], slot: -1, keyCount: keys.count)])
            return
        }
        var bySlot: [Int: [[UInt8]]] = [:]
        var order: [Int] = []
        for key in keys {
            let slot = KeySlot.slot(for: key)
            if bySlot[slot] == nil { order.append(slot); bySlot[slot] = [command] }
            bySlot[slot]?.append(key)
        }
        var sent: [Sent] = []
        for slot in order {
            guard let args = bySlot[slot] else { continue }
            // A slot without a known owner goes to the scanning node; a redirection fixes it.
            let owner = routeToOwner ? cluster.topology.primary(forSlot: slot).flatMap { try? cluster.connection(to: $0) } : nil
            let target = owner ?? connection
            target.enqueue(args)
            if !touched.contains(where: { $0 === target }) { touched.append(target) }
            sent.append(Sent(connection: target, args: args, slot: slot, keyCount: args.count - 1))
        }
        batches.append(sent)
    }

    /// Writes what `send` queued on connections other than the caller's own.
    func flushOthers() throws(RedisError) {
        for c in touched where c !== connection { try c.flush() }
    }

    /// Reads the replies of the `count` oldest batches.
    mutating func collect(_ count: Int) throws(RedisError) {
        var left = min(count, batches.count)
        if left > 0 { try flushOthers() }
        while left > 0 {
            let batch = batches.removeFirst()
            left -= 1
            for sent in batch {
                var reply = try sent.connection.readReply()
                if let err = reply.errorBytes, let cluster {
                    let text = String(decoding: err, as: UTF8.self)
                    if text.hasPrefix("MOVED ") || text.hasPrefix("ASK ") || text.hasPrefix("TRYAGAIN") {
                        // One key at a time: a multi-key command on a migrating slot keeps
                        // answering TRYAGAIN while only some of its keys have moved.
                        let redirects = try cluster.redirectClient()
                        var n: Int64 = 0
                        for key in sent.args.dropFirst() {
                            let single = try redirects.send([command, key], slot: sent.slot)
                            if let e = single.errorBytes { throw RedisError.fromServerReply(String(decoding: e, as: UTF8.self)) }
                            guard let one = single.quantity, one <= 1 else {
                                throw .protocolViolation("\(String(decoding: command, as: UTF8.self)) of one key answered \(single.int.map(String.init) ?? "a non-integer")")
                            }
                            n += one
                        }
                        reply = .integer(n)
                    }
                }
                if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
                // A count above the keys sent is impossible: a protocol error, never a sum.
                guard let n = reply.quantity, n <= sent.keyCount else {
                    throw .protocolViolation("\(String(decoding: command, as: UTF8.self)) of \(sent.keyCount) keys answered "
                                             + (reply.int.map { "\($0)" } ?? "something other than an integer"))
                }
                total += Int(n)
            }
        }
    }

    mutating func collectAll() throws(RedisError) {
        try collect(batches.count)
    }
}

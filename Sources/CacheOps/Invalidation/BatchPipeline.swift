import RESP
import RedisClient

/// Multi-key commands (`UNLINK`, `DEL`, `EXISTS`) sent without waiting, their integer
/// replies read later in order, so the caller can keep other commands interleaved.
struct BatchPipeline {
    let connection: RedisConnection
    let command: [UInt8]
    /// Batches sent and not yet answered.
    private(set) var pendingBatches = 0
    /// The sum of the replies read so far (keys deleted, or keys that exist).
    private(set) var total = 0
    /// Keys sent so far.
    private(set) var sentKeys = 0

    init(connection: RedisConnection, command: String) {
        self.connection = connection
        self.command = Array(command.utf8)
    }

    mutating func send(_ keys: ArraySlice<[UInt8]>) {
        var args: [[UInt8]] = []
        args.reserveCapacity(keys.count + 1)
        args.append(command)
        args.append(contentsOf: keys)
        connection.enqueue(args)
        pendingBatches += 1
        sentKeys += keys.count
    }

    /// Reads the replies of the `count` oldest batches.
    mutating func collect(_ count: Int) throws(RedisError) {
        var left = min(count, pendingBatches)
        while left > 0 {
            let reply = try connection.readReply()
            pendingBatches -= 1
            left -= 1
            if let err = reply.errorBytes { throw RedisError.fromServerReply(String(decoding: err, as: UTF8.self)) }
            guard let n = reply.int else {
                throw .protocolViolation("\(String(decoding: command, as: UTF8.self)) did not answer with an integer")
            }
            total += Int(n)
        }
    }

    mutating func collectAll() throws(RedisError) {
        try collect(pendingBatches)
    }
}

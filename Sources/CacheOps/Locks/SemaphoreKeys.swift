import RedisClient

/// The Redis keys behind a semaphore NAME (a lock with `--holders N`, N > 1). All sit
/// under the prefix and in the cluster slot of the mutex key `PREFIX lock:NAME`, whose
/// text is their hash tag, so one script touches all of them:
///
/// - `PREFIX semaphore:{PREFIX lock:NAME}:holders`: ZSET of owners scored by the
///   server-clock millisecond at which each owner's lease ends;
/// - `…:queue`: ZSET of waiting owners scored by ticket (FIFO order);
/// - `…:deadlines`: ZSET of the same waiters scored by when their place lapses;
/// - `…:tickets`: the ticket counter;
/// - the lock's fencing counter, `PREFIX fence:{PREFIX lock:NAME}`, shared with the mutex.
///
/// When the lock key already carries a hash tag, that tag decides the slot and the
/// braces are left out (`PREFIX semaphore:lock:NAME:holders`), as for the fence counter.
public struct SemaphoreKeys: Sendable, Equatable {
    /// The mutex keys of the same NAME: `lock.key` names the semaphore in messages and
    /// `lock.fenceKey` is its fencing counter.
    public let lock: LockKeys
    public let holders: [UInt8]
    public let queue: [UInt8]
    public let deadlines: [UInt8]
    public let tickets: [UInt8]

    public init(name: [UInt8], prefix: [UInt8] = []) {
        lock = LockKeys(name: name, prefix: prefix)
        let base: [UInt8]
        if LockKeys.hasHashTag(lock.key) {
            base = prefix + Self.word + LockKeys.lockWord + name
        } else {
            base = prefix + Self.word + [UInt8(ascii: "{")] + lock.key + [UInt8(ascii: "}")]
        }
        holders = base + Array(":holders".utf8)
        queue = base + Array(":queue".utf8)
        deadlines = base + Array(":deadlines".utf8)
        tickets = base + Array(":tickets".utf8)
    }

    static let word = Array("semaphore:".utf8)

    /// In the order the scripts expect them.
    public var all: [[UInt8]] { [holders, queue, deadlines, tickets, lock.fenceKey] }

    /// False when the keys would not share one cluster slot (a brace outside a complete
    /// hash tag); the command refuses such a name, as for locks.
    public var sameSlot: Bool {
        let slot = KeySlot.slot(for: lock.key)
        return all.allSatisfy { KeySlot.slot(for: $0) == slot }
    }
}

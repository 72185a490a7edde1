import CacheOps
import CLI
import RedisClient

/// The grant `lock run` starts from: the mutex, or with `--holders N` (N > 1) a lease of
/// the semaphore, whose keys the renewer then works on.
struct SemaphoreRun {
    var token: Int64
    var sentAt: ContinuousClock.Instant
    /// Set for a semaphore.
    var semaphore: SemaphoreKeys?
    /// The key named in messages and CACHECTL_LOCK_KEY: the lock key, or the holders set.
    var keyName: [UInt8]

    /// nil (after saying why on stderr) when the lock or a lease could not be had.
    static func acquire(_ context: CommandContext, connection: RoutedClient, keys: LockKeys, owner: [UInt8], ttl: Duration,
                        wait: Duration, limit: Int, commandName: String) throws -> SemaphoreRun? {
        var backoff = LockBackoff()
        let output = context.output
        if limit > 1 {
            let semaphore = try SemaphoreCommand.keys(context, connection)
            let (attempt, sentAt) = try Semaphores.acquire(on: connection, keys: semaphore, owner: owner, ttl: ttl, limit: limit,
                                                           wait: wait, backoff: &backoff)
            switch attempt {
            case .acquired(let token):
                return SemaphoreRun(token: token, sentAt: sentAt, semaphore: semaphore, keyName: semaphore.holders)
            case .full(let position, let state):
                output.notice("not running \(commandName): \(SemaphoreRenderer.notAcquired(semaphore, position: position, state, limit: limit))")
                return nil
            }
        }
        let (attempt, sentAt) = try Locks.acquire(on: connection, keys: keys, owner: owner, ttl: ttl, wait: wait, backoff: &backoff)
        switch attempt {
        case .acquired(let token):
            return SemaphoreRun(token: token, sentAt: sentAt, semaphore: nil, keyName: keys.key)
        case .held(let state):
            output.notice("not running \(commandName): \(LockRenderer.statusLine(keys, state))")
            return nil
        }
    }
}

import RedisClient

/// Keeps a granted lock alive from one thread: owner-checked renewals on its own
/// connection, re-opened when it breaks. Its timeouts are a tenth of the TTL (at least
/// 100 ms): a renewal that hangs can then overrun the lock's expiry by no more than that
/// before the caller learns the lock may be gone.
public struct LockRenewer {
    public enum Renewal: Sendable, Equatable {
        case renewed
        /// The lock is free or held by another owner: it is not ours any more.
        case lost(LockState)
        /// No answer this time; the caller decides from the lease whether to keep trying.
        case failed(RedisError)
    }

    public let keys: LockKeys
    /// Set for a semaphore (`--holders N`, N > 1): renewals and the release then act on
    /// this owner's lease in the holders set instead of the mutex key.
    public let semaphore: SemaphoreKeys?
    public let owner: [UInt8]
    public let ttl: Duration
    private let config: ConnectionConfig
    private var connection: RoutedClient?

    public init(keys: LockKeys, owner: [UInt8], ttl: Duration, config: ConnectionConfig, semaphore: SemaphoreKeys? = nil) {
        self.keys = keys
        self.semaphore = semaphore
        self.owner = owner
        self.ttl = ttl
        var capped = config
        let bound = max(ttl / 10, .milliseconds(100))
        capped.connectTimeout = min(config.connectTimeout, bound)
        capped.replyTimeout = min(config.replyTimeout, bound)
        self.config = capped
    }

    public mutating func renew() -> Renewal {
        do {
            if let semaphore {
                switch try Semaphores.extend(on: try connected(), keys: semaphore, owner: owner, ttl: ttl) {
                case .done: return .renewed
                case .notOwner: return .lost(LockState(owner: nil, ttlMs: nil))
                }
            }
            switch try Locks.extend(on: try connected(), keys: keys, owner: owner, ttl: ttl) {
            case .done: return .renewed
            case .notOwner(let state): return .lost(state)
            }
        } catch {
            connection = nil
            return .failed(error)
        }
    }

    /// Owner-checked release; a lock already lost is left alone.
    public mutating func release() throws(RedisError) -> OwnerCheck {
        do {
            if let semaphore {
                switch try Semaphores.release(on: try connected(), keys: semaphore, owner: owner) {
                case .done: return .done
                case .notOwner: return .notOwner(LockState(owner: nil, ttlMs: nil))
                }
            }
            return try Locks.release(on: try connected(), keys: keys, owner: owner)
        } catch {
            connection = nil
            throw error
        }
    }

    private mutating func connected() throws(RedisError) -> RoutedClient {
        if let connection { return connection }
        let fresh = try RoutedClient.connect(config)
        connection = fresh
        return fresh
    }
}

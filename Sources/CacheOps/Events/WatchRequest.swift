import RedisClient

/// What `watch` subscribes to and how it keeps the subscription alive.
public struct WatchRequest: Sendable, Equatable {
    /// Channel names, or glob patterns when `patterns` is set; duplicates are dropped.
    public var channels: [[UInt8]]
    /// `PSUBSCRIBE` instead of `SUBSCRIBE`.
    public var patterns: Bool
    /// How long the connection may stay silent before a `PING` checks that the server is
    /// still there; the answer must come within the reply timeout.
    public var livenessInterval: Duration
    public var backoff: ReconnectBackoff

    /// The channels applications publish invalidations on.
    public static let defaultChannels = ["cache:invalidate", "sessions:invalidate", "permissions:invalidate"]

    public init(channels: [[UInt8]], patterns: Bool = false, livenessInterval: Duration = .seconds(5),
                backoff: ReconnectBackoff = ReconnectBackoff()) {
        var unique: [[UInt8]] = []
        for c in channels where !unique.contains(c) { unique.append(c) }
        self.channels = unique
        self.patterns = patterns
        self.livenessInterval = livenessInterval
        self.backoff = backoff
    }
}

/// What happens during a watch, in order, for the caller to print.
public enum WatchEvent: Sendable, Equatable {
    /// Subscribed on `endpoint`; `resumed` after a reconnection (messages published in
    /// between are lost: pub/sub keeps nothing).
    case subscribed(endpoint: String, resumed: Bool)
    case message(PubSubMessage)
    /// The subscription broke; the next attempt comes after `retryIn`.
    case lost(RedisError, endpoint: String, retryIn: Duration)
    /// A reconnection attempt failed; the next comes after `retryIn`.
    case retryFailed(RedisError, endpoint: String, retryIn: Duration)
}

/// Why a watch ended normally.
public enum WatchEnd: Sendable, Equatable {
    /// The handler asked to stop (enough messages, or nobody reads the output any more).
    case handlerDone
    /// The `until` deadline passed.
    case deadline
    /// `shouldStop` said so (a signal).
    case stopRequested
}

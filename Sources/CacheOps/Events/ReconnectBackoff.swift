/// How long to wait before each reconnection attempt: short at first (a restart or a
/// failover is often over in a moment), doubling to a ceiling so that a server down for
/// long is not hammered. Pure: the caller sleeps.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    private var nextDelay: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        nextDelay = initial
    }

    /// The wait before the next attempt; each call doubles the following one.
    public mutating func next() -> Duration {
        let delay = nextDelay
        nextDelay = min(maximum, nextDelay * 2)
        return delay
    }

    /// After a successful reconnection: the next loss starts short again.
    public mutating func reset() {
        nextDelay = initial
    }
}

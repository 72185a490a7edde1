/// Delays between attempts to take a busy lock: exponential from `initial` to `cap`,
/// each with "equal jitter" (half fixed, half random) so that waiters started together
/// spread out instead of hitting the server in step.
public struct LockBackoff {
    public let initial: Duration
    public let cap: Duration
    private var current: Duration
    private var generator: any RandomNumberGenerator

    public init(initial: Duration = .milliseconds(10), cap: Duration = .milliseconds(200),
                generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.initial = initial
        self.cap = cap
        self.current = initial
        self.generator = generator
    }

    /// The next delay: between half of and the whole current step, which then doubles.
    public mutating func nextDelay() -> Duration {
        let step = current
        current = min(current * 2, cap)
        let halfNs = max(1, wholeNanoseconds(step) / 2)
        return .nanoseconds(halfNs + Int64.random(in: 0...halfNs, using: &generator))
    }

    private func wholeNanoseconds(_ d: Duration) -> Int64 {
        let (s, a) = d.components
        return s * 1_000_000_000 + a / 1_000_000_000
    }
}

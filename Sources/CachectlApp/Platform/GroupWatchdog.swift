#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CProcess

/// A tiny forked process (see cprocess_start_watchdog) that stops `lock run`'s command
/// when cachectl ends without saying so, SIGKILL included: it holds the read end of a
/// pipe whose only writer is cachectl, and the kernel closes that pipe however cachectl
/// dies. It then sends the command's group SIGTERM, and SIGKILL after `--kill-after` or
/// when the lock's lease runs out, whichever is first.
struct GroupWatchdog {
    private let pipe: Int32

    /// Starts the watchdog; nil (and the command runs without one) when fork fails.
    static func start(killAfter: Duration) -> GroupWatchdog? {
        var pipe: Int32 = -1
        guard cprocess_start_watchdog(nanoseconds(killAfter), &pipe) > 0 else { return nil }
        return GroupWatchdog(pipe: pipe)
    }

    /// The group to stop: the command's pid, which leads it.
    func guardGroup(_ group: pid_t) {
        send(Int64(CPROCESS_WATCH_GROUP), Int64(group))
    }

    /// Should cachectl die, the group must be gone a little before `lease` runs out: a
    /// tenth of its TTL, at most a second, is left for the kernel to finish the kill.
    func guardLease(_ lease: LockLease) {
        killBy(lease.validUntil - min(lease.ttl / 10, .seconds(1)))
    }

    private func killBy(_ instant: ContinuousClock.Instant) {
        // The message carries CLOCK_MONOTONIC time, the watchdog's clock.
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let monotonic = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        send(Int64(CPROCESS_WATCH_DEADLINE), monotonic + Self.nanoseconds(instant - .now))
    }

    /// The command ended under supervision: the watchdog leaves without a signal.
    func finish() {
        send(Int64(CPROCESS_WATCH_DONE), 0)
        close(pipe)
    }

    private func send(_ kind: Int64, _ value: Int64) {
        var message: (Int64, Int64) = (kind, value)
        // 16 bytes: one atomic pipe write. A watchdog that died leaves EPIPE (SIGPIPE is
        // ignored), one that stopped reading EAGAIN: the message is dropped, and the
        // command is guarded by its parent-death signal (and the last deadline sent).
        _ = withUnsafeBytes(of: &message) { write(pipe, $0.baseAddress, $0.count) }
    }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min / 2 : Int64.max / 2 }
        return scaled + attoseconds / 1_000_000_000
    }
}

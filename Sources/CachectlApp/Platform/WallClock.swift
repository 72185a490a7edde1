#if canImport(Glibc)
import Glibc
#endif

/// The time of day for `--watch` lines and the Unix time for its NDJSON records.
enum WallClock {
    static func unixSeconds() -> Int64 { Int64(time(nil)) }

    /// `HH:MM:SS` in local time.
    static func timeOfDay() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// Sleeps until `deadline` in short slices; false when a SIGINT/SIGTERM cut it short.
    static func sleep(until deadline: ContinuousClock.Instant) -> Bool {
        while Signals.pending == nil {
            let left = deadline - .now
            if left <= .zero { return true }
            let (seconds, attoseconds) = min(left, .milliseconds(50)).components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            _ = nanosleep(&request, nil)
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Blocking sleeps for throttling, cut into short slices so a SIGINT or SIGTERM (see
/// `shouldStop`) ends them within about 50 ms.
enum Pause {
    /// Sleeps until `deadline`; false when `shouldStop` cut it short.
    static func until(_ deadline: ContinuousClock.Instant, shouldStop: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        while true {
            if shouldStop() { return false }
            let left = deadline - clock.now
            if left <= .zero { return true }
            let slice = min(left, .milliseconds(50))
            let (seconds, attoseconds) = slice.components
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            _ = nanosleep(&request, nil)  // EINTR (a signal) just ends the slice early
        }
    }
}

/// Blocks the calling thread for `d`, for retry loops (lock `--wait`) that run on the main
/// thread without an async runtime.
func pause(_ d: Duration) {
    guard d > .zero else { return }
    _ = Pause.until(ContinuousClock.now + d, shouldStop: { false })
}

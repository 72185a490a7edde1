#if canImport(Glibc)
import Glibc
#endif

/// Blocks the calling thread for `d`, resuming after signal interruptions, for retry
/// loops (lock `--wait`) that run on the main thread without an async runtime.
func pause(_ d: Duration) {
    guard d > .zero else { return }
    let (seconds, attoseconds) = d.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1 && errno == EINTR {
        request = remaining
    }
}

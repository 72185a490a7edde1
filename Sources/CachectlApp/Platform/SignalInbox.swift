#if canImport(Glibc)
import Glibc
#endif

/// Signals for a supervising loop without handlers or global state: they are blocked,
/// so they queue, and `next(within:)` takes them one at a time with `sigtimedwait`,
/// which doubles as the loop's timer. SIGCHLD is included so a child's end wakes the loop.
struct SignalInbox {
    private var set = sigset_t()

    /// Blocks `signals` and SIGCHLD for the rest of the process's life; children get a
    /// clean mask from `ChildProcess.spawn`.
    init(signals: [Int32]) {
        sigemptyset(&set)
        for sig in signals + [SIGCHLD] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// The next pending signal, waiting at most `timeout`; nil when none came.
    func next(within timeout: Duration) -> Int32? {
        let (seconds, attoseconds) = max(timeout, .zero).components
        var limit = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var copy = set
        let sig = sigtimedwait(&copy, nil, &limit)
        return sig > 0 ? sig : nil
    }

    /// Takes `signal` if it is pending (it must be one of the inbox's), without waiting.
    func take(_ signal: Int32) -> Bool {
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, signal)
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        return sigtimedwait(&only, nil, &zero) == signal
    }
}

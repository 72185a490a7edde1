#if canImport(Glibc)
import Glibc
#endif

/// Job control for a supervisor whose command runs in a process group of its own: the
/// shell only sees cachectl's group, so when the command stops (Ctrl-Z, or a background
/// read of the terminal) cachectl stops too, and the shell's `fg`/`bg` continue cachectl,
/// which then continues the command.
enum JobControl {
    /// The stops a shell reports for a job and resumes with `fg`/`bg`.
    static let stopSignals: [Int32] = [SIGTSTP, SIGTTIN, SIGTTOU]

    /// Stops this process with `signal` (one of `stopSignals`). True once it has been
    /// stopped and continued; false when the kernel discarded the stop, as it does in an
    /// orphaned process group (no shell could ever resume it) or when the signal is
    /// ignored. `inbox` must hold SIGCONT: a continue leaves it pending there.
    static func stopSelf(with signal: Int32, inbox: SignalInbox) -> Bool {
        _ = inbox.take(SIGCONT)  // an old continue must not count as this one
        var only = sigset_t(), previous = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, signal)
        pthread_sigmask(SIG_UNBLOCK, &only, &previous)
        raise(signal)  // returns once continued
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return inbox.take(SIGCONT)
    }
}

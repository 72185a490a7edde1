#if canImport(Glibc)
import Glibc
#endif

/// Lends the terminal to a child's process group the way a shell does for a foreground
/// job, so a command under `lock run` can read the terminal (a background group reading
/// it would be stopped by SIGTTIN) and gets Ctrl-C directly.
struct TerminalHandoff {
    private let ownGroup: pid_t

    /// Gives the terminal on stdin to `group` when it is ours to give (stdin is a terminal
    /// whose foreground group is ours); nil otherwise.
    static func lend(to group: pid_t) -> TerminalHandoff? {
        let own = getpgrp()
        guard isatty(0) == 1, tcgetpgrp(0) == own, tcsetpgrp(0, group) == 0 else { return nil }
        // A child that touched the terminal before the handoff was stopped by SIGTTIN.
        kill(-group, SIGCONT)
        return TerminalHandoff(ownGroup: own)
    }

    /// Takes the terminal back. From a background group this raises SIGTTOU unless it is
    /// blocked, so it is blocked around the call.
    func reclaim() {
        var ttou = sigset_t(), previous = sigset_t()
        sigemptyset(&ttou)
        sigaddset(&ttou, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &ttou, &previous)
        tcsetpgrp(0, ownGroup)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}

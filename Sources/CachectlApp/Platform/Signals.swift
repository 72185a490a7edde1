#if canImport(Glibc)
import Glibc
#endif
import CLI

/// The last SIGINT or SIGTERM received, written only by the signal handler. Process-wide by
/// nature (signals are), owned by the executable; commands read it between batches so they
/// can stop cleanly with a true partial summary (exit 130 for SIGINT, 143 for SIGTERM).
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

enum Signals {
    /// Records SIGINT/SIGTERM instead of dying, for commands that stop between batches.
    /// A second signal of the same kind falls back to the default action, so a stuck run can
    /// still be killed with another Ctrl-C.
    static func recordInterrupts() {
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                if receivedSignal != 0 { signal(sig, SIG_DFL); raise(sig); return }
                receivedSignal = sig
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: a blocked poll returns EINTR and the loop checks the flag
            sigaction(sig, &action, nil)
        }
    }

    /// The signal that asked us to stop, if any.
    static var pending: Int32? {
        receivedSignal == 0 ? nil : Int32(receivedSignal)
    }

    /// The exit code of an interruption by `signal`: 143 for SIGTERM, else 130.
    static func exitCode(for signal: Int32) -> ExitCode {
        signal == SIGTERM ? .terminated : .interrupted
    }
}

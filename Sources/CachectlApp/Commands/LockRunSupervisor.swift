#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CLI

/// The loop `lock run` spends the command's lifetime in, on the main thread: renew the
/// lock when due (telling the watchdog how long the lease lasts), forward signals, follow
/// the command's job-control stops, and stop its process group (SIGTERM, then SIGKILL)
/// once the lock is lost or held too long.
struct LockRunSupervisor {
    enum StopReason {
        case lost(LockState)
        case unreachable(String)
        case maxHold
    }

    let child: ChildProcess
    let inbox: SignalInbox
    /// Stops the group if cachectl dies; told the lease's end after every renewal.
    let watchdog: GroupWatchdog?
    /// The terminal, while the command's group holds it.
    var terminal: TerminalHandoff?
    /// cachectl was continued after a stop: the command follows once the lock is checked.
    var resumeDue = false
    var renewer: LockRenewer
    var lease: LockLease
    /// A renewal failed and none has succeeded since: warn once per outage, not per retry.
    var failing = false
    let maxHoldUntil: ContinuousClock.Instant?
    let killAfter: Duration
    let commandName: String
    let keyName: String
    let output: Output

    /// How often to look again while waiting for a stopped group to go away.
    static let reapPoll: Duration = .milliseconds(50)

    /// Runs until the command has ended (and, when it was stopped, its whole group has
    /// gone); returns its status and why it was stopped, if it was. The terminal is back
    /// with cachectl's group when it returns.
    mutating func run() -> (status: Int32, stopped: StopReason?) {
        terminal = TerminalHandoff.lend(to: child.pid)
        defer { terminal?.reclaim() }
        var status: Int32?
        var stopped: StopReason?
        var killAt: ContinuousClock.Instant?
        var killed = false
        while true {
            if status == nil {
                switch child.poll() {
                case .running: break
                case .ended(let s): status = s
                case .stopped(let sig) where JobControl.stopSignals.contains(sig) && stopped == nil:
                    suspendWithCommand(sig)
                case .stopped: break  // SIGSTOP from outside (a debugger): not ours to undo
                }
            }
            if let status, stopped == nil || killed || child.groupIsEmpty() {
                return (status, stopped)
            }
            if stopped == nil, let reason = checkLock() {
                stopped = reason
                stop(reason)
                killAt = .now + killAfter
            }
            if resumeDue {
                resumeDue = false
                if stopped == nil { resume() }
            }
            if let at = killAt, !killed, .now >= at {
                child.signalGroup(SIGKILL)
                killed = true
            }

            var wake: ContinuousClock.Instant
            if let at = killAt {
                wake = killed ? .now + Self.reapPoll : at
            } else {
                wake = lease.nextRenewal
                if let hold = maxHoldUntil { wake = min(wake, hold) }
            }
            if status != nil { wake = min(wake, .now + Self.reapPoll) }
            switch inbox.next(within: wake - .now) {
            case nil, SIGCHLD?: break
            case SIGCONT?:
                // Continued by the shell (`fg`, `bg`) or by hand: the command follows,
                // unless the lock went while we were stopped.
                resumeDue = true
            case let sig?:
                output.debug("forwarding signal \(sig) to \(commandName)")
                child.signalGroup(sig)
            }
        }
    }

    /// The command stopped for job control: cachectl stops too, as the job the shell sees,
    /// without renewing (a suspended job does not keep the lock). Once continued, the
    /// command resumes if the lock is still ours; otherwise the next check stops it.
    private mutating func suspendWithCommand(_ sig: Int32) {
        terminal?.reclaim()
        terminal = nil
        output.debug("\(commandName) stopped (signal \(sig)); stopping with it")
        if JobControl.stopSelf(with: sig, inbox: inbox) {
            resumeDue = true
        } else {
            // No shell could resume us (orphaned process group): keep the command running.
            output.warn("\(commandName) cannot be suspended while it holds \(keyName); resuming it")
            child.signalGroup(SIGCONT)
        }
    }

    /// Continues the command after cachectl was continued, once `checkLock` has renewed
    /// the lock if a renewal fell due while stopped (the command never runs without it):
    /// the terminal is lent again when cachectl holds it (`fg`), and the group continued.
    private mutating func resume() {
        if terminal == nil { terminal = TerminalHandoff.lend(to: child.pid) }
        child.signalGroup(SIGCONT)
    }

    /// SIGTERM to the group (and SIGCONT, so that a stopped member can act on it).
    private func stop(_ reason: StopReason) {
        // An error even under --quiet: the command did not finish under the lock.
        _ = writeStderr(Failure("\(describe(reason)); stopping \(commandName): SIGTERM to its process group, SIGKILL after \(formatDuration(killAfter))",
                                exitCode: .lockLost).rendered)
        child.signalGroup(SIGTERM)
        child.signalGroup(SIGCONT)
    }

    private func tellWatchdog() {
        watchdog?.guardLease(lease)
    }

    /// Renews when due; a reason to stop when the lock is gone or held too long.
    private mutating func checkLock() -> StopReason? {
        let now = ContinuousClock.now
        if let hold = maxHoldUntil, now >= hold { return .maxHold }
        guard now >= lease.nextRenewal else { return nil }
        switch renewer.renew() {
        case .renewed:
            lease.renewed(sentAt: now)
            tellWatchdog()
            if failing { output.debug("renewed \(keyName) again") }
            failing = false
            return nil
        case .lost(let state):
            return .lost(state)
        case .failed(let error):
            let after = ContinuousClock.now
            lease.renewalFailed(at: after)
            if lease.hasExpired(at: after) {
                return .unreachable("\(error)")
            }
            if !failing { output.warn("renewing \(keyName) failed, retrying until its TTL runs out: \(error)") }
            failing = true
            return nil
        }
    }

    private func describe(_ reason: StopReason) -> String {
        switch reason {
        case .lost(let state) where state.isLocked: return "lost \(keyName): it is now \(LockRenderer.describe(state))"
        case .lost: return "lost \(keyName): it expired"
        case .unreachable(let error): return "lost \(keyName): no renewal succeeded before its TTL ran out (\(error))"
        case .maxHold: return "--max-hold passed for \(keyName)"
        }
    }
}

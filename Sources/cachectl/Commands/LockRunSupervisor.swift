#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CLI

/// The loop `lock run` spends the command's lifetime in, on the main thread: renew the
/// lock when due, forward signals, and stop the command's process group (SIGTERM, then
/// SIGKILL) once the lock is lost or held too long.
struct LockRunSupervisor {
    enum StopReason {
        case lost(LockState)
        case unreachable(String)
        case maxHold
    }

    let child: ChildProcess
    let inbox: SignalInbox
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
    /// gone); returns its status and why it was stopped, if it was.
    mutating func run() -> (status: Int32, stopped: StopReason?) {
        var status: Int32?
        var stopped: StopReason?
        var killAt: ContinuousClock.Instant?
        var killed = false
        while true {
            if status == nil {
                switch child.poll() {
                case .running: break
                case .ended(let s): status = s
                case .stopped(let sig):
                    if sig == SIGTSTP {
                        // A suspended command would keep the lock for as long as it sleeps.
                        output.warn("\(commandName) cannot be suspended while it holds \(keyName); resuming it")
                        child.signalGroup(SIGCONT)
                    }
                }
            }
            if let status, stopped == nil || killed || child.groupIsEmpty() {
                return (status, stopped)
            }
            if stopped == nil, let reason = checkLock() {
                stopped = reason
                // An error even under --quiet: the command did not finish under the lock.
                _ = writeStderr(Failure("\(describe(reason)); stopping \(commandName): SIGTERM to its process group, SIGKILL after \(formatDuration(killAfter))",
                                        exitCode: .lockLost).rendered)
                child.signalGroup(SIGTERM)
                killAt = .now + killAfter
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
            if let sig = inbox.next(within: wake - .now), sig != SIGCHLD {
                output.debug("forwarding signal \(sig) to \(commandName)")
                child.signalGroup(sig)
            }
        }
    }

    /// Renews when due; a reason to stop when the lock is gone or held too long.
    private mutating func checkLock() -> StopReason? {
        let now = ContinuousClock.now
        if let hold = maxHoldUntil, now >= hold { return .maxHold }
        guard now >= lease.nextRenewal else { return nil }
        switch renewer.renew() {
        case .renewed:
            lease.renewed(sentAt: now)
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

#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CLI
import RedisClient

/// `cachectl lock run NAME -- COMMAND…`: flock(1) for Redis. The command never runs
/// without the lock, is stopped when the lock is lost, and its status is passed through.
enum LockRunCommand {
    static let forwardedSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// Also taken by the supervisor: Ctrl-Z reaching cachectl goes to the command (which
    /// then stops cachectl with it), and a continue of cachectl continues the command.
    static let jobControlSignals = [SIGTSTP, SIGCONT]

    static func run(_ context: CommandContext) throws -> Int32 {
        let options = context.options
        let ttl = options[LockOptions.runTTL]
        let wait = options[LockOptions.wait] ?? .zero
        let maxHold = options[LockOptions.maxHold]
        let killAfter = options[LockOptions.killAfter]
        // The table bounds both codes to 0...255.
        let conflictCode = Int32(truncatingIfNeeded: options[LockOptions.conflictExitCode])
        let lostCode = Int32(truncatingIfNeeded: options[LockOptions.lostExitCode])
        let command = context.parsed.passthrough.map(\.bytes)
        let commandName = quotedKey(command.first ?? [])
        let output = context.output

        let connection = try context.connectRouted()
        let keys = try LockCommand.keys(context, connection)
        try LockCommand.warnIfLocksCanBeEvicted(connection, context: context)
        let owner = LockOwner.generate()
        guard let grant = try SemaphoreRun.acquire(context, connection: connection, keys: keys, owner: owner, ttl: ttl, wait: wait,
                                                   limit: SemaphoreCommand.holders(context), commandName: commandName) else {
            return conflictCode
        }
        let (token, sentAt, semaphore, keyName) = (grant.token, grant.sentAt, grant.semaphore, grant.keyName)
        let config = connection.config
        connection.close()
        output.debug("acquired \(quotedKey(keyName)) as \(quotedKey(owner)), fencing token \(token)")

        let inbox = SignalInbox(signals: forwardedSignals + jobControlSignals)
        var renewer = LockRenewer(keys: keys, owner: owner, ttl: ttl, config: config, semaphore: semaphore)
        // Started before the command, so that no moment of the command's life is unguarded.
        let watchdog = GroupWatchdog.start(killAfter: killAfter)
        if watchdog == nil { output.warn("could not start the watchdog that stops \(commandName) should cachectl be killed") }
        let lease = LockLease(ttl: ttl, sentAt: sentAt)
        watchdog?.guardLease(lease)
        let child: ChildProcess
        do {
            // SIGTERM reaches the command itself should cachectl die, even if the watchdog
            // cannot act; the watchdog reaches its whole group and escalates to SIGKILL.
            child = try ChildProcess.spawn(command, extraEnvironment: [
                ("CACHECTL_LOCK_KEY", keyName),
                ("CACHECTL_LOCK_OWNER", owner),
                ("CACHECTL_LOCK_TOKEN", Array(String(token).utf8)),
            ], deathSignal: SIGTERM)
        } catch {
            watchdog?.finish()
            _ = release(&renewer, output: output, expectOwned: true)
            switch error {
            case .notFound(let name):
                throw Failure("\(name): command not found", exitCode: .commandNotFound)
            case .cannotExecute(let name, let reason):
                throw Failure("\(name): cannot execute: \(reason)", exitCode: .cannotExecute)
            }
        }
        watchdog?.guardGroup(child.pid)
        var supervisor = LockRunSupervisor(child: child, inbox: inbox, watchdog: watchdog, renewer: renewer,
                                           lease: lease,
                                           maxHoldUntil: maxHold.map { sentAt + $0 }, killAfter: killAfter,
                                           commandName: commandName, keyName: quotedKey(keyName), output: output)
        let outcome = supervisor.run()
        let endedAt = ContinuousClock.now
        watchdog?.finish()
        renewer = supervisor.renewer
        let stillOwned = release(&renewer, output: output, expectOwned: outcome.stopped == nil)
        guard outcome.stopped == nil else { return lostCode }
        // A lock found gone at the end, or whose lease ran out before the command ended,
        // did not cover the whole run: the command's 0 would be a lie.
        if stillOwned == false || (stillOwned == nil && supervisor.lease.hasExpired(at: endedAt)) { return lostCode }
        return outcome.status
    }

    /// Owner-checked: a lock lost meanwhile is somebody else's and stays untouched.
    /// True when it was ours and is released, false when it was not ours any more, nil
    /// when the server could not say.
    private static func release(_ renewer: inout LockRenewer, output: Output, expectOwned: Bool) -> Bool? {
        do {
            switch try renewer.release() {
            case .done:
                return true
            case .notOwner(let state):
                if expectOwned {
                    // An error even under --quiet, as for a lock lost while running.
                    _ = writeStderr(Failure("\(quotedKey(renewer.keys.key)) was no longer ours when the command ended (it is \(LockRenderer.describe(state))); nothing was released",
                                            exitCode: .lockLost).rendered)
                }
                return false
            }
        } catch {
            output.warn("could not release \(quotedKey(renewer.keys.key)) (it expires on its own): \(error)")
            return nil
        }
    }
}

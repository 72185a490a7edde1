#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CLI
import RedisClient

/// `cachectl lock run NAME -- COMMAND…`: flock(1) for Redis. The command never runs
/// without the lock, is stopped when the lock is lost, and its status is passed through.
enum LockRunCommand {
    static let forwardedSignals = [SIGINT, SIGTERM, SIGHUP]

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
        var backoff = LockBackoff()
        let (attempt, sentAt) = try Locks.acquire(on: connection, keys: keys, owner: owner, ttl: ttl, wait: wait, backoff: &backoff)
        let config = connection.config
        connection.close()
        guard case .acquired(let token) = attempt else {
            if case .held(let state) = attempt {
                output.notice("not running \(commandName): \(LockRenderer.statusLine(keys, state))")
            }
            return conflictCode
        }
        output.debug("acquired \(quotedKey(keys.key)) as \(quotedKey(owner)), fencing token \(token)")

        let inbox = SignalInbox(signals: forwardedSignals)
        var renewer = LockRenewer(keys: keys, owner: owner, ttl: ttl, config: config)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(command, extraEnvironment: [
                ("CACHECTL_LOCK_KEY", keys.key),
                ("CACHECTL_LOCK_OWNER", owner),
                ("CACHECTL_LOCK_TOKEN", Array(String(token).utf8)),
            ])
        } catch {
            release(&renewer, output: output, expectOwned: true)
            switch error {
            case .notFound(let name):
                throw Failure("\(name): command not found", exitCode: .commandNotFound)
            case .cannotExecute(let name, let reason):
                throw Failure("\(name): cannot execute: \(reason)", exitCode: .cannotExecute)
            }
        }
        let terminal = TerminalHandoff.lend(to: child.pid)
        var supervisor = LockRunSupervisor(child: child, inbox: inbox, renewer: renewer,
                                           lease: LockLease(ttl: ttl, sentAt: sentAt),
                                           maxHoldUntil: maxHold.map { sentAt + $0 }, killAfter: killAfter,
                                           commandName: commandName, keyName: quotedKey(keys.key), output: output)
        let outcome = supervisor.run()
        terminal?.reclaim()
        renewer = supervisor.renewer
        release(&renewer, output: output, expectOwned: outcome.stopped == nil)
        return outcome.stopped == nil ? outcome.status : lostCode
    }

    /// Owner-checked: a lock lost meanwhile is somebody else's and stays untouched.
    private static func release(_ renewer: inout LockRenewer, output: Output, expectOwned: Bool) {
        do {
            if case .notOwner(let state) = try renewer.release(), expectOwned {
                output.warn("\(quotedKey(renewer.keys.key)) was no longer ours when the command ended (it is \(LockRenderer.describe(state))); nothing was released")
            }
        } catch {
            output.warn("could not release \(quotedKey(renewer.keys.key)) (it expires on its own): \(error)")
        }
    }
}

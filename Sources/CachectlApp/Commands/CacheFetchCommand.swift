#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import CLI
import RedisClient

/// `cachectl cache fetch KEY --ttl D -- COMMAND…`: the shell's getOrSet. The protocol
/// (stampede lock, waiting, refresh-ahead, stale copy) is `CacheFetch`'s; this file reads
/// the options, runs COMMAND with its stdout captured and prints the outcome.
enum CacheFetchCommand {
    struct Settings {
        var key: [UInt8]
        var policy: FetchPolicy
        var maxSize: Int
        var command: [[UInt8]]
    }

    static func run(_ context: CommandContext) throws -> Int32 {
        let settings = try read(context)
        let connection = try context.connectRouted()
        let keys = CacheKeys(key: settings.key, prefix: connection.config.keyPrefix)
        guard keys.sameSlot else {
            throw context.usageError("the key '\(quotedKey(settings.key))' has a '{' or '}' outside a complete hash tag, "
                                     + "so its stampede lock and stale copy could not share its cluster slot",
                                     hint: "leave braces out of the key, or use a whole tag such as {tenant1}:stats")
        }
        let output = context.output
        let config = connection.config
        let commandName = quotedKey(settings.command.first ?? [])
        let outcome = try CacheFetch.fetch(on: connection, keys: keys, policy: settings.policy) { grant in
            output.debug("\(quotedKey(settings.key)): running \(commandName) under \(quotedKey(grant.keys.key))")
            return try compute(settings, grant: grant, config: config, output: output)
        }
        return try report(outcome, settings: settings, commandName: commandName, output: output)
    }

    /// The options, checked; every usage error before anything is sent.
    static func read(_ context: CommandContext) throws -> Settings {
        let options = context.options
        let key = try CacheCommand.key(context)
        guard let ttl = options[CacheOptions.fetchTTL] else {
            throw context.usageError("'cache fetch' needs --ttl: nothing is cached forever")
        }
        var policy = FetchPolicy(ttl: ttl, wait: options[CacheOptions.wait], lockTTL: options[CacheOptions.lockTTL])
        if let given = options[CacheOptions.refreshAhead] {
            // Zero: given alone (see CacheOptions.refreshAhead).
            let window = given == .zero ? ttl / 5 : given
            guard window > .zero, window < ttl else {
                throw context.usageError("--refresh-ahead must be shorter than --ttl")
            }
            policy.refreshWindow = window
        }
        policy.staleFor = options[CacheOptions.staleIfError]
        let maxSize = options[CacheOptions.maxSize]
        let command = context.parsed.passthrough.map(\.bytes)
        guard !command.isEmpty else {
            throw context.usageError("'cache fetch' needs a COMMAND after --", hint: "cachectl cache fetch KEY --ttl 60s -- ./compute.sh")
        }
        return Settings(key: key, policy: policy, maxSize: maxSize, command: command)
    }

    /// Runs COMMAND with its stdout captured, renewing the stampede lock while it runs.
    /// A lost lock is only reported: the owner-checked store then writes nothing.
    private static func compute(_ settings: Settings, grant: CacheLockGrant, config: ConnectionConfig,
                                output: Output) throws -> Computation {
        let inbox = SignalInbox(signals: LockRunCommand.forwardedSignals + LockRunCommand.jobControlSignals)
        var renewer = LockRenewer(keys: grant.keys, owner: grant.owner, ttl: grant.ttl, config: config)
        var lease = LockLease(ttl: grant.ttl, sentAt: grant.sentAt)
        var lost = false
        let run = CapturedCommand(argv: settings.command,
                                  environment: [("CACHECTL_CACHE_KEY", settings.key)],
                                  limit: settings.maxSize, inbox: inbox)
        let outcome: CapturedCommand.Outcome
        do {
            outcome = try run.run(tick: {
                let now = ContinuousClock.now
                guard !lost, now >= lease.nextRenewal else { return lost ? now + .seconds(3600) : lease.nextRenewal }
                switch renewer.renew() {
                case .renewed:
                    lease.renewed(sentAt: now)
                case .lost(let state):
                    lost = true
                    output.warn("lost the stampede lock \(quotedKey(grant.keys.key)) (it is \(LockRenderer.describe(state))); "
                                + "the value will not be stored")
                case .failed(let error):
                    lease.renewalFailed(at: ContinuousClock.now)
                    output.warn("renewing the stampede lock failed: \(error)")
                }
                return lease.nextRenewal
            })
        } catch {
            switch error {
            case .notFound(let name):
                throw Failure("\(name): command not found", exitCode: .commandNotFound)
            case .cannotExecute(let name, let reason):
                throw Failure("\(name): cannot execute: \(reason)", exitCode: .cannotExecute)
            }
        }
        switch outcome {
        case .ended(0, let bytes):
            return .succeeded(bytes)
        case .ended(let status, let bytes):
            return .failed(status: status, output: bytes)
        case .tooLarge(let limit):
            throw Failure("the command wrote more than --max-size \(formatBytes(limit)) to stdout; it was stopped and nothing was stored",
                          exitCode: .dataError)
        }
    }

    private static func report(_ outcome: FetchOutcome, settings: Settings, commandName: String,
                               output: Output) throws -> Int32 {
        let key = settings.key
        func emit(_ source: String, _ value: [UInt8], ttlMs: Int64? = nil, stored: Bool? = nil, status: Int32? = nil) throws {
            if output.json {
                try output.result(CacheRenderer.fetchJSON(key: key, source: source, value: value, ttlMs: ttlMs,
                                                          stored: stored, commandStatus: status).serialized())
            } else {
                try Output.check(writeStdoutChecked(bytes: value))
            }
        }
        let ttlMs = wholeMilliseconds(settings.policy.ttl)
        switch outcome {
        case .hit(let entry):
            try emit("hit", entry.value, ttlMs: entry.ttlMs)
            return ExitCode.success.rawValue
        case .computed(let value, let stored):
            if !stored { output.warn("\(quotedKey(key)) was not stored: the stampede lock was no longer ours") }
            try emit("computed", value, ttlMs: stored ? ttlMs : nil, stored: stored, status: 0)
            return ExitCode.success.rawValue
        case .failed(let status, let bytes):
            output.notice("\(commandName) exited \(status); nothing was stored at \(quotedKey(key))")
            try emit("failed", bytes, stored: false, status: status)
            return status
        case .refreshFailed(let entry, let status):
            output.warn("refreshing \(quotedKey(key)) early failed (\(commandName) exited \(status)); serving the current value")
            try emit("hit", entry.value, ttlMs: entry.ttlMs, stored: false, status: status)
            return ExitCode.success.rawValue
        case .stale(let value, let status):
            if let status {
                output.warn("\(commandName) exited \(status); serving the stale copy of \(quotedKey(key))")
            } else {
                output.warn("--wait ran out while another caller computed \(quotedKey(key)); serving the stale copy")
            }
            try emit("stale", value, stored: false, status: status)
            return ExitCode.success.rawValue
        case .timedOut(let holder):
            throw Failure("--wait \(formatDuration(settings.policy.wait)) ran out before \(quotedKey(key)) was computed "
                          + "(the stampede lock is \(LockRenderer.describe(holder)))", exitCode: .timeout)
        }
    }
}

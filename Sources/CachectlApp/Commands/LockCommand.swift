import CacheOps
import CLI
import RedisClient

/// `cachectl lock acquire|release|extend|status` (`lock run` is LockRunCommand).
enum LockCommand {
    static func acquire(_ context: CommandContext) throws -> ExitCode {
        if let limit = SemaphoreCommand.limit(context) { return try SemaphoreCommand.acquire(context, limit: limit) }
        let ttl = context.options[LockOptions.ttl]
        let wait = context.options[LockOptions.wait] ?? .zero
        let owner = try self.owner(context, LockOptions.newOwner) ?? LockOwner.generate()
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        try warnIfLocksCanBeEvicted(connection, context: context)
        var backoff = LockBackoff()
        let (attempt, _) = try Locks.acquire(on: connection, keys: keys, owner: owner, ttl: ttl, wait: wait, backoff: &backoff)
        let output = context.output
        switch attempt {
        case .acquired(let token):
            let text = output.json ? LockRenderer.acquireJSON(keys, owner: owner, ttl: ttl, attempt: attempt).serialized()
                                   : quotedKey(owner)
            try LockCommandOutput.printGrant(text, key: keys.key, grant: "lock", ttl: ttl) {
                (try? Locks.release(on: connection, keys: keys, owner: owner)) == .done
            }
            output.debug("acquired \(quotedKey(keys.key)) for \(formatDuration(ttl)), fencing token \(token)")
            return .success
        case .held(let state):
            return try LockCommandOutput.refused(context, json: LockRenderer.acquireJSON(keys, owner: owner, ttl: ttl, attempt: attempt),
                                                 notice: "not acquired: \(LockRenderer.statusLine(keys, state))")
        }
    }

    static func release(_ context: CommandContext) throws -> ExitCode {
        if let limit = SemaphoreCommand.limit(context) { return try SemaphoreCommand.release(context, limit: limit) }
        let options = context.options
        if options[LockOptions.force] {
            if options.given(LockOptions.owner) { throw context.usageError("--force breaks the lock whoever holds it; leave out --owner") }
            let connection = try context.connectRouted()
            let keys = try self.keys(context, connection)
            let state = try Locks.status(on: connection, keys: keys)
            guard let holder = state.owner else {
                return try LockCommandOutput.refused(context, json: LockRenderer.ownerCheckJSON("released", keys, owner: nil,
                                                                                                outcome: .notOwner(state)),
                                                     notice: "\(quotedKey(keys.key)) is free; nothing to break")
            }
            try Confirmation.require("Break \(LockRenderer.statusLine(keys, state))?", context: context, yes: LockOptions.yes)
            // Deletes only the holder just shown: a lock that changed hands meanwhile stays.
            let outcome = try Locks.release(on: connection, keys: keys, owner: holder)
            return try report("released", keys, owner: holder, outcome: outcome, context: context,
                          done: "broke \(quotedKey(keys.key)) (was held by \(quotedKey(holder)))")
        }
        guard let owner = try self.owner(context, LockOptions.owner) else {
            throw context.usageError("'lock release' needs --owner ID (what 'lock acquire' printed), or --force")
        }
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let outcome = try Locks.release(on: connection, keys: keys, owner: owner)
        return try report("released", keys, owner: owner, outcome: outcome, context: context, done: "released \(quotedKey(keys.key))")
    }

    static func extend(_ context: CommandContext) throws -> ExitCode {
        if let limit = SemaphoreCommand.limit(context) { return try SemaphoreCommand.extend(context, limit: limit) }
        let (owner, ttl) = try LockCommandOutput.extendArguments(context)
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let outcome = try Locks.extend(on: connection, keys: keys, owner: owner, ttl: ttl)
        return try report("extended", keys, owner: owner, outcome: outcome, context: context,
                      done: "extended \(quotedKey(keys.key)): expires in \(formatDuration(ttl))",
                      extra: [("ttlMs", .int(wholeMilliseconds(ttl)))])
    }

    static func status(_ context: CommandContext) throws -> ExitCode {
        if let limit = SemaphoreCommand.limit(context) { return try SemaphoreCommand.status(context, limit: limit) }
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let state = try Locks.status(on: connection, keys: keys)
        let output = context.output
        try output.present(json: LockRenderer.statusJSON(keys, state).serialized(), text: LockRenderer.statusLine(keys, state))
        return state.isLocked ? .success : .no
    }

    // MARK: Shared by the subcommands

    private static func report(_ verb: String, _ keys: LockKeys, owner: [UInt8], outcome: OwnerCheck, context: CommandContext,
                               done: String, extra: [(String, JSONValue)] = []) throws(Failure) -> ExitCode {
        let json = { LockRenderer.ownerCheckJSON(verb, keys, owner: owner, outcome: outcome, extra: outcome == .done ? extra : []) }
        switch outcome {
        case .done:
            return try LockCommandOutput.done(context, json: json(), text: done)
        case .notOwner(let state):
            return try LockCommandOutput.refused(context, json: json(), notice: "\(quotedKey(keys.key)) is not held by \(quotedKey(owner)): "
                                                 + "it is \(LockRenderer.describe(state)); nothing was changed")
        }
    }

    /// One warning when the server's eviction policy can drop lock keys (read when the
    /// user may: INFO or CONFIG GET; silent otherwise, said with --verbose).
    static func warnIfLocksCanBeEvicted(_ connection: RoutedClient, context: CommandContext) throws {
        var facts = OptionalFacts()
        guard let risk = try EvictionRisk.read(on: connection.seed, facts: &facts) else {
            for fact in facts.unavailable { context.output.debug("eviction policy not checked: \(fact.warning)") }
            return
        }
        if risk.evictsLocks {
            context.output.warn("maxmemory-policy is \(risk.policy): a full server may evict lock keys and fencing counters, "
                                + "which breaks mutual exclusion; use noeviction on servers that hold locks")
        }
    }

    /// The lock's keys, with the connection's `--prefix` / `REDIS_KEY_PREFIX` applied.
    static func keys(_ context: CommandContext, _ connection: RoutedClient) throws -> LockKeys {
        guard let name = context.parsed.arguments.first?.bytes, !name.isEmpty else {
            throw context.usageError("the lock NAME must not be empty")
        }
        let keys = LockKeys(name: name, prefix: connection.config.keyPrefix)
        guard keys.sameSlot else {
            // On a cluster the script would be refused (CROSSSLOT); refused everywhere, so a
            // name that works on a laptop does not break in production.
            throw context.usageError("the lock name '\(quotedKey(name))' has a '{' or '}' outside a complete hash tag, "
                                     + "so its fencing counter could not share the lock's cluster slot",
                                     hint: "leave braces out of lock names, or use a whole tag such as {user1}:profile")
        }
        return keys
    }

    static func owner(_ context: CommandContext, _ option: Option<[UInt8]?>) throws -> [UInt8]? {
        guard let owner = context.options[option] else { return nil }
        guard !owner.isEmpty else { throw context.usageError("--owner must not be empty") }
        return owner
    }
}

import CacheOps
import CLI
import RedisClient

/// `cachectl lock acquire|release|extend|status NAME --holders N` for N > 1: the same
/// subcommands on a semaphore (`Semaphores`), and the grant `lock run` starts from.
enum SemaphoreCommand {
    /// `--holders`: 1 (the mutex) unless given; the parser keeps it at least 1.
    static func holders(_ context: CommandContext) -> Int {
        context.options[LockOptions.holders]
    }

    /// The holder limit when NAME is a semaphore (`--holders` above 1), nil for the mutex.
    static func limit(_ context: CommandContext) -> Int? {
        let n = holders(context)
        return n > 1 ? n : nil
    }

    /// The semaphore's keys, with the prefix; refused when they could not share a slot.
    static func keys(_ context: CommandContext, _ connection: RoutedClient) throws -> SemaphoreKeys {
        _ = try LockCommand.keys(context, connection)  // the checks a lock name gets
        let keys = SemaphoreKeys(name: context.parsed.arguments.first?.bytes ?? [], prefix: connection.config.keyPrefix)
        guard keys.sameSlot else {
            throw context.usageError("the lock name has a '{' or '}' outside a complete hash tag, so the semaphore's keys could not share a cluster slot")
        }
        return keys
    }

    static func acquire(_ context: CommandContext, limit: Int) throws -> ExitCode {
        let ttl = context.options[LockOptions.ttl]
        let wait = context.options[LockOptions.wait] ?? .zero
        let owner = try LockCommand.owner(context, LockOptions.newOwner) ?? LockOwner.generate()
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        try LockCommand.warnIfLocksCanBeEvicted(connection, context: context)
        var backoff = LockBackoff()
        let (attempt, _) = try Semaphores.acquire(on: connection, keys: keys, owner: owner, ttl: ttl, limit: limit,
                                                  wait: wait, backoff: &backoff)
        let output = context.output
        switch attempt {
        case .acquired(let token):
            let text = output.json ? SemaphoreRenderer.acquireJSON(keys, owner: owner, ttl: ttl, limit: limit, attempt: attempt).serialized()
                                   : quotedKey(owner)
            try LockCommandOutput.printGrant(text, key: keys.lock.key, grant: "lease", ttl: ttl) {
                (try? Semaphores.release(on: connection, keys: keys, owner: owner)) == .done
            }
            output.debug("acquired a lease of \(quotedKey(keys.lock.key)) for \(formatDuration(ttl)), fencing token \(token)")
            return .success
        case .full(let position, let state):
            return try LockCommandOutput.refused(context, json: SemaphoreRenderer.acquireJSON(keys, owner: owner, ttl: ttl, limit: limit, attempt: attempt),
                                                 notice: "not acquired: \(SemaphoreRenderer.notAcquired(keys, position: position, state, limit: limit))")
        }
    }

    static func release(_ context: CommandContext, limit: Int) throws -> ExitCode {
        if context.options[LockOptions.force] {
            throw context.usageError("--force breaks a mutex; a semaphore's lease is released by its owner",
                                     hint: "'lock status NAME --holders \(limit)' lists the holders; release one with --owner ID")
        }
        guard let owner = try LockCommand.owner(context, LockOptions.owner) else {
            throw context.usageError("'lock release' needs --owner ID (what 'lock acquire' printed)")
        }
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let outcome = try Semaphores.release(on: connection, keys: keys, owner: owner)
        return try report("released", keys, owner: owner, outcome: outcome, context: context,
                          done: "released a lease of \(quotedKey(keys.lock.key))")
    }

    static func extend(_ context: CommandContext, limit: Int) throws -> ExitCode {
        let (owner, ttl) = try LockCommandOutput.extendArguments(context)
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let outcome = try Semaphores.extend(on: connection, keys: keys, owner: owner, ttl: ttl)
        return try report("extended", keys, owner: owner, outcome: outcome, context: context,
                          done: "extended a lease of \(quotedKey(keys.lock.key)): expires in \(formatDuration(ttl))",
                          extra: [("ttlMs", .int(wholeMilliseconds(ttl)))])
    }

    static func status(_ context: CommandContext, limit: Int) throws -> ExitCode {
        let connection = try context.connectRouted()
        let keys = try self.keys(context, connection)
        let state = try Semaphores.status(on: connection, keys: keys)
        try context.output.present(json: SemaphoreRenderer.statusJSON(keys, state, limit: limit).serialized(),
                                   text: SemaphoreRenderer.statusText(keys, state, limit: limit))
        return state.holders.count >= limit ? .success : .no
    }

    private static func report(_ verb: String, _ keys: SemaphoreKeys, owner: [UInt8], outcome: SemaphoreCheck,
                               context: CommandContext, done: String, extra: [(String, JSONValue)] = []) throws(Failure) -> ExitCode {
        let json = { SemaphoreRenderer.ownerCheckJSON(verb, keys, owner: owner, outcome: outcome, extra: outcome == .done ? extra : []) }
        switch outcome {
        case .done:
            return try LockCommandOutput.done(context, json: json(), text: done)
        case .notOwner(let state):
            let holders = state.holders.count
            return try LockCommandOutput.refused(context, json: json(), notice: "\(quotedKey(owner)) holds no lease of \(quotedKey(keys.lock.key)) "
                                                 + "(it has \(holders) holder\(holders == 1 ? "" : "s")); nothing was changed")
        }
    }
}

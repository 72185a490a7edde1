import CacheOps
import CLI
import RedisClient

/// `cachectl ratelimit check|status|reset`.
enum RateLimitCommand {
    static func check(_ context: CommandContext) throws -> ExitCode {
        let target = try RateLimitTarget(context, requireKey: true)
        let (policy, cost) = try RateLimitTarget.policy(context, preset: target.preset)
        let connection = try context.connectRouted()
        let result = try RateLimits.check(on: connection, key: connection.config.keyPrefix + target.key, policy: policy, cost: cost)
        if result.repairedTTL {
            context.output.warn("the counter had no TTL (written by another client); it now expires with the window")
        }
        return try show(result, context)
    }

    static func status(_ context: CommandContext) throws -> ExitCode {
        let target = try RateLimitTarget(context, requireKey: false)
        guard let ip = target.ipOnly else {
            let (policy, cost) = try RateLimitTarget.policy(context, preset: target.preset)
            let connection = try context.connectRouted()
            return try show(try RateLimits.status(on: connection, key: connection.config.keyPrefix + target.key,
                                              policy: policy, cost: cost), context)
        }
        let overrides = try RateLimitTarget.overrides(context)
        let connection = try context.connectRouted()
        let statuses = try RateLimits.ipStatus(on: connection, ip: ip, prefix: connection.config.keyPrefix) { endpoint in
            overrides.applied(to: SeedRateLimits.preset(for: endpoint))
        }
        let output = context.output
        if output.json {
            try output.result(RateLimitRenderer.ipJSON(statuses).serialized())
        } else if statuses.isEmpty {
            output.notice("no rate limit counters for \(quotedKey(ip))")
        } else {
            try output.report(RateLimitRenderer.ipTable(statuses))
        }
        return statuses.allSatisfy(\.result.allowed) ? .success : .no
    }

    static func reset(_ context: CommandContext) throws -> ExitCode {
        let target = try RateLimitTarget(context, requireKey: false)
        let output = context.output
        let connection = try context.connectRouted()
        let prefix = connection.config.keyPrefix
        let keys: [[UInt8]]
        if let ip = target.ipOnly {
            // A SCAN of every primary's whole keyspace, paced like the other walks.
            BatchScheduling.enter()
            keys = try RateLimits.seedKeys(on: connection, ip: ip, prefix: prefix)
        } else {
            keys = try RateLimits.existing(on: connection, [prefix + target.key])
        }
        let dryRun = context.options[RateLimitOptions.dryRun]
        guard !keys.isEmpty else {
            if output.json { try output.result(resetJSON(0, keys, dryRun: dryRun).serialized()) }
            output.notice("nothing to reset: no such rate limit counter")
            return .no
        }
        if dryRun {
            try output.present(json: resetJSON(0, keys, dryRun: true).serialized(),
                               text: keys.map { "would reset \(quotedKey($0))" }.joined(separator: "\n"))
            return .success
        }
        let what = keys.count == 1 ? quotedKey(keys[0]) : "\(keys.count) counters (\(keys.prefix(3).map(quotedKey).joined(separator: ", "))\(keys.count > 3 ? ", ..." : ""))"
        try Confirmation.require("Reset the rate limit \(what)?", context: context, yes: RateLimitOptions.yes)
        let deleted = try RateLimits.delete(on: connection, keys: keys)
        try output.present(json: resetJSON(deleted, keys, dryRun: false).serialized(),
                           text: "reset \(deleted) rate limit counter\(deleted == 1 ? "" : "s")")
        return deleted > 0 ? .success : .no
    }

    private static func show(_ result: RateLimitResult, _ context: CommandContext) throws(Failure) -> ExitCode {
        let output = context.output
        try output.present(json: RateLimitRenderer.json(result).serialized(), text: RateLimitRenderer.line(result))
        return result.allowed ? .success : .no
    }

    private static func resetJSON(_ deleted: Int64, _ keys: [[UInt8]], dryRun: Bool) -> JSONValue {
        .object([("reset", .int(deleted)), ("dryRun", .bool(dryRun)), ("keys", .array(keys.map(jsonKeyString)))])
    }
}

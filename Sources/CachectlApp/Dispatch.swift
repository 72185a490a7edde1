import CLI

/// From the command the table parsed to the code that runs it. The `switch` is exhaustive
/// over `CommandID`, so a command added to the table without code does not compile, and
/// CLITests prove every `CommandID` sits on exactly one leaf of the table.
enum Dispatch {
    /// A raw status rather than an `ExitCode`: `lock run` and `cache fetch` pass its command's through.
    static func run(_ command: CommandID, _ context: CommandContext) throws -> Int32 {
        let code: ExitCode
        switch command {
        case .health: code = try HealthCommand.run(context)
        case .keysList: code = try KeysCommand.list(context)
        case .keysStats: code = try KeysCommand.stats(context)
        case .keysAudit: code = try KeysCommand.audit(context)
        case .keysShow: code = try KeysShowCommand.run(context)
        case .keysExpire: code = try KeysExpireCommand.run(context)
        case .invalidate: code = try InvalidateCommand.run(context)
        case .cacheGet: code = try CacheCommand.get(context)
        case .cacheSet: code = try CacheCommand.set(context)
        case .cacheFetch: return try CacheFetchCommand.run(context)  // passes its command's status through
        case .lockAcquire: code = try LockCommand.acquire(context)
        case .lockRelease: code = try LockCommand.release(context)
        case .lockExtend: code = try LockCommand.extend(context)
        case .lockStatus: code = try LockCommand.status(context)
        case .lockRun: return try LockRunCommand.run(context)
        case .ratelimitCheck: code = try RateLimitCommand.check(context)
        case .ratelimitStatus: code = try RateLimitCommand.status(context)
        case .ratelimitReset: code = try RateLimitCommand.reset(context)
        case .watch: code = try WatchCommand.run(context)
        case .sessionList: code = try SessionCommand.list(context)
        case .sessionRevoke: code = try SessionCommand.revoke(context)
        case .bench: code = try BenchCommand.run(context)
        case .acl: code = try AclCommand.run(context)
        case .completion: code = try DocsCommands.completion(context)
        case .man: code = try DocsCommands.man(context)
        }
        return code.rawValue
    }
}

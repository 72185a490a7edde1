/// Every command that runs something, one case each. A leaf of the command table names
/// its case (`id: .lockAcquire`); the executable dispatches with an exhaustive `switch`
/// over this enum, so the compiler proves every case has code, and the table test proves
/// every case is in the table exactly once.
public enum CommandID: String, Sendable, CaseIterable {
    case health
    case keysList, keysStats, keysAudit, keysShow, keysExpire
    case invalidate
    case cacheGet, cacheSet, cacheFetch
    case lockAcquire, lockRelease, lockExtend, lockStatus, lockRun
    case ratelimitCheck, ratelimitStatus, ratelimitReset
    case watch
    case sessionList, sessionRevoke
    case bench
    case acl
    case completion, man
}

extension CommandID {
    /// Whether `--json` has a document to print. The others print what is not JSON by
    /// nature (a shell script, roff, the output of the command `lock run` runs), so they
    /// refuse `--json` with a usage error rather than ignore it.
    public var printsJSON: Bool {
        switch self {
        case .completion, .man, .lockRun: return false
        default: return true
        }
    }
}

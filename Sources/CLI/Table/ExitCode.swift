/// cachectl's documented exit codes (docs/CLI.md). The man page is generated from
/// `ExitCode.documented`, so a new code is written here once (and in the README's table).
public enum ExitCode: Int32, Sendable, CaseIterable {
    case success = 0
    /// The answer is "no": threshold breached, lock not acquired, limit exceeded, audit findings.
    case no = 1
    case serverError = 2
    /// `lock run`: the lock was lost or `--max-hold` passed (default of `--lost-exit-code`).
    case lockLost = 3
    case usage = 64
    case dataError = 65
    case unavailable = 69
    case software = 70
    case ioError = 74
    case timeout = 75
    case noPermission = 77
    case config = 78
    /// `lock run`: the command exists but cannot be executed (as shells report it).
    case cannotExecute = 126
    /// `lock run`: the command was not found (as shells report it).
    case commandNotFound = 127
    case interrupted = 130
    case terminated = 143

    public var meaning: String {
        switch self {
        case .success: return "success"
        case .no: return "the answer is \"no\": a health threshold breached, a lock not acquired or not owned, a rate limit exceeded, an audit found violations, a key not found (cache get)"
        case .serverError: return "the server answered with an error reply (OOM, READONLY, WRONGTYPE, ...), printed verbatim"
        case .lockLost: return "lock run: the lock was lost or --max-hold passed, and the command was stopped (--lost-exit-code changes it)"
        case .usage: return "usage error: unknown command or option, bad value, missing --yes"
        case .dataError: return "bad input data (for example a malformed --keys-from file; cache fetch: the command's output is over --max-size)"
        case .unavailable: return "server unavailable: connection refused or lost, cluster down"
        case .software: return "internal error or protocol violation by the peer"
        case .ioError: return "local I/O error"
        case .timeout: return "timed out"
        case .noPermission: return "authentication or permission refused (WRONGPASS, NOAUTH, NOPERM)"
        case .config: return "configuration error (bad URL, unreadable certificate)"
        case .cannotExecute: return "lock run, cache fetch: the command cannot be executed"
        case .commandNotFound: return "lock run, cache fetch: the command was not found"
        case .interrupted: return "interrupted by SIGINT"
        case .terminated: return "interrupted by SIGTERM"
        }
    }

    public static var documented: [(Int32, String)] { allCases.map { ($0.rawValue, $0.meaning) } }
}

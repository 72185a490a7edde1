import CLI
import RedisClient

/// A reason to stop, carrying the one line the user sees and the documented exit code.
struct Failure: Error, Equatable {
    var message: String
    var exitCode: ExitCode
    var hint: String?
    /// The client error behind it, when there is one: a NOPERM is explained with the ACL
    /// rule that would allow it (`CommandContext.failure`).
    var cause: RedisError?
    /// Stdout refused a write: no `--json` document can follow it.
    var isStdoutFailure = false

    init(_ message: String, exitCode: ExitCode, hint: String? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.hint = hint
    }

    init(_ error: RedisError) {
        self.init(error.description, exitCode: Failure.exitCode(for: error.category))
        cause = error
    }

    init(_ error: UsageError) {
        self.init(error.message, exitCode: .usage, hint: error.hint)
    }

    static func exitCode(for category: RedisErrorCategory) -> ExitCode {
        switch category {
        case .configuration: return .config
        case .unavailable: return .unavailable
        case .timeout: return .timeout
        case .authentication: return .noPermission
        case .server: return .serverError
        case .protocolViolation: return .software
        case .io: return .ioError
        case .tlsVerification: return .noPermission
        }
    }

    /// The single stderr line (`cachectl: error: …`), plus a hint line when useful.
    /// Every failure passes here, so this is where text a server chose (an error reply) has
    /// its control characters escaped: one line, and no escape sequence reaches the terminal.
    var rendered: String {
        var s = "cachectl: error: \(escapingControlCharacters(message))\n"
        if let hint { s += "cachectl: hint: \(escapingControlCharacters(hint))\n" }
        return s
    }
}

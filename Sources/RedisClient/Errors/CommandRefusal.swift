/// Why a server would not run a command for us at all, as opposed to running it and failing.
///
/// Least-privilege ACL users, `rename-command` and managed services (ElastiCache, Memorystore,
/// Upstash, Azure) refuse admin commands in a few shapes; an optional fact refused this way
/// becomes `n/a` instead of failing the whole command.
public enum CommandRefusal: Sendable, Equatable {
    /// NOPERM: the ACL user may not run the command (or touch that key or channel).
    case noPermission
    /// The command does not exist here: renamed, disabled by the provider, or too new.
    case unknownCommand
    /// The server knows the command but will not run it in this configuration
    /// (a provider's "not allowed"/"disabled" reply).
    case disabled

    /// A short phrase for warnings: "not permitted for this ACL user".
    public var phrase: String {
        switch self {
        case .noPermission: return "not permitted for this ACL user"
        case .unknownCommand: return "unknown to this server (renamed or disabled)"
        case .disabled: return "disabled on this server"
        }
    }
}

extension RedisError {
    /// The refusal this error stands for, or nil when the command ran and failed (or the
    /// connection did). Only error replies can be refusals.
    public var refusal: CommandRefusal? {
        switch self {
        case .permissionDenied:
            return .noPermission
        case .server(let text):
            return Self.refusal(inReply: text)
        default:
            return nil
        }
    }

    /// Classifies an error reply's text. Kept to the shapes servers actually send, so that a
    /// real failure (WRONGTYPE, OOM, READONLY) is never mistaken for a refusal.
    static func refusal(inReply text: String) -> CommandRefusal? {
        let lower = text.lowercased()
        if lower.hasPrefix("noperm") { return .noPermission }
        if lower.hasPrefix("err unknown command") || lower.hasPrefix("err unknown subcommand")
            || lower.hasPrefix("err unknown or disabled command") {
            return .unknownCommand
        }
        if lower.hasPrefix("err command is not allowed") || lower.hasPrefix("err command not allowed")
            || lower.contains("command is disabled") || lower.hasPrefix("err command is not available") {
            return .disabled
        }
        return nil
    }
}

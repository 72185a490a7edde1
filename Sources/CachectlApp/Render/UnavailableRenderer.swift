import CacheOps
import CLI
import RedisClient

/// The one way every command reports optional facts it could not get: a warning line each
/// on stderr, and in `--json` documents a `warnings` array and an `unavailable` list.
enum UnavailableRenderer {
    /// `{"command":"INFO","reason":"noPermission","reply":"NOPERM …"}` entries.
    static func json(_ facts: OptionalFacts) -> JSONValue {
        .array(facts.unavailable.map { f in
            .object([("command", .string(f.command)), ("provides", .string(f.provides)),
                     ("reason", .string(reasonName(f.refusal))), ("reply", .string(f.reply))])
        })
    }

    static func warnings(_ facts: OptionalFacts) -> [String] {
        facts.unavailable.map(\.warning)
    }

    static func reasonName(_ refusal: CommandRefusal) -> String {
        switch refusal {
        case .noPermission: return "noPermission"
        case .unknownCommand: return "unknownCommand"
        case .disabled: return "disabled"
        }
    }
}

extension Output {
    /// One warning per unavailable fact (stderr; `--quiet` silences it like every warning).
    func warnUnavailable(_ facts: OptionalFacts) {
        for line in UnavailableRenderer.warnings(facts) { warn(line) }
    }
}

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

    /// The unreadable keys' warning, nil when there were none.
    static func unreadable(_ outcome: KeyScanOutcome) -> String? {
        let n = outcome.unreadable
        guard n > 0 else { return nil }
        return "\(n) key\(n == 1 ? "" : "s") skipped: the ACL user may not read \(n == 1 ? "it" : "them") (outside its key patterns); "
            + "--prefix or a narrower pattern avoids them"
    }

    /// The warnings of a key walk, refused commands and unreadable keys alike.
    static func warnings(_ outcome: KeyScanOutcome) -> [String] {
        warnings(outcome.unavailable) + (unreadable(outcome).map { [$0] } ?? [])
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

    /// What a key walk could not get: refused commands, and the keys outside the ACL
    /// user's key patterns, which SCAN lists but reading refuses.
    func warnUnavailable(_ outcome: KeyScanOutcome) {
        for line in UnavailableRenderer.warnings(outcome) { warn(line) }
    }
}

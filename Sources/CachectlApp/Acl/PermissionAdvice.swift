import CacheOps
import RedisClient

/// Turns a NOPERM on a command cachectl cannot do without into the ACL rule that would
/// allow it: "the ACL user needs +unlink (or +del) and ~app:*".
struct PermissionAdvice {
    /// The subcommand that ran (`invalidate`), for its key namespaces.
    var subcommand: String
    var prefix: [UInt8]
    /// Patterns the user gave (`keys list 'app:*'`), used when there is no prefix.
    var patterns: [[UInt8]]
    var channel: [UInt8]?
    /// Every channel the command uses (watch's), when more than one may be the refused one.
    var channels: [[UInt8]] = []

    /// The server's reply followed by the advice.
    func explain(_ reply: String) -> String {
        let lower = reply.lowercased()
        let keys = keyRule
        if lower.contains("channel") {
            let named = channels.isEmpty ? channel.map { [$0] } ?? [] : channels
            let rule = named.isEmpty ? "a & rule for the channel"
                : named.map { "&" + String(decoding: GlobPattern.escape($0), as: UTF8.self) }.joined(separator: " ")
            return "\(reply): the ACL user needs \(rule)"
        }
        if lower.contains("the user executing the script can't run") || lower.contains("acl failure in script") {
            let commands = AclRequirements.of(subcommand)?.core.map { "+" + $0 }.joined(separator: " ") ?? "the script's commands"
            return "\(reply): the ACL user needs every command cachectl's scripts run: \(commands) and \(keys)"
        }
        if lower.contains("key") {
            return "\(reply): the ACL user needs \(keys) (every key cachectl touches starts with --prefix)"
        }
        guard let command = Self.commandName(in: reply) else {
            return "\(reply): see 'cachectl acl \(subcommand)' for the rules this command needs"
        }
        var rule = "+" + command
        let others = AclRequirements.alternatives(of: command.split(separator: "|").first.map(String.init) ?? command)
        if !others.isEmpty { rule += " (or " + others.map { "+" + $0 }.joined(separator: ", ") + ")" }
        return "\(reply): the ACL user needs \(rule) and \(keys); 'cachectl acl \(subcommand)' prints the whole rule"
    }

    /// `~app:*` from the prefix, else from the patterns given, else the subcommand's own
    /// namespaces (`~lock:* ~fence:*`).
    var keyRule: String {
        if !prefix.isEmpty { return "~" + String(decoding: GlobPattern.escape(prefix), as: UTF8.self) + "*" }
        if !patterns.isEmpty { return patterns.map { "~" + String(decoding: $0, as: UTF8.self) }.joined(separator: " ") }
        if let ns = AclRequirements.of(subcommand)?.namespaces, !ns.isEmpty {
            return ns.map { "~" + $0 }.joined(separator: " ")
        }
        return "a ~pattern covering the keys (give --prefix to scope them)"
    }

    /// `'unlink'` or `'config|get'` out of "NOPERM this user has no permissions to run the
    /// 'unlink' command".
    static func commandName(in reply: String) -> String? {
        guard let open = reply.firstIndex(of: "'") else { return nil }
        let rest = reply[reply.index(after: open)...]
        guard let close = rest.firstIndex(of: "'") else { return nil }
        let name = rest[..<close].lowercased()
        return name.isEmpty ? nil : name
    }
}

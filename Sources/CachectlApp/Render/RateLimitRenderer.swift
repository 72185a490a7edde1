import CacheOps
import CLI

/// Rate-limit answers as one line for people, and for scripts in the shapes applications
/// already read: `{allowed, remaining, resetIn, total, limit}` for a check, and
/// `{endpoint: {current, limit, resetIn}}` for an IP's status (their `getIpStatus`).
enum RateLimitRenderer {
    static func json(_ r: RateLimitResult) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("allowed", .bool(r.allowed)),
            ("remaining", .int(r.remaining)),
            ("resetIn", r.resetInSeconds.map { .int($0) } ?? .null),
            ("total", .int(r.total)),
            ("limit", .int(r.limit)),
        ]
        if let retry = r.retryAfterMs { members.append(("retryAfterMs", .int(retry))) }
        return .object(members)
    }

    /// `allowed: 4 of 5 left, resets in 55s` / `denied: 0 of 5 left, retry in 1.2s, resets in 55s`;
    /// the reset in whole seconds rounded up, as `resetIn`.
    static func line(_ r: RateLimitResult) -> String {
        var s = "\(r.allowed ? "allowed" : "denied"): \(r.remaining) of \(r.limit) left"
        if let retry = r.retryAfterMs { s += ", retry in \(formatDuration(.milliseconds(retry)))" }
        if let reset = r.resetInSeconds {
            if reset > 0 { s += ", resets in \(formatDuration(.seconds(reset)))" }
        } else {
            s += ", the counter has no TTL"
        }
        return s
    }

    static func ipJSON(_ statuses: [EndpointLimitStatus]) -> JSONValue {
        .object(statuses.map { s in
            (String(decoding: s.endpoint, as: UTF8.self), .object([
                ("current", .int(s.result.total)),
                ("limit", .int(s.result.limit)),
                ("resetIn", s.result.resetInSeconds.map { .int($0) } ?? .null),
                ("remaining", .int(s.result.remaining)),
                ("key", .string(quotedKey(s.key))),
            ]))
        })
    }

    static func ipTable(_ statuses: [EndpointLimitStatus]) -> String {
        var table = TextTable(columns: [TextTable.Column("ENDPOINT"), TextTable.Column("CURRENT", alignment: .right),
                                        TextTable.Column("LIMIT", alignment: .right), TextTable.Column("REMAINING", alignment: .right),
                                        TextTable.Column("RESET IN", alignment: .right), TextTable.Column("KEY")])
        for s in statuses {
            let reset = s.result.resetInSeconds.map { formatDuration(.seconds($0)) } ?? "no TTL"
            table.addRow([quotedKey(s.endpoint), "\(s.result.total)", "\(s.result.limit)", "\(s.result.remaining)", reset,
                          quotedKey(s.key)])
        }
        return table.render()
    }
}

import RESP

/// One SLOWLOG GET entry. Only the command's name is kept: arguments can hold keys,
/// values or secrets (`AUTH`, `CONFIG SET requirepass`), so everything past the first
/// word is reduced to a count.
public struct SlowlogEntry: Sendable, Equatable {
    public var id: Int64
    /// Unix time in seconds when the command ran.
    public var timestamp: Int64
    public var durationMicros: Int64
    /// The command's first word, upper-cased (`KEYS`, `EVALSHA`).
    public var command: String
    /// How many arguments followed it (not shown).
    public var redactedArguments: Int
    /// The client's `ip:port`, when the server says (Redis 4+).
    public var client: String?

    /// Parses a `SLOWLOG GET` reply, slowest first (the most recent first among equals);
    /// entries that do not have the documented shape are skipped rather than guessed at.
    public static func parse(_ reply: RESPValue) -> [SlowlogEntry] {
        guard let entries = reply.elements else { return [] }
        return entries.compactMap { entry in
            guard let f = entry.elements, f.count >= 4, let id = f[0].int, let ts = f[1].int, let us = f[2].int,
                  let args = f[3].elements else { return nil }
            let name = args.first?.bytes.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? "?"
            // Redis itself shortens long argument lists to "... (N more arguments)".
            var count = max(0, args.count - 1)
            if let last = args.last?.bytes.map({ String(decoding: $0, as: UTF8.self) }), last.hasPrefix("... ("),
               let more = last.dropFirst(5).split(separator: " ").first.flatMap({ Int($0) }) {
                count = count.saturatingAdd(max(0, more).saturatingAdd(-1))
            }
            let client = f.count > 4 ? f[4].bytes.map { String(decoding: $0, as: UTF8.self) } : nil
            return SlowlogEntry(id: id, timestamp: ts, durationMicros: us, command: name, redactedArguments: count,
                                client: client?.isEmpty == true ? nil : client)
        }.sorted { $0.durationMicros != $1.durationMicros ? $0.durationMicros > $1.durationMicros : $0.id > $1.id }
    }
}

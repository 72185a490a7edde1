import CacheOps
import CLI

/// Output of `session list|revoke` and the events `session revoke` publishes.
enum SessionRenderer {
    // MARK: list

    static func table(_ l: SessionListing) -> String {
        var table = TextTable(columns: [TextTable.Column("SESSION"), TextTable.Column("TTL", alignment: .right),
                                        TextTable.Column("KEY")])
        for s in l.sessions { table.addRow([quotedKey(s.id), ttlText(s), quotedKey(s.key)]) }
        return table.render()
    }

    private static func ttlText(_ s: SessionEntry) -> String {
        guard s.exists else { return "gone" }
        guard let ms = s.ttlMs else { return "no TTL" }
        return formatDuration(.milliseconds(ms))
    }

    /// `{"userId":"7","index":"session:user:7","sessions":[{"sessionId":…,"key":…,
    /// "exists":true,"ttlMs":…}]}`; `ttlMs` is null for a key without TTL or a gone one.
    static func json(_ l: SessionListing) -> JSONValue {
        var doc: [(String, JSONValue)] = jsonKeyFields(l.user, name: "userId")
        doc += jsonKeyFields(l.indexKey, name: "index")
        doc.append(("sessions", .array(l.sessions.map { s in
            var o = jsonKeyFields(s.id, name: "sessionId") + jsonKeyFields(s.key, name: "key")
            o.append(("exists", .bool(s.exists)))
            o.append(("ttlMs", s.exists ? s.ttlMs.map { .int($0) } ?? .null : .null))
            return .object(o)
        })))
        return .object(doc)
    }

    // MARK: revoke

    static func revokeTable(_ r: SessionRevocation, user: [UInt8]?) -> String {
        var rows: [[String]] = []
        let whose = user.map { " of user \(quotedKey($0))" } ?? ""
        let sessions = "\(r.matched) session\(plural(r.matched))\(whose)"
        if r.dryRun {
            rows.append(["dry run", "nothing was revoked"])
            rows.append(["would revoke", "\(sessions), \(r.deleted) still live"])
        } else {
            rows.append(["revoked", "\(sessions), \(r.deleted) key\(plural(r.deleted)) deleted"])
        }
        for index in r.indexesDeleted { rows.append(["index", "\(quotedKey(index)) deleted (empty)"]) }
        if r.interrupted {
            rows.append(["stopped", "interrupted; run again to finish"])
        } else if r.remaining > 0 {
            rows.append(["remaining", "\(r.remaining) session\(plural(r.remaining)) added while revoking; run again to revoke them"])
        }
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        var text = table.render()
        if r.dryRun && !r.sample.isEmpty {
            text += "keys:\n" + r.sample.map { "  " + quotedKey($0) + "\n" }.joined()
        }
        return text
    }

    /// `{dryRun, userId, sessions, deleted (live in a dry run), indexesDeleted, remaining}`,
    /// with `sessionIds` when sessions were named and `sample` (the keys) in a dry run.
    static func revokeJSON(_ r: SessionRevocation, user: [UInt8]?, failure: Failure? = nil,
                           exitCode: ExitCode = .success) -> JSONValue {
        var doc: [(String, JSONValue)] = [("dryRun", .bool(r.dryRun))]
        doc += user.map { jsonKeyFields($0, name: "userId") } ?? [("userId", .null)]
        if !r.sessionIds.isEmpty { doc.append(("sessionIds", .array(r.sessionIds.map(jsonKeyString)))) }
        doc.append(("sessions", .int(Int64(r.matched))))
        doc.append((r.dryRun ? "live" : "deleted", .int(Int64(r.deleted))))
        doc.append(("indexesDeleted", .array(r.indexesDeleted.map(jsonKeyString))))
        doc.append(("remaining", .int(Int64(r.remaining))))
        if r.dryRun && r.sessionIds.isEmpty { doc.append(("sample", .array(r.sample.map(jsonKeyString)))) }
        if r.interrupted { doc.append(("interrupted", .bool(true))) }
        doc += FailureJSON.outcome(failure, exitCode: exitCode)
        return .object(doc)
    }

    private static func plural(_ n: Int) -> String { n == 1 ? "" : "s" }

    // MARK: events

    /// The events applications send: `{"type":"user","userId":123}` for a user's sessions
    /// (a number when the id is a plain integer, as they send it; a string otherwise) and
    /// `{"type":"session","sessionId":"…"}` for each named session.
    static func userEvent(_ user: [UInt8]) -> JSONValue {
        ["type": "user", "userId": idValue(user)]
    }

    static func sessionEvent(_ id: [UInt8]) -> JSONValue {
        ["type": "session", "sessionId": jsonKeyString(id)]
    }

    static func idValue(_ id: [UInt8]) -> JSONValue {
        let digits = id.first == UInt8(ascii: "-") ? id.dropFirst() : id[...]
        let canonical = !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
            && (digits.count == 1 || digits.first != UInt8(ascii: "0"))
        if canonical, let n = Int64(String(decoding: id, as: UTF8.self)), !(n == 0 && id.first == UInt8(ascii: "-")) {
            return .int(n)
        }
        return jsonKeyString(id)
    }
}

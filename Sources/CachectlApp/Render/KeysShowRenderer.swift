import CacheOps
import CLI

/// `keys show`: one block per key for people, one object per key (NDJSON) for scripts.
/// Keys, fields and values are quoted as `keys list` quotes keys whenever they are not
/// printable text, so nothing a value holds can reach the terminal raw.
enum KeysShowRenderer {
    static func text(_ d: KeyDetails) -> String {
        var rows: [[String]] = [
            ["key", quotedKey(d.key)],
            ["type", d.type],
            ["ttl", d.expiry == .never ? "none" : KeysRenderer.ttlText(d.expiry)],
            ["encoding", d.encoding ?? "n/a"],
            ["memory", d.memoryBytes.map { formatBytes(Int($0)) } ?? "n/a"],
        ]
        if let length = d.length { rows.append(["length", "\(length) \(unit(d.type, length))"]) }
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        var out = table.render()
        let shown = d.preview.count
        if d.preview != .none {
            out += d.truncated ? "value (first \(shown) of \(d.length ?? 0) \(unit(d.type, d.length ?? 0))):\n" : "value:\n"
        }
        switch d.preview {
        case .string(let bytes):
            if !d.truncated, let json = JSONValue.parse(bytes), isContainer(json) {
                out += indent(json.serialized(pretty: true))
            } else {
                out += "  " + quotedKey(bytes) + (d.truncated ? " …" : "") + "\n"
            }
        case .hash(let pairs):
            var t = TextTable(alignments: [.left, .left])
            for p in pairs { t.addRow(["  " + quotedKey(p.field), quotedKey(p.value)]) }
            out += t.render()
        case .set(let members), .list(let members):
            for (i, m) in members.enumerated() { out += d.type == "list" ? "  \(i)  \(quotedKey(m))\n" : "  \(quotedKey(m))\n" }
        case .zset(let members):
            var t = TextTable(alignments: [.left, .left])
            for m in members { t.addRow(["  " + quotedKey(m.member), formatScore(m.score)]) }
            out += t.render()
        case .stream(let entries):
            for e in entries {
                out += "  " + quotedKey(e.id) + "  " + e.fields.map { quotedKey($0.field) + "=" + quotedKey($0.value) }.joined(separator: " ") + "\n"
            }
        case .none:
            break
        }
        return out
    }

    static func json(_ d: KeyDetails) -> JSONValue {
        var fields = jsonKeyFields(d.key)
        fields.append(("exists", true))
        fields.append(("type", .string(d.type)))
        fields.append(("ttlMs", KeysRenderer.ttlJSON(d.expiry)))
        fields.append(("encoding", d.encoding.map(JSONValue.string) ?? .null))
        fields.append(("memoryBytes", d.memoryBytes.map(JSONValue.int) ?? .null))
        fields.append(("length", d.length.map(JSONValue.int) ?? .null))
        fields.append(("truncated", .bool(d.truncated)))
        switch d.preview {
        case .string(let bytes):
            fields += jsonKeyFields(bytes, name: "value")
            if !d.truncated, let parsed = JSONValue.parse(bytes) { fields.append(("json", parsed)) }
        case .hash(let pairs):
            fields.append(("items", .array(pairs.map { .object(jsonKeyFields($0.field, name: "field") + jsonKeyFields($0.value, name: "value")) })))
        case .set(let members), .list(let members):
            fields.append(("items", .array(members.map { .object(jsonKeyFields($0, name: "value")) })))
        case .zset(let members):
            fields.append(("items", .array(members.map { .object(jsonKeyFields($0.member, name: "member") + [("score", .double($0.score))]) })))
        case .stream(let entries):
            fields.append(("items", .array(entries.map { e in
                .object(jsonKeyFields(e.id, name: "id")
                        + [("fields", .array(e.fields.map { .object(jsonKeyFields($0.field, name: "field") + jsonKeyFields($0.value, name: "value")) }))])
            })))
        case .none:
            break
        }
        return .object(fields)
    }

    static func missingJSON(_ key: [UInt8]) -> JSONValue {
        .object(jsonKeyFields(key) + [("exists", false)])
    }

    private static func unit(_ type: String, _ n: Int64) -> String {
        let word: String
        switch type {
        case "string": word = "byte"
        case "hash": word = "field"
        case "set", "zset": word = "member"
        case "list": word = "element"
        case "stream": word = "entry"
        default: word = "item"
        }
        if n == 1 { return word }
        return word == "entry" ? "entries" : word + "s"
    }

    private static func isContainer(_ v: JSONValue) -> Bool {
        switch v {
        case .object, .array: return true
        default: return false
        }
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    private static func formatScore(_ s: Double) -> String {
        if s == s.rounded(), abs(s) < 1e15 { return String(Int64(s)) }
        return s.description
    }
}

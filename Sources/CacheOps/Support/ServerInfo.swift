/// The `INFO` reply as fields, with typed accessors for the numbers health needs.
///
/// Kept separate from the health check so that other operations (keys stats, bench
/// preflight) read INFO the same way.
public struct ServerInfo: Sendable, Equatable {
    /// `field → value` across every section; INFO field names are unique across sections.
    public private(set) var fields: [String: String] = [:]
    /// `db0 → [keys: 12, expires: 3, avg_ttl: 0]`
    public private(set) var keyspace: [KeyspaceEntry] = []
    /// The sections the reply held, lower-cased (`memory`, `keyspace`): an ACL may allow
    /// some and refuse others.
    public private(set) var sections: Set<String> = []

    public init(_ text: String) {
        var inKeyspace = false
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            if line.hasPrefix("#") {
                let name = line.dropFirst().trimmingLeadingSpaces()
                inKeyspace = name == "Keyspace"
                sections.insert(name.lowercased())
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            fields[key] = value
            if inKeyspace, key.hasPrefix("db"), let db = Int(key.dropFirst(2)) {
                var parts: [Substring: Int64] = [:]
                for item in value.split(separator: ",") {
                    let kv = item.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, let n = Int64(kv[1]) { parts[kv[0]] = n }
                }
                keyspace.append(KeyspaceEntry(database: db, keys: parts["keys"] ?? 0, expires: parts["expires"] ?? 0,
                                              averageTTLMs: parts["avg_ttl"] ?? 0))
            }
        }
        keyspace.sort { $0.database < $1.database }
    }

    public subscript(_ field: String) -> String? { fields[field] }

    public func int(_ field: String) -> Int64? { fields[field].flatMap { Int64($0) } }

    public func double(_ field: String) -> Double? { fields[field].flatMap { Double($0) } }
}

/// One `dbN:keys=…,expires=…,avg_ttl=…` line of INFO keyspace.
public struct KeyspaceEntry: Sendable, Equatable {
    public var database: Int
    public var keys: Int64
    public var expires: Int64
    public var averageTTLMs: Int64
}

extension Substring {
    fileprivate func trimmingLeadingSpaces() -> Substring { drop { $0 == " " } }
}

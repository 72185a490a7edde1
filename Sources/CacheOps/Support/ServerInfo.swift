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

    /// Walks the reply's UTF-8 bytes: splitting by Character (grapheme breaking) cost
    /// ~4 million instructions for a 5 KB INFO, most of a `health` run's CPU time.
    public init(_ text: String) {
        let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var inKeyspace = false
        for rawLine in text.utf8.split(separator: newline) {
            let line = rawLine.last == carriageReturn ? rawLine.dropLast() : rawLine
            if line.first == UInt8(ascii: "#") {
                let name = String(Substring(line.dropFirst().drop { $0 == UInt8(ascii: " ") }))
                inKeyspace = name == "Keyspace"
                sections.insert(name.lowercased())
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = String(Substring(line[..<colon]))
            let value = String(Substring(line[line.index(after: colon)...]))
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

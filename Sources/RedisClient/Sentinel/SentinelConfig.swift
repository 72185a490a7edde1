/// Where to ask for the current primary: the sentinels and the name they monitor it under.
public struct SentinelConfig: Sendable, Equatable {
    public var sentinels: [Endpoint]
    public var masterName: String

    public init(sentinels: [Endpoint], masterName: String) {
        self.sentinels = sentinels
        self.masterName = masterName
    }

    /// Parses `host:port[,host:port…]` (IPv6 as `[::1]:26379`; the port defaults to 26379).
    public static func parseAddresses(_ text: String) throws(RedisError) -> [Endpoint] {
        var result: [Endpoint] = []
        for item in text.split(separator: ",") {
            let s = item.trimmingSpaces
            guard !s.isEmpty else { continue }
            var host = Substring(s)
            var port = 26379
            if s.hasPrefix("[") {
                guard let close = s.firstIndex(of: "]") else { throw .invalidConfiguration("--sentinel: unclosed '[' in '\(s)'") }
                host = s[s.index(after: s.startIndex)..<close]
                let rest = s[s.index(after: close)...]
                if rest.hasPrefix(":") {
                    guard let p = Int(rest.dropFirst()), (1...65535).contains(p) else { throw .invalidConfiguration("--sentinel: bad port in '\(s)'") }
                    port = p
                }
            } else if let colon = s.lastIndex(of: ":") {
                host = s[..<colon]
                guard let p = Int(s[s.index(after: colon)...]), (1...65535).contains(p) else {
                    throw .invalidConfiguration("--sentinel: bad port in '\(s)'")
                }
                port = p
            }
            guard !host.isEmpty else { throw .invalidConfiguration("--sentinel: missing host in '\(s)'") }
            result.append(.tcp(host: String(host), port: port))
        }
        guard !result.isEmpty else { throw .invalidConfiguration("--sentinel needs at least one HOST:PORT") }
        return result
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        drop { $0 == " " }.reversed().drop { $0 == " " }.reversed().reduce(into: Substring()) { $0.append($1) }
    }
}

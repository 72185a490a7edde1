/// The parts a connection URL sets; absent parts leave lower-precedence settings in force.
///
/// Forms: `redis://[[user][:password]@]host[:port][/db]`, `rediss://…` (TLS),
/// `unix:///path/redis.sock[?db=N]`; IPv6 hosts as `[::1]`; user and password may be
/// percent-encoded.
public struct RedisURL: Sendable, Equatable {
    public var endpoint: Endpoint?
    public var host: String?
    public var port: Int?
    public var database: Int?
    public var username: String?
    public var password: String?
    public var tls: Bool

    public init(endpoint: Endpoint? = nil, host: String? = nil, port: Int? = nil, database: Int? = nil,
                username: String? = nil, password: String? = nil, tls: Bool = false) {
        self.endpoint = endpoint
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
    }

    public static func parse(_ text: String) throws(RedisError) -> RedisURL {
        func bad(_ why: String) -> RedisError {
            .invalidConfiguration("invalid URL '\(redact(text))': \(why)")
        }
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw bad("expected redis://, rediss:// or unix://")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(text[schemeEnd.upperBound...])
        var result = RedisURL()

        // User info first, up to the last '@': a password may hold '/', '?' or '#'.
        var userinfo: Substring?
        if scheme == "redis" || scheme == "rediss", let at = rest.lastIndex(of: "@") {
            userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }

        // Then the query: it may follow either form.
        var query: [(String, String)] = []
        if let q = rest.firstIndex(of: "?") {
            for item in rest[rest.index(after: q)...].split(separator: "&") where !item.isEmpty {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((String(kv[0]), kv.count > 1 ? String(kv[1]) : ""))
            }
            rest = rest[..<q]
        }

        switch scheme {
        case "unix":
            let path = try percentDecode(rest, or: bad("bad percent-encoding in the path"))
            guard path.hasPrefix("/") else { throw bad("a unix socket URL needs an absolute path: unix:///path/redis.sock") }
            result.endpoint = .unix(path: path)
        case "redis", "rediss":
            result.tls = scheme == "rediss"
            if let userinfo {
                if let colon = userinfo.firstIndex(of: ":") {
                    let user = try percentDecode(userinfo[..<colon], or: bad("bad percent-encoding in the user name"))
                    result.username = user.isEmpty ? nil : user
                    result.password = try percentDecode(userinfo[userinfo.index(after: colon)...],
                                                        or: bad("bad percent-encoding in the password"))
                } else {
                    let user = try percentDecode(userinfo, or: bad("bad percent-encoding in the user name"))
                    result.username = user.isEmpty ? nil : user
                }
            }
            var authority = rest
            if let slash = rest.firstIndex(of: "/") {
                authority = rest[..<slash]
                let dbText = rest[rest.index(after: slash)...]
                if !dbText.isEmpty {
                    guard let db = Int(dbText), db >= 0 else { throw bad("the database must be a number, not '\(dbText)'") }
                    result.database = db
                }
            }
            var hostPart = authority
            var portPart: Substring?
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { throw bad("unclosed '[' in an IPv6 address") }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty { throw bad("unexpected '\(after)' after the IPv6 address") }
            } else if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            }
            if !hostPart.isEmpty { result.host = String(hostPart) }
            if let p = portPart {
                guard let port = Int(p), (1...65535).contains(port) else { throw bad("the port must be a number from 1 to 65535, not '\(p)'") }
                result.port = port
            }
        default:
            throw bad("unknown scheme '\(scheme)'; expected redis://, rediss:// or unix://")
        }

        for (key, value) in query {
            switch key {
            case "db":
                guard let db = Int(value), db >= 0 else { throw bad("the database must be a number, not '\(value)'") }
                result.database = db
            default:
                throw bad("unknown URL parameter '\(key)'")
            }
        }
        return result
    }

    /// `text` with any password (or a lone user-info part, which some write as a password)
    /// replaced by `***`: safe for error messages and logs.
    ///
    /// Whatever the shape: without a scheme (`default:s3cret@host:6379`, `redis:/u:p@h`)
    /// everything before the last '@' is taken as user info too, and text with neither a
    /// scheme nor an '@' is shown only when it reads as a plain `host:port[/db]`, since
    /// anything else may be a password pasted in the wrong place.
    public static func redact(_ text: String) -> String {
        let head: Substring
        let afterScheme: Substring
        if let schemeEnd = text.firstRange(of: "://") {
            head = text[..<schemeEnd.upperBound]
            afterScheme = text[schemeEnd.upperBound...]
        } else {
            head = ""
            afterScheme = text[...]
        }
        // As in `parse`: everything up to the last '@' is user info, whatever it holds.
        guard let at = afterScheme.lastIndex(of: "@") else {
            return head.isEmpty && !looksLikeHostAndPort(text) ? "***" : text
        }
        let userinfo = afterScheme[..<at]
        let redactedInfo: String
        if let colon = userinfo.firstIndex(of: ":") {
            redactedInfo = String(userinfo[..<colon]) + ":***"
        } else {
            redactedInfo = "***"
        }
        return String(head) + redactedInfo + String(afterScheme[at...])
    }

    /// `cache.internal:6379`, `[::1]:6379/2`: nothing that could be a secret.
    static func looksLikeHostAndPort(_ text: String) -> Bool {
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        var hostPart = Substring(text)
        if let slash = hostPart.firstIndex(of: "/") {
            guard hostPart[hostPart.index(after: slash)...].allSatisfy(isDigit) else { return false }
            hostPart = hostPart[..<slash]
        }
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { return false }
            let port = hostPart[hostPart.index(after: close)...]
            return hostPart[..<close].dropFirst().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
                && (port.isEmpty || (port.hasPrefix(":") && port.dropFirst().allSatisfy(isDigit)))
        }
        // A bare word could be a password as well as a host: only host:port is shown.
        guard let colon = hostPart.lastIndex(of: ":"), hostPart[hostPart.index(after: colon)...].allSatisfy(isDigit)
        else { return false }
        hostPart = hostPart[..<colon]
        return !hostPart.isEmpty && hostPart.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }
    }

    private static func percentDecode(_ s: Substring, or error: RedisError) throws(RedisError) -> String {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                guard bytes.count >= 2, let hi = hexValue(bytes[bytes.startIndex]),
                      let lo = hexValue(bytes[bytes.startIndex + 1]) else { throw error }
                out.append(hi << 4 | lo)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A Redis glob (`*`, `?`, `[a-z]`, `[^x]`, `\*`) matched the way the server's
/// `stringmatchlen` does it, byte for byte, so a client-side check (`keys audit
/// --namespace`) agrees with what `SCAN MATCH` would return.
public struct GlobPattern: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// True for `*`, `**`, …: a pattern that matches every key, which `invalidate` only
    /// runs with `--force`.
    public var matchesEverything: Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 == star }
    }

    public func matches(_ key: [UInt8]) -> Bool {
        // SCAN and KEYS skip matching for a lone `*`, so it matches even the empty key,
        // which `stringmatchlen` itself would not.
        if bytes == [star] { return true }
        var skipLonger = false
        return bytes.withUnsafeBufferPointer { p in
            key.withUnsafeBufferPointer { s in
                Self.match(p, 0, s, 0, &skipLonger)
            }
        }
    }

    /// `literal` with every glob metacharacter escaped, so it matches only itself: a key
    /// prefix such as `app[1]:` must not turn into a character class when prepended.
    public static func escape(_ literal: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(literal.count)
        for b in literal {
            if b == star || b == question || b == open || b == close || b == backslash { out.append(backslash) }
            out.append(b)
        }
        return out
    }

    /// A port of Redis's `stringmatchlen_impl`; `skipLonger` is its guard against
    /// exponential backtracking on patterns such as `*a*a*a*b`.
    private static func match(_ p: UnsafeBufferPointer<UInt8>, _ pStart: Int, _ s: UnsafeBufferPointer<UInt8>,
                              _ sStart: Int, _ skipLonger: inout Bool) -> Bool {
        var pi = pStart, si = sStart
        while pi < p.count && si < s.count {
            switch p[pi] {
            case star:
                while pi + 1 < p.count && p[pi + 1] == star { pi += 1 }
                if pi + 1 == p.count { return true }
                while si < s.count {
                    if match(p, pi + 1, s, si, &skipLonger) { return true }
                    if skipLonger { return false }
                    si += 1
                }
                skipLonger = true
                return false
            case question:
                si += 1
            case open:
                pi += 1
                let negate = pi < p.count && p[pi] == caret
                if negate { pi += 1 }
                var matched = false
                let c = s[si]
                while true {
                    if pi < p.count && p[pi] == backslash && p.count - pi >= 2 {
                        pi += 1
                        if p[pi] == c { matched = true }
                    } else if pi < p.count && p[pi] == close {
                        break
                    } else if pi >= p.count {
                        pi -= 1  // unterminated class: the loop end below steps past the last byte
                        break
                    } else if p.count - pi >= 3 && p[pi + 1] == dash {
                        let lo = min(p[pi], p[pi + 2]), hi = max(p[pi], p[pi + 2])
                        if c >= lo && c <= hi { matched = true }
                        pi += 2
                    } else if p[pi] == c {
                        matched = true
                    }
                    pi += 1
                }
                if negate { matched.toggle() }
                if !matched { return false }
                si += 1
            default:
                if p[pi] == backslash && p.count - pi >= 2 { pi += 1 }
                if p[pi] != s[si] { return false }
                si += 1
            }
            pi += 1
            if si == s.count {
                while pi < p.count && p[pi] == star { pi += 1 }
                break
            }
        }
        return pi == p.count && si == s.count
    }
}

private let star = UInt8(ascii: "*")
private let question = UInt8(ascii: "?")
private let open = UInt8(ascii: "[")
private let close = UInt8(ascii: "]")
private let caret = UInt8(ascii: "^")
private let dash = UInt8(ascii: "-")
private let backslash = UInt8(ascii: "\\")

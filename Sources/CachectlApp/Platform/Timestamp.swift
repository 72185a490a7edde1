#if canImport(Glibc)
import Glibc
#endif
import CLI

/// Times in output: ISO 8601 in UTC with milliseconds for NDJSON (sortable,
/// zone-free), local `HH:MM:SS.mmm` for people.
struct Timestamp {
    let seconds: Int
    let milliseconds: Int

    static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int(ts.tv_sec), milliseconds: Int(ts.tv_nsec / 1_000_000))
    }

    /// `2026-11-30T07:20:01.123Z`
    var iso8601: String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return "\(parts.tm_year + 1900)-\(Self.pad(parts.tm_mon + 1))-\(Self.pad(parts.tm_mday))T"
            + "\(Self.pad(parts.tm_hour)):\(Self.pad(parts.tm_min)):\(Self.pad(parts.tm_sec)).\(Self.pad(milliseconds, 3))Z"
    }

    /// Milliseconds since the Unix epoch: the companion of `iso8601` for arithmetic.
    var epochMilliseconds: Int64 { Int64(seconds) * 1000 + Int64(milliseconds) }

    /// Years 1970 to 9999: what ISO 8601's four-digit year can say. A time a server
    /// reports outside them (a slow log entry's timestamp is its to choose) is not a time.
    var isRepresentable: Bool { (0...253_402_300_799).contains(seconds) && (0..<1000).contains(milliseconds) }

    /// The JSON pair every timestamp in cachectl's output uses: `"time"` (ISO 8601 UTC
    /// with milliseconds) and `"timeMs"` (epoch milliseconds); both null for a time that
    /// cannot be one.
    var jsonMembers: [(String, JSONValue)] {
        guard isRepresentable else { return [("time", .null), ("timeMs", .null)] }
        return [("time", .string(iso8601)), ("timeMs", .int(epochMilliseconds))]
    }

    /// `07:20:01.123` in local time.
    var localTimeOfDay: String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        return "\(Self.pad(parts.tm_hour)):\(Self.pad(parts.tm_min)):\(Self.pad(parts.tm_sec)).\(Self.pad(milliseconds, 3))"
    }

    private static func pad<N: BinaryInteger>(_ n: N, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

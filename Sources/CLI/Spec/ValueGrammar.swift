/// The value forms options and arguments share, defined once: `cachectl help` and the man
/// page both render this table (VALUES), so an option's help can say DURATION or SIZE and
/// the reader finds one definition that matches what the parsers accept.
public enum ValueGrammar {
    public static let forms: [(term: String, meaning: String)] = [
        ("DURATION", """
            a number and a unit: ms, s, m (minutes), h or d (24 hours), as in 250ms, 30s, 5m, \
            1h or 7d; parts add up (1h30m, 2m30s); decimals are allowed (1.5s); a plain number \
            means seconds; upper or lower case. An option's bounds, where it has them, are in \
            its help (at least 1ms).
            """),
        ("SIZE", """
            a number of bytes: a whole number, or one with a unit as redis.conf reads it: \
            k = 1000, kb or kib = 1024; m = 1000000, mb or mib = 1048576 (1024 kib); \
            g = 1000000000, gb or gib = 1073741824 (1024 mib); b means bytes; upper or lower \
            case (4KiB = 4kb = 4096); no decimals or spaces. An option's bounds, where it has \
            them, are in its help (at most 512mb).
            """),
        ("PATTERN", """
            a Redis glob, as SCAN MATCH reads it, matched against the bytes of each key: \
            * any run of bytes (none too), ? one byte, [abc] one of the bytes listed, [a-z] \
            a range, [^abc] any byte not listed, and \\ makes the next character literal \
            (\\* a star, \\[ a bracket). Quote it for the shell ('user:*'). --prefix goes in \
            front, its own glob characters escaped.
            """),
        ("KEY", """
            keys are bytes. A KEY argument is used byte for byte as the shell passes it \
            (bash: $'caf\\xe9'). A key that is not printable UTF-8, or holds a newline, double \
            quote or backslash, is printed in double quotes with redis-cli's escapes: \\\\ \\" \
            \\n \\r \\t \\a \\b, and \\xNN for any other byte ("caf\\xe9"); invalidate \
            --keys-from reads that form back. In JSON a key that is not UTF-8 is quoted so, \
            with its exact bytes in keyBase64; -0 writes and reads raw bytes, each ended by NUL.
            """),
    ]
}

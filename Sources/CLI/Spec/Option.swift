/// One option declared once, typed: its `spec` goes into the command table (parsing,
/// help, man page, completions) and the same value reads it back, so a command writes
/// `parsed[BenchOptions.clients]` and gets an `Int`, the declared default included,
/// instead of naming the option by a string and repeating its default.
///
/// `Option<Int>` has a default; `Option<Int?>` is nil when absent; a flag is
/// `Option<Bool>`; a repeatable option reads as an array. Values were checked against
/// their kind and bounds while parsing, so reading never fails.
public struct Option<Value: Sendable>: Sendable {
    public let spec: OptionSpec
    let read: @Sendable (ParsedOptions) -> Value

    init(spec: OptionSpec, read: @escaping @Sendable (ParsedOptions) -> Value) {
        self.spec = spec
        self.read = read
    }
}

extension Option {
    /// The same option, documented as required (`(required)` in help, man page and
    /// completions); the command reports its absence in its own words.
    public func required() -> Option<Value> {
        var spec = spec
        spec.isRequired = true
        spec.defaultText = nil
        return Option(spec: spec, read: read)
    }
}

extension ParsedOptions {
    /// The option's typed value: as given, else its declared default.
    public subscript<Value>(option: Option<Value>) -> Value { option.read(self) }

    /// Was the option given (for options whose absence means something of its own)?
    public func given<Value>(_ option: Option<Value>) -> Bool { isPresent(option.spec) }
}

/// Where the typed factories meet: the spec plus how to read its last value.
enum OptionReading {
    static func optional<T: Sendable>(_ spec: OptionSpec, _ convert: @escaping @Sendable (Argument) -> T?) -> Option<T?> {
        Option(spec: spec) { $0.arguments(of: spec).last.flatMap(convert) }
    }

    static func defaulted<T: Sendable>(_ spec: OptionSpec, _ value: T,
                                       _ convert: @escaping @Sendable (Argument) -> T?) -> Option<T> {
        Option(spec: spec) { $0.arguments(of: spec).last.flatMap(convert) ?? value }
    }

    @Sendable static func int(_ a: Argument) -> Int? { Int(a.text) }
    @Sendable static func size(_ a: Argument) -> Int? { try? SizeParser.parse(a.text) }
    @Sendable static func double(_ a: Argument) -> Double? { Double(a.text) }
    @Sendable static func duration(_ a: Argument) -> Duration? { try? DurationParser.parse(a.text) }

    static func intBounds(_ b: Bounds<Int>?) -> ValueBounds? {
        b.flatMap { ValueBounds.make($0.lower, $0.upper, read: { Int($0) }, show: { "\($0)" }) }
    }

    static func sizeBounds(_ b: Bounds<Int>?) -> ValueBounds? {
        b.flatMap { ValueBounds.make($0.lower, $0.upper, read: { try? SizeParser.parse($0) }, show: sizeText) }
    }

    static func doubleBounds(_ b: Bounds<Double>?) -> ValueBounds? {
        b.flatMap { ValueBounds.make($0.lower, $0.upper, read: { Double($0) },
                                     show: { formatTrimmed($0, maxDecimals: 3) }) }
    }

    static func durationBounds(_ b: Bounds<Duration>?) -> ValueBounds? {
        b.flatMap { ValueBounds.make($0.lower, $0.upper, read: { try? DurationParser.parse($0) }, show: formatDuration) }
    }

    /// `1mb`, `4kb`, `512`: a byte count as it would be typed.
    static func sizeText(_ bytes: Int) -> String {
        for (unit, shift) in [("gb", 30), ("mb", 20), ("kb", 10)] where bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }

    static func countKind(_ b: Bounds<Int>?) -> ValueKind { (b?.lower ?? 0) >= 0 ? .count : .integer }
}

// MARK: Flags

extension Option where Value == Bool {
    /// Present or absent; takes no value.
    public static func flag(_ long: String, short: Character? = nil, help: String, hidden: Bool = false,
                            global: Bool = false) -> Option<Bool> {
        let spec = OptionSpec(long, short: short, value: nil, help: help, hidden: hidden, isGlobal: global)
        return Option(spec: spec) { $0.isPresent(spec) }
    }
}

// MARK: Whole numbers

extension Option where Value == Int {
    /// A whole number with a default (a count unless the range allows negatives).
    public static func count(_ long: String, short: Character? = nil, valueName: String? = nil, default value: Int,
                             range: Bounds<Int>? = nil, help: String, global: Bool = false) -> Option<Int> {
        OptionReading.defaulted(OptionSpec(long, short: short, value: OptionReading.countKind(range), valueName: valueName,
                                           help: help, defaultText: "\(value)", bounds: OptionReading.intBounds(range),
                                           isGlobal: global), value, OptionReading.int)
    }

    /// A byte count (`512`, `4kb`, `1mb`) with a default.
    public static func size(_ long: String, short: Character? = nil, default value: Int, range: Bounds<Int>? = nil,
                            help: String) -> Option<Int> {
        OptionReading.defaulted(OptionSpec(long, short: short, value: .size, help: help,
                                           defaultText: OptionReading.sizeText(value),
                                           bounds: OptionReading.sizeBounds(range)), value, OptionReading.size)
    }
}

extension Option where Value == Int? {
    /// A whole number that may be left out; `absent` says in help what that means.
    public static func count(_ long: String, short: Character? = nil, valueName: String? = nil, range: Bounds<Int>? = nil,
                             absent: String? = nil, help: String, global: Bool = false) -> Option<Int?> {
        OptionReading.optional(OptionSpec(long, short: short, value: OptionReading.countKind(range), valueName: valueName,
                                          help: help, defaultText: absent, bounds: OptionReading.intBounds(range),
                                          isGlobal: global), OptionReading.int)
    }

    /// A byte count that may be left out.
    public static func size(_ long: String, short: Character? = nil, range: Bounds<Int>? = nil, absent: String? = nil,
                            help: String) -> Option<Int?> {
        OptionReading.optional(OptionSpec(long, short: short, value: .size, help: help, defaultText: absent,
                                          bounds: OptionReading.sizeBounds(range)), OptionReading.size)
    }
}

// MARK: Decimal numbers

extension Option where Value == Double? {
    // (numbers with a default have not been needed yet)
    /// A decimal number (`0.8`, `95`) that may be left out.
    public static func number(_ long: String, valueName: String? = nil, range: Bounds<Double>? = nil,
                              absent: String? = nil, help: String) -> Option<Double?> {
        OptionReading.optional(OptionSpec(long, value: .number, valueName: valueName, help: help, defaultText: absent,
                                          bounds: OptionReading.doubleBounds(range)), OptionReading.double)
    }
}

// MARK: Durations

extension Option where Value == Duration {
    /// `250ms`, `30s`, `5m`, `1h30m` (a bare number is seconds), with a default.
    public static func duration(_ long: String, short: Character? = nil, default value: Duration,
                                range: Bounds<Duration>? = nil, help: String, global: Bool = false) -> Option<Duration> {
        OptionReading.defaulted(OptionSpec(long, short: short, value: .duration, help: help,
                                           defaultText: formatDuration(value), bounds: OptionReading.durationBounds(range),
                                           isGlobal: global), value, OptionReading.duration)
    }
}

extension Option where Value == Duration? {
    /// A duration that may be left out.
    public static func duration(_ long: String, short: Character? = nil, range: Bounds<Duration>? = nil,
                                absent: String? = nil, help: String, global: Bool = false) -> Option<Duration?> {
        OptionReading.optional(OptionSpec(long, short: short, value: .duration, help: help, defaultText: absent,
                                          bounds: OptionReading.durationBounds(range), isGlobal: global),
                               OptionReading.duration)
    }
}

extension Option where Value == Duration? {
    /// A duration whose value may be left out (`--watch` or `--watch 2s`): nil when
    /// absent, `bare` when given alone. Shown as `[DURATION]`, so help names the form.
    public static func optionalDuration(_ long: String, bare: Duration, range: Bounds<Duration>? = nil,
                                        help: String) -> Option<Duration?> {
        let spec = OptionSpec(long, value: .duration, valueName: OptionSpec.optionalValueName(for: .duration), help: help,
                              defaultText: formatDuration(bare),
                              bounds: OptionReading.durationBounds(range), optionalValue: true)
        return Option(spec: spec) { parsed in
            guard parsed.isPresent(spec) else { return nil }
            return parsed.arguments(of: spec).last.flatMap(OptionReading.duration) ?? bare
        }
    }
}

// MARK: Words, bytes and paths

extension Option where Value == String? {
    /// Free text (`--ratio 9:1`, `--tests get,set`); `kind` may be `.file` or `.host`.
    public static func string(_ long: String, short: Character? = nil, kind: ValueKind = .string, valueName: String? = nil,
                              absent: String? = nil, help: String, global: Bool = false,
                              unavailableIn: [String] = []) -> Option<String?> {
        OptionReading.optional(OptionSpec(long, short: short, value: kind, valueName: valueName, help: help,
                                          defaultText: absent, isGlobal: global, unavailableIn: unavailableIn),
                               { $0.text })
    }

    /// One of a fixed set of words, nil when absent.
    public static func choice(_ long: String, among words: [String], absent: String? = nil, help: String) -> Option<String?> {
        OptionReading.optional(OptionSpec(long, value: .choice(words), help: help, defaultText: absent), { $0.text })
    }
}

extension Option where Value == String {
    /// One of a fixed set of words, with a default.
    public static func choice(_ long: String, among words: [String], default value: String, help: String) -> Option<String> {
        OptionReading.defaulted(OptionSpec(long, value: .choice(words), help: help, defaultText: value), value, { $0.text })
    }
}

extension Option where Value == [UInt8]? {
    /// Raw bytes as given (keys, prefixes, owners: they need not be UTF-8).
    public static func bytes(_ long: String, valueName: String, absent: String? = nil, help: String,
                             global: Bool = false) -> Option<[UInt8]?> {
        OptionReading.optional(OptionSpec(long, value: .string, valueName: valueName, help: help, defaultText: absent,
                                          isGlobal: global), { $0.bytes })
    }
}

extension Option where Value == [[UInt8]] {
    /// Raw bytes, given any number of times, in order.
    public static func repeatedBytes(_ long: String, valueName: String, help: String) -> Option<[[UInt8]]> {
        let spec = OptionSpec(long, value: .string, valueName: valueName, help: help, repeatable: true)
        return Option(spec: spec) { $0.arguments(of: spec).map(\.bytes) }
    }
}

/// The options found on a command line, keyed by long name.
///
/// Values were checked against their `ValueKind` while parsing, so the typed accessors
/// only convert and never fail for a value that came through the parser; they return nil
/// when the option is absent. The parser refuses a single-valued option given twice.
/// Commands read typed values through their `Option` declarations (`parsed[option]`);
/// the string accessors remain for tests of the parser itself.
public struct ParsedOptions: Sendable, Equatable {
    /// Values per long name in the order given; a flag records no value.
    private var values: [String: [Argument]] = [:]
    private var occurrences: [String: Int] = [:]
    /// Long names recorded from a command's own options rather than the global ones.
    private var commandScoped: Set<String> = []
    /// Long names in the order first given.
    public private(set) var givenNames: [String] = []

    public init() {}

    /// Records one occurrence. `replace` is false for repeatable options, which accumulate.
    mutating func record(_ long: String, value: Argument?, replace: Bool, global: Bool = true) {
        if occurrences[long] == nil { givenNames.append(long) }
        if !global { commandScoped.insert(long) }
        occurrences[long, default: 0] += 1
        guard let value else { return }
        if replace { values[long] = [value] } else { values[long, default: []].append(value) }
    }

    /// The values given for exactly this declaration: a global option does not read a
    /// command option that shares its long name, nor the other way round.
    func arguments(of spec: OptionSpec) -> [Argument] {
        guard commandScoped.contains(spec.long) != spec.isGlobal else { return [] }
        return values[spec.long] ?? []
    }

    func isPresent(_ spec: OptionSpec) -> Bool {
        occurrences[spec.long] != nil && commandScoped.contains(spec.long) != spec.isGlobal
    }

    /// Was the option (flag or valued) given at least once?
    public func has(_ long: String) -> Bool { occurrences[long] != nil }

    /// How many times the option was given (`-vv` → 2).
    public func count(_ long: String) -> Int { occurrences[long] ?? 0 }

    public func string(_ long: String) -> String? { values[long]?.last?.text }

    public func strings(_ long: String) -> [String] { values[long]?.map(\.text) ?? [] }

    /// The raw bytes of the value, for values that may not be UTF-8 (key prefixes).
    public func bytes(_ long: String) -> [UInt8]? { values[long]?.last?.bytes }

    public func allBytes(_ long: String) -> [[UInt8]] { values[long]?.map(\.bytes) ?? [] }

    public func int(_ long: String) -> Int? { string(long).flatMap { Int($0) } }

    public func double(_ long: String) -> Double? { string(long).flatMap { Double($0) } }

    public func duration(_ long: String) -> Duration? {
        string(long).flatMap { try? DurationParser.parse($0) }
    }

    /// A size in bytes (`4kb` → 4096).
    public func size(_ long: String) -> Int? {
        string(long).flatMap { try? SizeParser.parse($0) }
    }
}

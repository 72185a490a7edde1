/// The declarative description of cachectl's command line.
///
/// One table of these values drives parsing, `--help`, the man page and the shell
/// completions, so a new option is written once and documented everywhere.

/// What kind of value an option takes; drives validation, help text and completion.
public enum ValueKind: Sendable, Equatable {
    /// A free-form string.
    case string
    /// A non-negative whole number.
    case count
    /// An integer that may be negative.
    case integer
    /// A decimal number (`0.8`, `95`).
    case number
    /// `250ms`, `30s`, `5m`, `1h30m`, `7d`; a bare number is seconds (`ValueGrammar`).
    case duration
    /// `512`, `4k`, `4kb`, `1mib` (`ValueGrammar`).
    case size
    /// A path on disk (completed as a file).
    case file
    /// A host name or address.
    case host
    /// One of a fixed set of words.
    case choice([String])
    /// Some of a fixed set of words, comma-separated (`-t get,set`); the command checks
    /// the words, so it can suggest a near miss.
    case list([String])
}

/// One option such as `--timeout DURATION` or the flag `--json`.
public struct OptionSpec: Sendable, Equatable {
    /// Long name without dashes: `timeout`. Also the key under which its value is stored.
    public var long: String
    /// Short letter without the dash: `p` for `-p`.
    public var short: Character?
    /// `nil` for a flag; the kind of its value otherwise.
    public var value: ValueKind?
    /// Placeholder shown in help: `DURATION`.
    public var valueName: String
    /// One-line help.
    public var help: String
    /// May be given more than once (values accumulate).
    public var repeatable: Bool
    /// Left out of `--help` (still in the man page and completions).
    public var hidden: Bool
    /// What the command uses when the option is absent, as help shows it (`50`, `5m`,
    /// `one try`); written from the typed default of an `Option`, never by hand.
    public var defaultText: String?
    /// The command cannot run without it (it has no default); the command itself says why
    /// when it is missing, since only it knows (`'cache fetch' needs --ttl: …`).
    public var isRequired = false
    /// The values allowed beyond the kind (`1 to 65535`), checked while parsing.
    public var bounds: ValueBounds?
    /// Declared among the global options (accepted before or after any command).
    public var isGlobal: Bool
    /// Global only: top-level commands that own an option of the same name, where this
    /// one is not accepted (`invalidate --key` names a Redis key, not a TLS key file).
    public var unavailableIn: [String]
    /// The value may be left out (`--watch` or `--watch 2s`): the next word is taken only
    /// when it is a valid value, so a following option or nothing leaves it a flag.
    public var optionalValue: Bool

    public init(_ long: String, short: Character? = nil, value: ValueKind? = nil,
                valueName: String? = nil, help: String, repeatable: Bool = false, hidden: Bool = false,
                defaultText: String? = nil, bounds: ValueBounds? = nil, isGlobal: Bool = false,
                unavailableIn: [String] = [], optionalValue: Bool = false) {
        self.long = long
        self.short = short
        self.value = value
        self.valueName = valueName ?? OptionSpec.defaultValueName(for: value)
        self.help = help
        self.repeatable = repeatable
        self.hidden = hidden
        self.optionalValue = optionalValue
        self.defaultText = defaultText
        self.bounds = bounds
        self.isGlobal = isGlobal
        self.unavailableIn = unavailableIn
    }

    /// The help line with the default and the range from the declaration:
    /// `connections (default 50; 1 to 10000)`.
    public var documentedHelp: String {
        var notes: [String] = []
        if isRequired {
            notes.append("required")
        } else if let defaultText {
            notes.append("default " + defaultText)
        }
        if let bounds { notes.append(bounds.description) }
        if repeatable { notes.append("repeatable") }
        return notes.isEmpty ? help : help + " (" + notes.joined(separator: "; ") + ")"
    }

    /// `-n, --db` or `--db`, for messages.
    public var displayName: String {
        short.map { "-\($0), --\(long)" } ?? "--\(long)"
    }

    /// A flag: present or absent, takes no value.
    public static func flag(_ long: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(long, short: short, value: nil, help: help)
    }

    public var takesValue: Bool { value != nil }

    /// `[DURATION]`: the placeholder of a value that may be left out.
    public static func optionalValueName(for kind: ValueKind) -> String { "[" + defaultValueName(for: kind) + "]" }

    static func defaultValueName(for kind: ValueKind?) -> String {
        switch kind {
        case nil: return ""
        case .string?: return "VALUE"
        case .count?, .integer?: return "N"
        case .number?: return "NUMBER"
        case .duration?: return "DURATION"
        case .size?: return "SIZE"
        case .file?: return "FILE"
        case .host?: return "HOST"
        case .choice(let words)?:
            // A loop rather than `joined(separator:)`: that generic call's first use looks up
            // witnesses at run time (~0.1 ms), paid by every process since the table is built
            // before any command runs.
            var name = ""
            for word in words {
                if !name.isEmpty { name += "|" }
                name += word
            }
            return name
        case .list?: return "LIST"
        }
    }
}

/// A positional argument such as `PATTERN…`.
public struct ArgumentSpec: Sendable, Equatable {
    public var name: String
    public var help: String
    public var optional: Bool
    /// Takes every remaining argument (`PATTERN…`).
    public var variadic: Bool
    /// The words it may be, for completion (`completion bash|zsh|fish`); empty: anything.
    public var choices: [String]

    public init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false, choices: [String] = []) {
        self.choices = choices
        self.name = name
        self.help = help
        self.optional = optional
        self.variadic = variadic
    }
}

/// A command or subcommand (`health`, `lock acquire`).
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    /// One line for command lists.
    public var summary: String
    /// Paragraphs for `--help` and the man page.
    public var discussion: String
    public var arguments: [ArgumentSpec]
    public var options: [OptionSpec]
    public var subcommands: [CommandSpec]
    /// Example command lines with a one-line explanation each.
    public var examples: [Example]
    /// Accepts `-- COMMAND [ARGS…]` after its own arguments (`lock run`).
    public var passthrough: Bool
    /// The code that runs it: set on every command without subcommands.
    public var id: CommandID?

    public init(_ name: String, summary: String, discussion: String = "",
                arguments: [ArgumentSpec] = [], options: [OptionSpec] = [],
                subcommands: [CommandSpec] = [], examples: [Example] = [], passthrough: Bool = false,
                id: CommandID? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
        self.examples = examples
        self.passthrough = passthrough
    }
}

public struct Example: Sendable, Equatable {
    public var command: String
    public var explanation: String
    public init(_ command: String, _ explanation: String) {
        self.command = command
        self.explanation = explanation
    }
}

/// The whole program: its global options and its command tree.
public struct ProgramSpec: Sendable, Equatable {
    public var name: String
    public var version: String
    public var summary: String
    public var discussion: String
    public var globalOptions: [OptionSpec]
    public var commands: [CommandSpec]
    /// Environment variables documented in the man page: (name, meaning).
    public var environment: [(String, String)]
    /// Exit codes documented in the man page and README: (code, meaning).
    public var exitCodes: [(Int32, String)]
    public var examples: [Example]
    /// The value forms (DURATION, SIZE…) with their one definition, for help and the man
    /// page's VALUES: (term, meaning).
    public var values: [(String, String)]

    public init(name: String, version: String, summary: String, discussion: String,
                globalOptions: [OptionSpec], commands: [CommandSpec],
                environment: [(String, String)], exitCodes: [(Int32, String)], examples: [Example],
                values: [(String, String)] = []) {
        self.name = name
        self.version = version
        self.summary = summary
        self.discussion = discussion
        self.globalOptions = globalOptions
        self.commands = commands
        self.environment = environment
        self.exitCodes = exitCodes
        self.examples = examples
        self.values = values
    }

    public static func == (a: ProgramSpec, b: ProgramSpec) -> Bool {
        a.name == b.name && a.version == b.version && a.globalOptions == b.globalOptions
            && a.commands == b.commands && a.examples == b.examples
            && a.environment.map(\.0) == b.environment.map(\.0)
            && a.exitCodes.map(\.0) == b.exitCodes.map(\.0)
            && a.values.map(\.0) == b.values.map(\.0) && a.values.map(\.1) == b.values.map(\.1)
    }
}

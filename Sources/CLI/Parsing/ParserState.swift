/// One left-to-right pass over the arguments. The command scope narrows as command and
/// subcommand names are read, which decides how later options are looked up.
struct ParserState {
    let spec: ProgramSpec
    let args: [Argument]
    var index = 0
    var path: [String] = []
    var command: CommandSpec?
    /// Inside `help [COMMAND…]`: positional words name the command to describe.
    var inHelpCommand = false
    var optionsEnded = false
    var result = ParsedCommandLine()

    init(spec: ProgramSpec, args: [Argument]) {
        self.spec = spec
        self.args = args
    }

    mutating func run() throws(ParseFailure) -> ParsedCommandLine {
        while index < args.count {
            let arg = args[index]
            index += 1
            do {
                try step(arg)
            } catch where error.helpOverrides && (result.helpRequested || helpFlagAhead()) {
                result.helpRequested = true
                result.commandPath = path
                return result
            }
        }
        return try finish()
    }

    /// Is there a `--help` later on the line, before any `--`?
    private func helpFlagAhead() -> Bool {
        for arg in args[index...] {
            if arg.text == "--" { return false }
            if arg.text == "--help" { return true }
        }
        return false
    }

    private mutating func step(_ arg: Argument) throws(ParseFailure) {
        let b = arg.bytes
        let dash = UInt8(ascii: "-")
        if optionsEnded {
            try positional(arg)
        } else if b == [dash, dash] {
            optionsEnded = true
            if let command, command.passthrough, !inHelpCommand {
                result.passthrough = Array(args[index...])
                index = args.count
            }
        } else if b.count > 2, b[0] == dash, b[1] == dash {
            try longOption(arg)
        } else if b.count > 1, b[0] == dash, !isNegativeNumber(b) {
            try shortOptions(arg)
        } else {
            try positional(arg)
        }
    }

    // MARK: Options

    private mutating func longOption(_ arg: Argument) throws(ParseFailure) {
        let body = arg.bytes.dropFirst(2)
        let equals = body.firstIndex(of: UInt8(ascii: "="))
        let name = String(decoding: equals.map { body[..<$0] } ?? body, as: UTF8.self)
        let inline = equals.map { Argument(bytes: Array(arg.bytes[($0 + 1)...])) }
        let display = "--" + name
        guard let resolved = lookup(long: name) else {
            let spelled = Array(arg.bytes[..<(equals ?? arg.bytes.endIndex)])
            throw failure("unknown option \(shown(spelled))", hint: unknownLongHint(name))
        }
        if case .option(let option, let global) = resolved, option.takesValue {
            let value: Argument
            if let inline {
                value = inline
            } else if option.optionalValue {
                guard let next = optionalNextValue(for: option, display: display) else {
                    result.options.record(option.long, value: nil, replace: true, global: global)
                    return
                }
                value = next
            } else {
                value = try nextValue(for: option, display: display)
            }
            try accept(value, for: option, global: global, display: display)
            return
        }
        if inline != nil {
            throw failure("option '\(display)' does not take a value")
        }
        try apply(resolved, display: display)
    }

    private mutating func shortOptions(_ arg: Argument) throws(ParseFailure) {
        let b = arg.bytes
        var i = 1
        while i < b.count {
            let letter: Character? = b[i] < 0x80 ? Character(Unicode.Scalar(b[i])) : nil
            guard let letter, let resolved = lookup(short: letter) else {
                throw unknownShort(arg, at: i)
            }
            let display = "-\(letter)"
            if case .option(let option, let global) = resolved, option.takesValue {
                var rest = Array(b[(i + 1)...])
                if rest.first == UInt8(ascii: "=") { rest.removeFirst() }
                let value = try rest.isEmpty ? nextValue(for: option, display: display) : Argument(bytes: rest)
                try accept(value, for: option, global: global, display: display)
                return
            }
            try apply(resolved, display: display)
            i += 1
        }
    }

    /// A flag, `--help` or `--version`.
    private mutating func apply(_ resolved: ResolvedOption, display: String) throws(ParseFailure) {
        switch resolved {
        case .option(let option, let global):
            result.options.record(option.long, value: nil, replace: true, global: global)
        case .help:
            result.helpRequested = true
        case .version:
            guard command == nil || inHelpCommand else {
                throw failure("unknown option '\(display)' for '\(path.joined(separator: " "))'",
                              hint: "'--version' goes before the command: '\(spec.name) --version'")
            }
            result.versionRequested = true
        }
    }

    /// The value of a valued option given as the next argument. A next argument that
    /// looks like a long option is refused: `--prefix --json` is almost surely a slip,
    /// and `--prefix=--json` remains possible. Single-dash words are taken, so negative
    /// numbers work as values.
    private mutating func nextValue(for option: OptionSpec, display: String) throws(ParseFailure) -> Argument {
        if index < args.count {
            let next = args[index].bytes
            if !(next.count >= 2 && next[0] == UInt8(ascii: "-") && next[1] == UInt8(ascii: "-")) {
                index += 1
                return args[index - 1]
            }
        }
        var hint: String?
        if display == "-h" && option.long != "help" {
            hint = "'-h' is '--\(option.long)' as in redis-cli; use '--help' for help"
        }
        throw failure("option '\(display)' needs a value (\(option.valueName))", hint: hint)
    }

    /// The next argument when it is a valid value for an option whose value may be left out.
    private mutating func optionalNextValue(for option: OptionSpec, display: String) -> Argument? {
        guard index < args.count, args[index].bytes.first != UInt8(ascii: "-"),
              let kind = option.value,
              ValueValidation.kindProblem(with: args[index], for: option, kind: kind, display: display) == nil
        else { return nil }
        index += 1
        return args[index - 1]
    }

    /// Checks the value against its kind and declared bounds, and refuses a second value
    /// for a single-valued option: `bench -n 1000 -n 3` is a slip, not "the last one wins".
    private mutating func accept(_ value: Argument, for option: OptionSpec, global: Bool,
                                 display: String) throws(ParseFailure) {
        if let problem = ValueValidation.problem(with: value, for: option, display: display, program: spec.name) {
            throw failure(problem.message, hint: problem.hint)
        }
        if !option.repeatable && result.options.has(option.long) {
            throw failure("option '\(option.displayName)' given more than once; it takes one value",
                          hint: "keep one of them")
        }
        result.options.record(option.long, value: value, replace: !option.repeatable, global: global)
    }

    // MARK: Lookup

    /// Command options first (they may shadow global ones), then `--help`/`--version`,
    /// then the global options.
    private func lookup(long name: String) -> ResolvedOption? {
        if !inHelpCommand, let option = command?.option(long: name) { return .option(option, global: false) }
        if name == "help" { return .help }
        if name == "version" { return .version }
        return globalsInScope.first(where: { $0.long == name }).map(resolve)
    }

    private func lookup(short letter: Character) -> ResolvedOption? {
        if !inHelpCommand, let option = command?.option(short: letter) { return .option(option, global: false) }
        return globalsInScope.first(where: { $0.short == letter }).map(resolve)
    }

    /// The global options, less those a command here owns the name of.
    private var globalsInScope: [OptionSpec] {
        guard let top = path.first, !inHelpCommand else { return spec.globalOptions }
        return spec.globalOptions.filter { !$0.unavailableIn.contains(top) }
    }

    private func resolve(_ option: OptionSpec) -> ResolvedOption {
        switch option.long {
        case "help": return .help
        case "version": return .version
        default: return .option(option, global: true)
        }
    }

    /// Long names valid here, for suggestions; hidden options are not advertised.
    var longNamesInScope: [String] {
        var names = (inHelpCommand ? [] : command?.options ?? []).filter { !$0.hidden }.map(\.long)
        names += globalsInScope.filter { !$0.hidden }.map(\.long) + ["help"]
        if command == nil { names.append("version") }
        return names
    }

    /// `-5` or `-0.5` is a positional argument unless a short option `-5` exists.
    private func isNegativeNumber(_ b: [UInt8]) -> Bool {
        guard b[1] < 0x80, lookup(short: Character(Unicode.Scalar(b[1]))) == nil else { return false }
        return Double(String(decoding: b.dropFirst(), as: UTF8.self)) != nil
            && b.dropFirst().allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
    }

    // MARK: Positional words

    private mutating func positional(_ arg: Argument) throws(ParseFailure) {
        let word = arg.text
        if inHelpCommand {
            let choices = command?.subcommands ?? spec.effectiveCommands
            guard let found = choices.first(where: { $0.name == word }) else {
                if command != nil && choices.isEmpty {
                    throw failure("unexpected argument \(shown(arg.bytes))")
                }
                throw unknownCommand(word, among: choices)
            }
            path.append(found.name)
            command = found
            return
        }
        guard let current = command else {
            if word == "help" {
                inHelpCommand = true
                result.helpRequested = true
                return
            }
            guard let found = spec.commands.first(where: { $0.name == word }) else {
                throw unknownCommand(word, among: spec.effectiveCommands)
            }
            path = [found.name]
            command = found
            return
        }
        if !current.subcommands.isEmpty {
            guard let found = current.subcommands.first(where: { $0.name == word }) else {
                if word == "help" {  // `lock help` reads like `help lock`
                    result.helpRequested = true
                    return
                }
                throw unknownCommand(word, among: current.subcommands)
            }
            path.append(found.name)
            command = found
            return
        }
        result.arguments.append(arg)
    }

    // MARK: Completion of the parse

    private mutating func finish() throws(ParseFailure) -> ParsedCommandLine {
        result.commandPath = path
        if result.helpRequested || result.versionRequested { return result }
        guard let command else { return result }
        let name = path.joined(separator: " ")
        if !command.subcommands.isEmpty {
            let names = command.subcommands.map(\.name).joined(separator: ", ")
            throw failure("'\(name)' needs a subcommand: one of \(names)",
                          hint: "run '\(spec.name) \(name) --help' for details")
        }
        let specs = command.arguments
        let given = result.arguments.count
        if let missing = specs.dropFirst(given).first(where: { !$0.optional }) {
            throw failure("missing required argument \(missing.name)")
        }
        if specs.last?.variadic != true && given > specs.count {
            let extra = shown(result.arguments[specs.count].bytes)
            let message = specs.isEmpty ? "'\(name)' takes no arguments, got \(extra)"
                : "unexpected argument \(extra)"
            let hint = command.passthrough ? "put the command to run after '--'" : nil
            throw failure(message, hint: hint)
        }
        if command.passthrough && result.passthrough.isEmpty {
            throw failure("'\(name)' needs a command to run after '--'")
        }
        result.command = command.id
        return result
    }
}

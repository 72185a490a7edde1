/// Turns argv into a `ParsedCommandLine`, driven entirely by a `ProgramSpec`.
///
/// Rules (see docs/CLI.md): global options may stand before or after the command; inside a
/// command its own options are looked up first, so a command may reuse a global short
/// letter; `--opt=value`, `--opt value`, `-p6380`, `-p 6380` and `-qv` all work; `--`
/// ends option parsing; `--help` anywhere asks for help (`-h` is `--host`, as in
/// redis-cli); `help [COMMAND [SUB]]` is a pseudo-command.
public enum CommandLineParser {
    public static func parse(_ args: [Argument], spec: ProgramSpec) throws(UsageError) -> ParsedCommandLine {
        var parser = ParserState(spec: spec, args: args)
        do {
            return try parser.run()
        } catch {
            throw error.error
        }
    }
}

/// A usage error plus whether `--help` elsewhere on the line may override it. Mistakes
/// in options yield to help (`lock acquire --ttl --help` shows help), but a mistyped
/// command name does not: the user would otherwise get help for the wrong thing.
struct ParseFailure: Error {
    var error: UsageError
    var helpOverrides: Bool
}

/// What an option token resolved to in the current scope.
enum ResolvedOption {
    /// `global` is true when it came from the program's global options.
    case option(OptionSpec, global: Bool)
    case help
    case version
}

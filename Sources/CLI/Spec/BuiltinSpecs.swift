/// `--help`, `--version` and the `help` pseudo-command exist in every program.
///
/// They are added here rather than required in each `ProgramSpec`, so parsing, help,
/// the man page and completions all agree on them. A spec that defines an option or
/// command of the same name keeps its own definition.
enum Builtins {
    static let helpOption = OptionSpec.flag("help", help: "show help for the program or a command")
    static let versionOption = OptionSpec.flag("version", help: "print the version and exit")
    static let helpCommand = CommandSpec(
        "help", summary: "show help for a command",
        arguments: [ArgumentSpec("COMMAND", help: "the command (and subcommand) to describe",
                                 optional: true, variadic: true)])
}

extension ProgramSpec {
    /// Global options plus `--help` and `--version`, in display order.
    public var effectiveGlobalOptions: [OptionSpec] {
        var result = globalOptions
        if !result.contains(where: { $0.long == "help" }) { result.append(Builtins.helpOption) }
        if !result.contains(where: { $0.long == "version" }) { result.append(Builtins.versionOption) }
        return result
    }

    /// Commands plus the `help` pseudo-command.
    public var effectiveCommands: [CommandSpec] {
        commands.contains(where: { $0.name == "help" }) ? commands : commands + [Builtins.helpCommand]
    }
}

import CLI

/// `completion` and `man`: documentation generated from the command table.
enum DocsCommands {
    static func completion(_ context: CommandContext) throws -> ExitCode {
        let shell = context.parsed.arguments.first?.text ?? ""
        let spec = ProgramTable.spec
        switch shell {
        case "bash": try Output.check(writeStdoutChecked(CompletionGenerator.bash(spec)))
        case "zsh": try Output.check(writeStdoutChecked(CompletionGenerator.zsh(spec)))
        case "fish": try Output.check(writeStdoutChecked(CompletionGenerator.fish(spec)))
        default:
            throw context.usageError("unknown shell '\(shell)': choose bash, zsh or fish")
        }
        return .success
    }

    static func man(_ context: CommandContext) throws -> ExitCode {
        try Output.check(writeStdoutChecked(ManPageGenerator.manPage(for: ProgramTable.spec, date: ManPageGenerator.defaultDate)))
        return .success
    }
}

import CLI

/// `completion` and `man`: documentation generated from the command table.
enum DocsCommands {
    static func completion(_ context: CommandContext) throws -> ExitCode {
        let shell = context.parsed.arguments.first?.text ?? ""
        let spec = ProgramTable.spec
        switch shell {
        case "bash": _ = writeStdout(CompletionGenerator.bash(spec))
        case "zsh": _ = writeStdout(CompletionGenerator.zsh(spec))
        case "fish": _ = writeStdout(CompletionGenerator.fish(spec))
        default:
            throw context.usageError("unknown shell '\(shell)': choose bash, zsh or fish")
        }
        return .success
    }

    static func man(_ context: CommandContext) throws -> ExitCode {
        _ = writeStdout(ManPageGenerator.manPage(for: ProgramTable.spec, date: ManPageGenerator.defaultDate))
        return .success
    }
}

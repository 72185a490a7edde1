import CLI

/// The safety rule for destructive commands (docs/CLI.md, Safety): on a terminal, ask;
/// without one, never prompt and require `--yes`.
enum Confirmation {
    /// Returns normally when the action may go ahead; throws a usage error (exit 64) naming
    /// `--yes` when stdin is not a terminal, or a "no" (exit 1) when the user declines. The
    /// question is built only when it is asked, since building it may cost a round trip
    /// (invalidate's DBSIZE, session's SCARD).
    static func require(_ question: @autoclosure () throws -> String, context: CommandContext, yes: Option<Bool>) throws {
        let dryRun = ProgramTable.spec.command(at: context.parsed.commandPath)?.option(long: "dry-run") != nil
        if context.options[yes] { return }
        let yesFlag = yes.spec.long
        guard Terminal.isTTY(0) else {
            throw Failure("refusing to proceed without --\(yesFlag): stdin is not a terminal, so nobody can confirm",
                          exitCode: .usage,
                          hint: "add --\(yesFlag) to confirm" + (dryRun ? ", or --dry-run to see what would happen" : ""))
        }
        _ = writeStderr("\(try question()) [y/N] ")
        guard let answer = readLineFromStdin()?.lowercased(), answer == "y" || answer == "yes" else {
            throw Failure("not confirmed; nothing was changed", exitCode: .no)
        }
    }

    /// `require` for a command with `--dry-run`: a dry run changes nothing, so it never asks.
    static func requireUnlessDryRun(_ dryRun: Bool, context: CommandContext, yes: Option<Bool>,
                                    question: () throws -> String) throws {
        guard !dryRun else { return }
        try require(try question(), context: context, yes: yes)
    }

    private static func readLineFromStdin() -> String? {
        guard let line = readLine(strippingNewline: true) else { return nil }
        return line.trimmingSpaces()
    }
}

private extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

import CLI
import RedisClient

/// Parses the command line, runs one command and turns every outcome into an exit code.
/// The only place that decides what reaches stdout, stderr and the exit status.
public enum App {
    /// `environment` is read only when a command runs: `--version` and `--help` skip the cost
    /// of building the dictionary (its first use instantiates generic metadata, ~0.1 ms).
    public static func run(arguments: [Argument], environment: @autoclosure () -> [String: String]) -> Int32 {
        let spec = ProgramTable.spec
        let parsed: ParsedCommandLine
        do {
            parsed = try CommandLineParser.parse(arguments, spec: spec)
        } catch {
            // The parse failed, so the flag is looked for in the raw words: a script that
            // asked for JSON gets its document for a usage error too.
            return report(Failure(error), json: asksForJSON(arguments), ledger: ResultLedger(),
                          extraStderr: "usage: \(error.usage)\n")
        }
        if parsed.versionRequested {
            return printed(writeStdoutChecked("cachectl \(ProgramTable.version)\n"))
        }
        if parsed.helpRequested {
            return printed(writeStdoutChecked(HelpRenderer.help(for: parsed.commandPath, in: spec)))
        }
        guard let command = parsed.command else {
            _ = writeStderr(HelpRenderer.help(for: [], in: spec))
            guard asksForJSON(arguments) else { return ExitCode.usage.rawValue }
            return report(Failure("no command given: see the list above, or 'cachectl help'", exitCode: .usage),
                          json: true, ledger: ResultLedger())
        }

        let ledger = ResultLedger()
        let context = CommandContext(parsed: parsed, environment: environment(), ledger: ledger)
        var failure: Failure
        do {
            if context.output.json && !command.printsJSON {
                throw context.usageError("'\(parsed.commandPath.joined(separator: " "))' prints no JSON: leave out --json")
            }
            return try Dispatch.run(command, context)
        } catch let error as Failure {
            failure = error
            // Wrapped without explanation: a NOPERM still gets its ACL advice.
            if let cause = error.cause, case .permissionDenied = cause, error.message == cause.description {
                failure.message = context.failure(cause).message
            }
        } catch let error as RedisError {
            failure = context.failure(error)
        } catch {
            failure = Failure("\(error)", exitCode: .software)
        }
        return report(failure, json: context.output.json, ledger: ledger)
    }

    /// The one stderr line of a failure (every mode, never silenced), and under `--json`
    /// the failure document when the command has not printed one that carries it.
    private static func report(_ failure: Failure, json: Bool, ledger: ResultLedger, extraStderr: String = "") -> Int32 {
        _ = writeStderr(failure.rendered + extraStderr)
        // Stdout refusing writes: another document would fail the same way.
        if json, ledger.owesFailureDocument, !failure.isStdoutFailure {
            if let writeFailure = writeStdoutChecked(FailureJSON.document(failure).serialized() + "\n"),
               writeFailure != .readerGone {
                _ = writeStderr(Output.stdoutFailure(writeFailure).rendered)
            }
        }
        return failure.exitCode.rawValue
    }

    /// `--json` among the words before `--`, for failures the parser could not attribute.
    private static func asksForJSON(_ arguments: [Argument]) -> Bool {
        for argument in arguments {
            if argument.text == "--" { return false }
            if argument.text == "--json" { return true }
        }
        return false
    }

    /// Exit 0 once a text went out whole (or its reader left, EPIPE); 74 with the message
    /// when it did not.
    public static func printed(_ failure: WriteFailure?) -> Int32 {
        guard let failure, failure != .readerGone else { return ExitCode.success.rawValue }
        let error = Output.stdoutFailure(failure)
        _ = writeStderr(error.rendered)
        return error.exitCode.rawValue
    }
}

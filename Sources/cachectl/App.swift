import CLI
import RedisClient

/// Parses the command line, runs one command and turns every outcome into an exit code.
/// The only place that decides what reaches stdout, stderr and the exit status.
enum App {
    /// `environment` is read only when a command runs: `--version` and `--help` skip the cost
    /// of building the dictionary (its first use instantiates generic metadata, ~0.1 ms).
    static func run(arguments: [Argument], environment: @autoclosure () -> [String: String]) -> Int32 {
        let spec = ProgramTable.spec
        let parsed: ParsedCommandLine
        do {
            parsed = try CommandLineParser.parse(arguments, spec: spec)
        } catch {
            _ = writeStderr(Failure(error).rendered + "usage: \(error.usage)\n")
            return ExitCode.usage.rawValue
        }
        if parsed.versionRequested {
            return printed(writeStdoutChecked("cachectl \(ProgramTable.version)\n"))
        }
        if parsed.helpRequested {
            return printed(writeStdoutChecked(HelpRenderer.help(for: parsed.commandPath, in: spec)))
        }
        guard let command = parsed.command else {
            _ = writeStderr(HelpRenderer.help(for: [], in: spec))
            return ExitCode.usage.rawValue
        }

        let context = CommandContext(parsed: parsed, environment: environment())
        do {
            return try Dispatch.run(command, context)
        } catch let failure as Failure {
            _ = writeStderr(failure.rendered)
            return failure.exitCode.rawValue
        } catch let error as RedisError {
            var failure = Failure(error)
            if case .permissionDenied(let reply) = error { failure.message = context.permissionAdvice.explain(reply) }
            _ = writeStderr(failure.rendered)
            return failure.exitCode.rawValue
        } catch {
            _ = writeStderr(Failure("\(error)", exitCode: .software).rendered)
            return ExitCode.software.rawValue
        }
    }

    /// Exit 0 once a text went out whole (or its reader left, EPIPE); 74 with the message
    /// when it did not.
    private static func printed(_ failure: WriteFailure?) -> Int32 {
        guard let failure, failure != .readerGone else { return ExitCode.success.rawValue }
        let error = Output.stdoutFailure(failure)
        _ = writeStderr(error.rendered)
        return error.exitCode.rawValue
    }
}

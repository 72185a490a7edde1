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
        guard let command = parsed.commandPath.first else {
            _ = writeStderr(HelpRenderer.help(for: [], in: spec))
            return ExitCode.usage.rawValue
        }

        let context = CommandContext(parsed: parsed, environment: environment())
        do {
            let code: ExitCode
            switch command {
            case "health": code = try HealthCommand.run(context)
            case "keys": code = try KeysCommand.run(context)
            case "invalidate": code = try InvalidateCommand.run(context)
            case "lock": return try LockCommand.run(context)  // lock run passes any status through
            case "ratelimit": code = try RateLimitCommand.run(context)
            case "watch": code = try WatchCommand.run(context)
            case "session": code = try SessionCommand.run(context)
            case "bench": code = try BenchCommand.run(context)
            case "acl": code = try AclCommand.run(context)
            case "completion": code = try DocsCommands.completion(context)
            case "man": code = try DocsCommands.man(context)
            default:
                throw Failure("command '\(command)' is in the table but not implemented", exitCode: .software)
            }
            return code.rawValue
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

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
            _ = writeStdout("cachectl \(ProgramTable.version)\n")
            return ExitCode.success.rawValue
        }
        if parsed.helpRequested {
            _ = writeStdout(HelpRenderer.help(for: parsed.commandPath, in: spec))
            return ExitCode.success.rawValue
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
            case "bench": code = try BenchCommand.run(context)
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
            _ = writeStderr(Failure(error).rendered)
            return Failure(error).exitCode.rawValue
        } catch {
            _ = writeStderr(Failure("\(error)", exitCode: .software).rendered)
            return ExitCode.software.rawValue
        }
    }
}

import CLI
import RedisClient

/// Parses the command line, runs one command and turns every outcome into an exit code.
/// The only place that decides what reaches stdout, stderr and the exit status.
enum App {
    static func run(arguments: [Argument], environment: [String: String]) -> Int32 {
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
        guard let command = parsed.command else {
            _ = writeStderr(HelpRenderer.help(for: [], in: spec))
            return ExitCode.usage.rawValue
        }

        let context = CommandContext(parsed: parsed, environment: environment)
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
}

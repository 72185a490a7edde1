#if canImport(Glibc)
import Glibc
#endif
import CachectlApp
import CLI

// First of all: a closed standard descriptor must not be handed to the first socket.
guard StandardDescriptors.occupyClosed() else {
    _ = writeStderr("cachectl: error: a closed standard descriptor (0, 1 or 2) could not be filled with /dev/null\n")
    exit(ExitCode.ioError.rawValue)
}
// A closed pipe (`cachectl keys list | head`) must end output quietly, not kill us.
signal(SIGPIPE, SIG_IGN)
// `cachectl --version` alone is answered before the command table is built (~0.3 ms of
// first-use work: building every command's spec touches ~40 pages of code and data), so
// version probes pay only the process start. Same output as the parser's path.
if CommandLine.argc == 2, let only = CommandLine.unsafeArgv[1], strcmp(only, "--version") == 0 {
    exit(App.printed(writeStdoutChecked("cachectl \(ProgramTable.version)\n")))
}
exit(App.run(arguments: Argument.fromProcessArguments(), environment: ProcessEnvironment.current()))

#if canImport(Glibc)
import Glibc
#endif
import CLI

// A closed pipe (`cachectl keys list | head`) must end output quietly, not kill us.
signal(SIGPIPE, SIG_IGN)
exit(App.run(arguments: Argument.fromProcessArguments(), environment: ProcessEnvironment.current()))

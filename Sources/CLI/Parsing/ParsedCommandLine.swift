/// The result of parsing: which command, with which options and arguments.
public struct ParsedCommandLine: Sendable, Equatable {
    /// `["lock", "acquire"]`; empty when no command was given. With `helpRequested` it is
    /// the command whose help to show (`help lock acquire`, `lock acquire --help`).
    public var commandPath: [String]
    /// The command to run, from the table; nil with help, version or no command.
    public var command: CommandID?
    /// Global and command options together, keyed by long name.
    public var options: ParsedOptions
    /// Positional arguments after the command path, raw bytes preserved.
    public var arguments: [Argument]
    /// Everything after `--` for passthrough commands (`lock run NAME -- cmd args`).
    public var passthrough: [Argument]
    public var helpRequested: Bool
    public var versionRequested: Bool

    public init(commandPath: [String] = [], options: ParsedOptions = ParsedOptions(),
                arguments: [Argument] = [], passthrough: [Argument] = [],
                helpRequested: Bool = false, versionRequested: Bool = false) {
        self.commandPath = commandPath
        self.options = options
        self.arguments = arguments
        self.passthrough = passthrough
        self.helpRequested = helpRequested
        self.versionRequested = versionRequested
    }
}

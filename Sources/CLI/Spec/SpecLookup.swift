/// Navigation helpers over the command tree.
extension ProgramSpec {
    /// The command at `path` (`["lock", "acquire"]`), or nil if the path does not exist.
    public func command(at path: [String]) -> CommandSpec? {
        guard let first = path.first, var current = effectiveCommands.first(where: { $0.name == first })
        else { return nil }
        for name in path.dropFirst() {
            guard let next = current.subcommands.first(where: { $0.name == name }) else { return nil }
            current = next
        }
        return current
    }

    /// Every command and subcommand, depth first, with its path.
    public var allCommands: [(path: [String], command: CommandSpec)] {
        var result: [(path: [String], command: CommandSpec)] = []
        func visit(_ command: CommandSpec, _ prefix: [String]) {
            let path = prefix + [command.name]
            result.append((path, command))
            for sub in command.subcommands { visit(sub, path) }
        }
        for command in commands { visit(command, []) }
        return result
    }
}

extension CommandSpec {
    /// The option with this long name among the command's own options.
    public func option(long: String) -> OptionSpec? {
        options.first(where: { $0.long == long })
    }

    /// The option with this short letter among the command's own options.
    public func option(short: Character) -> OptionSpec? {
        options.first(where: { $0.short == short })
    }
}

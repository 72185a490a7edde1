/// The command tree flattened for completion scripts: for every command path, what may
/// follow it. All three shells are generated from this one list, so they agree.
struct CompletionNode {
    /// Words typed so far, joined by spaces: `""`, `"lock"`, `"lock acquire"`.
    var path: String
    var subcommands: [(name: String, summary: String)]
    /// Options valid here, command options first, each with the letter it may use here.
    var options: [OptionSpec]
    var passthrough: Bool
    /// Words the next positional argument may be (`bash zsh fish`), when it has a fixed set.
    var argumentWords: [String] = []
}

enum CompletionModel {
    static func nodes(for spec: ProgramSpec) -> [CompletionNode] {
        var nodes: [CompletionNode] = []
        let globals = spec.effectiveGlobalOptions.filter { isSafeWord($0.long) }
        let top = spec.effectiveCommands.filter { isSafeWord($0.name) }
        nodes.append(CompletionNode(path: "", subcommands: top.map { ($0.name, $0.summary) },
                                    options: globals, passthrough: false))
        let nonRootGlobals = globals.filter { $0.long != "version" }
        func visit(_ command: CommandSpec, _ path: [String]) {
            let subs = command.subcommands.filter { isSafeWord($0.name) }
            if command.name == "help" && path.count == 1 {
                return  // described by the mirror below
            }
            nodes.append(CompletionNode(path: path.joined(separator: " "), subcommands: subs.map { ($0.name, $0.summary) },
                                        options: merged(command.options.filter { isSafeWord($0.long) }, nonRootGlobals),
                                        passthrough: command.passthrough,
                                        argumentWords: command.arguments.flatMap(\.choices).filter(isSafeWord)))
            for sub in subs { visit(sub, path + [sub.name]) }
        }
        for command in top { visit(command, [command.name]) }
        // `help COMMAND [SUB]`: the same tree of names, no options of its own.
        func mirror(_ commands: [CommandSpec], _ path: [String]) {
            let safe = commands.filter { isSafeWord($0.name) && $0.name != "help" }
            nodes.append(CompletionNode(path: path.joined(separator: " "), subcommands: safe.map { ($0.name, $0.summary) },
                                        options: [Builtins.helpOption], passthrough: false))
            for command in safe where !command.subcommands.isEmpty { mirror(command.subcommands, path + [command.name]) }
        }
        mirror(spec.commands, ["help"])
        return nodes
    }

    /// Command options shadow globals: a global whose long name the command reuses is
    /// dropped, and one whose short letter the command reuses loses that letter.
    static func merged(_ own: [OptionSpec], _ globals: [OptionSpec]) -> [OptionSpec] {
        var result = own
        for var global in globals where !own.contains(where: { $0.long == global.long }) {
            if let short = global.short, own.contains(where: { $0.short == short }) { global.short = nil }
            result.append(global)
        }
        return result
    }

    /// Every spelling of an option: `-p`, `--port`.
    /// A short letter that is not a letter or digit is left out (it could be a glob).
    static func spellings(_ option: OptionSpec) -> [String] {
        var result: [String] = []
        if let short = option.short, short.isASCII, short.isLetter || short.isNumber { result.append("-\(short)") }
        return result + ["--" + option.long]
    }

    /// What the scripts need to know about a value: `flag`, `value`, `file`, `host` or
    /// `choice w1 w2`.
    static func kind(_ option: OptionSpec) -> String {
        switch option.value {
        case nil: return "flag"
        case .file?: return "file"
        case .host?: return "host"
        case .choice(let words)?: return (["choice"] + words.filter(isSafeWord)).joined(separator: " ")
        case .list(let words)?: return (["list"] + words.filter(isSafeWord)).joined(separator: " ")
        default: return "value"
        }
    }

    /// Names that need no quoting in any shell word list or pattern. Others are left out
    /// of completion rather than risk a broken script.
    static func isSafeWord(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first != "-" else { return false }
        return word.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || $0 == "-" || $0 == "_" || $0 == "." || $0 == "+"
        }
    }
}

/// `'text'` for POSIX shells and zsh: single quotes, an embedded `'` as `'\''`.
func shellQuoted(_ text: String) -> String {
    var out = "'"
    for ch in text { out += ch == "'" ? "'\\''" : String(ch) }
    return out + "'"
}

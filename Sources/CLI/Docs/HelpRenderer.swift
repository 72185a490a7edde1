/// `--help` text, generated from the `ProgramSpec` so it can never disagree with the
/// parser. Plain text wrapped to 80 columns, options in an aligned column.
public enum HelpRenderer {
    static let width = 80
    /// The option/command column never pushes help text further right than this.
    static let maxLeftColumn = 30

    /// `cachectl lock acquire [OPTIONS] NAME [OWNER]`; the top-level synopsis for `[]`
    /// or an unknown path.
    public static func usageLine(for path: [String], in spec: ProgramSpec) -> String {
        guard !path.isEmpty, let command = spec.command(at: path) else {
            return "\(spec.name) [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]"
        }
        var parts = [spec.name] + path
        if !command.subcommands.isEmpty {
            parts.append("SUBCOMMAND")
        }
        if !command.options.isEmpty || !spec.globalOptions.isEmpty {
            parts.append("[OPTIONS]")
        }
        if command.subcommands.isEmpty {
            parts += command.arguments.map(argumentSynopsis)
        } else {
            parts.append("[ARGS]")
        }
        if command.passthrough { parts.append("-- COMMAND [ARGS...]") }
        return parts.joined(separator: " ")
    }

    /// `NAME`, `[OWNER]`, `PATTERN...`, `[KEY...]`.
    static func argumentSynopsis(_ argument: ArgumentSpec) -> String {
        let text = argument.name + (argument.variadic ? "..." : "")
        return argument.optional ? "[\(text)]" : text
    }

    /// Full help for the program (`[]`) or for one command. An unknown path falls back
    /// to the program's help.
    public static func help(for path: [String], in spec: ProgramSpec) -> String {
        guard !path.isEmpty, let command = spec.command(at: path) else { return programHelp(spec) }
        return commandHelp(command, path: path, spec: spec)
    }

    private static func programHelp(_ spec: ProgramSpec) -> String {
        var out = "\(spec.name) - \(spec.summary)\n\n"
        out += "Usage: \(usageLine(for: [], in: spec))\n"
        out += discussion(spec.discussion)
        out += "\nCommands:\n" + twoColumns(spec.effectiveCommands.map { command in
            var summary = command.summary
            if !command.subcommands.isEmpty {
                summary += " (" + command.subcommands.map(\.name).joined(separator: ", ") + ")"
            }
            return (command.name, summary)
        })
        out += "\nGlobal options:\n" + optionRows(spec.effectiveGlobalOptions)
        if !spec.values.isEmpty { out += "\nValues:\n" + twoColumns(spec.values) }
        out += examples(spec.examples)
        out += "\n" + TextWrapping.wrap(
            "Run '\(spec.name) help COMMAND' or '\(spec.name) COMMAND --help' for a command's arguments and options.",
            width: width, indent: 0) + "\n"
        return out
    }

    private static func commandHelp(_ command: CommandSpec, path: [String], spec: ProgramSpec) -> String {
        let name = path.joined(separator: " ")
        var out = "Usage: \(usageLine(for: path, in: spec))\n\n"
        out += TextWrapping.wrap(command.summary, width: width, indent: 0) + "\n"
        out += discussion(command.discussion)
        if !command.arguments.isEmpty {
            out += "\nArguments:\n" + twoColumns(command.arguments.map { ($0.name, $0.help) })
        }
        if !command.subcommands.isEmpty {
            out += "\nSubcommands:\n" + twoColumns(command.subcommands.map { ($0.name, $0.summary) })
        }
        var options = command.options
        if !options.contains(where: { $0.long == "help" }) { options.append(Builtins.helpOption) }
        out += "\nOptions:\n" + optionRows(options)
        out += "\n" + globalPointer(for: command, spec: spec)
        if command.passthrough {
            out += TextWrapping.wrap(
                "Everything after '--' is the command to run, with its own options.",
                width: width, indent: 0) + "\n"
        }
        if !command.subcommands.isEmpty {
            out += TextWrapping.wrap("Run '\(spec.name) \(name) SUBCOMMAND --help' for a subcommand's options.",
                                     width: width, indent: 0) + "\n"
        }
        out += examples(command.examples)
        return out
    }

    /// A pointer to the global options rather than repeating them in every command's
    /// help, plus a note when this command gives a global short letter another meaning.
    private static func globalPointer(for command: CommandSpec, spec: ProgramSpec) -> String {
        let visible = spec.globalOptions.filter { !$0.hidden }
        var text = ""
        if !visible.isEmpty {
            let sample = visible.prefix(4).map { "--" + $0.long }.joined(separator: ", ")
            text += TextWrapping.wrap(
                "Global options (\(sample), ...) work before or after the command; see '\(spec.name) --help'.",
                width: width, indent: 0) + "\n"
        }
        for option in command.options {
            guard let short = option.short,
                  let global = spec.globalOptions.first(where: { $0.short == short }) else { continue }
            text += TextWrapping.wrap(
                "Here '-\(short)' means '--\(option.long)'; for the global '--\(global.long)' use its long form.",
                width: width, indent: 0) + "\n"
        }
        return text
    }

    private static func discussion(_ text: String) -> String {
        var out = ""
        for paragraph in TextWrapping.paragraphs(text) {
            out += "\n"
            out += paragraph.preformatted ? paragraph.text : TextWrapping.wrap(paragraph.text, width: width, indent: 0)
            out += "\n"
        }
        return out
    }

    private static func examples(_ examples: [Example]) -> String {
        guard !examples.isEmpty else { return "" }
        var out = "\nExamples:\n"
        for (i, example) in examples.enumerated() {
            if i > 0 { out += "\n" }
            // The explanation as shell comments, so the whole block can be pasted.
            let wrapped = TextWrapping.wrap(example.explanation, width: width - 4, indent: 0)
            for line in wrapped.split(separator: "\n") { out += "  # \(line)\n" }
            out += "  " + example.command + "\n"
        }
        return out
    }

    /// `  -p, --port N    help`, with a four-space gap for options without a short form
    /// so the long names line up. Hidden options are left out.
    static func optionRows(_ options: [OptionSpec]) -> String {
        let visible = options.filter { !$0.hidden }
        let anyShort = visible.contains { $0.short != nil }
        return twoColumns(visible.map { option in
            var left = option.short.map { "-\($0), " } ?? (anyShort ? "    " : "")
            left += "--" + option.long
            if option.takesValue { left += " " + option.valueName }
            return (left, option.documentedHelp)
        })
    }

    /// Rows of `  LEFT  help…`; help wraps under itself, and a left part wider than
    /// `maxLeftColumn` puts its help on the next line.
    static func twoColumns(_ rows: [(String, String)]) -> String {
        let widest = rows.map { displayWidth($0.0) }.filter { $0 <= maxLeftColumn }.max() ?? 0
        let helpColumn = 2 + widest + 2
        var out = ""
        for (left, help) in rows {
            var line = "  " + left
            var used = 2 + displayWidth(left)
            if help.isEmpty {
                out += line + "\n"
                continue
            }
            if used + 2 > helpColumn {
                out += line + "\n"
                line = String(repeating: " ", count: helpColumn)
                used = helpColumn
            } else {
                line += String(repeating: " ", count: helpColumn - used)
                used = helpColumn
            }
            out += line + TextWrapping.wrap(help, width: width, indent: helpColumn, firstIndent: used) + "\n"
        }
        return out
    }
}

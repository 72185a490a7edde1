/// The usage errors the parser reports, each with the usage line of the command in
/// question and a hint where one is likely to help.
extension ParserState {
    func failure(_ message: String, hint: String? = nil, helpOverrides: Bool = true) -> ParseFailure {
        ParseFailure(error: UsageError(message: message, usage: HelpRenderer.usageLine(for: path, in: spec),
                                       hint: hint),
                     helpOverrides: helpOverrides)
    }

    func unknownCommand(_ word: String, among choices: [CommandSpec]) -> ParseFailure {
        let names = choices.map(\.name)
        let what = path.isEmpty ? "command" : "subcommand"
        let scope = path.isEmpty ? "" : " for '\(path.joined(separator: " "))'"
        let hint: String
        if let guess = Suggestion.best(for: word, among: names) {
            hint = "did you mean '\(guess)'?"
        } else if path.isEmpty {
            hint = "run '\(spec.name) help' for the list of commands"
        } else {
            hint = "choose one of: " + names.joined(separator: ", ")
        }
        return failure("unknown \(what) '\(word)'\(scope)", hint: hint, helpOverrides: false)
    }

    func unknownLongHint(_ name: String) -> String? {
        if let guess = Suggestion.best(for: name, among: longNamesInScope) {
            return "did you mean '--\(guess)'?"
        }
        // Right name, wrong place: point at the command that has it.
        let owners = spec.allCommands.filter { $0.command.option(long: name) != nil }
            .map { "'" + $0.path.joined(separator: " ") + "'" }
        guard !owners.isEmpty, owners.count <= 3 else { return nil }
        let after = command == nil ? "; give it after the command" : ""
        return "'--\(name)' is an option of \(owners.joined(separator: ", "))\(after)"
    }

    /// `-json` (one dash) and `-qx` (unknown letter in a cluster).
    func unknownShort(_ arg: Argument, at i: Int) -> ParseFailure {
        let word = String(decoding: arg.bytes.dropFirst(), as: UTF8.self)
        if i == 1 {
            var hint: String?
            if word.count > 1, let guess = Suggestion.best(for: word, among: longNamesInScope) {
                hint = "did you mean '--\(guess)'?"
            }
            return failure("unknown option \(shown(arg.bytes))", hint: hint)
        }
        let letter = String(decoding: arg.bytes[i...], as: UTF8.self).first.map(String.init) ?? ""
        return failure("unknown option \(shown(Array(("-" + letter).utf8))) in \(shown(arg.bytes))")
    }
}

/// A user-supplied word for an error message: `'word'`, or a quoted escaped form when it
/// holds bytes that would garble a one-line message.
func shown(_ bytes: [UInt8]) -> String {
    let quoted = quotedKey(bytes)
    return quoted.hasPrefix("\"") ? quoted : "'\(quoted)'"
}

import CLI

/// How results are to be shown, from the global output flags and the terminal.
struct Output {
    var json: Bool
    var quiet: Bool
    var verbose: Bool
    var color: Bool

    init(options: ParsedOptions) {
        json = options.has("json")
        quiet = options.has("quiet")
        verbose = options.has("verbose") && !quiet
        color = Terminal.colorEnabled(fd: 1, noColorFlag: options.has("no-color"))
    }

    /// Results: stdout, unless `--quiet`.
    func result(_ text: String) {
        guard !quiet else { return }
        _ = writeStdout(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Diagnostics for `--verbose`: stderr.
    func debug(_ text: String) {
        guard verbose else { return }
        _ = writeStderr("cachectl: \(escapingControlCharacters(text))\n")
    }

    /// Warnings: stderr, unless `--quiet`. Like errors, one line with control characters
    /// escaped: a warning may quote a server's reply.
    func warn(_ text: String) {
        guard !quiet else { return }
        _ = writeStderr("cachectl: warning: \(escapingControlCharacters(text))\n")
    }
}

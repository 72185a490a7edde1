import CLI

/// How results are to be shown, from the global output flags and the terminal.
struct Output {
    var json: Bool
    var quiet: Bool
    var verbose: Bool
    var color: Bool
    /// Shared by every copy: what reached stdout, for the entry point's `--json` promise.
    let ledger: ResultLedger

    init(options: ParsedOptions, ledger: ResultLedger = ResultLedger()) {
        self.ledger = ledger
        json = options[GlobalOptions.json]
        quiet = options[GlobalOptions.quiet]
        verbose = options[GlobalOptions.verbose] && !quiet
        color = Terminal.colorEnabled(fd: 1, noColorFlag: options[GlobalOptions.noColor])
    }

    /// A result a script captures (a `--json` document, `--csv`, listed keys, an acquired
    /// lock's owner): stdout, even under `--quiet`, which silences chatter only. Throws
    /// (exit 74) when stdout cannot take all of it; a reader that went away (EPIPE) ends
    /// output quietly and the command keeps its own exit status.
    func result(_ text: String) throws(Failure) {
        try Self.check(writeStdoutChecked(text.hasSuffix("\n") ? text : text + "\n"))
        ledger.recordDocument()
    }

    /// A report for people (a table, a status line) whose answer the exit code also gives:
    /// stdout, unless `--quiet`; checked as `result` is.
    func report(_ text: String) throws(Failure) {
        guard !quiet else { return }
        try result(text)
    }

    /// The `--json` document (a result) or the text for people (a report).
    func present(json: @autoclosure () -> String, text: @autoclosure () -> String) throws(Failure) {
        if self.json { try result(json()) } else { try report(text()) }
    }

    /// Lines of a stream (a page of keys, an NDJSON event). False when the reader went
    /// away, so that the stream can stop; throws (exit 74) on any other failure. A failure
    /// after this is reported as one more `--json` line.
    func result(bytes: [UInt8]) throws(Failure) -> Bool {
        guard let failure = writeStdoutChecked(bytes: bytes) else {
            ledger.recordStreamLine()
            return true
        }
        try Self.check(failure)
        return false
    }

    /// One line of an NDJSON stream; false when the reader went away.
    func streamLine(_ text: String) throws(Failure) -> Bool {
        try result(bytes: Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Nothing for EPIPE (the convention of `| head`); the exit-74 failure otherwise.
    static func check(_ failure: WriteFailure?) throws(Failure) {
        guard let failure, failure != .readerGone else { return }
        throw stdoutFailure(failure)
    }

    static func stdoutFailure(_ failure: WriteFailure) -> Failure {
        var error = Failure("cannot write to stdout: \(failure.reason); the output is incomplete", exitCode: .ioError)
        error.isStdoutFailure = true
        return error
    }

    /// Diagnostics for `--verbose`: stderr.
    func debug(_ text: String) {
        guard verbose else { return }
        _ = writeStderr("cachectl: \(escapingControlCharacters(text))\n")
    }

    /// A threshold the server breached: stderr in every output mode, and never silenced
    /// by `--quiet` (it is why the exit code is 1).
    func breach(_ text: String) {
        _ = writeStderr("cachectl: breach: \(escapingControlCharacters(text))\n")
    }

    /// Warnings: stderr, unless `--quiet`. Like errors, one line with control characters
    /// escaped: a warning may quote a server's reply.
    func warn(_ text: String) {
        guard !quiet else { return }
        _ = writeStderr("cachectl: warning: \(escapingControlCharacters(text))\n")
    }
}

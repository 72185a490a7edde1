/// What a command has put on stdout so far, kept for the entry point.
///
/// `--json` promises exactly one document (one per line for a stream) on success and on
/// every failure. A command that fails before printing anything leaves the document to
/// the entry point, which reads this to know whether one is still owed: nothing was
/// written, or the command was streaming NDJSON (its error is one more line). Owned by
/// `App.run` for one command; a reference so that every copy of `Output` shares it.
final class ResultLedger {
    /// Something reached stdout (a document, a page of keys, a line of a stream).
    private(set) var wroteResult = false
    /// The writes were lines of a stream rather than one document.
    private(set) var streaming = false

    func recordDocument() { wroteResult = true }

    func recordStreamLine() {
        wroteResult = true
        streaming = true
    }

    /// Whether the entry point still owes `--json` a document for a failure.
    var owesFailureDocument: Bool { !wroteResult || streaming }
}

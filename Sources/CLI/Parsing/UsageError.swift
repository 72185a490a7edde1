/// A mistake on the command line (exit status 64).
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in one line: `unknown option '--dryrun'`.
    public var message: String
    /// The usage line of the command in question, so the user sees the right shape.
    public var usage: String
    /// A fix where one is likely: `did you mean '--dry-run'?`.
    public var hint: String?

    public init(message: String, usage: String, hint: String? = nil) {
        self.message = message
        self.usage = usage
        self.hint = hint
    }

    /// `message (hint)` on one line, for logs and test failure output.
    public var description: String {
        guard let hint else { return message }
        return "\(message) (\(hint))"
    }

    /// The text for stderr:
    /// ```
    /// cachectl: error: unknown option '--dryrun'
    /// cachectl: hint: did you mean '--dry-run'?
    /// usage: cachectl [OPTIONS] invalidate PATTERN...
    /// ```
    public func rendered(programName: String) -> String {
        var text = "\(programName): error: \(message)\n"
        if let hint { text += "\(programName): hint: \(hint)\n" }
        if !usage.isEmpty { text += "usage: \(usage)\n" }
        return text
    }
}

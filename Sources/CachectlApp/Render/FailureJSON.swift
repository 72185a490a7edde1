import CLI

/// The document `--json` prints for a failure that no command-specific document carries
/// (server down, a refused confirmation, a usage error): the same fields everywhere, so a
/// script reads `.error` and `.exitCode` without knowing which command failed.
enum FailureJSON {
    /// `{"error":…,"exitCode":…[,"hint":…]}`; the exit code is the process's own.
    static func document(_ failure: Failure) -> JSONValue {
        var members: [(String, JSONValue)] = [("error", .string(failure.message)),
                                              ("exitCode", .int(Int64(failure.exitCode.rawValue)))]
        if let hint = failure.hint { members.append(("hint", .string(hint))) }
        return .object(members)
    }

    /// `error` (null when there was none) and `exitCode`, for a summary document that is
    /// printed whatever the outcome (a walk that stopped part-way still reports its counts).
    static func outcome(_ failure: Failure?, exitCode: ExitCode) -> [(String, JSONValue)] {
        [("error", failure.map { .string($0.message) } ?? .null), ("exitCode", .int(Int64(exitCode.rawValue)))]
    }
}

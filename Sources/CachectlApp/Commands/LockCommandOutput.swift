import CacheOps
import CLI

/// What `lock acquire|release|extend` print, the same for the mutex (`LockCommand`) and
/// a semaphore (`SemaphoreCommand`); only the words and JSON documents differ.
enum LockCommandOutput {
    /// Prints a grant's owner (or JSON document). The owner is the result
    /// (`owner=$(cachectl lock acquire x -q)`); a grant whose owner nobody received could
    /// only be broken by force, so when stdout fails it goes back (`giveBack`, true when
    /// released) and the command fails with exit 74. `grant` is "lock" or "lease".
    static func printGrant(_ text: String, key: [UInt8], grant: String, ttl: Duration,
                           giveBack: () -> Bool) throws(Failure) {
        guard let failure = writeStdoutChecked(text + "\n") else { return }
        let released = giveBack()
        var error = Failure("cannot print the owner of \(quotedKey(key)): \(failure.reason); "
                            + (released ? "the \(grant) was released"
                                        : "the \(grant) could not be released and expires in \(formatDuration(ttl))"),
                            exitCode: .ioError)
        // Stdout refused the owner: a --json failure document would fail the same way.
        error.isStdoutFailure = true
        throw error
    }

    /// A change that was made: the JSON document, or `text` for people; exit 0.
    static func done(_ context: CommandContext, json: @autoclosure () -> JSONValue, text: String) throws(Failure) -> ExitCode {
        try context.output.present(json: json().serialized(), text: text)
        return .success
    }

    /// Nothing was granted or changed: the JSON document when asked, `notice` on stderr; exit 1.
    static func refused(_ context: CommandContext, json: @autoclosure () -> JSONValue, notice: String) throws(Failure) -> ExitCode {
        if context.output.json { try context.output.result(json().serialized()) }
        context.output.notice(notice)
        return .no
    }

    /// `lock extend`'s owner and new remaining time, both required.
    static func extendArguments(_ context: CommandContext) throws -> (owner: [UInt8], ttl: Duration) {
        guard let owner = try LockCommand.owner(context, LockOptions.owner) else {
            throw context.usageError("'lock extend' needs --owner ID (what 'lock acquire' printed)")
        }
        guard let ttl = context.options[LockOptions.newTTL] else {
            throw context.usageError("'lock extend' needs --ttl, the new remaining time")
        }
        return (owner, ttl)
    }
}

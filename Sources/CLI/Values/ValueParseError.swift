/// Why a duration or size could not be read; the parser turns it into a usage message.
public enum ValueParseError: Error, Sendable, Equatable {
    case empty
    case negative
    /// Not of the expected shape (`5x`, `1h30`, `abc`).
    case malformed
    /// Valid shape, but the value does not fit.
    case overflow
}

/// How much one reply may take: a caller that knows what a command answers (a count, a
/// page of SCAN keys, an INFO text) sizes this so a hostile or broken peer cannot make it
/// buffer or build more. Applies to each value at the head of the stream, push messages
/// included; a reply past either bound is a protocol error and the stream is given up.
public struct RESPBudget: Sendable, Equatable {
    /// Wire bytes of one value, headers and terminators included. Refused once that many
    /// bytes of a value are buffered without it ending, so memory stays near this bound.
    public var maxBytes: Int
    /// Values within one value, itself included (a map's pair counts as two). Refused at
    /// the aggregate header that declares one too many, before its elements arrive.
    public var maxElements: Int

    public init(maxBytes: Int, maxElements: Int) {
        // Kept well below Int.max so offset and count arithmetic cannot overflow.
        self.maxBytes = min(max(1, maxBytes), Int.max / 4)
        self.maxElements = min(max(1, maxElements), Int.max / 4)
    }

    /// No bound beyond the parser's own limits.
    public static let unlimited = RESPBudget(maxBytes: .max, maxElements: .max)
}

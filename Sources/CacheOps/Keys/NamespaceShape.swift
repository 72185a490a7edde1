/// The namespace a key belongs to: its `:`-separated segments with id-like ones replaced
/// by `*`, so `tenant:cl123:product:p456` and `tenant:cl9:product:p1` both fall into
/// `tenant:*:product:*`. The result is a glob that matches the keys of its group, so it
/// can be handed straight to `keys list` or `invalidate`.
public enum NamespaceShape {
    /// - Parameter depth: keep at most this many segments; a key with more ends in `:*`.
    public static func of(_ key: [UInt8], depth: Int? = nil, separator: UInt8 = UInt8(ascii: ":")) -> String {
        let segments = key.split(separator: separator, omittingEmptySubsequences: false)
        let kept = depth.map { min(max(1, $0), segments.count) } ?? segments.count
        var parts = segments.prefix(kept).map { isIdLike($0) ? "*" : String(decoding: $0, as: UTF8.self) }
        if kept < segments.count { parts.append("*") }
        return parts.joined(separator: String(UnicodeScalar(separator)))
    }

    /// A segment is an id, not a name, when it holds a digit (`cl123`, `2024-01`,
    /// `1.2.3.4`), is longer than 24 bytes (tokens, hashes), or is not printable UTF-8
    /// (binary ids, which must not reach a terminal anyway). Names such as `product`,
    /// `inventory-sync` or `_api_auth_login` stay.
    public static func isIdLike(_ segment: ArraySlice<UInt8>) -> Bool {
        if segment.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return true }
        return isAlwaysId(segment)
    }

    /// A version segment (`v1`, `v2`, `V10`): kept as a name by `ShapeTree`.
    public static func isVersion(_ segment: ArraySlice<UInt8>) -> Bool {
        guard segment.count >= 2, segment.first == UInt8(ascii: "v") || segment.first == UInt8(ascii: "V") else { return false }
        return segment.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Longer than 24 bytes (tokens, hashes) or not printable UTF-8: an id whatever its
    /// siblings are, and never to be shown on a terminal.
    public static func isAlwaysId(_ segment: ArraySlice<UInt8>) -> Bool {
        if segment.count > 24 { return true }
        for byte in segment where byte < 0x20 || byte == 0x7F { return true }
        if segment.contains(where: { $0 >= 0x80 }) {
            guard let text = String(validating: segment, as: UTF8.self) else { return true }
            return text.unicodeScalars.contains { ($0.value >= 0x80 && $0.value <= 0x9F) || $0.value == 0xFEFF
                || (0x200B...0x200F).contains($0.value) || (0x2028...0x202E).contains($0.value) }
        }
        return false
    }
}

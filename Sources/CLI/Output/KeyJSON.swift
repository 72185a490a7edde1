/// A key's fields in JSON output, lossless for any bytes.
///
/// JSON strings hold Unicode text, so a key that is valid UTF-8 (newlines, quotes and
/// control characters included, which JSON escapes) is written as it is under `name`.
/// A key that is not valid UTF-8 cannot be: `name` then holds the quoted form that line
/// output prints (`"caf\xe9"`, redis-cli style) and `name + "Base64"` holds the exact
/// bytes. Readers take `keyBase64` when present and `key` otherwise.
public func jsonKeyFields(_ key: [UInt8], name: String = "key") -> [(String, JSONValue)] {
    if let text = String(validating: key, as: UTF8.self) {
        return [(name, .string(text))]
    }
    return [(name, .string(quotedKey(key))), (name + "Base64", .string(base64Encoded(key)))]
}

/// A key (or pattern) as one JSON string, for lists inside documents such as `patterns`:
/// the text when it is valid UTF-8, the quoted form otherwise.
public func jsonKeyString(_ key: [UInt8]) -> JSONValue {
    .string(String(validating: key, as: UTF8.self) ?? quotedKey(key))
}

/// Where an application keeps its sessions (seed 001): one key per session,
/// `session:{id}`, and per user a set of that user's session ids, `session:user:{user}`,
/// so that every session of a user can be found and revoked on a password change.
/// Both templates are configurable for applications that name them otherwise.
public struct SessionLayout: Sendable, Equatable {
    /// `{id}` stands for the session id.
    public var sessionKeyTemplate: [UInt8]
    /// `{user}` stands for the user id.
    public var indexKeyTemplate: [UInt8]

    public static let idPlaceholder = Array("{id}".utf8)
    public static let userPlaceholder = Array("{user}".utf8)

    public init(sessionKeyTemplate: [UInt8] = Array("session:{id}".utf8),
                indexKeyTemplate: [UInt8] = Array("session:user:{user}".utf8)) {
        self.sessionKeyTemplate = sessionKeyTemplate
        self.indexKeyTemplate = indexKeyTemplate
    }

    /// The session's key, without the prefix.
    public func sessionKey(_ id: [UInt8]) -> [UInt8] {
        Self.fill(sessionKeyTemplate, placeholder: Self.idPlaceholder, with: id)
    }

    /// The user's index set, without the prefix.
    public func indexKey(_ user: [UInt8]) -> [UInt8] {
        Self.fill(indexKeyTemplate, placeholder: Self.userPlaceholder, with: user)
    }

    /// Replaces every occurrence of `placeholder` in `template` (bytes, so keys need not
    /// be UTF-8).
    public static func fill(_ template: [UInt8], placeholder: [UInt8], with value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < template.count {
            if template.count - i >= placeholder.count && template[i..<(i + placeholder.count)].elementsEqual(placeholder) {
                out += value
                i += placeholder.count
            } else {
                out.append(template[i])
                i += 1
            }
        }
        return out
    }

    /// True when `template` holds `placeholder`.
    public static func contains(_ template: [UInt8], _ placeholder: [UInt8]) -> Bool {
        template.firstRange(of: placeholder) != nil
    }
}

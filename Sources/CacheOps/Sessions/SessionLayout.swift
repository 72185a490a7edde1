/// Where an application keeps its sessions: one key per session,
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

    static func fill(_ template: [UInt8], placeholder: [UInt8], with value: [UInt8]) -> [UInt8] {
        KeyTemplate.fill(template, placeholder: placeholder, with: value)
    }

    /// True when `template` holds `placeholder`.
    public static func contains(_ template: [UInt8], _ placeholder: [UInt8]) -> Bool {
        KeyTemplate.contains(template, placeholder)
    }

    /// The same layout as an invalidation of the user's index as a tag: the index is the
    /// tag's set, each member names its session key.
    public func invalidation(of user: [UInt8]) -> InvalidationRequest {
        var request = InvalidationRequest()
        request.tags = [user]
        request.tagKeyFormat = KeyTemplate.fill(indexKeyTemplate, placeholder: Self.userPlaceholder,
                                                with: InvalidationRequest.tagPlaceholder)
        request.memberKeyFormat = KeyTemplate.fill(sessionKeyTemplate, placeholder: Self.idPlaceholder,
                                                   with: InvalidationRequest.memberPlaceholder)
        return request
    }
}

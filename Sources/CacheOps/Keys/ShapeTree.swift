/// Something a `ShapeTree` keeps per key shape: figures that add up when shapes merge.
public protocol ShapePayload: Sendable {
    init()
    mutating func merge(_ other: Self)
}

/// Groups keys into the shapes users have (`user:*:cart`), deciding which segments are
/// ids by how many different values they take, not by what they look like: keys are
/// filed in a tree of segments, and at `shapes()` time, below the first segment, sibling
/// values that outnumber what follows each of them and continue alike (they share a next
/// segment, or each holds one key only) are two or more values of one id and merge into
/// `*`: `user:alice:cart` and `user:bob:cart` become
/// `user:*:cart`. First segments (the application's namespaces) and version segments
/// (`v1`, `v2`) are kept. Segments longer than 24 bytes or not printable are always ids,
/// and a parent with more than `maxChildren` values merges them at once, which bounds
/// memory whatever the keyspace size.
public struct ShapeTree<Payload: ShapePayload>: Sendable {
    struct Node: Sendable {
        var payload: Payload?
        /// Keys filed at or below this node.
        var keys = 0
        var children: [[UInt8]: Node] = [:]
        var collapsed = false

        mutating func merge(_ other: Node) {
            keys += other.keys
            if let p = other.payload {
                if payload == nil { payload = p } else { payload?.merge(p) }
            }
            collapsed = collapsed || other.collapsed
            for (name, child) in other.children {
                if children[name] == nil { children[name] = child } else { children[name]?.merge(child) }
            }
        }
    }

    public let separator: UInt8
    public let depth: Int?
    public let maxChildren: Int
    private var root = Node()

    public static var wildcard: [UInt8] { [UInt8(ascii: "*")] }

    public init(separator: UInt8 = UInt8(ascii: ":"), depth: Int? = nil, maxChildren: Int = 1000) {
        self.separator = separator
        self.depth = depth
        self.maxChildren = maxChildren
    }

    /// The segments a key is filed under: split on the separator, always-ids as `*`,
    /// cut after `depth` segments (the rest as one `*`).
    public func segments(_ key: [UInt8]) -> [[UInt8]] {
        let parts = key.split(separator: separator, omittingEmptySubsequences: false)
        let kept = depth.map { min(max(1, $0), parts.count) } ?? parts.count
        var out = parts.prefix(kept).map { NamespaceShape.isAlwaysId($0) ? Self.wildcard : Array($0) }
        if kept < parts.count { out.append(Self.wildcard) }
        return out
    }

    public mutating func add(_ key: [UInt8], _ payload: Payload) {
        Self.insert(segments(key)[...], payload, into: &root, level: 0, maxChildren: maxChildren)
    }

    private static func insert(_ path: ArraySlice<[UInt8]>, _ payload: Payload, into node: inout Node, level: Int, maxChildren: Int) {
        node.keys += 1
        guard var name = path.first else {
            if node.payload == nil { node.payload = payload } else { node.payload?.merge(payload) }
            return
        }
        if level > 0 && name != wildcard && !NamespaceShape.isVersion(name[...]) {
            if node.collapsed {
                name = wildcard
            } else if node.children[name] == nil && node.children.count >= maxChildren {
                collapse(&node)
                name = wildcard
            }
        }
        insert(path.dropFirst(), payload, into: &node.children[name, default: Node()], level: level + 1, maxChildren: maxChildren)
    }

    /// Every non-version value of `node` into `*`; later values go there directly.
    private static func collapse(_ node: inout Node) {
        var star = node.children[wildcard] ?? Node()
        for (name, child) in node.children where name != wildcard && !NamespaceShape.isVersion(name[...]) {
            star.merge(child)
            node.children[name] = nil
        }
        node.children[wildcard] = star
        node.collapsed = true
    }

    /// Each shape (segments joined by the separator) with its merged payload.
    public func shapes() -> [(shape: [UInt8], payload: Payload)] {
        var finished = root
        Self.finish(&finished, level: 0)
        var out: [(shape: [UInt8], payload: Payload)] = []
        Self.emit(finished, path: [], separator: separator, into: &out)
        return out
    }

    /// Top-down, so that a name recurring below many merged ids (`cart` under every
    /// user) is seen as recurring before its own level is decided.
    private static func finish(_ node: inout Node, level: Int) {
        if level > 0 { mergeIds(&node) }
        for name in Array(node.children.keys) { finish(&node.children[name]!, level: level + 1) }
    }

    /// When a parent's values outnumber the values that follow each of them, links the
    /// siblings that continue alike (they share a next segment, or each holds a single
    /// key) and merges each linked group of two or more into `*`.
    private static func mergeIds(_ node: inout Node) {
        let names = node.children.keys.filter { !NamespaceShape.isVersion($0[...]) }.sorted { $0.lexicographicallyPrecedes($1) }
        guard names.count >= 2 else { return }
        // Ids outnumber what follows each of them (users, each with a cart and orders);
        // names are few and each is followed by many values (inv:1…inv:600, keep:1…).
        let fanOut = Double(names.reduce(0) { $0 + node.children[$1]!.children.count }) / Double(names.count)
        guard Double(names.count) > fanOut else { return }
        let next = names.map { continuation(node.children[$0]!) }
        var group = Array(names.indices)
        func find(_ i: Int) -> Int { var i = i; while group[i] != i { i = group[i] }; return i }
        for i in names.indices {
            for j in names.indices where j > i && !next[i].isDisjoint(with: next[j]) {
                group[find(j)] = find(i)
            }
        }
        var members: [Int: [Int]] = [:]
        for i in names.indices { members[find(i), default: []].append(i) }
        for list in members.values where list.count >= 2 {
            var star = Node()
            for i in list {
                if let child = node.children[names[i]] { star.merge(child) }
                node.children[names[i]] = nil
            }
            if node.children[wildcard] != nil { node.children[wildcard]!.merge(star) } else { node.children[wildcard] = star }
        }
    }

    /// What follows a value: its next segments, plus a mark shared by every value that
    /// holds a single key (a one-off, as ids are).
    private static func continuation(_ node: Node) -> Set<[UInt8]> {
        var out = Set(node.children.keys)
        if node.keys == 1 { out.insert(Array("$once".utf8)) }
        return out
    }

    private static func emit(_ node: Node, path: [[UInt8]], separator: UInt8,
                             into out: inout [(shape: [UInt8], payload: Payload)]) {
        if let p = node.payload { out.append((Array(path.joined(separator: [separator])), p)) }
        for (name, child) in node.children { emit(child, path: path + [name], separator: separator, into: &out) }
    }
}

import RESP

/// What a caller that pipelines multi-key commands on a cluster needs to know about slots,
/// so that routing rules (which keys may share a command, which replies mean "ask another
/// node") live in the client and operations never read reply text to route.
public enum SlotRouting {
    /// `keys` grouped by hash slot, slots in the order their first key appears: a multi-key
    /// command on a cluster must name keys of one slot only.
    public static func partition<Keys: Sequence>(_ keys: Keys) -> [(slot: Int, keys: [[UInt8]])]
    where Keys.Element == [UInt8] {
        var index: [Int: Int] = [:]
        var parts: [(slot: Int, keys: [[UInt8]])] = []
        for key in keys {
            let slot = KeySlot.slot(for: key)
            if let i = index[slot] {
                parts[i].keys.append(key)
            } else {
                index[slot] = parts.count
                parts.append((slot, [key]))
            }
        }
        return parts
    }

    /// Whether `reply` sends the command elsewhere (`MOVED`, `ASK`) or asks for it again
    /// later (`TRYAGAIN`, a multi-key command during a slot migration): the command did not
    /// run, and `ClusterClient.send` is the way to run it.
    public static func isRedirection(_ reply: RESPValue) -> Bool {
        guard let bytes = reply.errorBytes else { return false }
        return bytes.starts(with: "MOVED ".utf8) || bytes.starts(with: "ASK ".utf8) || bytes.starts(with: "TRYAGAIN".utf8)
    }
}

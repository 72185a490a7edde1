/// `bytes` with the glob metacharacters of `SCAN MATCH` (`* ? [ ] \`) escaped, so a
/// literal such as an IP address can be embedded in a pattern without widening it.
public func globEscaped(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for b in bytes {
        switch b {
        case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"):
            out.append(UInt8(ascii: "\\"))
        default:
            break
        }
        out.append(b)
    }
    return out
}

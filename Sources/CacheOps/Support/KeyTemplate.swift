/// Key templates such as `tag:{tag}`, `session:{member}` or `session:user:{user}`: a
/// placeholder stands for a name. Bytes throughout, so names need not be UTF-8.
public enum KeyTemplate {
    /// `template` with every occurrence of `placeholder` replaced by `value`.
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

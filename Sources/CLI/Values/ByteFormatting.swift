/// A byte count in the human form of Redis `INFO memory` (`used_memory_human`):
/// `512B`, `1.00K`, `2.10M`, `3.25G`, with 1K = 1024, so numbers match what
/// `redis-cli INFO` shows next to them.
public func formatBytes(_ bytes: Int) -> String {
    let units: [(String, Double)] = [
        ("P", 1_125_899_906_842_624), ("T", 1_099_511_627_776),
        ("G", 1_073_741_824), ("M", 1_048_576), ("K", 1024),
    ]
    let magnitude = bytes.magnitude
    for (suffix, size) in units where Double(magnitude) >= size {
        return formatFixed(Double(bytes) / size, decimals: 2) + suffix
    }
    return "\(bytes)B"
}

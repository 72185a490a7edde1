/// Fixed-point formatting (`%.2f`) without Foundation's `String(format:)`.
///
/// Rounds half away from zero at the requested number of decimals.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9.0e18 else { return String(value) }
    let units = UInt64(scaled)
    let divisor = UInt64(scale)
    let whole = units / divisor
    var text = value < 0 && units != 0 ? "-" : ""
    text += String(whole)
    if decimals > 0 {
        let fraction = String(units % divisor)
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return text
}

/// Like `formatFixed`, then drops trailing zeros and a trailing point: 1.50 → "1.5", 3.0 → "3".
public func formatTrimmed(_ value: Double, maxDecimals: Int) -> String {
    var text = formatFixed(value, decimals: maxDecimals)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

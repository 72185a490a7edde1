/// `x` with two decimals (`96.15`), for messages; Foundation's formatters are not linked.
func fmt(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    let scaled = (abs(x) * 100).rounded()
    let whole = Int64(scaled / 100)
    let frac = Int64(scaled.truncatingRemainder(dividingBy: 100))
    return "\(x < 0 ? "-" : "")\(whole).\(frac < 10 ? "0" : "")\(frac)"
}

/// Arithmetic for numbers that came from a server: a reply may hold any Int64, and a
/// count, TTL or byte total shown to the user should stop at the largest value rather than
/// trap the process (Swift traps on overflow and on out-of-range Double conversion).
extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, pinned to `min`/`max` instead of overflowing.
    public func saturatingAdd(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, pinned to `min`/`max` instead of overflowing (a counter that went
    /// backwards, or two absurd ones, must not trap).
    public func saturatingSubtract(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `value` rounded toward zero, pinned to the type's range; NaN becomes 0.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self.init(value)
        }
    }
}

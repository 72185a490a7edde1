/// The range an option's value must lie in (`1 to 65535`, `at least 1ms`), declared once
/// beside the option: the parser checks it (exit 64 naming the option) and help, the man
/// page and error messages all show the same words.
public struct ValueBounds: Sendable, Equatable, CustomStringConvertible {
    /// `1 to 65535`, `at least 1`, `at most 100`.
    public let description: String
    /// True when the option's text (already valid for its kind) lies in the range.
    let contains: @Sendable (String) -> Bool

    init(description: String, contains: @escaping @Sendable (String) -> Bool) {
        self.description = description
        self.contains = contains
    }

    public static func == (a: ValueBounds, b: ValueBounds) -> Bool { a.description == b.description }

    /// Bounds over a comparable value read from the option's text; `show` writes a bound
    /// as the user would type it.
    static func make<T: Comparable & Sendable>(_ lower: T?, _ upper: T?, read: @escaping @Sendable (String) -> T?,
                                                show: (T) -> String) -> ValueBounds? {
        let text: String
        switch (lower, upper) {
        case let (l?, u?): text = "\(show(l)) to \(show(u))"
        case let (l?, nil): text = "at least \(show(l))"
        case let (nil, u?): text = "at most \(show(u))"
        case (nil, nil): return nil
        }
        return ValueBounds(description: text) { string in
            guard let value = read(string) else { return false }
            if let lower, value < lower { return false }
            if let upper, value > upper { return false }
            return true
        }
    }
}

/// A declared range for a typed option: `1...65535`, `.atLeast(1)`, `.atMost(100)`.
public struct Bounds<T: Comparable & Sendable>: Sendable {
    public var lower: T?
    public var upper: T?

    public init(_ range: ClosedRange<T>) {
        lower = range.lowerBound
        upper = range.upperBound
    }

    init(lower: T?, upper: T?) {
        self.lower = lower
        self.upper = upper
    }

    public static func atLeast(_ value: T) -> Bounds { Bounds(lower: value, upper: nil) }
    public static func atMost(_ value: T) -> Bounds { Bounds(lower: nil, upper: value) }
}

/// One command-line argument, kept as the raw bytes the kernel handed over.
///
/// On Linux argv is a list of byte strings, not text: a Redis key typed on the command
/// line may be any bytes at all. `bytes` is the truth; `text` is a lossy UTF-8 reading
/// (invalid sequences become U+FFFD) for matching option names and for messages.
public struct Argument: Sendable, Equatable {
    public var bytes: [UInt8]
    public var text: String

    /// For tests and for arguments built in code.
    public init(_ s: String) {
        self.bytes = Array(s.utf8)
        self.text = s
    }

    /// From raw bytes (argv, or a slice of an argument such as the part after `=`).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    /// True when `bytes` is well-formed UTF-8, so `text` is exact.
    public var isValidUTF8: Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    /// The process arguments without argv[0], read as raw bytes so non-UTF-8 survives
    /// (`CommandLine.arguments` would repair invalid sequences).
    public static func fromProcessArguments() -> [Argument] {
        let argc = Int(CommandLine.argc)
        let argv = CommandLine.unsafeArgv
        var result: [Argument] = []
        result.reserveCapacity(max(0, argc - 1))
        var index = 1
        while index < argc {
            if let cString = argv[index] {
                var bytes: [UInt8] = []
                var p = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
                while p.pointee != 0 {
                    bytes.append(p.pointee)
                    p += 1
                }
                result.append(Argument(bytes: bytes))
            }
            index += 1
        }
        return result
    }
}

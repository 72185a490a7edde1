// libFuzzer entry for the argument parser and the value helpers behind it, compiled with the
// CLI sources by `scripts/fuzz arguments`; not part of the SwiftPM build.
//
// The input is split at NUL bytes into argv (argv is bytes on Linux: anything but NUL can
// arrive). Whatever the parser accepts must read back through every typed accessor, and the
// duration, size and number formatters must take any value without trapping: some of those
// numbers come from a server's replies.

@_cdecl("LLVMFuzzerTestOneInput")
public func argumentsFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    ArgumentsFuzz.check(bytes)
    return 0
}

enum ArgumentsFuzz {
    static func check(_ bytes: [UInt8]) {
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { Argument(bytes: Array($0)) }
        let spec = ProgramTable.spec
        do {
            let parsed = try CommandLineParser.parse(arguments, spec: spec)
            for name in parsed.options.givenNames {
                _ = parsed.options.string(name)
                _ = parsed.options.int(name)
                _ = parsed.options.double(name)
                _ = parsed.options.duration(name).map(formatDuration)
                _ = parsed.options.size(name).map(formatBytes)
            }
            _ = HelpRenderer.usageLine(for: parsed.commandPath, in: spec)
        } catch {
            _ = error.message
            _ = error.usage
        }
        for argument in arguments {
            _ = try? DurationParser.parse(argument.text)
            _ = try? SizeParser.parse(argument.text)
        }
        checkFormatters(bytes)
    }

    /// Numbers a server may send (TTLs, counts, memory) through every formatter.
    static func checkFormatters(_ bytes: [UInt8]) {
        var index = 0
        while index + 8 <= bytes.count {
            var raw: UInt64 = 0
            for byte in bytes[index..<(index + 8)] { raw = raw << 8 | UInt64(byte) }
            let value = Int64(bitPattern: raw)
            _ = formatDuration(.nanoseconds(value))
            _ = formatDuration(.milliseconds(value))
            _ = formatDuration(.seconds(value))
            _ = formatBytes(Int(value))
            _ = formatFixed(Double(value), decimals: Int(raw % 4))
            _ = formatTrimmed(Double(bitPattern: raw), maxDecimals: Int(raw % 4))
            index += 8
        }
    }
}

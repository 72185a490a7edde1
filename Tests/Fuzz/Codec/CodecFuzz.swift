// libFuzzer entry for the RESP codec, compiled with the RESP sources by `scripts/fuzz codec`
// (`swiftc -sanitize=fuzzer -parse-as-library`); not part of the SwiftPM build.
//
// Beyond "never traps", it checks the promises the parser makes: values come out the same
// however the stream is split, the allocation-free skip agrees with the builder on extent,
// kind and failure, and every value parsed re-encodes to bytes that parse back to it.

@_cdecl("LLVMFuzzerTestOneInput")
public func codecFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    CodecFuzz.check(bytes)
    return 0
}

enum CodecFuzz {
    /// What a parser made of a stream: the values, then the error or the unread tail.
    struct Outcome: Equatable {
        var encoded: [[UInt8]] = []
        var error: RESPProtocolError?
        var buffered = 0
    }

    static func check(_ bytes: [UInt8]) {
        // The first byte picks small limits and a small reply budget some of the time, so
        // the limit paths get hit.
        let small = (bytes.first ?? 0) & 1 == 1
        let budgeted = (bytes.first ?? 0) & 2 == 2
        let make = {
            var parser = small ? RESPParser(maxBulkLength: 64, maxDepth: 6) : RESPParser()
            if budgeted { parser.budget = RESPBudget(maxBytes: 96, maxElements: 12) }
            return parser
        }

        let whole = parse(bytes, chunk: bytes.count, make)
        let chunk = 1 + Int(bytes.last ?? 0) % 13
        expect(parse(bytes, chunk: chunk, make) == whole, "chunked (\(chunk)) parse differs")
        if bytes.count <= 512 {
            expect(parse(bytes, chunk: 1, make) == whole, "byte-by-byte parse differs")
        }
        checkSkip(bytes, make, against: whole)
        for wire in whole.encoded { checkRoundTrip(wire) }
    }

    static func parse(_ bytes: [UInt8], chunk: Int, _ make: () -> RESPParser) -> Outcome {
        var parser = make()
        var outcome = Outcome()
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + max(1, chunk))
            parser.append(Array(bytes[offset..<end]))
            offset = end
            do {
                while let value = try parser.next() { outcome.encoded.append(RESPEncoder.encode(value)) }
            } catch {
                outcome.error = error
                // The parser must keep failing the same way.
                do { _ = try parser.next(); fail("parser recovered after \(error)") } catch let again {
                    expect(again == error, "different error on retry")
                }
                return outcome
            }
        } while offset < bytes.count
        outcome.buffered = parser.bufferedByteCount
        return outcome
    }

    static func checkSkip(_ bytes: [UInt8], _ make: () -> RESPParser, against whole: Outcome) {
        var parser = make()
        parser.append(bytes)
        var count = 0
        do {
            var text: String?
            while let summary = try parser.skipNextSummary(errorText: &text) {
                expect(count < whole.encoded.count, "skip found more values than next()")
                let isError = whole.encoded[count].first == UInt8(ascii: "-") || whole.encoded[count].first == UInt8(ascii: "!")
                expect((summary.kind == .error) == isError, "skip summary kind disagrees")
                count += 1
            }
            expect(whole.error == nil, "skip accepted what next() refused")
            expect(count == whole.encoded.count, "skip found fewer values")
            expect(parser.bufferedByteCount == whole.buffered, "skip left a different tail")
        } catch {
            expect(whole.error == error, "skip failed differently: \(error) vs \(String(describing: whole.error))")
            expect(count == whole.encoded.count, "skip failed after a different count")
        }
    }

    static func checkRoundTrip(_ wire: [UInt8]) {
        var parser = RESPParser()
        parser.append(wire)
        do {
            guard let value = try parser.next() else { fail("re-encoded value incomplete") }
            expect(parser.bufferedByteCount == 0, "re-encoded value left bytes")
            expect(RESPEncoder.encode(value) == wire, "round trip changed the value")
        } catch {
            fail("re-encoded value does not parse: \(error)")
        }
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    static func fail(_ message: String) -> Never {
        fatalError("codec fuzz: \(message)")
    }
}

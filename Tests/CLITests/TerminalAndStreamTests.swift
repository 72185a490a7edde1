import CLI
import Foundation
import XCTest

final class TerminalAndStreamTests: XCTestCase {
    func testStyleOnlyWhenEnabled() {
        XCTAssertEqual(Style(enabled: false).red("x"), "x")
        XCTAssertEqual(Style(enabled: true).red("x"), "\u{1B}[31mx\u{1B}[0m")
        XCTAssertEqual(Style(enabled: true).bold("x"), "\u{1B}[1mx\u{1B}[0m")
        XCTAssertEqual(Style(enabled: true).green("x"), "\u{1B}[32mx\u{1B}[0m")
        XCTAssertEqual(Style(enabled: true).yellow("x"), "\u{1B}[33mx\u{1B}[0m")
    }

    func testColorRules() {
        XCTAssertFalse(Terminal.colorEnabled(fd: 1, noColorFlag: true))
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertFalse(Terminal.isTTY(fds[1]))
        XCTAssertFalse(Terminal.colorEnabled(fd: fds[1], noColorFlag: false), "a pipe is never coloured")
    }

    func testWriteAllDeliversEverything() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let payload = [UInt8](repeating: 0x61, count: 10_000) + [0xFF, 0x00]
        XCTAssertTrue(payload.withUnsafeBytes { writeAll(fd: fds[1], $0) })
        close(fds[1])
        let handle = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        XCTAssertEqual(Array(handle.readDataToEndOfFile()), payload)
    }

    func testWriteToClosedPipeReturnsFalse() {
        signal(SIGPIPE, SIG_IGN)  // as main does
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        close(fds[0])
        defer { close(fds[1]) }
        XCTAssertFalse(writeAll(fd: fds[1], "nobody reads this\n"))
        XCTAssertEqual(Array("x".utf8).withUnsafeBytes { writeAllChecked(fd: fds[1], $0) }, .readerGone)
    }

    /// A full disk is not a reader that left: the caller must exit 74, not stop quietly.
    func testWriteToAFullDeviceIsAFailureNamingENOSPC() throws {
        let fd = open("/dev/full", O_WRONLY)
        guard fd >= 0 else { throw XCTSkip("no /dev/full") }
        defer { close(fd) }
        let failure = Array("lost".utf8).withUnsafeBytes { writeAllChecked(fd: fd, $0) }
        XCTAssertEqual(failure, .failed(errno: ENOSPC))
        XCTAssertEqual(failure?.reason, "No space left on device")
        XCTAssertNil([UInt8]().withUnsafeBytes { writeAllChecked(fd: fd, $0) }, "nothing to write is no failure")
    }

    func testArgumentInitializers() {
        let a = Argument("café")
        XCTAssertEqual(a.bytes, Array("café".utf8))
        XCTAssertTrue(a.isValidUTF8)
        let b = Argument(bytes: [0x61, 0xFF])
        XCTAssertEqual(b.text, "a\u{FFFD}")
        XCTAssertFalse(b.isValidUTF8)
        XCTAssertEqual(Argument.fromProcessArguments().map(\.text), Array(CommandLine.arguments.dropFirst()))
    }
}

import CLI
import XCTest

/// User-facing text names things by what they are (`rate:IP:ENDPOINT`, the login preset),
/// never by the numbered design notes they came from.
final class ProgramTableWordingTests: XCTestCase {
    func testHelpAndManPageSayNothingOfSeeds() {
        let spec = ProgramTable.spec
        var texts = [("man", ManPageGenerator.manPage(for: spec, date: "2026-01-01")),
                     ("help", HelpRenderer.help(for: [], in: spec))]
        for (path, _) in spec.allCommands {
            texts.append((path.joined(separator: " "), HelpRenderer.help(for: path, in: spec)))
        }
        for (name, text) in texts {
            XCTAssertNil(text.range(of: "seed", options: .caseInsensitive), "\(name) mentions a seed")
        }
    }
}

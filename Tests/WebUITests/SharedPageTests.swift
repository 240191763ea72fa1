import Foundation
import Testing

@testable import WebUI

/// Checks every page must pass.
@Suite struct SharedPageTests {
    static let pages = AllPages.samples()

    @Test(arguments: pages.map(\.name))
    func pageIsAWholeRussianDocumentUnder60KB(_ name: String) throws {
        let html = try #require(Self.pages.first { $0.name == name }?.html)
        #expect(html.hasPrefix("<!DOCTYPE html><html lang=\"ru\">"))
        #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1"))
        #expect(html.contains("<meta name=\"theme-color\" content=\"#020617\"/>"))
        #expect(html.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\"/>"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"/static/app.css\"/>"))
        #expect(html.contains("<script src=\"/static/app.js\" defer></script>"))
        #expect(html.contains("<link rel=\"icon\""))
        #expect(html.utf8.count < 60 * 1024, "\(name) is \(html.utf8.count) bytes")
    }

    @Test(arguments: pages.map(\.name))
    func everyControlHasALabel(_ name: String) throws {
        let html = try #require(Self.pages.first { $0.name == name }?.html)
        #expect(HTMLChecks.unlabelledControls(in: html) == [])
        #expect(HTMLChecks.duplicateIDs(in: html) == [])
    }

    @Test(arguments: pages.map(\.name))
    func everyTypedInputHasAutocompleteAndNumbersHaveInputmode(_ name: String) throws {
        let html = try #require(Self.pages.first { $0.name == name }?.html)
        for tag in HTMLChecks.tags("input", in: html) {
            let type = HTMLChecks.attribute("type", of: tag) ?? "text"
            guard !["hidden", "checkbox", "submit"].contains(type) else { continue }
            #expect(HTMLChecks.attribute("autocomplete", of: tag) != nil, "\(tag)")
            let field = HTMLChecks.attribute("name", of: tag) ?? ""
            let numeric = [
                "price", "rate", "amount", "quantity", "hours", "shifts", "fuel", "repair", "prepayment",
                "total",
            ].contains { field.contains($0) }
            if numeric { #expect(HTMLChecks.attribute("inputmode", of: tag) != nil, "\(tag)") }
        }
    }

    @Test(arguments: pages.map(\.name))
    func everyPostFormCarriesTheCSRFToken(_ name: String) throws {
        let html = try #require(Self.pages.first { $0.name == name }?.html)
        #expect(HTMLChecks.postFormsWithoutCSRF(in: html, token: Fixture.csrf) == [])
    }

    @Test(arguments: pages.map(\.name))
    func dataIsEscaped(_ name: String) throws {
        let html = try #require(Self.pages.first { $0.name == name }?.html)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("\"quotes\""))
    }

    @Test func fixturesWithHostileDataActuallyShowIt() {
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
        let showing = Self.pages.filter { $0.html.contains(escaped) }.map(\.name)
        #expect(showing.count >= 10, "hostile data should reach many pages: \(showing)")
    }

    /// Writes every page to `$WEBUI_DUMP_DIR` for a look in a browser (skipped otherwise).
    @Test func dumpPagesWhenAsked() throws {
        guard let dir = ProcessInfo.processInfo.environment["WEBUI_DUMP_DIR"] else { return }
        for page in Self.pages {
            try page.html.write(toFile: dir + "/" + page.name + ".html", atomically: true, encoding: .utf8)
        }
    }
}

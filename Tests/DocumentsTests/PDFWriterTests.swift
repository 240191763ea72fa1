import Foundation
import Testing

@testable import Documents

private let fixedDate = Date(timeIntervalSince1970: 1_796_342_400)  // 2026-12-04

/// A one-page document shaped like «Счёт на оплату»: header, table, totals and a QR-like block.
private func sampleInvoice(rows: Int = 4) -> PDFDocument {
    let document = testDocument(title: "Счёт на оплату № 15", creationDate: fixedDate)
    let page = document.addPage()
    page.text("ООО «Ринго Спецтехника»", x: 40, y: 40, bold: true)
    page.textBlock("ИНН 7701234567, КПП 770101001, г. Москва, ул. Строителей, д. 15", x: 40, y: 56, width: 300, size: 9)
    page.text("Счёт на оплату № 15 от 4 декабря 2026 г.", x: 40, y: 110, size: 16, bold: true)
    page.line(from: PDFPoint(x: 40, y: 134), to: PDFPoint(x: 555, y: 134), width: 1.5)
    var modules: [PDFRect] = []
    for row in 0..<29 {
        for column in 0..<29 where (row * 7 + column * 13) % 3 == 0 {
            let (x, y): (Double, Double) = (470 + Double(column) * 2.5, 30 + Double(row) * 2.5)
            modules.append(PDFRect(x: x, y: y, width: 2.5, height: 2.5))
        }
    }
    page.fillRects(modules)
    let table = PDFTable(
        columns: [
            PDFTableColumn("№", width: 25, alignment: .center),
            PDFTableColumn("Наименование работ, услуг", width: 250),
            PDFTableColumn("Кол-во", width: 50, alignment: .right),
            PDFTableColumn("Ед.", width: 40, alignment: .center),
            PDFTableColumn("Цена", width: 70, alignment: .right),
            PDFTableColumn("Сумма", width: 80, alignment: .right),
        ],
        rows: (1...rows).map {
            [
                "\($0)", "Аренда экскаватора-погрузчика JCB 3CX с оператором, строка \($0)", "4", "ч", "5 750,00",
                "23 000,00",
            ]
        })
    let end = document.draw(table, on: page, x: 40, y: 150)
    end.page.text("Итого: 23 000,00", x: 40, y: end.y + 10, width: 515, alignment: .right, bold: true)
    end.page.text("Двадцать три тысячи рублей 00 копеек", x: 40, y: end.y + 28)
    return document
}

/// The system's DejaVu fonts (fonts-dejavu-core); the suites that draw text skip without them.
enum TestFonts {
    static let loaded = try? DocumentFonts.load().get()
    static let enabled = ExternalTool.required || loaded != nil
    static let skipReason: Comment = "DejaVu fonts not found: install fonts-dejavu-core or set RINGO_FONT_DIR"
    static var regular: Font { loaded!.regular }
    static var bold: Font { loaded!.bold }
}

private func testDocument(title: String, creationDate: Date) -> PDFDocument {
    PDFDocument(title: title, regularFont: TestFonts.regular, boldFont: TestFonts.bold, creationDate: creationDate)
}

@Suite(.enabled(if: TestFonts.enabled, TestFonts.skipReason)) struct StructureTests {
    @Test func headerObjectsCrossReferenceAndTrailer() throws {
        let bytes = sampleInvoice().data()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.7\n%"))
        #expect(bytes[10..<14].allSatisfy { $0 > 127 }, "binary comment line")
        #expect(text.hasSuffix("%%EOF\n"))

        // Byte-level checks: Swift treats "\r\n" as one Character, so no String indexing here.
        func ascii(_ offset: Int, _ count: Int) -> String {
            String(decoding: bytes[offset..<min(offset + count, bytes.count)], as: UTF8.self)
        }
        let tail = ascii(bytes.count - 40, 40)
        let startxref = try #require(tail.range(of: "startxref\n"))
        let xrefOffset = try #require(Int(tail[startxref.upperBound...].prefix { $0.isNumber }))
        #expect(ascii(xrefOffset, 7) == "xref\n0 ")
        let subsection = ascii(xrefOffset + 5, 20).prefix { $0 != "\n" }
        let count = try #require(Int(subsection.split(separator: " ")[1]))
        #expect(count > 10)
        let firstEntry = xrefOffset + 5 + subsection.utf8.count + 1
        #expect(ascii(firstEntry, 20) == "0000000000 65535 f\r\n")
        for number in 1..<count {
            let entry = ascii(firstEntry + 20 * number, 20)  // entries are exactly 20 bytes (7.5.4)
            #expect(entry.hasSuffix(" 00000 n\r\n"))
            let offset = try #require(Int(entry.prefix(10)))
            #expect(ascii(offset, 20).hasPrefix("\(number) 0 obj\n"), "object \(number) at \(offset)")
        }
        let latin1 = String(bytes.map { Character(Unicode.Scalar($0)) })
        #expect(latin1.contains("/Type0") && latin1.contains("/CIDFontType2") && latin1.contains("/Identity-H"))
        #expect(
            latin1.contains("/FontFile2") && latin1.contains("/ToUnicode") && latin1.contains("/CIDToGIDMap /Identity"))
        #expect(latin1.contains("/CreationDate (D:20261204000000Z)"))
    }

    @Test func numbersNeverUseExponentNotation() {
        #expect(format(0.0000001) == "0")
        #expect(format(-0.0004) == "0")
        #expect(format(1e9) == "1000000000")
        #expect(format(12.5) == "12.5")
        #expect(format(-3.14159) == "-3.142")
        #expect(format(.nan) == "0")
    }

    @Test func uncompressedContentShowsGlyphIdsInHex() {
        let document = testDocument(title: "Plain", creationDate: fixedDate)
        document.compressesStreams = false
        document.addPage().text("(Ж)\\", x: 10, y: 10)
        let text = String(decoding: document.data(), as: UTF8.self)
        #expect(text.contains("<0001000200030004> Tj"), "parentheses and backslash need no escaping as glyph ids")
        #expect(!text.contains("/FlateDecode"))
        #expect(
            document.textWidth("a\tb\n", size: 10) == document.textWidth("ab", size: 10),
            "control characters are not drawn")
    }

    @Test func flateStreamsAreZlib() {
        let compressed = Flate.zlib(Array(repeating: UInt8(ascii: "a"), count: 1000))
        #expect(compressed.first == 0x78, "a zlib header, as /FlateDecode expects")
        #expect(compressed.count < 30, "long runs become back-references")
    }

    @Test func oneInvoicePageStaysSmall() {
        let size = sampleInvoice().data().count
        #expect(size < 2 * 60_000, "\(size) bytes for two fonts")
    }
}

@Suite(.enabled(if: TestFonts.enabled, TestFonts.skipReason)) struct FontTests {
    @Test func parsesMetricsAndWidths() {
        let font = TestFonts.regular
        #expect(font.unitsPerEm == 2048)
        #expect(font.postScriptName == "DejaVuSans")
        #expect(font.advance(ofGlyph: font.glyph(for: "A")) == 1401)
        #expect(font.width(of: "A", size: 2048) == 1401)
        #expect(abs(font.width(of: "  ", size: 10) - 2 * 651 * 10 / 2048) < 1e-9)
        #expect(font.glyph(for: "Ж") != 0)
        #expect(font.glyph(for: "\u{E000}") == 0, "unmapped characters fall back to .notdef")
        #expect(TestFonts.bold.isBold && !font.isBold)
    }

    @Test func characterMapFormatsAgree() throws {
        let font = TestFonts.regular
        let cmap = try #require(font.tables["cmap"]).lowerBound
        let basicPlane = try Font.parseCharacterMap(ByteReader(font.bytes), at: cmap, useFormat12: false)
        #expect(basicPlane.count > 3000)
        #expect(
            basicPlane == font.glyphForScalar.filter { $0.key <= 0xFFFF }, "format 4 and format 12 map the BMP alike")
    }

    @Test func subsetKeepsCompositeComponents() throws {
        let font = TestFonts.regular
        let composite = font.glyph(for: "ё")
        let components = font.components(ofGlyph: composite).map(\.glyph)
        #expect(!components.isEmpty, "DejaVu Sans draws ё as e plus a diaeresis")

        let subset = FontSubset(font: font)
        #expect(subset.encode("ё") == [1])
        let program = subset.fontProgram()
        for component in components { #expect(subset.originalGlyphs.contains(component)) }
        #expect(FontSubset.checksum(program) == 0xB1B0_AFBA, "head.checkSumAdjustment makes the file sum to the magic")

        let reparsed = try Font(bytes: program, requireCharacterMap: false)
        #expect(reparsed.glyphRanges.count == subset.originalGlyphs.count)
        #expect(reparsed.advance(ofGlyph: 1) == font.advance(ofGlyph: composite))
        let renumbered = reparsed.components(ofGlyph: 1).map(\.glyph)
        #expect(renumbered.map { subset.originalGlyphs[Int($0)] } == components)
        #expect(program.count < 10_000)
    }
}

@Suite(.enabled(if: TestFonts.enabled, TestFonts.skipReason)) struct LayoutTests {
    let document = testDocument(title: "Layout", creationDate: fixedDate)

    @Test func wrapsOnWordsWithinWidth() {
        let text = "Аренда экскаватора-погрузчика JCB 3CX с оператором на объекте заказчика"
        let lines = document.wrappedLines(text, width: 120, size: 10)
        #expect(lines.count > 2)
        for line in lines { #expect(document.textWidth(line, size: 10) <= 120) }
        #expect(lines.contains { $0.hasSuffix("экскаватора-") }, "breaks after the hyphen: \(lines)")
        #expect(lines.joined(separator: " ").replacingOccurrences(of: "- ", with: "-") == text)
    }

    @Test func breaksLongWordsAndKeepsNewlines() {
        let lines = document.wrappedLines("Сверхдлинноеслововсепомещается\nвторая", width: 50, size: 10)
        #expect(lines.last == "вторая")
        #expect(lines.dropLast().joined() == "Сверхдлинноеслововсепомещается")
        #expect(document.wrappedLines("", width: 50, size: 10) == [""])
        #expect(document.wrappedLines("один\r\nдва\tтри", width: 500, size: 10) == ["один", "два три"])
        #expect(document.wrappedLines("сумма -5 000,00", width: 40, size: 10).contains("-5"))
    }

    @Test func tableNeverLeavesItsHeaderAloneAtThePageBottom() {
        let document = testDocument(title: "Table", creationDate: fixedDate)
        let first = document.addPage()
        let table = PDFTable(columns: [PDFTableColumn("Услуга", width: 200)], rows: [["Аренда"], ["Доставка"]])
        let end = document.draw(table, on: first, x: 40, y: 790)
        #expect(document.pages.count == 2)
        #expect(first.content.isEmpty)
        #expect(end.page === document.pages[1])
        #expect(end.y > document.margins.top)
    }

    @Test func boldIsWider() {
        #expect(document.textWidth("Итого", size: 10, bold: true) > document.textWidth("Итого", size: 10))
    }
}

enum ExternalTool {
    static let required = ProcessInfo.processInfo.environment["RINGO_REQUIRE_TOOLS"] == "1"

    static func path(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Tests run when the tool is installed, or always under RINGO_REQUIRE_TOOLS=1 (then a missing tool fails).
    static func enabled(_ name: String) -> Bool { required || path(name) != nil }

    static func run(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let executable = try #require(path(name), "\(name) is not installed (apt-get install poppler-utils qpdf)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func write(_ document: PDFDocument) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pdfwriter-\(UUID().uuidString).pdf")
        try Data(document.data()).write(to: url)
        return url
    }
}

@Suite(.enabled(if: TestFonts.enabled, TestFonts.skipReason)) struct ReaderRoundTripTests {
    @Test(.enabled(if: ExternalTool.enabled("pdftotext"), "pdftotext (poppler-utils) is not installed"))
    func pdftotextReturnsTheRussianText() throws {
        let url = try ExternalTool.write(sampleInvoice())
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ExternalTool.run("pdftotext", ["-layout", url.path, "-"])
        #expect(result.status == 0)
        #expect(result.output.contains("Счёт на оплату № 15 от 4 декабря 2026 г."))
        #expect(result.output.contains("Итого: 23 000,00"))
        #expect(result.output.contains("Двадцать три тысячи рублей 00 копеек"))
        #expect(result.output.contains("ООО «Ринго Спецтехника»"))
    }

    @Test(.enabled(if: ExternalTool.enabled("pdftotext"), "pdftotext (poppler-utils) is not installed"))
    func longTableContinuesWithItsHeader() throws {
        let document = sampleInvoice(rows: 60)
        #expect(document.pages.count >= 2)
        let url = try ExternalTool.write(document)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ExternalTool.run("pdftotext", ["-layout", url.path, "-"])
        let pages = result.output.split(separator: "\u{0C}").filter {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        #expect(pages.count == document.pages.count)
        for page in pages { #expect(page.contains("Наименование работ, услуг")) }
        #expect(pages.last?.contains("строка 60") == true)
        #expect(pages.last?.contains("Итого: 23 000,00") == true)
    }

    @Test(.enabled(if: ExternalTool.enabled("qpdf"), "qpdf is not installed"))
    func qpdfFindsNoErrors() throws {
        let url = try ExternalTool.write(sampleInvoice(rows: 60))
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ExternalTool.run("qpdf", ["--check", url.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("No syntax or stream encoding errors found"))
    }

    @Test(.enabled(if: ExternalTool.enabled("gs"), "Ghostscript is not installed"))
    func ghostscriptExtractsTheSameText() throws {
        let url = try ExternalTool.write(sampleInvoice())
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ExternalTool.run(
            "gs", ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite", "-sOutputFile=-", url.path])
        #expect(result.status == 0)
        #expect(result.output.contains("Счёт на оплату № 15 от 4 декабря 2026 г."))
        #expect(result.output.contains("Двадцать три тысячи рублей 00 копеек"))
    }

    @Test(.enabled(if: ExternalTool.enabled("pdftoppm"), "pdftoppm (poppler-utils) is not installed"))
    func pdftoppmRendersTheFirstPage() throws {
        let url = try ExternalTool.write(sampleInvoice())
        defer { try? FileManager.default.removeItem(at: url) }
        let prefix = url.deletingPathExtension().path
        let result = try ExternalTool.run(
            "pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", url.path, prefix])
        #expect(result.status == 0)
        #expect(!result.output.contains("Error"), "\(result.output)")
        let png = try Data(contentsOf: URL(fileURLWithPath: prefix + ".png"))
        try? FileManager.default.removeItem(atPath: prefix + ".png")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 1_000)
    }
}

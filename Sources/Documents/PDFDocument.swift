import Foundation

public struct PDFPageSize: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { (self.width, self.height) = (width, height) }
    public static let a4 = PDFPageSize(width: 595, height: 842)
    public static let a4Landscape = PDFPageSize(width: 842, height: 595)
}

public struct PDFMargins: Sendable, Equatable {
    public var top, left, bottom, right: Double
    public init(top: Double = 40, left: Double = 40, bottom: Double = 40, right: Double = 40) {
        (self.top, self.left, self.bottom, self.right) = (top, left, bottom, right)
    }
}

/// A PDF 1.7 document built in memory: add pages, draw on them, then call `data()`.
public final class PDFDocument {
    public var title: String
    public var producer = "Ringo Uchet"
    /// Flate-compresses content, font and CMap streams; turn off to read content streams in a text editor.
    public var compressesStreams = true
    public var creationDate: Date
    public var pageSize: PDFPageSize
    public var margins: PDFMargins
    public private(set) var pages: [PDFPage] = []
    let regular: FontSubset
    let bold: FontSubset

    public init(
        title: String, regularFont: Font, boldFont: Font,
        pageSize: PDFPageSize = .a4, margins: PDFMargins = PDFMargins(), creationDate: Date = Date()
    ) {
        self.title = title
        self.regular = FontSubset(font: regularFont)
        self.bold = FontSubset(font: boldFont)
        self.pageSize = pageSize
        self.margins = margins
        self.creationDate = creationDate
    }

    /// Appends a page (of the document's page size unless given) and returns it for drawing.
    @discardableResult
    public func addPage(size: PDFPageSize? = nil) -> PDFPage {
        let page = PDFPage(size: size ?? pageSize, regular: regular, bold: bold)
        pages.append(page)
        return page
    }

    func subset(bold isBold: Bool) -> FontSubset { isBold ? bold : regular }

    public func textWidth(_ text: String, size: Double, bold isBold: Bool = false) -> Double {
        subset(bold: isBold).font.width(of: text, size: size)
    }

    public func wrappedLines(_ text: String, width: Double, size: Double, bold isBold: Bool = false) -> [String] {
        subset(bold: isBold).font.wrappedLines(text, width: width, size: size)
    }

    /// The serialized file (ISO 32000-1, 7.5: header, body, cross-reference table, trailer).
    public func data() -> [UInt8] {
        if pages.isEmpty { addPage() }
        var writer = ObjectWriter(compressesStreams: compressesStreams)
        let catalogRef = writer.reserve()
        let pagesRef = writer.reserve()
        let infoRef = writer.reserve()

        var fontResources: [(name: String, ref: Int)] = []
        for (name, subset) in [("F1", regular), ("F2", bold)] where subset.originalGlyphs.count > 1 {
            fontResources.append((name, writeFont(subset, into: &writer)))
        }
        let fontDictionary = fontResources.map { "/\($0.name) \($0.ref) 0 R" }.joined(separator: " ")

        var pageRefs: [Int] = []
        for page in pages {
            let contentRef = writer.addStream(dictionary: "", data: page.content)
            let pageRef = writer.reserve()
            writer.set(
                pageRef,
                """
                << /Type /Page /Parent \(pagesRef) 0 R \
                /MediaBox [0 0 \(format(page.size.width)) \(format(page.size.height))] \
                /Resources << /Font << \(fontDictionary) >> /ProcSet [/PDF /Text] >> /Contents \(contentRef) 0 R >>
                """)
            pageRefs.append(pageRef)
        }
        let kids = pageRefs.map { "\($0) 0 R" }.joined(separator: " ")
        writer.set(pagesRef, "<< /Type /Pages /Kids [\(kids)] /Count \(pageRefs.count) >>")
        writer.set(catalogRef, "<< /Type /Catalog /Pages \(pagesRef) 0 R >>")
        writer.set(
            infoRef,
            """
            << /Title \(textString(title)) /Producer \(textString(producer)) \
            /CreationDate (\(pdfDate(creationDate))) >>
            """)
        return writer.finish(root: catalogRef, info: infoRef)
    }

    /// Type 0 font with an Identity-H CMap over a CIDFontType2 descendant (ISO 32000-1, 9.7).
    private func writeFont(_ subset: FontSubset, into writer: inout ObjectWriter) -> Int {
        let program = subset.fontProgram()  // first: it adds composite components to the subset
        let font = subset.font
        let name = "\(subset.tag)+\(font.postScriptName)"
        func scaled(_ units: Int) -> String { format(Double(units) * 1000 / Double(font.unitsPerEm)) }

        let fileRef = writer.addStream(dictionary: "/Length1 \(program.count)", data: program)
        // Symbolic: the glyphs (Cyrillic) lie outside the standard Latin set (ISO 32000-1, 9.8.2, Table 123).
        let flags = 4 | (font.italicAngle != 0 ? 64 : 0)
        let descriptorRef = writer.add(
            """
            << /Type /FontDescriptor /FontName /\(name) /Flags \(flags) \
            /FontBBox [\(font.boundingBox.map(scaled).joined(separator: " "))] \
            /ItalicAngle \(format(font.italicAngle)) \
            /Ascent \(scaled(font.ascent)) /Descent \(scaled(font.descent)) /CapHeight \(scaled(font.capHeight)) \
            /StemV \(font.isBold ? 120 : 80) /FontFile2 \(fileRef) 0 R >>
            """)
        let widths = subset.widths.map(format).joined(separator: " ")
        let cidFontRef = writer.add(
            """
            << /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) \
            /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
            /FontDescriptor \(descriptorRef) 0 R /W [0 [\(widths)]] /CIDToGIDMap /Identity >>
            """)
        let toUnicodeRef = writer.addStream(dictionary: "", data: Array(toUnicodeCMap(subset).utf8))
        return writer.add(
            """
            << /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H \
            /DescendantFonts [\(cidFontRef) 0 R] /ToUnicode \(toUnicodeRef) 0 R >>
            """)
    }

    /// Maps glyph codes back to Unicode for text extraction (ISO 32000-1, 9.10.3).
    private func toUnicodeCMap(_ subset: FontSubset) -> String {
        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let entries = subset.textByGlyph.sorted { $0.key < $1.key }
        var start = 0
        while start < entries.count {  // at most 100 entries per bfchar block
            let chunk = entries[start..<min(start + 100, entries.count)]
            cmap += "\(chunk.count) beginbfchar\n"
            for (glyph, text) in chunk { cmap += "<\(hex(glyph))> <\(text.utf16.map(hex).joined())>\n" }
            cmap += "endbfchar\n"
            start += 100
        }
        return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    }

    /// A date string (ISO 32000-1, 7.9.4) in UTC.
    private func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let fields = [
            (parts.year, 4), (parts.month, 2), (parts.day, 2), (parts.hour, 2), (parts.minute, 2), (parts.second, 2),
        ]
        return "D:"
            + fields.map { value, digits in
                let text = String(value ?? 0)
                return String(repeating: "0", count: max(0, digits - text.count)) + text
            }.joined() + "Z"
    }
}

/// A text string as UTF-16BE with a byte order mark, in hex (ISO 32000-1, 7.9.2.2).
func textString(_ text: String) -> String {
    "<FEFF" + text.utf16.map(hex).joined() + ">"
}

func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - digits.count) + digits
}

/// A number with at most three decimals and never in exponent notation (ISO 32000-1, 7.3.3).
func format(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let thousandths = Int64((abs(value) * 1000).rounded())
    let sign = value < 0 && thousandths != 0 ? "-" : ""
    var fraction = String(thousandths % 1000)
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return sign + String(thousandths / 1000) + (fraction.isEmpty ? "" : "." + fraction)
}

/// Collects numbered indirect objects and writes the cross-reference table (ISO 32000-1, 7.5.4).
struct ObjectWriter {
    let compressesStreams: Bool
    private var objects: [[UInt8]?] = []

    init(compressesStreams: Bool) { self.compressesStreams = compressesStreams }

    mutating func reserve() -> Int {
        objects.append(nil)
        return objects.count
    }

    mutating func set(_ number: Int, _ body: String) {
        objects[number - 1] = Array(body.utf8)
    }

    mutating func add(_ body: String) -> Int {
        let number = reserve()
        set(number, body)
        return number
    }

    mutating func addStream(dictionary: String, data: [UInt8]) -> Int {
        let number = reserve()
        let compressed = compressesStreams ? Flate.zlib(data) : data
        let isCompressed = compressesStreams && compressed != data
        let stored = isCompressed ? compressed : data
        let filter = isCompressed ? " /Filter /FlateDecode" : ""
        let extra = dictionary.isEmpty ? "" : " " + dictionary
        objects[number - 1] =
            Array("<< /Length \(stored.count)\(filter)\(extra) >>\nstream\n".utf8)
            + stored + Array("\nendstream".utf8)
        return number
    }

    func finish(root: Int, info: Int) -> [UInt8] {
        // The comment with bytes above 127 marks the file as binary for transfer tools (7.5.2).
        var output = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3] + [0x0A]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(output.count)
            output += Array("\(index + 1) 0 obj\n".utf8) + (body ?? Array("null".utf8)) + Array("\nendobj\n".utf8)
        }
        let xref = output.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f\r\n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n\r\n"
        }
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in output { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        let id = String(format: "%016llX", hash)
        table += """
            trailer
            << /Size \(objects.count + 1) /Root \(root) 0 R /Info \(info) 0 R /ID [<\(id)> <\(id)>] >>
            startxref
            \(xref)
            %%EOF

            """
        return output + Array(table.utf8)
    }
}

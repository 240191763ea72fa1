import Foundation
import ZIPFoundation

/// A one-sheet Office Open XML workbook (`.xlsx`): the sheet XML is written row by row to a temporary file
/// with inline strings (no shared-string table to keep in memory), then zipped with the package parts.
final class XLSXTableWriter {
    private let directory: URL
    private let sheetURL: URL
    private let sheet: BufferedFile
    private let sheetName: String
    private var rowNumber = 0

    init(directory: URL, sheetName: String) throws {
        self.directory = directory
        sheetURL = directory.appendingPathComponent("sheet1.xml")
        sheet = try BufferedFile(creating: sheetURL)
        self.sheetName = Self.safeSheetName(sheetName)
    }

    func write(_ row: [ExportCell], isHeader: Bool) throws {
        if rowNumber == 0 { try writePreamble(columns: row) }
        rowNumber += 1
        var xml = "<row r=\"\(rowNumber)\">"
        for (index, cell) in row.enumerated() {
            let reference = Self.columnName(index) + String(rowNumber)
            let style = isHeader ? " s=\"1\"" : ""
            switch cell {
            case .empty:
                continue
            case .number(let value):
                xml += "<c r=\"\(reference)\"\(style)><v>\(Self.escape(value))</v></c>"
            case .text(let value):
                let preserve =
                    value.first?.isWhitespace == true || value.last?.isWhitespace == true
                    || value.contains("\n")
                xml +=
                    "<c r=\"\(reference)\"\(style) t=\"inlineStr\"><is><t"
                    + (preserve ? " xml:space=\"preserve\"" : "") + ">\(Self.escape(value))</t></is></c>"
            }
        }
        try sheet.append(xml + "</row>")
    }

    private func writePreamble(columns: [ExportCell]) throws {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" \
            state="frozen"/></sheetView></sheetViews><cols>
            """
        for (index, cell) in columns.enumerated() {
            var width = 12
            if case .text(let title) = cell { width = min(max(title.count + 4, 12), 50) }
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        try sheet.append(xml + "</cols><sheetData>")
    }

    func finish() throws -> URL {
        if rowNumber == 0 { try writePreamble(columns: []) }
        try sheet.append("</sheetData></worksheet>")
        try sheet.close()
        let bookURL = directory.appendingPathComponent("book.xlsx")
        let archive = try Archive(url: bookURL, accessMode: .create)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", Self.contentTypes), ("_rels/.rels", Self.rootRelationships),
            ("docProps/app.xml", Self.appProperties), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", Self.workbookRelationships), ("xl/styles.xml", Self.styles),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                })
        }
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", fileURL: sheetURL, compressionMethod: .deflate, bufferSize: 256 * 1024)
        try? FileManager.default.removeItem(at: sheetURL)
        return bookURL
    }

    // MARK: - Package parts

    private var workbook: String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(Self.escape(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    }

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/app.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """

    private static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" \
        Target="docProps/app.xml"/>\
        </Relationships>
        """

    private static let appProperties = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
        <Application>Ringo Uchet</Application></Properties>
        """

    private static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/>\
        </Relationships>
        """

    /// Two cell formats: 0 plain, 1 bold (the header row).
    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    // MARK: - Helpers

    /// `0` → `A`, `25` → `Z`, `26` → `AA`.
    static func columnName(_ index: Int) -> String {
        var number = index + 1
        var name = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            number = (number - 1) / 26
        }
        return name
    }

    /// XML text with `& < > "` escaped and characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        let needsWork = text.utf8.contains { byte in
            byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") || byte == 0xEF
        }
        guard needsWork else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
    static func safeSheetName(_ name: String) -> String {
        let cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Лист1" : cleaned
    }
}

import Domain
import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An uploaded spreadsheet as rows of cell texts: XLSX (the first sheet; shared and inline strings) or CSV
/// (UTF-8 or Windows-1251, `;` or `,`; see `CSVText`).
enum SpreadsheetFile {
    enum ReadError: Error {
        case unreadable(String)

        var message: String {
            switch self {
            case .unreadable(let reason): reason
            }
        }
    }

    static func table(_ data: Data) throws -> [[String]] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try xlsx(data) }
        return CSVText.rows(CSVText.decode(Array(data)))
    }

    static func xlsx(_ data: Data) throws -> [[String]] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw ReadError.unreadable("Файл XLSX повреждён: его не удалось открыть.")
        }
        var sheetPath: String?
        var shared = Data()
        for entry in archive {
            if entry.path == "xl/sharedStrings.xml" { _ = try archive.extract(entry) { shared.append($0) } }
            if entry.path.hasPrefix("xl/worksheets/sheet"), entry.path.hasSuffix(".xml") {
                // sheet1.xml before sheet10.xml: the first sheet of the book.
                if sheetPath.map({ entry.path.count < $0.count || (entry.path.count == $0.count && entry.path < $0) })
                    ?? true
                {
                    sheetPath = entry.path
                }
            }
        }
        guard let sheetPath, let entry = archive[sheetPath] else {
            throw ReadError.unreadable("В файле XLSX нет ни одного листа.")
        }
        var sheet = Data()
        _ = try archive.extract(entry) { sheet.append($0) }
        var strings: [String] = []
        if !shared.isEmpty {
            let parser = SharedStringsParser()
            let xml = XMLParser(data: shared)
            xml.delegate = parser
            guard xml.parse() else { throw ReadError.unreadable("Файл XLSX повреждён (общие строки).") }
            strings = parser.strings
        }
        let parser = SheetXMLParser(shared: strings)
        // A stream feeds libxml2 in chunks; one chunk above 10 MB is refused without its "huge" option.
        let xml = XMLParser(stream: InputStream(data: sheet))
        xml.delegate = parser
        guard xml.parse() else { throw ReadError.unreadable("Файл XLSX повреждён (лист).") }
        return parser.rows
    }

    /// `xl/sharedStrings.xml`: the texts of `<si>` (rich-text runs joined).
    private final class SharedStringsParser: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current = ""
        private var inText = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "si" { current = "" }
            if name == "t" { inText = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "t" { inText = false }
            if name == "si" { strings.append(current) }
        }
    }

    /// A worksheet's `<row>`s of `<c r="B2" t="s|inlineStr|str|b"><v>…</v></c>` as rows of texts.
    private final class SheetXMLParser: NSObject, XMLParserDelegate {
        let shared: [String]
        var rows: [[String]] = []
        private var row: [String] = []
        private var rowNumber = 0
        private var column = 0
        private var type = ""
        private var text = ""
        private var collecting = false

        init(shared: [String]) { self.shared = shared }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "row":
                row = []
                let number = Int(attributes["r"] ?? "") ?? (rowNumber + 1)
                // Empty rows may be left out of the file: keep the line numbers people see in Excel.
                while rows.count < number - 1 { rows.append([]) }
                rowNumber = number
            case "c":
                column = Self.column(of: attributes["r"] ?? "") ?? row.count
                type = attributes["t"] ?? ""
                text = ""
            case "v", "t":
                collecting = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if collecting { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": collecting = false
            case "c":
                var value = text
                if type == "s" { value = Int(text).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? "" }
                if type == "b" { value = text == "1" ? "да" : "нет" }
                while row.count < column { row.append("") }
                if row.count == column { row.append(value) } else if column < row.count { row[column] = value }
            case "row": rows.append(row)
            default: break
            }
        }

        /// `C7` → 2.
        static func column(of reference: String) -> Int? {
            let letters = reference.prefix { $0.isLetter }.uppercased()
            guard !letters.isEmpty else { return nil }
            var index = 0
            for scalar in letters.unicodeScalars {
                guard scalar.value >= 65, scalar.value <= 90 else { return nil }
                index = index * 26 + Int(scalar.value - 64)
            }
            return index - 1
        }
    }
}

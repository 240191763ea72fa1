import Foundation

/// CSV in UTF-8 with a byte-order mark (so Excel on Windows reads Cyrillic), CRLF line ends and RFC 4180
/// quoting. With semicolons, numbers use a decimal comma, as Excel with a Russian locale expects.
///
/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is prefixed with `'`.
final class CSVTableWriter {
    private let file: BufferedFile
    private let url: URL
    private let separator: String
    private let decimalComma: Bool

    init(directory: URL, semicolons: Bool) throws {
        url = directory.appendingPathComponent("table.csv")
        file = try BufferedFile(creating: url)
        separator = semicolons ? ";" : ","
        decimalComma = semicolons
        try file.append(bytes: [0xEF, 0xBB, 0xBF])
    }

    func write(_ row: [ExportCell]) throws {
        var line = ""
        for (index, cell) in row.enumerated() {
            if index > 0 { line += separator }
            line += encode(cell)
        }
        try file.append(line + "\r\n")
    }

    func finish() throws -> URL {
        try file.close()
        return url
    }

    private func encode(_ cell: ExportCell) -> String {
        switch cell {
        case .empty:
            return ""
        case .number(let text):
            return decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
        case .text(let raw):
            var text = raw
            if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                text = "'" + text
            }
            let needsQuotes =
                text.contains(separator) || text.contains("\"") || text.contains("\n")
                || text.contains("\r") || text.hasPrefix(" ") || text.hasSuffix(" ")
            guard needsQuotes else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}

import Foundation

/// Reads a CSV file as a spreadsheet program writes it (docs/import.md#spreadsheets): UTF-8 (with or without a
/// BOM) or Windows-1251, fields separated by `;` or `,` (whichever the header line uses more), quoted with `"`.
public enum CSVText {
    /// The file's text: UTF-8 when the bytes are valid UTF-8, otherwise Windows-1251 (which decodes any byte).
    public static func decode(_ data: [UInt8]) -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else if byte >= 0xC0 {
                scalars.append(Unicode.Scalar(UInt32(byte) - 0xC0 + 0x410) ?? "?")
            } else {
                scalars.append(Unicode.Scalar(windows1251High[Int(byte) - 0x80]) ?? "?")
            }
        }
        return String(scalars)
    }

    /// 0x80–0xBF of Windows-1251 (0xC0–0xFF are А–я in order).
    private static let windows1251High: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C,
        0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A,
        0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9,
        0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]

    /// `;` when the first line has more semicolons than commas (outside quotes), else `,`.
    public static func separator(of text: String) -> Character {
        var semicolons = 0
        var commas = 0
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if quoted { continue }
            if character == "\n" || character == "\r" { break }
            if character == ";" { semicolons += 1 }
            if character == "," { commas += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    /// The rows of the file, each a list of its fields; blank lines are dropped.
    public static func rows(_ text: String, separator: Character? = nil) -> [[String]] {
        let separator = separator ?? self.separator(of: text)
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            row.append(field)
            field = ""
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case separator:
                row.append(field)
                field = ""
            case "\n", "\r\n", "\r": endRow()
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { endRow() }
        return rows
    }
}

import Foundation

public enum FontError: Error, Equatable {
    case truncated
    case missingTable(String)
    case unsupported(String)
    case resourceNotFound(String)
}

/// A parsed TrueType font (OpenType with `glyf` outlines). Immutable and shareable;
/// per-document glyph usage lives in `FontSubset`.
public final class Font: Sendable {
    public let postScriptName: String
    public let unitsPerEm: Int
    public let ascent: Int
    public let descent: Int
    public let capHeight: Int
    public let boundingBox: [Int]  // xMin, yMin, xMax, yMax in font units
    public let italicAngle: Double
    public let isBold: Bool

    let bytes: [UInt8]
    let tables: [String: Range<Int>]
    let advanceWidths: [UInt16]
    let leftSideBearings: [Int16]
    let glyphRanges: [Range<Int>]  // from loca, relative to the file
    let glyphForScalar: [UInt32: UInt16]

    public convenience init(data: Data) throws {
        try self.init(bytes: [UInt8](data))
    }

    public convenience init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url))
    }

    /// `requireCharacterMap: false` accepts font programs without `cmap`, such as our own subsets.
    init(bytes: [UInt8], requireCharacterMap: Bool = true) throws {
        let reader = ByteReader(bytes)
        self.bytes = bytes
        // Table directory: OpenType spec, "Organization of an OpenType font".
        let tableCount = Int(try reader.u16(4))
        var tables: [String: Range<Int>] = [:]
        for index in 0..<tableCount {
            let record = 12 + 16 * index
            let tag = String(decoding: try reader.slice(record, 4), as: UTF8.self)
            let offset = Int(try reader.u32(record + 8))
            let length = Int(try reader.u32(record + 12))
            guard offset + length <= bytes.count else { throw FontError.truncated }
            tables[tag] = offset..<(offset + length)
        }
        self.tables = tables
        func table(_ tag: String) throws -> Int {
            guard let range = tables[tag] else { throw FontError.missingTable(tag) }
            return range.lowerBound
        }

        let head = try table("head")
        unitsPerEm = Int(try reader.u16(head + 18))
        boundingBox = try [36, 38, 40, 42].map { Int(try reader.i16(head + $0)) }
        let longLoca = try reader.i16(head + 50) == 1
        isBold = try reader.u16(head + 44) & 1 != 0

        let hhea = try table("hhea")
        var ascent = Int(try reader.i16(hhea + 4))
        var descent = Int(try reader.i16(hhea + 6))
        let metricCount = Int(try reader.u16(hhea + 34))
        let glyphCount = Int(try reader.u16(try table("maxp") + 4))

        var capHeight = ascent
        if let os2 = tables["OS/2"]?.lowerBound {
            let version = try reader.u16(os2)
            if ascent == 0 { ascent = Int(try reader.i16(os2 + 68)); descent = Int(try reader.i16(os2 + 70)) }
            if version >= 2 { capHeight = Int(try reader.i16(os2 + 88)) }
        }
        (self.ascent, self.descent, self.capHeight) = (ascent, descent, capHeight)

        // post.italicAngle is a 16.16 fixed-point number.
        if let post = tables["post"]?.lowerBound {
            italicAngle = Double(Int32(bitPattern: try reader.u32(post + 4))) / 65536
        } else {
            italicAngle = 0
        }

        // hmtx: `metricCount` (advance, lsb) pairs, then bare lsbs; the last advance repeats.
        let hmtx = try table("hmtx")
        var advances: [UInt16] = []
        var bearings: [Int16] = []
        for glyph in 0..<glyphCount {
            if glyph < metricCount {
                advances.append(try reader.u16(hmtx + 4 * glyph))
                bearings.append(try reader.i16(hmtx + 4 * glyph + 2))
            } else {
                advances.append(advances.last ?? 0)
                bearings.append(try reader.i16(hmtx + 4 * metricCount + 2 * (glyph - metricCount)))
            }
        }
        (advanceWidths, leftSideBearings) = (advances, bearings)

        let loca = try table("loca")
        let glyf = try table("glyf")
        glyphRanges = try (0..<glyphCount).map { glyph in
            let start = longLoca ? Int(try reader.u32(loca + 4 * glyph)) : 2 * Int(try reader.u16(loca + 2 * glyph))
            let end =
                longLoca ? Int(try reader.u32(loca + 4 * glyph + 4)) : 2 * Int(try reader.u16(loca + 2 * glyph + 2))
            guard start <= end, glyf + end <= bytes.count else { throw FontError.truncated }
            return (glyf + start)..<(glyf + end)
        }

        glyphForScalar =
            requireCharacterMap || tables["cmap"] != nil
            ? try Font.parseCharacterMap(reader, at: try table("cmap")) : [:]
        postScriptName = (try? Font.parsePostScriptName(reader, tables: tables)) ?? "Font"
    }

    /// Glyph id for a Unicode scalar; 0 (.notdef) when the font lacks it.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16 {
        glyphForScalar[scalar.value] ?? 0
    }

    /// Advance width of a glyph in font units.
    public func advance(ofGlyph glyph: UInt16) -> Int {
        Int(glyph) < advanceWidths.count ? Int(advanceWidths[Int(glyph)]) : 0
    }

    /// The scalars of `text` that are drawn: control characters (tabs, newlines) are dropped.
    static func drawnScalars(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
    }

    /// Width of `text` at `size` points, from the `hmtx` advances (no kerning).
    public func width(of text: String, size: Double) -> Double {
        let units = Font.drawnScalars(text).reduce(0) { $0 + advance(ofGlyph: glyph(for: $1)) }
        return Double(units) * size / Double(unitsPerEm)
    }

    /// Greedy word wrap to `width`: lines break at spaces or after hyphens, explicit newlines
    /// start new lines, and a word wider than the line is broken between characters.
    public func wrappedLines(_ text: String, width: Double, size: Double) -> [String] {
        func fits(_ candidate: String) -> Bool { self.width(of: candidate, size: size) <= width + 1e-9 }
        var lines: [String] = []
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                var pieces = word.split(separator: "-", omittingEmptySubsequences: false).map { $0 + "-" }
                pieces[pieces.count - 1].removeLast()
                if pieces.count > 1, pieces[0] == "-" { pieces[1] = "-" + pieces[1]; pieces.removeFirst() }  // "-5"
                for (index, piece) in pieces.enumerated() where !piece.isEmpty {
                    let separator = line.isEmpty || index > 0 ? "" : " "
                    if fits(line + separator + piece) { line += separator + piece; continue }
                    if !line.isEmpty { lines.append(line); line = "" }
                    for character in piece {
                        if !line.isEmpty, !fits(line + String(character)) { lines.append(line); line = "" }
                        line.append(character)
                    }
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Glyph ids referenced by a composite glyph (`glyf` table, "Composite glyph description").
    func components(ofGlyph glyph: UInt16) -> [(glyph: UInt16, offset: Int)] {
        let range = glyphRanges[Int(glyph)]
        let reader = ByteReader(bytes)
        guard range.count >= 10, let contours = try? reader.i16(range.lowerBound), contours < 0 else { return [] }
        var result: [(UInt16, Int)] = []
        var position = range.lowerBound + 10
        while position + 4 <= range.upperBound, let flags = try? reader.u16(position),
            let component = try? reader.u16(position + 2)
        {
            result.append((component, position + 2 - range.lowerBound))
            position += 4 + (flags & 0x0001 != 0 ? 4 : 2)  // ARG_1_AND_2_ARE_WORDS
            if flags & 0x0008 != 0 {
                position += 2
            }  // WE_HAVE_A_SCALE
            else if flags & 0x0040 != 0 {
                position += 4
            }  // WE_HAVE_AN_X_AND_Y_SCALE
            else if flags & 0x0080 != 0 {
                position += 8
            }  // WE_HAVE_A_TWO_BY_TWO
            if flags & 0x0020 == 0 { break }  // MORE_COMPONENTS
        }
        return result
    }

    /// Unicode → glyph from `cmap` format 12 (full Unicode) or else format 4 (BMP only).
    static func parseCharacterMap(
        _ reader: ByteReader, at cmap: Int, useFormat12: Bool = true
    ) throws -> [UInt32: UInt16] {
        var format4: Int?
        var format12: Int?
        for index in 0..<Int(try reader.u16(cmap + 2)) {
            let platform = try reader.u16(cmap + 4 + 8 * index)
            let encoding = try reader.u16(cmap + 6 + 8 * index)
            let subtable = cmap + Int(try reader.u32(cmap + 8 + 8 * index))
            let isUnicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard isUnicode else { continue }
            switch try reader.u16(subtable) {
            case 4: format4 = format4 ?? subtable
            case 12: format12 = format12 ?? subtable
            default: break
            }
        }
        var map: [UInt32: UInt16] = [:]
        if useFormat12, let table = format12 {
            for group in 0..<Int(try reader.u32(table + 12)) {
                let record = table + 16 + 12 * group
                let first = try reader.u32(record)
                let last = try reader.u32(record + 4)
                let glyph = try reader.u32(record + 8)
                guard first <= last, last - first < 0x110000 else { throw FontError.truncated }
                for code in first...last { map[code] = UInt16(truncatingIfNeeded: glyph + code - first) }
            }
            return map
        }
        guard let table = format4 else { throw FontError.unsupported("no Unicode cmap (format 4 or 12)") }
        let segments = Int(try reader.u16(table + 6)) / 2
        let ends = table + 14
        let starts = ends + 2 * segments + 2
        let deltas = starts + 2 * segments
        let rangeOffsets = deltas + 2 * segments
        for segment in 0..<segments {
            let first = Int(try reader.u16(starts + 2 * segment))
            let last = Int(try reader.u16(ends + 2 * segment))
            let delta = Int(try reader.u16(deltas + 2 * segment))
            let rangeOffsetPosition = rangeOffsets + 2 * segment
            let rangeOffset = Int(try reader.u16(rangeOffsetPosition))
            guard first <= last else { continue }
            for code in first...last where code != 0xFFFF {
                var glyph: Int
                if rangeOffset == 0 {
                    glyph = (code + delta) & 0xFFFF
                } else {
                    // idRangeOffset is relative to its own position in the array.
                    glyph = Int(try reader.u16(rangeOffsetPosition + rangeOffset + 2 * (code - first)))
                    if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                }
                if glyph != 0 { map[UInt32(code)] = UInt16(glyph) }
            }
        }
        return map
    }

    /// Name id 6 from the `name` table (Windows UTF-16BE or Macintosh Roman record).
    private static func parsePostScriptName(_ reader: ByteReader, tables: [String: Range<Int>]) throws -> String {
        guard let name = tables["name"]?.lowerBound else { throw FontError.missingTable("name") }
        let storage = name + Int(try reader.u16(name + 4))
        for index in 0..<Int(try reader.u16(name + 2)) {
            let record = name + 6 + 12 * index
            guard try reader.u16(record + 6) == 6 else { continue }
            let platform = try reader.u16(record)
            let bytes = try reader.slice(storage + Int(try reader.u16(record + 10)), Int(try reader.u16(record + 8)))
            let text =
                platform == 3
                ? String(
                    decoding: stride(from: 0, to: bytes.count - 1, by: 2).map {
                        UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
                    }, as: UTF16.self)
                : String(decoding: bytes, as: UTF8.self)
            let clean = text.filter { $0.isLetter || $0.isNumber || $0 == "-" }
            if !clean.isEmpty { return clean }
        }
        throw FontError.unsupported("no PostScript name")
    }
}

struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func slice(_ offset: Int, _ count: Int) throws -> ArraySlice<UInt8> {
        guard offset >= 0, count >= 0, offset + count <= bytes.count else { throw FontError.truncated }
        return bytes[offset..<(offset + count)]
    }
    func u16(_ offset: Int) throws -> UInt16 {
        guard offset >= 0, offset + 2 <= bytes.count else { throw FontError.truncated }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
    func i16(_ offset: Int) throws -> Int16 { Int16(bitPattern: try u16(offset)) }
    func u32(_ offset: Int) throws -> UInt32 {
        UInt32(try u16(offset)) << 16 | UInt32(try u16(offset + 2))
    }
}

import Foundation

/// The glyphs one document uses from one font. Glyphs are renumbered in order of first use
/// (glyph 0, .notdef, stays 0), so the embedded font holds only what the document needs and the
/// CIDs written into content streams are the new glyph ids (`CIDToGIDMap /Identity`).
final class FontSubset {
    let font: Font
    private(set) var originalGlyphs: [UInt16] = [0]
    private var subsetGlyphByOriginal: [UInt16: UInt16] = [0: 0]
    private(set) var textByGlyph: [UInt16: String] = [:]

    init(font: Font) { self.font = font }

    /// Subset glyph ids for `text`, one per Unicode scalar, recording what each glyph means.
    func encode(_ text: String) -> [UInt16] {
        Font.drawnScalars(text).map { scalar in
            let glyph = subsetGlyph(for: font.glyph(for: scalar))
            if glyph != 0, textByGlyph[glyph] == nil { textByGlyph[glyph] = String(scalar) }
            return glyph
        }
    }

    private func subsetGlyph(for original: UInt16) -> UInt16 {
        if let known = subsetGlyphByOriginal[original] { return known }
        let glyph = UInt16(originalGlyphs.count)
        originalGlyphs.append(original)
        subsetGlyphByOriginal[original] = glyph
        return glyph
    }

    /// Advance widths in PDF glyph space (1/1000 em), indexed by subset glyph id.
    var widths: [Double] {
        originalGlyphs.map { Double(font.advance(ofGlyph: $0)) * 1000 / Double(font.unitsPerEm) }
    }

    /// A six-letter tag derived from the glyph set, as subset font names require (ISO 32000-1, 9.6.4).
    var tag: String {
        var hash: UInt64 = 0xcbf29ce484222325  // FNV-1a
        for glyph in originalGlyphs { hash = (hash ^ UInt64(glyph)) &* 0x100000001b3 }
        return String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + (hash >> (UInt64($0) * 5)) % 26))) })
    }

    /// A TrueType font program with only the used glyphs (plus the components of composite
    /// glyphs) and the tables a PDF reader needs for CIDFontType2 (ISO 32000-1, 9.9).
    func fontProgram() -> [UInt8] {
        var glyphData: [UInt8] = []
        var locations: [UInt32] = []
        var index = 0
        while index < originalGlyphs.count {  // grows while composite components are added
            var data = Array(font.bytes[font.glyphRanges[Int(originalGlyphs[index])]])
            for component in font.components(ofGlyph: originalGlyphs[index]) {
                let renumbered = subsetGlyph(for: component.glyph)
                data[component.offset] = UInt8(renumbered >> 8)
                data[component.offset + 1] = UInt8(renumbered & 0xFF)
            }
            locations.append(UInt32(glyphData.count))
            glyphData += data
            while glyphData.count % 4 != 0 { glyphData.append(0) }
            index += 1
        }
        locations.append(UInt32(glyphData.count))
        let glyphCount = originalGlyphs.count

        var tables: [(tag: String, data: [UInt8])] = []
        func original(_ tag: String) -> [UInt8]? { font.tables[tag].map { Array(font.bytes[$0]) } }
        if var head = original("head") {
            head.replace(at: 8, with: UInt32(0))  // checkSumAdjustment, set below
            head.replace(at: 50, with: UInt16(1))  // indexToLocFormat: long offsets
            tables.append(("head", head))
        }
        if var hhea = original("hhea") {
            hhea.replace(at: 34, with: UInt16(glyphCount))  // numberOfHMetrics
            tables.append(("hhea", hhea))
        }
        if var maxp = original("maxp") {
            maxp.replace(at: 4, with: UInt16(glyphCount))
            tables.append(("maxp", maxp))
        }
        var hmtx: [UInt8] = []
        for glyph in originalGlyphs {
            hmtx.appendBigEndian(UInt16(font.advance(ofGlyph: glyph)))
            hmtx.appendBigEndian(UInt16(bitPattern: font.leftSideBearings[Int(glyph)]))
        }
        tables.append(("hmtx", hmtx))
        var loca: [UInt8] = []
        for location in locations { loca.appendBigEndian(location) }
        tables.append(("loca", loca))
        tables.append(("glyf", glyphData))
        for tag in ["cvt ", "fpgm", "prep"] {
            if let data = original(tag) { tables.append((tag, data)) }
        }
        return Self.assemble(tables.sorted { $0.tag < $1.tag })
    }

    /// Writes the table directory and tables (OpenType spec, "Table directory"), 4-byte aligned.
    private static func assemble(_ tables: [(tag: String, data: [UInt8])]) -> [UInt8] {
        var power = 1
        var log2 = 0
        while power * 2 <= tables.count { power *= 2; log2 += 1 }
        var output: [UInt8] = []
        output.appendBigEndian(UInt32(0x0001_0000))
        output.appendBigEndian(UInt16(tables.count))
        output.appendBigEndian(UInt16(power * 16))
        output.appendBigEndian(UInt16(log2))
        output.appendBigEndian(UInt16(tables.count * 16 - power * 16))
        var offset = 12 + 16 * tables.count
        var headOffset: Int?
        for table in tables {
            output += Array(table.tag.utf8)
            output.appendBigEndian(checksum(table.data))
            output.appendBigEndian(UInt32(offset))
            output.appendBigEndian(UInt32(table.data.count))
            if table.tag == "head" { headOffset = offset }
            offset += (table.data.count + 3) / 4 * 4
        }
        for table in tables {
            output += table.data
            while output.count % 4 != 0 { output.append(0) }
        }
        if let headOffset {
            output.replace(at: headOffset + 8, with: 0xB1B0_AFBA &- checksum(output))
        }
        return output
    }

    static func checksum(_ data: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < data.count {
            var word: UInt32 = 0
            for byte in 0..<4 { word = word << 8 | UInt32(index + byte < data.count ? data[index + byte] : 0) }
            sum &+= word
            index += 4
        }
        return sum
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(value >> 8)); append(UInt8(value & 0xFF))
    }
    mutating func appendBigEndian(_ value: UInt32) {
        appendBigEndian(UInt16(value >> 16)); appendBigEndian(UInt16(value & 0xFFFF))
    }
    mutating func replace(at offset: Int, with value: UInt16) {
        self[offset] = UInt8(value >> 8); self[offset + 1] = UInt8(value & 0xFF)
    }
    mutating func replace(at offset: Int, with value: UInt32) {
        replace(at: offset, with: UInt16(value >> 16)); replace(at: offset + 2, with: UInt16(value & 0xFFFF))
    }
}

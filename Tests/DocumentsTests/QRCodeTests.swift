import Foundation
import Testing

@testable import Documents

@Suite struct EncodingTests {
    /// ISO/IEC 18004 Annex C, Table C.1: all 32 format information sequences after masking,
    /// listed by the 5 data bits, i.e. levels M (00), L (01), H (10), Q (11), masks 0–7 each.
    @Test func formatInformationMatchesTheStandardTable() {
        let expected: [(ErrorCorrection, [Int])] = [
            (.medium, [0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0]),
            (.low, [0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976]),
            (.high, [0x1689, 0x13BE, 0x1CE7, 0x19D0, 0x0762, 0x0255, 0x0D0C, 0x083B]),
            (.quartile, [0x355F, 0x3068, 0x3F31, 0x3A06, 0x24B4, 0x2183, 0x2EDA, 0x2BED]),
        ]
        for (correction, bitsPerMask) in expected {
            for (mask, bits) in bitsPerMask.enumerated() {
                #expect(
                    QRCode.formatInformation(correction: correction, mask: mask) == bits, "\(correction) mask \(mask)")
            }
        }
    }

    /// ISO/IEC 18004 Annex D, Table D.1: version information for versions 7–40.
    @Test func versionInformationMatchesTheStandardTable() {
        let expected = [
            0x07C94, 0x085BC, 0x09A99, 0x0A4D3, 0x0BBF6, 0x0C762, 0x0D847, 0x0E60D, 0x0F928, 0x10B78,
            0x1145D, 0x12A17, 0x13532, 0x149A6, 0x15683, 0x168C9, 0x177EC, 0x18EC4, 0x191E1, 0x1AFAB,
            0x1B08E, 0x1CC1A, 0x1D33F, 0x1ED75, 0x1F250, 0x209D5, 0x216F0, 0x228BA, 0x2379F, 0x24B0B,
            0x2542E, 0x26A64, 0x27541, 0x28C69,
        ]
        for (offset, bits) in expected.enumerated() {
            #expect(QRCode.versionInformation(version: 7 + offset) == bits, "version \(7 + offset)")
        }
    }

    /// The worked example of ISO/IEC 18004 Annex I: "01234567" in numeric mode at 1-M.
    @Test func reedSolomonMatchesTheStandardExample() {
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        #expect(
            ReedSolomon.correctionCodewords(for: data, count: 10)
                == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func byteModeDataCodewords() {
        // 0100, count 00001000, the eight bytes, terminator 0000, then pad codewords.
        #expect(
            QRCode.dataCodewords(bytes: Array("01234567".utf8), version: 1, correction: .medium)
                == [0x40, 0x83, 0x03, 0x13, 0x23, 0x33, 0x43, 0x53, 0x63, 0x70, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
    }

    /// Alignment pattern rows/columns from ISO/IEC 18004 Annex E, Table E.1 (a sample).
    @Test func alignmentPatternCentres() {
        #expect(ModuleGrid.alignmentPatternCenters(version: 1) == [])
        #expect(ModuleGrid.alignmentPatternCenters(version: 2) == [6, 18])
        #expect(ModuleGrid.alignmentPatternCenters(version: 7) == [6, 22, 38])
        #expect(ModuleGrid.alignmentPatternCenters(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(ModuleGrid.alignmentPatternCenters(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(ModuleGrid.alignmentPatternCenters(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test(arguments: ReferenceMatrices.all)
    func matchesAnIndependentEncoder(_ fixture: ReferenceMatrices.Fixture) throws {
        let code = try QRCode(bytes: Array(fixture.text.utf8), correction: fixture.correction, forcedMask: fixture.mask)
        #expect(code.version == fixture.version)
        #expect(code.size == fixture.rows.count)
        let rows = (0..<code.size).map { y in String((0..<code.size).map { code[$0, y] ? "1" : "0" }) }
        for (y, (actual, expected)) in zip(rows, fixture.rows).enumerated() {
            #expect(actual == expected, "row \(y)")
        }
    }

    /// Penalty scores (ISO/IEC 18004 §7.8.3) of all eight masks as computed by segno 1.6.6's
    /// `evaluate_mask` for the same symbols; the lowest one must be chosen.
    @Test(arguments: [
        (1, ErrorCorrection.low, [1141, 1065, 1162, 1034, 1080, 1035, 1048, 1058]),
        (5, .medium, [1599, 1770, 1758, 1732, 1697, 1694, 1793, 1669]),
        (10, .high, [2866, 3384, 2637, 3264, 3104, 2934, 2946, 2985]),
    ])
    func penaltyScoresMatchAnIndependentImplementation(version: Int, correction: ErrorCorrection, scores: [Int]) throws
    {
        let bytes = (0..<QRCode.byteCapacity(version: version, correction: correction))
            .map { UInt8(($0 * 37 + version * 11) % 256) }
        var grid = ModuleGrid(version: version)
        grid.drawFunctionPatterns()
        grid.placeCodewords(
            QRCode.interleavedCodewords(
                data: QRCode.dataCodewords(bytes: bytes, version: version, correction: correction),
                version: version, correction: correction))
        #expect((0..<8).map { grid.masked($0, correction: correction).penalty() } == scores)
        #expect(try QRCode(bytes: bytes, correction: correction).mask == scores.indices.min { scores[$0] < scores[$1] })
    }

    @Test func automaticMaskIsOneOfTheEightAndTheSymbolOtherwiseEqual() throws {
        let fixture = ReferenceMatrices.gostLow
        let automatic = try QRCode(text: fixture.text, correction: fixture.correction)
        #expect((0..<8).contains(automatic.mask))
        let forced = try QRCode(
            bytes: Array(fixture.text.utf8), correction: fixture.correction, forcedMask: automatic.mask)
        #expect(automatic == forced)
    }
}

@Suite struct VersionSelectionTests {
    /// Byte-mode capacities from ISO/IEC 18004 Table 7.
    @Test(arguments: [
        (1, ErrorCorrection.low, 17), (1, .medium, 14), (1, .quartile, 11), (1, .high, 7),
        (2, .medium, 26), (7, .low, 154), (7, .high, 64), (9, .low, 230), (10, .low, 271),
        (10, .medium, 213), (10, .quartile, 151), (10, .high, 119),
        (40, .low, 2953), (40, .medium, 2331), (40, .quartile, 1663), (40, .high, 1273),
    ])
    func capacity(version: Int, correction: ErrorCorrection, bytes: Int) throws {
        #expect(QRCode.byteCapacity(version: version, correction: correction) == bytes)
        #expect(try QRCode(bytes: Array(repeating: 0x41, count: bytes), correction: correction).version == version)
        if version < 40 {
            let oneMore = try QRCode(bytes: Array(repeating: 0x41, count: bytes + 1), correction: correction)
            #expect(oneMore.version == version + 1)
            #expect(oneMore.size == 17 + 4 * (version + 1))
        }
    }

    @Test func emptyDataFitsVersionOne() throws {
        #expect(try QRCode(bytes: []).size == 21)
    }

    @Test func textIsEncodedAsUTF8() throws {
        #expect(try QRCode(text: "Счёт", correction: .high) == QRCode(bytes: Array("Счёт".utf8), correction: .high))
    }

    @Test func tooMuchDataThrows() {
        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: 2332, maximum: 2331)) {
            try QRCode(bytes: Array(repeating: 0, count: 2332), correction: .medium)
        }
        #expect(throws: QRCode.EncodingError.dataTooLong(byteCount: 1274, maximum: 1273)) {
            try QRCode(bytes: Array(repeating: 0, count: 1274), correction: .high)
        }
    }
}

@Suite struct RenderingTests {
    let code = try! QRCode(text: "Ringo Uchet", correction: .quartile)

    @Test func darkRunsCoverExactlyTheDarkModules() {
        var covered = Array(repeating: Array(repeating: false, count: code.size), count: code.size)
        for run in code.darkRuns() {
            #expect(run.length > 0)
            for x in run.x..<run.x + run.length {
                #expect(!covered[run.y][x], "module covered twice")
                covered[run.y][x] = true
            }
        }
        for y in 0..<code.size {
            for x in 0..<code.size { #expect(covered[y][x] == code[x, y], "(\(x), \(y))") }
        }
    }

    @Test func svgHasOnePathAndTheQuietZoneInItsSize() {
        let svg = code.svg(moduleSize: 3, quietZone: 4)
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.contains("width=\"\(side * 3)\""))
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
    }

    @Test func pixelsScaleAndSurroundTheSymbolWithLight() {
        let image = code.pixels(scale: 2, quietZone: 4)
        #expect(image.width == (code.size + 8) * 2)
        #expect(image.rows.count == image.width)
        #expect(image.rows.allSatisfy { $0.count == image.width })
        #expect(!image.rows[7].contains(true))
        #expect(image.rows[8][8] == code[0, 0])
        #expect(image.rows[8 + 2 * 5 + 1][8 + 2 * 3] == code[3, 5])
    }

    @Test func pgmIsBinaryGreyscale() {
        let bytes = code.pgm(scale: 3, quietZone: 2)
        let side = (code.size + 4) * 3
        let header = Array("P5\n\(side) \(side)\n255\n".utf8)
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(bytes.count == header.count + side * side)
        #expect(bytes[header.count] == 255)
        #expect(bytes[header.count + 6 * side + 6] == 0)  // top-left finder corner
    }
}

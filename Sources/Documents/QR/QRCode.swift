/// A QR code symbol (ISO/IEC 18004:2015, Model 2) holding bytes in byte mode.
///
/// The smallest version 1–40 that fits the data at the requested error correction
/// level is chosen, and the mask with the lowest penalty score (§7.8.3).
public struct QRCode: Sendable, Equatable {
    /// Modules per side: 21 for version 1, growing by 4 per version.
    public let size: Int
    /// Version 1–40.
    public let version: Int
    /// Mask pattern reference 0–7 (§7.8.2).
    public let mask: Int
    public let correction: ErrorCorrection
    /// Row-major, `true` for a dark module.
    private let modules: [Bool]

    public enum EncodingError: Error, Equatable, Sendable {
        /// Even version 40 cannot hold this many bytes at this error correction level.
        case dataTooLong(byteCount: Int, maximum: Int)
    }

    public init(bytes: [UInt8], correction: ErrorCorrection = .medium) throws {
        try self.init(bytes: bytes, correction: correction, forcedMask: nil)
    }

    /// Encodes the UTF-8 bytes of `text`. Readers such as banking apps expect the text
    /// format to say it is UTF-8 (the `ST00012` prefix of ГОСТ Р 56042-2014 does).
    public init(text: String, correction: ErrorCorrection = .medium) throws {
        try self.init(bytes: Array(text.utf8), correction: correction)
    }

    /// `forcedMask` exists so tests can compare with a reference encoder at a fixed mask.
    init(bytes: [UInt8], correction: ErrorCorrection, forcedMask: Int?) throws {
        guard let version = Self.smallestVersion(fitting: bytes.count, correction: correction) else {
            throw EncodingError.dataTooLong(
                byteCount: bytes.count, maximum: Self.byteCapacity(version: 40, correction: correction))
        }
        let codewords = Self.interleavedCodewords(
            data: Self.dataCodewords(bytes: bytes, version: version, correction: correction),
            version: version, correction: correction)

        var grid = ModuleGrid(version: version)
        grid.drawFunctionPatterns()
        grid.placeCodewords(codewords)

        let chosenMask =
            forcedMask
            ?? (0..<8)
            .map { mask in (mask: mask, penalty: grid.masked(mask, correction: correction).penalty()) }
            .min { $0.penalty < $1.penalty }!.mask
        let final = grid.masked(chosenMask, correction: correction)

        self.version = version
        self.size = final.size
        self.mask = chosenMask
        self.correction = correction
        self.modules = final.modules
    }

    /// Whether the module at column `x`, row `y` (origin at the top left) is dark.
    public subscript(x: Int, y: Int) -> Bool {
        precondition(x >= 0 && x < size && y >= 0 && y < size, "module (\(x), \(y)) outside the symbol")
        return modules[y * size + x]
    }

    // MARK: - Capacity

    /// All codewords in a version, data and error correction (§7.1, Table 1): the modules
    /// left after function patterns, format and version information, divided by eight
    /// (the remainder bits are dropped).
    static func totalCodewords(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentPerSide = version / 7 + 2
            modules -= (25 * alignmentPerSide - 10) * alignmentPerSide - 55
            if version >= 7 { modules -= 36 }
        }
        return modules / 8
    }

    /// Byte mode character count indicator length (§7.4.1, Table 3).
    static func characterCountBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    static func byteCapacity(version: Int, correction: ErrorCorrection) -> Int {
        (correction.dataCodewords(version: version) * 8 - 4 - characterCountBits(version: version)) / 8
    }

    static func smallestVersion(fitting byteCount: Int, correction: ErrorCorrection) -> Int? {
        (1...40).first { byteCapacity(version: $0, correction: correction) >= byteCount }
    }

    // MARK: - Data and error correction codewords

    /// Mode indicator, count, data, terminator and pad codewords (§7.4.2, §7.4.9, §7.4.10).
    static func dataCodewords(bytes: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacityBits = correction.dataCodewords(version: version) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: characterCountBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11  // alternate 11101100 and 00010001
        }
        return codewords
    }

    /// Splits the data into blocks, appends each block's error correction and interleaves
    /// them column by column (§7.5.2, §7.6). Blocks later in the sequence may hold one more
    /// data codeword than the earlier ones; that column is skipped for the short blocks.
    static func interleavedCodewords(data: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let blockCount = correction.blockCount(version: version)
        let correctionLength = correction.correctionCodewordsPerBlock(version: version)
        let shortBlockDataLength = data.count / blockCount
        let longBlockCount = data.count % blockCount

        var dataBlocks: [ArraySlice<UInt8>] = []
        var start = data.startIndex
        for blockIndex in 0..<blockCount {
            let length = shortBlockDataLength + (blockIndex >= blockCount - longBlockCount ? 1 : 0)
            dataBlocks.append(data[start..<start + length])
            start += length
        }
        let correctionBlocks = dataBlocks.map {
            ReedSolomon.correctionCodewords(for: Array($0), count: correctionLength)
        }

        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords(version: version))
        for column in 0...shortBlockDataLength {
            for block in dataBlocks where column < block.count {
                result.append(block[block.startIndex + column])
            }
        }
        for column in 0..<correctionLength {
            for block in correctionBlocks { result.append(block[column]) }
        }
        return result
    }

    // MARK: - Format and version information

    /// 15 bits: level and mask, a BCH(15,5) code, XOR-ed with 101010000010010 so that the
    /// result is never all zero (§7.9.1, Annex C).
    static func formatInformation(correction: ErrorCorrection, mask: Int) -> Int {
        let data = correction.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data, generator: 0b101_0011_0111, degree: 10)) ^ 0b101_0100_0001_0010
    }

    /// 18 bits for versions 7 and up: the version and a BCH(18,6) code (§7.10, Annex D).
    static func versionInformation(version: Int) -> Int {
        version << 12 | bchRemainder(version, generator: 0b1_1111_0010_0101, degree: 12)
    }

    private static func bchRemainder(_ data: Int, generator: Int, degree: Int) -> Int {
        var remainder = data << degree
        let highestBit = remainder.bitWidth - 1 - remainder.leadingZeroBitCount
        for bit in stride(from: highestBit, through: degree, by: -1) where remainder >> bit & 1 == 1 {
            remainder ^= generator << (bit - degree)
        }
        return remainder
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if value >> shift & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

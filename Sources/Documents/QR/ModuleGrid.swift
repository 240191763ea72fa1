/// The symbol while it is being built: the modules and which of them belong to function
/// patterns (and so are neither data nor masked).
struct ModuleGrid {
    let version: Int
    let size: Int
    private(set) var modules: [Bool]
    private var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        self.size = 17 + 4 * version
        self.modules = Array(repeating: false, count: size * size)
        self.isFunction = Array(repeating: false, count: size * size)
    }

    func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    private mutating func setFunction(_ x: Int, _ y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: - Function patterns (§6.3)

    mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(6, index, dark: index % 2 == 0)
            setFunction(index, 6, dark: index % 2 == 0)
        }
        drawFinderPattern(centerX: 3, centerY: 3)
        drawFinderPattern(centerX: size - 4, centerY: 3)
        drawFinderPattern(centerX: 3, centerY: size - 4)

        let centers = Self.alignmentPatternCenters(version: version)
        for x in centers {
            for y in centers {
                let overlapsFinder = (x == 6 && y == 6) || (x == 6 && y == size - 7) || (x == size - 7 && y == 6)
                if !overlapsFinder { drawAlignmentPattern(centerX: x, centerY: y) }
            }
        }
        // Reserve the format and version areas now so data placement skips them;
        // their real bits are written once the mask is known.
        drawFormatInformation(0)
        drawVersionInformation()
    }

    /// A 7×7 finder with its light separator, clipped at the symbol's edge.
    private mutating func drawFinderPattern(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx
                let y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x, y, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignmentPattern(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(centerX + dx, centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Row/column coordinates of alignment pattern centres (§6.3.6, Annex E, Table E.1):
    /// the first is always 6, the last size − 7, the ones between evenly spaced by an even
    /// step. This closed form reproduces Table E.1 for all 40 versions.
    static func alignmentPatternCenters(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        let last = 17 + 4 * version - 7
        return [6] + (0..<count - 1).map { last - $0 * step }.reversed()
    }

    /// Writes the 15 format bits in both copies (§7.9.1, Figure 25) and the dark module.
    mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ index: Int) -> Bool { bits >> index & 1 == 1 }
        // Around the top-left finder: down column 8 skipping the timing row, then left along row 8.
        for index in 0...5 { setFunction(8, index, dark: bit(index)) }
        setFunction(8, 7, dark: bit(6))
        setFunction(8, 8, dark: bit(7))
        setFunction(7, 8, dark: bit(8))
        for index in 9..<15 { setFunction(14 - index, 8, dark: bit(index)) }
        // Second copy: along row 8 under the top-right finder, then up column 8 by the bottom-left one.
        for index in 0..<8 { setFunction(size - 1 - index, 8, dark: bit(index)) }
        for index in 8..<15 { setFunction(8, size - 15 + index, dark: bit(index)) }
        setFunction(8, size - 8, dark: true)
    }

    /// Two 6×3 blocks next to the top-right and bottom-left finders (§7.10, Figure 27).
    private mutating func drawVersionInformation() {
        guard version >= 7 else { return }
        let bits = QRCode.versionInformation(version: version)
        for index in 0..<18 {
            let dark = bits >> index & 1 == 1
            let long = size - 11 + index % 3
            let short = index / 3
            setFunction(long, short, dark: dark)
            setFunction(short, long, dark: dark)
        }
    }

    // MARK: - Data placement (§7.7.3)

    /// Places the codeword bits in two-module-wide columns, zig-zagging up and down from the
    /// right edge and skipping the vertical timing pattern. Remainder bits stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < codewords.count * 8 {
                    modules[y * size + x] = codewords[bitIndex / 8] >> (7 - bitIndex % 8) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    // MARK: - Masking (§7.8)

    /// Data mask conditions of Table 10; `x` is the column, `y` the row.
    static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        case 7: ((x + y) % 2 + x * y % 3) % 2 == 0
        default: preconditionFailure("mask \(mask) outside 0...7")
        }
    }

    /// A copy with the mask applied to data modules and the matching format information.
    func masked(_ mask: Int, correction: ErrorCorrection) -> ModuleGrid {
        var copy = self
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                copy.modules[y * size + x].toggle()
            }
        }
        copy.drawFormatInformation(QRCode.formatInformation(correction: correction, mask: mask))
        return copy
    }

    // MARK: - Penalty (§7.8.3, Table 11)

    /// Lower is better. Rule 3 treats modules beyond the edge as light, since the quiet
    /// zone is light.
    func penalty() -> Int {
        var score = 0
        for index in 0..<size {
            let row = (0..<size).map { isDark($0, index) }
            let column = (0..<size).map { isDark(index, $0) }
            score += Self.sameColourRunPenalty(row) + Self.sameColourRunPenalty(column)
            score += Self.finderLikePenalty(row) + Self.finderLikePenalty(column)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = isDark(x, y)
                if isDark(x + 1, y) == colour && isDark(x, y + 1) == colour && isDark(x + 1, y + 1) == colour {
                    score += 3
                }
            }
        }
        let darkCount = modules.count { $0 }
        // 10 points for every full 5 % the dark share is away from 50 %.
        score += abs(darkCount * 20 - modules.count * 10) / modules.count * 10
        return score
    }

    /// Rule 1: 3 points for five same-coloured modules in a line, plus 1 for each further one.
    private static func sameColourRunPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 0
        for index in line.indices {
            runLength = index > 0 && line[index] == line[index - 1] ? runLength + 1 : 1
            if runLength == 5 { score += 3 } else if runLength > 5 { score += 1 }
        }
        return score
    }

    /// Rule 3: 40 points for each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) pattern
    /// with four light modules on either side. Overlapping occurrences each count.
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let pattern = [true, false, true, true, true, false, true]
        func isLight(_ range: Range<Int>) -> Bool {
            range.allSatisfy { !line.indices.contains($0) || !line[$0] }
        }
        var score = 0
        for start in 0...(line.count - pattern.count)
        where line[start..<start + pattern.count].elementsEqual(pattern) {
            if isLight(start - 4..<start) || isLight(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}

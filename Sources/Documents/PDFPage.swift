import Foundation

public struct PDFColor: Sendable, Equatable {
    public var red, green, blue: Double
    public init(red: Double, green: Double, blue: Double) { (self.red, self.green, self.blue) = (red, green, blue) }
    public static func gray(_ level: Double) -> PDFColor { PDFColor(red: level, green: level, blue: level) }
    public static let black = PDFColor.gray(0)
    public static let white = PDFColor.gray(1)
}

public struct PDFPoint: Sendable, Equatable {
    public var x, y: Double
    public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
}

public struct PDFRect: Sendable, Equatable {
    public var x, y, width, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }
}

public enum PDFTextAlignment: Sendable { case left, center, right }

/// One page. Coordinates are in points from the top-left corner; they are flipped into PDF's
/// bottom-left user space when the content stream is written.
public final class PDFPage {
    public let size: PDFPageSize
    // The document's font subsets, shared by all its pages (the page does not retain the document).
    private let regular: FontSubset
    private let bold: FontSubset
    private(set) var content: [UInt8] = []

    init(size: PDFPageSize, regular: FontSubset, bold: FontSubset) {
        (self.size, self.regular, self.bold) = (size, regular, bold)
    }

    private func emit(_ operators: String) {
        content += Array(operators.utf8)
        content.append(0x0A)
    }

    private func flip(_ y: Double) -> String { format(size.height - y) }

    /// Line height used by `textBlock` and tables, as a multiple of the font size.
    public static let lineSpacing = 1.2

    /// Draws one line of text whose top (the font's ascent line) is at `y`.
    public func text(
        _ string: String, x: Double, y: Double, size: Double = 10, bold: Bool = false, color: PDFColor = .black
    ) {
        let subset = bold ? self.bold : regular
        let glyphs = subset.encode(string)
        guard !glyphs.isEmpty else { return }
        let baseline = y + Double(subset.font.ascent) * size / Double(subset.font.unitsPerEm)
        // Two-byte codes in a hex string need no escaping (ISO 32000-1, 7.3.4.3; Identity-H, 9.7.5.2).
        emit(
            """
            BT \(colorOperands(color)) rg /\(bold ? "F2" : "F1") \(format(size)) Tf \
            1 0 0 1 \(format(x)) \(flip(baseline)) Tm <\(glyphs.map(hex).joined())> Tj ET
            """)
    }

    /// Draws text aligned inside the horizontal span starting at `x` with `width`.
    public func text(
        _ string: String, x: Double, y: Double, width: Double, alignment: PDFTextAlignment,
        size: Double = 10, bold: Bool = false, color: PDFColor = .black
    ) {
        let free = width - textWidth(string, size: size, bold: bold)
        let offset = alignment == .left ? 0 : alignment == .center ? free / 2 : free
        text(string, x: x + offset, y: y, size: size, bold: bold, color: color)
    }

    /// Draws wrapped text and returns the y just below the last line.
    @discardableResult
    public func textBlock(
        _ string: String, x: Double, y: Double, width: Double, alignment: PDFTextAlignment = .left,
        size: Double = 10, bold: Bool = false, color: PDFColor = .black
    ) -> Double {
        var top = y
        for line in wrappedLines(string, width: width, size: size, bold: bold) {
            text(line, x: x, y: top, width: width, alignment: alignment, size: size, bold: bold, color: color)
            top += size * Self.lineSpacing
        }
        return top
    }

    public func textWidth(_ string: String, size: Double, bold: Bool = false) -> Double {
        (bold ? self.bold : regular).font.width(of: string, size: size)
    }

    public func wrappedLines(_ string: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        (bold ? self.bold : regular).font.wrappedLines(string, width: width, size: size)
    }

    public func line(from start: PDFPoint, to end: PDFPoint, width: Double = 0.5, color: PDFColor = .black) {
        emit(
            """
            \(colorOperands(color)) RG \(format(width)) w \(format(start.x)) \(flip(start.y)) m \
            \(format(end.x)) \(flip(end.y)) l S
            """)
    }

    public func rect(
        x: Double, y: Double, width: Double, height: Double,
        fill: PDFColor? = nil, stroke: PDFColor? = .black, lineWidth: Double = 0.5
    ) {
        guard fill != nil || stroke != nil else { return }
        var operators = ""
        if let fill { operators += "\(colorOperands(fill)) rg " }
        if let stroke { operators += "\(colorOperands(stroke)) RG \(format(lineWidth)) w " }
        operators += "\(format(x)) \(flip(y + height)) \(format(width)) \(format(height)) re "
        operators += fill == nil ? "S" : stroke == nil ? "f" : "B"
        emit(operators)
    }

    /// Fills many rectangles as one path, e.g. the modules of a QR code.
    public func fillRects(_ rects: [PDFRect], color: PDFColor = .black) {
        guard !rects.isEmpty else { return }
        var operators = "\(colorOperands(color)) rg\n"
        for rect in rects {
            operators +=
                "\(format(rect.x)) \(flip(rect.y + rect.height)) \(format(rect.width)) \(format(rect.height)) re\n"
        }
        emit(operators + "f")
    }

    private func colorOperands(_ color: PDFColor) -> String {
        "\(format(color.red)) \(format(color.green)) \(format(color.blue))"
    }
}

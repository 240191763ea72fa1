import Foundation

public struct PDFTableColumn: Sendable {
    public var title: String
    public var width: Double
    public var alignment: PDFTextAlignment
    public init(_ title: String, width: Double, alignment: PDFTextAlignment = .left) {
        (self.title, self.width, self.alignment) = (title, width, alignment)
    }
}

/// A bordered table with a bold header row; cell text wraps, and rows that do not fit on the
/// page continue on a new page under a repeated header.
public struct PDFTable: Sendable {
    public var columns: [PDFTableColumn]
    public var rows: [[String]]
    public var fontSize: Double = 9
    public var padding: Double = 3
    public var borderWidth: Double = 0.5
    public var headerFill: PDFColor? = .gray(0.92)

    public init(columns: [PDFTableColumn], rows: [[String]]) {
        (self.columns, self.rows) = (columns, rows)
    }

    public var width: Double { columns.reduce(0) { $0 + $1.width } }
}

extension PDFDocument {
    /// Draws `table` with its top-left corner at (`x`, `y`) on `page`, adding pages as needed.
    /// Returns the page the table ends on and the y just below its last row.
    @discardableResult
    public func draw(_ table: PDFTable, on page: PDFPage, x: Double, y: Double) -> (page: PDFPage, y: Double) {
        var page = page
        var top = y
        let header = table.columns.map(\.title)
        let headerHeight = rowHeight(header, of: table, bold: true)
        var needsHeader = true
        for row in table.rows {
            let height = rowHeight(row, of: table, bold: false)
            // Never leave a header alone at the bottom of a page. At the top of a page a row is
            // drawn even if it is taller than the page, rather than adding pages forever.
            if top + (needsHeader ? headerHeight : 0) + height > page.size.height - margins.bottom,
                top > margins.top + 0.001
            {
                page = addPage(size: page.size)
                (top, needsHeader) = (margins.top, true)
            }
            if needsHeader {
                top = drawRow(header, of: table, bold: true, on: page, x: x, y: top)
                needsHeader = false
            }
            top = drawRow(row, of: table, bold: false, on: page, x: x, y: top)
        }
        if needsHeader { top = drawRow(header, of: table, bold: true, on: page, x: x, y: top) }
        return (page, top)
    }

    private func cellLines(_ row: [String], of table: PDFTable, bold: Bool) -> [[String]] {
        table.columns.enumerated().map { index, column in
            let text = index < row.count ? row[index] : ""
            return wrappedLines(text, width: column.width - 2 * table.padding, size: table.fontSize, bold: bold)
        }
    }

    private func rowHeight(_ row: [String], of table: PDFTable, bold: Bool) -> Double {
        let lineCount = cellLines(row, of: table, bold: bold).map(\.count).max() ?? 1
        return Double(max(lineCount, 1)) * table.fontSize * PDFPage.lineSpacing + 2 * table.padding
    }

    private func drawRow(
        _ row: [String], of table: PDFTable, bold: Bool, on page: PDFPage, x: Double, y: Double
    ) -> Double {
        let height = rowHeight(row, of: table, bold: bold)
        let lines = cellLines(row, of: table, bold: bold)
        var left = x
        for (index, column) in table.columns.enumerated() {
            page.rect(
                x: left, y: y, width: column.width, height: height,
                fill: bold ? table.headerFill : nil, stroke: .black, lineWidth: table.borderWidth)
            var top = y + table.padding
            for line in lines[index] {
                page.text(
                    line, x: left + table.padding, y: top, width: column.width - 2 * table.padding,
                    alignment: bold ? .center : column.alignment, size: table.fontSize, bold: bold)
                top += table.fontSize * PDFPage.lineSpacing
            }
            left += column.width
        }
        return y + height
    }
}

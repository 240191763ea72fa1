import Plot

/// One bar: a label under it and a value (kopecks or a count; the caller formats `valueText`).
public struct ChartBar: Sendable, Equatable {
    public var label: String
    public var value: Int64
    public var valueText: String

    public init(label: String, value: Int64, valueText: String) {
        self.label = label
        self.value = value
        self.valueText = valueText
    }
}

/// A server-rendered horizontal bar chart as inline SVG (no JS), with a text alternative.
enum BarChart {
    static let rowHeight = 28
    static let labelWidth = 104
    static let barAreaWidth = 146
    static let valueWidth = 110

    static func render(_ bars: [ChartBar], title: String) -> Body {
        guard !bars.isEmpty else { return .empty }
        let maximum = max(bars.map(\.value).max() ?? 0, 1)
        let width = labelWidth + barAreaWidth + valueWidth
        let height = bars.count * rowHeight
        let rows: [Body] = bars.enumerated().map { index, bar in row(bar, index: index, maximum: maximum) }
        let svg: Body = .el(
            "svg",
            [
                .cls("chart"), .attr("viewBox", "0 0 \(width) \(height)"), .attr("role", "img"),
                .attr("aria-label", title), .attr("preserveAspectRatio", "xMinYMin meet"),
            ], [.el("title", [], text: title)] + rows)
        return .el("figure", [.cls("chart-figure")], [svg, .el("figcaption", [.cls("muted")], text: title)])
    }

    private static func row(_ bar: ChartBar, index: Int, maximum: Int64) -> Body {
        let y = index * rowHeight
        let length = bar.value <= 0 ? 0 : max(2, Int(Double(bar.value) / Double(maximum) * Double(barAreaWidth - 8)))
        let textY = String(y + rowHeight / 2 + 5)
        return .el(
            "g", [],
            [
                .el("text", [.attr("x", "0"), .attr("y", textY), .cls("chart__label")], text: clipped(bar.label)),
                .el(
                    "rect",
                    [
                        .attr("x", String(labelWidth)), .attr("y", String(y + 5)), .attr("width", String(length)),
                        .attr("height", String(rowHeight - 10)), .attr("rx", "3"), .cls("chart__bar"),
                    ]),
                .el(
                    "text", [.attr("x", String(labelWidth + length + 6)), .attr("y", textY), .cls("chart__value")],
                    text: bar.valueText),
            ])
    }

    private static func clipped(_ label: String) -> String {
        return label.count > 14 ? String(label.prefix(13)) + "…" : label
    }
}

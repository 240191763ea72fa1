import Plot

/// «Отчёты»: three link cards.
public struct ReportsIndexPage: WebPage {
    public let model: ReportsIndexModel

    public init(model: ReportsIndexModel) {
        self.model = model
    }

    public func html() -> HTML {
        let cards: [Body] = ReportKind.allCases.map { kind in
            .el(
                "a", [.cls("card link-card"), .link(Paths.report(kind))],
                [
                    .heading(2, kind.title),
                    .para(kind.subtitle, cls: "muted"),
                    .span(cls: "link-card__more", "Перейти →"),
                ])
        }
        return Layout.page(
            title: "Отчёты", section: .reports, context: model.context,
            content: [
                .para("Финансовые отчёты по бизнесу: общая сводка, техника и сотрудники.", cls: "muted"),
                .div(cls: "card-grid", cards),
            ])
    }
}

/// Pieces shared by the three report pages.
enum ReportChrome {
    static func page(_ kind: ReportKind, context: PageContext, from: String, to: String, content: [Body]) -> HTML {
        return Layout.page(
            title: kind.title, section: .reports, context: context,
            actions: exportLinks(kind, from: from, to: to), back: Paths.reports(),
            content: [
                tabs(active: kind, from: from, to: to),
                .para(kind.subtitle, cls: "muted"),
                Components.periodFilter(action: Paths.report(kind), from: from, to: to),
            ] + content)
    }

    static func exportLinks(_ kind: ReportKind, from: String, to: String) -> [Body] {
        return [
            .el(
                "a",
                [
                    .cls("button button--small"), .link(Paths.report(kind, from: from, to: to, export: "csv")),
                    .attr("download", ""),
                ], text: "Скачать CSV"),
            .el(
                "a",
                [
                    .cls("button button--small"), .link(Paths.report(kind, from: from, to: to, export: "xlsx")),
                    .attr("download", ""),
                ], text: "Скачать XLSX"),
        ]
    }

    /// The other reports for the same period.
    static func tabs(active: ReportKind, from: String, to: String) -> Body {
        let links: [Body] = ReportKind.allCases.map { kind in
            var attributes: [Attr] = [
                .link(Paths.report(kind, from: from, to: to)),
                .cls(kind == active ? "tab is-active" : "tab"),
            ]
            if kind == active { attributes.append(.attr("aria-current", "page")) }
            return .el("a", attributes, text: kind.title)
        }
        return .el("nav", [.cls("tabs"), .attr("aria-label", "Отчёты")], links)
    }
}

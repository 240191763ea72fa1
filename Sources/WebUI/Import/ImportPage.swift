import Domain
import Plot

/// The URLs of the spreadsheet import (docs/import.md#spreadsheets).
extension Paths {
    /// GET the upload form; POST `multipart/form-data`: `_csrf`, `file` (.xlsx or .csv) → the preview.
    public static func importTable(_ kind: ImportKind) -> String { "/import/" + kind.rawValue }
    /// POST `_csrf`, `token` (from the preview): saves the good rows.
    public static func importTableCommit(_ kind: ImportKind) -> String { importTable(kind) + "/commit" }
    /// GET every record in the import's columns, `format=csv` (`;`) or `xlsx`: edit and import back.
    public static func importExport(_ kind: ImportKind, format: String) -> String {
        importTable(kind) + "/export" + query(["format": format])
    }
    /// GET the template: the header row, `format=csv` (UTF-8, `;`) or `xlsx`.
    public static func importTemplate(_ kind: ImportKind, format: String) -> String {
        importTable(kind) + "/template" + query(["format": format])
    }
}

/// The import page of one kind: the upload form, then the preview of the file, then the result.
public struct ImportModel: Sendable {
    public struct Row: Sendable {
        public var line: Int
        /// True when the row updates an existing record.
        public var updates: Bool
        public var values: [String: ImportValue]

        public init(line: Int, updates: Bool, values: [String: ImportValue]) {
            self.line = line
            self.updates = updates
            self.values = values
        }
    }

    public struct Problem: Sendable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public struct Preview: Sendable {
        /// The file's columns, in file order.
        public var columns: [ImportColumn]
        /// The first rows as they will be saved.
        public var rows: [Row]
        public var problems: [Problem]
        public var created: Int
        public var updated: Int
        /// Names the uploaded file kept on the server until it is committed.
        public var token: String

        public init(
            columns: [ImportColumn], rows: [Row], problems: [Problem], created: Int, updated: Int, token: String
        ) {
            self.columns = columns
            self.rows = rows
            self.problems = problems
            self.created = created
            self.updated = updated
            self.token = token
        }
    }

    public var context: PageContext
    public var kind: ImportKind
    public var preview: Preview?
    /// After a commit: how many were created and updated.
    public var saved: (created: Int, updated: Int)?
    public var error: String?

    public init(
        context: PageContext, kind: ImportKind, preview: Preview? = nil, saved: (created: Int, updated: Int)? = nil,
        error: String? = nil
    ) {
        self.context = context
        self.kind = kind
        self.preview = preview
        self.saved = saved
        self.error = error
    }

    /// Where «Импорт» returns to: the catalogue tab or the client list.
    public var back: String {
        switch kind {
        case .equipment: Paths.catalog(.equipment)
        case .services: Paths.catalog(.services)
        case .materials: Paths.catalog(.materials)
        case .clients: Paths.clients()
        }
    }

    public var section: NavSection { kind == .clients ? .clients : .catalog }

    /// A cell as it will be saved, in Russian: money «2 450,00 ₽», a choice by its label, a flag «да»/«нет».
    public static func display(_ value: ImportValue?, column: ImportColumn) -> String {
        guard let value else { return "" }
        switch (value, column.format) {
        case (.scaled(let kopecks), .money): return RussianFormat.money(kopecks)
        case (.scaled(let hundredths), _): return RussianFormat.decimal(Money(kopecks: hundredths).decimal)
        case (.flag(let flag), _): return flag ? "да" : "нет"
        case (.text(let code), .choice(let options)): return options.first { $0.code == code }?.title ?? code
        case (.text(let code), .unit): return CatalogUnit.label(code)
        case (.text(let text), _): return text
        }
    }
}

/// «Импорт: Техника» and the others.
public struct ImportPage: WebPage {
    public let model: ImportModel
    /// How many rows of the file the preview shows.
    public static let previewRows = 20

    public init(model: ImportModel) {
        self.model = model
    }

    public func html() -> HTML {
        var content: [Body] = []
        if let saved = model.saved {
            content.append(
                Components.card([
                    .el("p", [.cls("import-result"), .attr("role", "status")], text: Self.savedText(saved)),
                    Components.buttonLink(model.back, "Готово", cls: "button button--primary"),
                ]))
        }
        if let preview = model.preview { content += previewCards(preview) }
        content.append(uploadCard())
        return Layout.page(
            title: "Импорт: " + model.kind.title, section: model.section, context: model.context, back: model.back,
            content: content)
    }

    static func savedText(_ saved: (created: Int, updated: Int)) -> String {
        "Сохранено: " + RussianFormat.counted(saved.created, "новая запись", "новые записи", "новых записей") + ", "
            + RussianFormat.counted(saved.updated, "обновлена", "обновлены", "обновлено") + "."
    }

    func uploadCard() -> Body {
        let columns = model.kind.columns.map { $0.required ? $0.title + "*" : $0.title }.joined(separator: ", ")
        let form = Forms.post(
            Paths.importTable(model.kind), csrf: model.context.csrfToken,
            attributes: [.attr("enctype", "multipart/form-data"), .cls("stack import-form")],
            [
                Forms.errorSummary(model.error, errors: [:]),
                .el(
                    "label", [.attr("for", "f-file"), .cls("field__label")],
                    text: "Файл XLSX или CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)"),
                .void(
                    "input",
                    [
                        .attr("type", "file"), .attr("name", "file"), .attr("id", "f-file"), .cls("input"),
                        .attr("accept", ".xlsx,.csv,text/csv"), .flag("required"),
                    ]),
                .para("Первая строка — названия столбцов, по-русски или по-английски: \(columns).", cls: "muted"),
                .para(Self.matchText(model.kind), cls: "muted"),
                Forms.actions([
                    Forms.submit(model.preview == nil ? "Проверить файл" : "Проверить другой файл"),
                    Components.buttonLink(
                        Paths.importTemplate(model.kind, format: "xlsx"), "Шаблон XLSX", cls: "button button--ghost"),
                    Components.buttonLink(
                        Paths.importTemplate(model.kind, format: "csv"), "Шаблон CSV", cls: "button button--ghost"),
                ]),
                .para(
                    "Чтобы поправить уже введённые записи, выгрузите их, измените и загрузите обратно:", cls: "muted"),
                Forms.actions([
                    Components.buttonLink(
                        Paths.importExport(model.kind, format: "xlsx"), "Выгрузить XLSX", cls: "button button--ghost"),
                    Components.buttonLink(
                        Paths.importExport(model.kind, format: "csv"), "Выгрузить CSV", cls: "button button--ghost"),
                ]),
            ])
        return Components.card([.el("h2", [], text: "Загрузить файл"), form], cls: "card--narrow")
    }

    static func matchText(_ kind: ImportKind) -> String {
        switch kind {
        case .equipment: "Техника с тем же кодом обновляется; пустая ячейка оставляет значение как есть."
        case .clients:
            "Клиент с тем же ИНН (или, без ИНН, с тем же названием) обновляется; пустая ячейка не меняет поле."
        case .services, .materials: "Запись с тем же названием обновляется; пустая ячейка оставляет значение как есть."
        }
    }

    func previewCards(_ preview: ImportModel.Preview) -> [Body] {
        let total = preview.created + preview.updated
        var summary: [Body] = [
            .el("h2", [], text: "Проверка файла"),
            .para(
                "Будет сохранено: "
                    + RussianFormat.counted(preview.created, "новая запись", "новые записи", "новых записей") + ", "
                    + RussianFormat.counted(preview.updated, "обновление", "обновления", "обновлений") + ". "
                    + "Строк с ошибками: \(Set(preview.problems.map(\.line)).count) (они не сохраняются)."),
        ]
        if total > 0 {
            summary.append(
                Forms.post(
                    Paths.importTableCommit(model.kind), csrf: model.context.csrfToken,
                    [
                        Forms.hidden("token", preview.token),
                        Forms.actions([
                            Forms.submit("Сохранить " + RussianFormat.counted(total, "строку", "строки", "строк"))
                        ]),
                    ]))
        }
        var cards = [Components.card(summary)]
        if !preview.problems.isEmpty {
            cards.append(
                Components.card(
                    [
                        .el("h2", [], text: "Ошибки"),
                        Components.table(
                            headers: ["Строка", "Ошибка"],
                            rows: preview.problems.map {
                                [
                                    Components.Cell("Строка", text: String($0.line)),
                                    Components.Cell("Ошибка", text: $0.message),
                                ]
                            }, caption: "Ошибки в файле", cls: "import-problems"),
                    ], cls: "import-errors"))
        }
        if !preview.rows.isEmpty {
            let shown = preview.rows.prefix(Self.previewRows)
            var rows: [[Components.Cell]] = []
            for row in shown {
                var cells = [
                    Components.Cell("Строка", text: String(row.line)),
                    Components.Cell("Действие", text: row.updates ? "обновить" : "создать"),
                ]
                for column in preview.columns {
                    cells.append(
                        Components.Cell(column.title, text: ImportModel.display(row.values[column.key], column: column))
                    )
                }
                rows.append(cells)
            }
            let more = preview.rows.count - shown.count
            var body: [Body] = [
                .el("h2", [], text: "Как будет сохранено"),
                Components.table(
                    headers: ["Строка", "Действие"] + preview.columns.map(\.title), rows: rows,
                    caption: "Первые строки файла", cls: "import-preview"),
            ]
            if more > 0 {
                body.append(
                    .para("…и ещё " + RussianFormat.counted(more, "строка", "строки", "строк") + ".", cls: "muted"))
            }
            cards.append(Components.card(body))
        }
        return cards
    }
}

import Domain
import Foundation
import Plot

extension OrderDetailPage {
    // MARK: - Lines and money

    func linesCard() -> Body {
        var children: [Body] = [.heading(2, "Позиции заказа")]
        if model.lines.isEmpty {
            children.append(Components.empty("Позиции в заявке отсутствуют."))
        } else {
            children.append(linesTable())
        }
        if model.showsMoney { children.append(totals()) }
        return Components.card(children)
    }

    func linesTable() -> Body {
        var headers = ["Наименование", "Количество"]
        if model.showsMoney { headers += ["Цена", "Скидка", "Сумма"] }
        return Components.table(headers: headers, rows: model.lines.map(lineCells), caption: "Позиции заказа")
    }

    func lineCells(_ line: OrderDetailModel.Line) -> [Components.Cell] {
        var name: [Body] = [.txt(line.name), .span(cls: "cell-note", line.kind.title)]
        if model.showsMoney { name += expenseNotes(line) }
        var cells = [
            Components.Cell("Наименование", name, cls: "cell-title"),
            Components.Cell("Количество", text: line.quantityText),
        ]
        guard model.showsMoney else { return cells }
        cells += [
            Components.Cell("Цена", text: line.unitPrice.map(RussianFormat.money) ?? "—", cls: "num"),
            Components.Cell(
                "Скидка",
                text: line.discountPercent > 0
                    ? RussianFormat.decimal(line.discountPercent) + "%" : "—", cls: "num"),
            Components.Cell("Сумма", text: RussianFormat.money(line.total), cls: "num"),
        ]
        return cells
    }

    func expenseNotes(_ line: OrderDetailModel.Line) -> [Body] {
        var name: [Body] = []
        if let fuel = line.fuelExpense, fuel > 0 {
            name.append(.span(cls: "cell-note", "Топливо: " + RussianFormat.money(fuel)))
        }
        if let repair = line.repairExpense, repair > 0 {
            name.append(.span(cls: "cell-note", "Ремонт: " + RussianFormat.money(repair)))
        }
        return name
    }

    func totals() -> Body {
        var late: [Body] = []
        if model.latePenalty > 0 {
            late.append(fact("Скидка за просрочку", "−" + RussianFormat.money(model.latePenalty)))
        } else if model.isDelayed {
            late.append(fact("Просрочка", "отмечена"))
        }
        return .el(
            "dl", [.cls("totals")],
            late + [
                fact("Итого", RussianFormat.money(model.total)),
                fact("Предоплата", RussianFormat.money(model.prepayment) + " (" + model.prepaymentStatus.title + ")"),
                fact("К оплате", RussianFormat.money(model.balance)),
            ])
    }

    // MARK: - Photos and history

    func photos() -> Body {
        guard !model.photos.isEmpty || model.canUploadPhotos else { return .empty }
        var children: [Body] = [.heading(2, "Фото")]
        if model.photos.isEmpty {
            children.append(Components.empty("Фотографий пока нет."))
        } else {
            children.append(.el("ul", [.cls("photos")], model.photos.map(photo)))
        }
        if model.canUploadPhotos { children.append(photoForm()) }
        return Components.card(children)
    }

    /// A plain multipart form: on a phone `capture` opens the camera.
    func photoForm() -> Body {
        let kinds = PhotoKind.allCases.map { Choice(value: $0.rawValue, label: $0.title) }
        let selected = model.status == .completed ? PhotoKind.after : PhotoKind.before
        return Forms.post(
            Paths.orderPhotos(model.id), csrf: model.context.csrfToken,
            attributes: [
                .cls("stack photo-upload"), .attr("enctype", "multipart/form-data"),
            ],
            [
                Forms.select(Field(name: "photo_type", label: "Тип фото", value: selected.rawValue), options: kinds),
                Forms.input(
                    Field(
                        name: "file", label: "Фотография", type: "file", hint: "JPEG, PNG или WebP",
                        isRequired: true, extra: [.attr("accept", "image/*"), .attr("capture", "environment")])),
                Forms.actions([Forms.submit("Загрузить фото")]),
            ])
    }

    func photo(_ photo: OrderDetailModel.Photo) -> Body {
        var caption = photo.kind.title
        if let at = photo.capturedAt { caption += " · " + RussianFormat.dateTime(at, in: timeZone) }
        if !photo.note.isEmpty { caption += " · " + photo.note }
        return .el(
            "li", [],
            [
                .el(
                    "figure", [],
                    [
                        .el(
                            "a", [.link(photo.url), .attr("target", "_blank"), .attr("rel", "noopener")],
                            [
                                .void(
                                    "img",
                                    [
                                        .attr("src", photo.url), .attr("alt", caption), .attr("loading", "lazy"),
                                        .attr("width", "160"), .attr("height", "120"),
                                    ])
                            ]),
                        .el("figcaption", [], text: caption),
                    ])
            ])
    }

    func history() -> Body {
        guard !model.history.isEmpty else {
            return Components.card([
                .heading(2, "История статусов"),
                Components.empty("История изменений статусов отсутствует."),
            ])
        }
        return Components.card([
            .heading(2, "История статусов"),
            .el("ol", [.cls("timeline")], model.history.map(historyEntry)),
        ])
    }

    func historyEntry(_ change: OrderDetailModel.StatusChange) -> Body {
        var children: [Body] = [
            .div(
                cls: "timeline__head",
                [
                    Components.statusChip(change.to),
                    .el(
                        "time", [.attr("datetime", ISO8601DateFormatter().string(from: change.at))],
                        text: RussianFormat.dateTime(change.at, in: timeZone)),
                ])
        ]
        if let from = change.from {
            children.append(.para("Было: " + from.title, cls: "muted"))
        }
        children.append(.para("Изменил: " + (change.actorName ?? "система"), cls: "muted"))
        if !change.comment.isEmpty { children.append(.el("p", [.cls("prewrap")], text: change.comment)) }
        return .el("li", [], children)
    }
}

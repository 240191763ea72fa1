import Domain
import Foundation
import Plot

/// «Заявка N»: actions for this role and state, times, client, address, people, lines with totals, photos, history.
public struct OrderDetailPage: WebPage {
    public let model: OrderDetailModel

    public init(model: OrderDetailModel) {
        self.model = model
    }

    var timeZone: TimeZone { model.context.timeZone }
    var csrf: String { model.context.csrfToken }

    public func html() -> HTML {
        return Layout.page(
            title: "Заявка " + model.number, section: .orders, context: model.context,
            back: Paths.orders(),
            content: [
                summary(),
                actionsBar(),
                clientAndPlace(),
                people(),
                linesCard(),
                photos(),
                history(),
            ])
    }

    func summary() -> Body {
        var meta = "Создана " + RussianFormat.dateTime(model.createdAt, in: timeZone)
        if let updated = model.updatedAt { meta += " · Обновлена " + RussianFormat.dateTime(updated, in: timeZone) }
        return Components.card([
            .div(cls: "summary-head", [Components.statusChip(model.status), .span(cls: "muted", meta)]),
            .el(
                "dl", [.cls("facts")],
                [
                    fact("Начало", RussianFormat.dateTime(model.start, in: timeZone)),
                    fact("Окончание", model.end.map { RussianFormat.dateTime($0, in: timeZone) } ?? "не указано"),
                ]),
        ])
    }

    func fact(_ term: String, _ value: String) -> Body {
        return .div(cls: "fact", [.el("dt", [], text: term), .el("dd", [], text: value)])
    }

    // MARK: - Actions

    func actionsBar() -> Body {
        guard !model.actions.isEmpty else { return .empty }
        let queuedNote: Body = .el(
            "p",
            [
                .cls("queued-note"), .attr("data-queued-note", Paths.order(model.id)),
                .flag("hidden"),
            ], text: "Ожидает синхронизации")
        return .el(
            "section", [.cls("card action-bar"), .attr("aria-label", "Действия")],
            model.actions.map(actionControl) + [queuedNote])
    }

    func actionControl(_ action: OrderAction) -> Body {
        switch action {
        case .approve: return statusButton(.approved, title: action.title, label: "Одобрить заявку " + model.number)
        case .start: return statusButton(.inProgress, title: action.title, label: "Начать работу " + model.number)
        case .complete:
            return Components.buttonLink(Paths.completeOrder(model.id), action.title, cls: "button button--primary")
        case .edit: return Components.buttonLink(Paths.editOrder(model.id), action.title)
        case .receipt: return Components.buttonLink(Paths.orderReceipt(model.id), action.title)
        case .invoice:
            guard let invoiceID = model.invoiceID else { return .empty }
            return Components.buttonLink(Paths.invoicePDF(invoiceID), action.title)
        case .issueInvoice:
            return Forms.post(
                Paths.issueInvoice(model.id), csrf: csrf, attributes: [.cls("inline-form")],
                [
                    Forms.submit(action.title, cls: "button")
                ])
        case .act: return Components.buttonLink(Paths.orderAct(model.id), action.title)
        case .sendToClient: return sendControl()
        case .cancel: return cancelControl()
        case .delete: return deleteControl()
        }
    }

    /// «Отправить клиенту»: the receipt, the act, or the invoice once issued, to the client's e-mail.
    func sendControl() -> Body {
        var documents: [(value: String, title: String)] = [("receipt", "Чек"), ("act", "Акт")]
        if model.invoiceID != nil { documents.append(("invoice", "Счёт")) }
        let options: [Body] = documents.map { .el("option", [.attr("value", $0.value)], text: $0.title) }
        return Forms.post(
            Paths.sendOrderDocument(model.id), csrf: csrf, attributes: [.cls("inline-form")],
            [
                .el("label", [.cls("visually-hidden"), .attr("for", "send-document")], text: "Документ"),
                .el("select", [.attr("name", "document"), .attr("id", "send-document"), .cls("input")], options),
                Forms.submit(OrderAction.sendToClient.title, cls: "button"),
            ])
    }

    /// A one-button form that is queued offline (`data-offline-queue`).
    func statusButton(_ status: OrderStatus, title: String, label: String) -> Body {
        return Forms.post(
            Paths.orderStatus(model.id), csrf: csrf,
            attributes: [
                .cls("inline-form"), .attr("data-offline-queue", ""), .attr("data-queue-label", label),
            ],
            [
                Forms.hidden("status", status.rawValue),
                Forms.hidden("comment", ""),
                Forms.submit(title),
            ])
    }

    func cancelControl() -> Body {
        let comment = Field(name: "comment", label: "Причина отмены", id: "cancel-comment", autocomplete: "off")
        return confirmStep(
            summary: "Отменить", cls: "button button--danger-ghost",
            [
                .para("Отменить заявку " + model.number + "? Отменённую заявку нельзя вернуть в работу."),
                Forms.post(
                    Paths.orderStatus(model.id), csrf: csrf,
                    attributes: [
                        .cls("stack"), .attr("data-confirm", "Отменить заявку " + model.number + "?"),
                    ],
                    [
                        Forms.hidden("status", OrderStatus.cancelled.rawValue),
                        Forms.textArea(comment, rows: 2),
                        Forms.submit("Отменить заявку", cls: "button button--danger"),
                    ]),
            ])
    }

    func deleteControl() -> Body {
        return confirmStep(
            summary: "Удалить", cls: "button button--danger-ghost",
            [
                .para("Удалить заявку " + model.number + "? Это действие нельзя будет отменить."),
                Forms.post(
                    Paths.deleteOrder(model.id), csrf: csrf,
                    attributes: [
                        .attr("data-confirm", "Удалить заявку " + model.number + " без возможности восстановления?")
                    ], [Forms.submit("Да, удалить", cls: "button button--danger")]),
            ])
    }

    /// A `<details>` confirm step that works without JS.
    func confirmStep(summary: String, cls: String, _ children: [Body]) -> Body {
        return .el(
            "details", [.cls("confirm")],
            [
                .el("summary", [.cls(cls)], text: summary),
                .div(cls: "confirm__body", children),
            ])
    }

    // MARK: - Client, place, people

    func clientAndPlace() -> Body {
        var children: [Body] = [.heading(2, "Клиент и адрес")]
        if let client = model.client {
            children.append(.para(client.name, cls: "strong"))
            if !client.phone.isEmpty {
                children.append(.el("p", [], [.anchor("tel:" + client.phone, client.phone)]))
            }
            if !client.email.isEmpty { children.append(.para(client.email)) }
        } else {
            children.append(.para("Клиент не указан", cls: "muted"))
        }
        children.append(.para(model.address, cls: "address"))
        children.append(
            .el(
                "a",
                [
                    .cls("button button--small button--ghost"), .attr("target", "_blank"),
                    .attr("rel", "noopener"), .link(Self.mapURL(model.address)),
                ], text: "Открыть на карте"))
        if !model.description.isEmpty {
            children.append(.heading(3, "Описание работы"))
            children.append(.el("p", [.cls("prewrap")], text: model.description))
        }
        return Components.card(children)
    }

    static func mapURL(_ address: String) -> String {
        return "https://yandex.ru/maps/?text=" + Paths.escapeQuery(address)
    }

    func people() -> Body {
        let manager: Body =
            model.manager.map { person(label: "Менеджер", $0) }
            ?? .para("Менеджер: не назначен", cls: "muted")
        let operators: [Body] =
            model.operators.isEmpty
            ? [.para("Операторы не назначены", cls: "muted")]
            : model.operators.map { person(label: "Оператор", $0) }
        return Components.card([.heading(2, "Участники"), manager] + operators)
    }

    func person(label: String, _ person: OrderDetailModel.Person) -> Body {
        var children: [Body] = [.span(cls: "muted", label + ": "), .txt(person.name)]
        if !person.phone.isEmpty {
            children += [.txt(" · "), .anchor("tel:" + person.phone, person.phone)]
        }
        return .el("p", [], children)
    }
}

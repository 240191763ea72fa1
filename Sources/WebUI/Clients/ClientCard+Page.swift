import Foundation
import Plot

/// The client card: the account («Баланс», «Кредитный лимит», the debt by age), contacts and requisites, the
/// ledger for a period with the running balance, «Акт сверки» for that period, and the client's orders.
public struct ClientCardPage: WebPage {
    public let model: ClientCardModel

    public init(model: ClientCardModel) {
        self.model = model
    }

    var timeZone: TimeZone { model.context.timeZone }

    public func html() -> HTML {
        var actions: [Body] = []
        if model.canEdit {
            actions.append(Components.buttonLink(Paths.editClient(model.id), "Изменить", cls: "button button--primary"))
        }
        return Layout.page(
            title: model.name, section: .clients, context: model.context, actions: actions, back: Paths.clients(),
            content: [
                model.isActive ? .empty : .para("Клиент деактивирован.", cls: "muted"),
                account(),
                .div(cls: "client-card__grid", [contacts(), reconciliation()]),
                ledger(),
                orders(),
            ])
    }

    // MARK: - Account

    func account() -> Body {
        let account = model.account
        let balanceNote =
            account.balance > 0 ? "долг клиента" : account.balance < 0 ? "аванс клиента" : "расчёты закрыты"
        var limitNote: String?
        if account.creditLimit != nil {
            limitNote =
                (account.isOverLimit ? "превышен: " : "с открытыми заявками: ") + RussianFormat.money(account.exposure)
        }
        var tiles: [Body] = [
            Components.kpi("Баланс", RussianFormat.money(account.balance), note: balanceNote),
            Components.kpi(
                "Кредитный лимит", account.creditLimit.map(RussianFormat.money) ?? "не задан", note: limitNote),
        ]
        if account.balance > 0 {
            tiles.append(
                Components.kpi("Просрочено", RussianFormat.money(account.buckets.overdue), note: "старше 30 дней"))
        }
        var children: [Body] = [Components.kpiGrid(tiles)]
        if account.isOverLimit {
            children.append(.para("Кредитный лимит превышен.", cls: "client-card__warning"))
        }
        if account.balance > 0 {
            let buckets = account.buckets
            children.append(
                .el(
                    "dl", [.cls("facts client-card__ageing")],
                    [
                        fact("до 30", RussianFormat.money(buckets.upTo30)),
                        fact("31–60", RussianFormat.money(buckets.days31To60)),
                        fact("61–90", RussianFormat.money(buckets.days61To90)),
                        fact("больше 90 дней", RussianFormat.money(buckets.over90)),
                    ]))
        }
        return .div(cls: "client-card__account", children)
    }

    // MARK: - Contacts

    func contacts() -> Body {
        let contacts = model.contacts
        var facts: [Body] = []
        func add(_ term: String, _ value: String, link: String? = nil) {
            guard !value.isEmpty else { return }
            facts.append(
                .div(
                    cls: "fact",
                    [.el("dt", [], text: term), .el("dd", [], [link.map { .anchor($0, value) } ?? .txt(value)])]))
        }
        add("Контактное лицо", contacts.contactPerson)
        add("Телефон", contacts.phone, link: "tel:" + contacts.phone)
        add("Email", contacts.email, link: "mailto:" + contacts.email)
        add("Адрес", contacts.address)
        add("ИНН", contacts.inn)
        add("КПП", contacts.kpp)
        add("Заметки", contacts.notes)
        let body: Body = facts.isEmpty ? Components.empty("Реквизиты не заполнены.") : .el("dl", [.cls("facts")], facts)
        return Components.card([.heading(2, "Контакты и реквизиты"), body])
    }

    // MARK: - Reconciliation

    /// «Акт сверки» for a period, opened as a PDF (GET `Paths.clientReconciliation`).
    func reconciliation() -> Body {
        let form = Forms.get(
            Paths.clientReconciliation(model.id), attributes: [.cls("stack"), .attr("target", "_blank")],
            [
                .heading(2, "Акт сверки"),
                .div(
                    cls: "filter-bar__dates",
                    [
                        Forms.input(
                            Field(
                                name: "from", label: "С", value: model.from, id: "reconciliation-from", type: "date",
                                autocomplete: "off")),
                        Forms.input(
                            Field(
                                name: "to", label: "По", value: model.to, id: "reconciliation-to", type: "date",
                                autocomplete: "off")),
                    ]),
                Forms.actions([Forms.submit("Сформировать акт сверки", cls: "button")]),
            ])
        return Components.card([form])
    }

    // MARK: - Ledger

    func ledger() -> Body {
        let period = Components.periodFilter(
            action: Paths.client(model.id), from: model.from, to: model.to)
        var rows: [[Components.Cell]] = [
            balanceRow("Сальдо на начало периода", model.openingBalance)
        ]
        rows += model.ledger.map { line in
            [
                Components.Cell("Дата", text: day(line.day)),
                Components.Cell("Документ", text: line.document, cls: "cell-title"),
                amount("Начислено", line.debit),
                amount("Оплачено", line.credit),
                Components.Cell("Баланс", text: RussianFormat.money(line.balance), cls: "num"),
            ]
        }
        rows.append(balanceRow("Сальдо на конец периода", model.closingBalance))
        let table = Components.table(
            headers: ["Дата", "Документ", "Начислено", "Оплачено", "Баланс"], rows: rows,
            caption: "Движение по счёту клиента", cls: "client-ledger")
        var children: [Body] = [.heading(2, "Движение по счёту"), period]
        if model.ledger.isEmpty { children.append(Components.empty("За период нет документов и оплат.")) }
        children.append(table)
        return Components.card(children)
    }

    func balanceRow(_ title: String, _ balance: Int64) -> [Components.Cell] {
        [
            Components.Cell("Дата", text: "", cls: "is-zero"),
            Components.Cell("Документ", text: title, cls: "cell-title"),
            amount("Начислено", 0),
            amount("Оплачено", 0),
            Components.Cell("Баланс", text: RussianFormat.money(balance), cls: "num"),
        ]
    }

    /// An amount cell; an empty one is left out of the phone card.
    func amount(_ label: String, _ kopecks: Int64) -> Components.Cell {
        Components.Cell(
            label, text: kopecks == 0 ? "" : RussianFormat.money(kopecks), cls: kopecks == 0 ? "num is-zero" : "num")
    }

    /// `2025-03-11` → «11.03.2025».
    func day(_ text: String) -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 3 else { return text }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    // MARK: - Orders

    func orders() -> Body {
        var children: [Body] = [
            .heading(2, "Заявки клиента"),
            .para("Всего: " + RussianFormat.integer(model.ordersCount), cls: "muted"),
        ]
        if model.orders.isEmpty {
            children.append(Components.empty("У клиента нет заявок."))
        } else {
            let rows = model.orders.map { order -> [Components.Cell] in
                [
                    Components.Cell(
                        "Заявка", [.anchor(Paths.order(order.id), "Заявка " + order.number, cls: "strong-link")],
                        cls: "cell-title"),
                    Components.Cell("Статус", [Components.statusChip(order.status)]),
                    Components.Cell("Адрес", text: order.address),
                    Components.Cell("Период", text: RussianFormat.period(order.start, order.end, in: timeZone)),
                    Components.Cell("Сумма", text: RussianFormat.money(order.total), cls: "num"),
                ]
            }
            children.append(
                Components.table(
                    headers: ["Заявка", "Статус", "Адрес", "Период", "Сумма"], rows: rows, caption: "Заявки клиента",
                    cls: "rtable--orders"))
            children.append(
                Components.pager(page: model.ordersPage, totalPages: model.ordersTotalPages) { page in
                    Paths.client(model.id, from: model.from, to: model.to, ordersPage: page)
                })
        }
        return Components.card(children)
    }

    func fact(_ term: String, _ value: String) -> Body {
        return .div(cls: "fact", [.el("dt", [], text: term), .el("dd", [], text: value)])
    }
}

import Domain
import Foundation
import Vapor
import WebUI

/// «Расходы» (`/expenses…`, admins, managers and accountants, as `/api/v1/expenses/`): the list with its totals
/// and downloads, and the form. Every read and write goes through `ExpenseService`, so the rules, the field
/// messages and the audit entries are the API's.
struct ExpensesWebController {
    static let pageSize = 50

    // MARK: - List

    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.expenses
        let filter = Self.listFilter(req)
        let query = Self.serviceFilter(filter)
        if let export = try ExportRequest.parse(req) {
            return try await Self.export(req, service: service, filter: query, sort: filter.sort, export: export)
        }
        let count = try await service.count(query)
        let (page, totalPages) = req.webPage(count: count, size: Self.pageSize)
        let expenses = try await service.expenses(
            query, ordering: filter.sort, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        // The totals cover every category of the period and machine, whatever category the list shows.
        var totalsQuery = query
        totalsQuery.categories = nil
        let model = ExpenseListModel(
            context: req.pageContext(), filter: filter, rows: expenses.map(Self.row),
            totals: try await service.totalsByCategory(totalsQuery), machines: try await Self.machines(service),
            page: page, totalPages: totalPages, totalCount: count)
        return WebReply.page(ExpenseListPage(model: model), on: req)
    }

    /// The list's query values; anything malformed is dropped, as on the order list.
    static func listFilter(_ req: Request) -> ExpenseListModel.Filter {
        let sort = req.queryValues["sort"] ?? ""
        let field = sort.hasPrefix("-") ? String(sort.dropFirst()) : sort
        let equipment = req.queryValues["equipment"] ?? ""
        return ExpenseListModel.Filter(
            from: OrdersWebController.day(req.queryValues["from"]), to: OrdersWebController.day(req.queryValues["to"]),
            category: (req.queryValues["category"]).flatMap { ExpenseCategory(rawValue: $0) },
            equipmentID: Int(equipment) == nil ? "" : equipment,
            sort: ExpenseListModel.sortFields.contains(field) ? sort : ExpenseListModel.defaultSort)
    }

    static func serviceFilter(_ filter: ExpenseListModel.Filter) -> ExpenseService.Filter {
        var query = ExpenseService.Filter()
        query.categories = filter.category.map { [$0.rawValue] }
        query.equipmentID = Int(filter.equipmentID)
        if !filter.from.isEmpty { query.firstDays = [filter.from] }
        if !filter.to.isEmpty { query.lastDays = [filter.to] }
        return query
    }

    static func row(_ expense: ExpenseStore.Expense) -> ExpenseListModel.Row {
        var row = ExpenseListModel.Row(
            id: String(expense.id), day: expense.date, category: expense.category, amount: expense.amount,
            equipmentName: expense.equipmentName, orderID: expense.orderID, orderNumber: expense.orderNumber,
            comment: expense.comment, attachmentURL: expense.attachmentURL, reportedBy: expense.reportedByName,
            bookedAtCompletion: expense.bookedAtCompletion)
        row.hasReceipt = expense.receiptKey != nil
        return row
    }

    static func machines(_ service: ExpenseService) async throws -> [ExpenseListModel.Machine] {
        try await service.machines().map { machine in
            let code = machine.code ?? ""
            return ExpenseListModel.Machine(
                id: String(machine.id), name: code.isEmpty ? machine.name : "\(machine.name) (\(code))")
        }
    }

    static let exportHeaders = [
        "ID", "Дата", "Категория", "Сумма", "Техника", "Заявка", "Комментарий", "Фото чека", "Внёс",
    ]

    /// Every filtered expense in the list's order, a page of rows at a time.
    static func export(
        _ req: Request, service: ExpenseService, filter: ExpenseService.Filter, sort: String, export: ExportRequest
    ) async throws -> Response {
        try await TableExport.respond(
            req, export: export, filename: "expenses", sheetName: "Расходы", headers: Self.exportHeaders
        ) { table in
            let chunk = 1000
            var offset = 0
            while true {
                let expenses = try await service.expenses(filter, ordering: sort, limit: chunk, offset: offset)
                for expense in expenses {
                    try table.write([
                        .integer(expense.id), .text(expense.date), .text(expense.category.title),
                        .money(expense.amount), .optionalText(expense.equipmentName),
                        .optionalText(expense.orderNumber), .text(expense.comment), .text(expense.attachmentURL),
                        .optionalText(expense.reportedByName),
                    ])
                }
                guard expenses.count == chunk else { break }
                offset += chunk
            }
        }
    }

    // MARK: - Form

    @Sendable func newForm(req: Request) async throws -> Response {
        let today = ISOTime.day(of: Date(), in: req.application.config.timeZone)
        return try await form(req, id: nil, values: ExpenseFormModel.Values(date: today))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let service = try req.expenses
        let read = Self.read(try await WebForm(request: req))
        do {
            _ = try await service.create(read.input, problems: read.problems)
        } catch {
            return try await failure(req, id: nil, values: read.values, error: error)
        }
        return WebReply.redirect(to: Paths.expenses(), flash: Flash(.success, "Расход добавлен"), on: req)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let expense = try await req.expenses.expense(try ClientsWebController.id(req))
        let values = ExpenseFormModel.Values(
            category: expense.category.rawValue, equipmentID: expense.equipmentID.map(String.init) ?? "",
            amount: RussianFormat.moneyInput(expense.amount), date: expense.date, comment: expense.comment,
            attachmentURL: expense.attachmentURL)
        return try await form(req, id: expense.id, values: values, expense: expense)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let service = try req.expenses
        let id = try ClientsWebController.id(req)
        let current = try await service.expense(id)
        let read = Self.read(try await WebForm(request: req))
        do {
            _ = try await service.update(id, with: read.input, problems: read.problems)
        } catch {
            return try await failure(req, id: id, values: read.values, error: error, expense: current)
        }
        return WebReply.redirect(to: Paths.expenses(), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        try await req.expenses.delete(try ClientsWebController.id(req))
        return WebReply.redirect(to: Paths.expenses(), flash: Flash(.success, "Расход удалён"), on: req)
    }

    // MARK: - Receipt

    /// The multipart form of the edit page: stores the photo through `ExpenseService.attachReceipt` and goes back
    /// to the edit page with a flash message (a refused file says why).
    @Sendable func uploadReceipt(req: Request) async throws -> Response {
        let id = try ClientsWebController.id(req)
        let back = Paths.editExpense(String(id))
        do {
            let service = try req.expenses
            _ = try await service.attachReceipt(try PhotoUploadForm.read(req).file, to: id)
        } catch {
            return WebReply.redirect(
                to: back, flash: Flash(.error, "Фото не загружено. " + (try Self.refusal(error))), on: req)
        }
        return WebReply.redirect(to: back, flash: Flash(.success, "Фото чека загружено"), on: req)
    }

    /// Why a file was refused, for the flash message; anything else (no such expense) is thrown on.
    static func refusal(_ error: any Error) throws -> String {
        let api = ((error as? any APIMappedError)?.apiError ?? error) as? APIError
        if let api, [.payloadTooLarge, .serviceUnavailable, .unsupportedMediaType].contains(api.status) {
            return api.detail
        }
        let described = try WebErrors.describe(error)
        let reason = described.fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
        return reason.isEmpty ? described.detail ?? "" : reason
    }

    @Sendable func receipt(req: Request) async throws -> Response {
        let id = try ClientsWebController.id(req)
        return ReceiptResponse.make(try await req.expenses.receipt(of: id), expenseID: id)
    }

    @Sendable func deleteReceipt(req: Request) async throws -> Response {
        let id = try ClientsWebController.id(req)
        try await req.expenses.removeReceipt(of: id)
        return WebReply.redirect(
            to: Paths.editExpense(String(id)), flash: Flash(.success, "Фото чека удалено"), on: req)
    }

    private func form(
        _ req: Request, id: Int?, values: ExpenseFormModel.Values, expense: ExpenseStore.Expense? = nil,
        errors: FormErrors = [:], formError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let model = ExpenseFormModel(
            context: req.pageContext(), id: id.map(String.init), values: values,
            machines: try await Self.machines(try req.expenses), errors: errors, formError: formError,
            orderID: expense?.orderID, orderNumber: expense?.orderNumber,
            bookedAtCompletion: expense?.bookedAtCompletion ?? false, hasReceipt: expense?.receiptKey != nil)
        return WebReply.page(ExpenseFormPage(model: model), status: status, on: req)
    }

    private func failure(
        _ req: Request, id: Int?, values: ExpenseFormModel.Values, error: any Error,
        expense: ExpenseStore.Expense? = nil
    ) async throws -> Response {
        let described = try WebErrors.describe(error)
        if req.wantsJSON {
            return WebReply.rejection(
                described.status, detail: described.detail ?? WebErrors.formRejected, errors: described.fields)
        }
        return try await form(
            req, id: id, values: values, expense: expense, errors: described.fields,
            formError: described.detail ?? WebErrors.formRejected, status: described.status)
    }

    /// The posted form as the service's input. What cannot be read at all (money that is not a number, a date
    /// or link in the wrong shape) becomes a field problem, reported together with the service's own.
    static func read(
        _ form: WebForm
    ) -> (values: ExpenseFormModel.Values, input: ExpenseInput, problems: [String: [String]]) {
        let values = ExpenseFormModel.Values(
            category: form["category"], equipmentID: form["equipment_id"], amount: form["amount"],
            date: form["date"], comment: form.raw("comment")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "",
            attachmentURL: form["attachment_url"])
        var problems: [String: [String]] = [:]
        var input = ExpenseInput()
        input.equipmentField = "equipment_id"
        if let category = ExpenseCategory(rawValue: values.category) {
            input.category = .set(category)
        } else {
            problems["category"] = [
                values.category.isEmpty ? "Выберите категорию." : FieldMessage.choice(values.category)
            ]
        }
        if values.equipmentID.isEmpty {
            input.equipmentID = .set(nil)
        } else if let id = Int(values.equipmentID) {
            input.equipmentID = .set(id)
        } else {
            problems["equipment_id"] = [FieldMessage.missingObject(values.equipmentID)]
        }
        if values.amount.isEmpty {
            problems["amount"] = ["Укажите сумму расхода."]
        } else if let kopecks = RussianFormat.parseMoney(values.amount) {
            input.amount = .set(kopecks)
        } else {
            problems["amount"] = [CatalogEditWebController.moneyMessage]
        }
        if values.date.isEmpty {
            problems["date"] = ["Укажите дату расхода."]
        } else if ISOTime.parseDay(values.date) != nil {
            input.date = .set(values.date)
        } else {
            problems["date"] = [FieldMessage.date]
        }
        if values.comment.count > 10_000 {
            problems["comment"] = [FieldMessage.maxLength(10_000)]
        } else {
            input.comment = .set(values.comment)
        }
        // The link is checked exactly as the API checks `attachment_url`.
        var json = JSONInput(
            ["attachment_url": .string(values.attachmentURL)], timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        if let url = json.url("attachment_url") { input.attachmentURL = .set(url) }
        problems.merge(json.errors) { first, _ in first }
        return (values, input, problems)
    }
}

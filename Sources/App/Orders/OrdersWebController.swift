import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/orders…` pages. Handlers read the form, call `OrderService` (the same rules as the API) and render a page
/// or redirect; service errors come back as messages next to the fields.
struct OrdersWebController {
    static let pageSize = 50

    // MARK: - List and detail

    @Sendable func list(req: Request) async throws -> Response {
        let caller = try req.caller
        let timeZone = req.application.config.timeZone
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let status = (req.queryValues["status"]).flatMap { OrderStatus(rawValue: $0.uppercased()) }
        let from = Self.day(req.queryValues["from"])
        let to = Self.day(req.queryValues["to"])
        let requestedPage = max(1, req.queryValues["page"].flatMap { Int($0) } ?? 1)
        let query = try OrderListQuery(caller: caller, timeZone: timeZone) { key in
            switch key {
            case "search": q.nonEmpty
            case "status": status?.rawValue
            case "from": from.nonEmpty
            case "to": to.nonEmpty
            default: nil
            }
        }
        let sql = try req.db.sql()
        let count = try await query.count(on: sql)
        let totalPages = max(1, (count + Self.pageSize - 1) / Self.pageSize)
        let page = min(requestedPage, totalPages)
        let ids = try await query.ids(page: PageRequest(page: page, size: Self.pageSize), on: sql)
        let orders = try await OrderPageData(context: try req.services).summaries(ids)
        let model = OrderListModel(
            context: req.pageContext(), filter: .init(status: status, from: from, to: to, q: q), orders: orders,
            page: page, totalPages: totalPages, totalCount: count)
        return WebReply.page(OrderListPage(model: model), on: req)
    }

    /// A `yyyy-MM-dd` filter value, or "" when absent or malformed.
    static func day(_ raw: String?) -> String {
        guard let raw, ISOTime.parseDay(raw) != nil else { return "" }
        return raw
    }

    @Sendable func show(req: Request) async throws -> Response {
        let caller = try req.caller
        let (visible, operatorIDs) = try await req.orders.visibleOrder(try Self.orderID(req))
        let queries = try OrderQueries(db: req.db, timeZone: req.application.config.timeZone)
        guard let details = try await queries.details([visible.id]).first else { throw OrderError.notFound }
        let order = details.order
        let detail = OrderPageData.detail(details)
        let showsMoney = OrderPolicy.maySeeMoney(caller.role)
        let photos = details.photos.map { row in
            OrderDetailModel.Photo(
                url: Paths.orderPhotoFile(order.id, photo: String(row.id)),
                kind: PhotoKind(rawValue: row.photoType) ?? .before,
                capturedAt: row.capturedAt ?? row.createdAt, note: row.notes)
        }
        let canUploadPhotos = OrderPolicy.mayUploadPhotos(caller.role, isAssigned: operatorIDs.contains(caller.id))
        var invoiceID: Int?
        if InvoiceService.mayIssue(caller.role), DocumentService.mayReadReceipt(of: order) {
            invoiceID = try await InvoiceService.invoiceID(ofOrder: order.id, on: try req.db.sql())
        }
        let model = OrderDetailModel(
            context: req.pageContext(), id: order.id, number: order.number, status: order.status,
            createdAt: order.createdAt, updatedAt: order.updatedAt, start: order.startAt, end: order.endAt,
            client: detail.client, address: order.address, description: order.description, manager: detail.manager,
            operators: detail.operators.map(\.person),
            lines: OrderPageData.detailLines(order, lines: detail.lines.map(\.line)), total: order.totalAmount,
            prepayment: order.prepayment,
            prepaymentStatus: PrepaymentStatus(rawValue: order.prepaymentStatus) ?? .pending,
            isDelayed: order.isDelayed,
            latePenalty: details.items.isEmpty
                ? 0
                : OrderService.snapshot(for: order, lines: detail.lines.map(\.line)).summary.latePenalty.kopecks,
            history: detail.history, photos: photos,
            actions: Self.actions(
                order, operators: operatorIDs, caller: caller, invoiceID: invoiceID,
                canEmail: req.application.config.mail != nil),
            showsMoney: showsMoney, canUploadPhotos: canUploadPhotos, invoiceID: invoiceID.map(String.init))
        return WebReply.page(OrderDetailPage(model: model), on: req)
    }

    /// The buttons for this caller and state (`OrderPolicy`): status changes the transition table allows,
    /// completion, the staff's edit (salaries once completed) and delete (never a completed order: it holds money),
    /// and a completed order's documents: «Чек» for whoever sees it, the invoice (or issuing it) for the money roles.
    static func actions(
        _ order: OrderRecord, operators: [Int], caller: Caller, invoiceID: Int? = nil, canEmail: Bool = false
    ) -> [OrderAction] {
        let assigned = operators.contains(caller.id)
        let changes = OrderPolicy.allowedStatusChanges(from: order.status, actor: caller.role, isAssigned: assigned)
        var actions: [OrderAction] = []
        if changes.contains(.approved) { actions.append(.approve) }
        if changes.contains(.inProgress) { actions.append(.start) }
        if OrderPolicy.checkCompletion(from: order.status, actor: caller.role, isAssigned: assigned).isAllowed {
            actions.append(.complete)
        }
        if changes.contains(.cancelled) { actions.append(.cancel) }
        // A completed order's «Редактировать» opens its operators' salaries.
        if OrderPolicy.mayOpenEditor(order.status, actor: caller.role) { actions.append(.edit) }
        if OrderPolicy.mayDelete(order.status, actor: caller.role) { actions.append(.delete) }
        if DocumentService.mayReadReceipt(of: order) { actions.append(.receipt) }
        if DocumentService.mayReadReceipt(of: order), AccessPolicy.mayIssueClientDocuments(caller.role) {
            actions.append(invoiceID == nil ? .issueInvoice : .invoice)
            actions.append(.act)
            if canEmail { actions.append(.sendToClient) }
        }
        return actions
    }

    static func orderID(_ req: Request) throws -> String {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else {
            throw APIError.notFound("Заявка не найдена.")
        }
        return uuid.uuidString.lowercased()
    }

    // MARK: - Create and edit

    @Sendable func newForm(req: Request) async throws -> Response {
        // Opened from the planning board with a machine or operator and an interval (docs/planning.md).
        let values = PlanningPrefill.values(
            query: { req.queryValues[$0] }, timeZone: req.application.config.timeZone)
        return try await formPage(req, mode: .create, values: values)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        let form = try await WebForm(request: req)
        var input = OrderFormInput(
            form: form, purpose: .create, timeZone: timeZone, maySetMoney: OrderPolicy.maySetPrices(try req.caller.role)
        )
        guard input.errors.isEmpty else {
            return try await formFailure(
                req, mode: .create, input: input, errors: input.errors, formError: WebErrors.formRejected)
        }
        let service = try req.orders
        let newClientID = try await NewClientStore.attach(&input, req: req)
        let saved: OrderService.Saved
        do {
            saved = try await service.create(input.draft)
        } catch {
            if let newClientID { try await NewClientStore.discard(newClientID, req: req) }
            return try await serviceFailure(req, error: error, mode: .create, input: input)
        }
        if let newClientID { try await NewClientStore.keep(newClientID, input: input, req: req) }
        let id = saved.id
        var flash = Flash(.success, "Заявка создана")
        if form["approve"] == "true" {
            do {
                try await service.changeStatus(
                    id: id, to: .approved, comment: "Одобрено при создании", attachmentURL: "")
                flash = Flash(.success, "Заявка создана и одобрена")
            } catch let error as OrderError {
                flash = Flash(.error, "Заявка создана, но не одобрена: " + error.apiError(timeZone: timeZone).detail)
            }
        }
        if let warning = saved.creditWarning {
            flash = Flash(flash.kind == .error ? .error : .info, flash.message + ". " + warning)
        }
        return WebReply.redirect(to: Paths.order(id), flash: flash, on: req)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let (order, operatorIDs) = try await req.orders.visibleOrder(try Self.orderID(req))
        if order.status == .completed {
            return try await OrderCompletionWebController.payPage(req, order: order, operators: operatorIDs)
        }
        try OrderService.checkEditable(order)
        let lines = try await OrderStore(sql: try req.db.sql()).lines(of: order.id)
        let timeZone = req.application.config.timeZone
        let values = OrderFormModel.Values(
            clientID: order.clientID.map(String.init) ?? "", address: order.address,
            start: RussianFormat.dateTimeLocalInput(order.startAt, in: timeZone),
            end: order.endAt.map { RussianFormat.dateTimeLocalInput($0, in: timeZone) } ?? "",
            description: order.description,
            estimatedTotal: order.estimatedTotal > 0 ? RussianFormat.moneyInput(order.estimatedTotal) : "",
            prepayment: order.prepayment > 0 ? RussianFormat.moneyInput(order.prepayment) : "",
            prepaymentStatus: order.prepaymentStatus, isDelayed: order.isDelayed,
            operatorIDs: operatorIDs.map(String.init), items: lines.map(Self.formItem))
        return try await formPage(req, mode: .edit(id: order.id, number: order.number), values: values)
    }

    static func formItem(_ line: OrderLine) -> OrderFormModel.Item {
        func text(_ value: Decimal?) -> String {
            guard let value, value != 0 else { return "" }
            return RussianFormat.decimal(value)
        }
        return OrderFormModel.Item(
            kind: line.itemType, refID: line.refID.map(String.init) ?? "",
            quantity: line.itemType == .equipment
                ? "" : RussianFormat.decimal(Scaled.toDecimal(line.quantity, scale: 2)),
            shifts: text(line.shifts), hours: text(line.hours))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try Self.orderID(req)
        let service = try req.orders
        let (order, operatorIDs) = try await service.visibleOrder(id)
        if order.status == .completed {
            return try await OrderCompletionWebController.savePay(req, order: order, operators: operatorIDs)
        }
        try OrderService.checkEditable(order)
        let mode = OrderFormModel.Mode.edit(id: order.id, number: order.number)
        let form = try await WebForm(request: req)
        var input = OrderFormInput(
            form: form, purpose: .edit, timeZone: req.application.config.timeZone,
            maySetMoney: OrderPolicy.maySetPrices(try req.caller.role))
        guard input.errors.isEmpty else {
            return try await formFailure(
                req, mode: mode, input: input, errors: input.errors, formError: WebErrors.formRejected)
        }
        let newClientID = try await NewClientStore.attach(&input, req: req)
        do {
            try await service.update(id: order.id, with: input.draft)
        } catch {
            if let newClientID { try await NewClientStore.discard(newClientID, req: req) }
            return try await serviceFailure(req, error: error, mode: mode, input: input)
        }
        if let newClientID { try await NewClientStore.keep(newClientID, input: input, req: req) }
        return WebReply.redirect(to: Paths.order(order.id), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    private func formPage(
        _ req: Request, mode: OrderFormModel.Mode, values: OrderFormModel.Values, errors: FormErrors = [:],
        formError: String? = nil, conflicts: [OrderFormModel.Conflict] = [], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let data = try OrderPageData(context: try req.services)
        let model = OrderFormModel(
            context: req.pageContext(), mode: mode, values: values, errors: errors, formError: formError,
            conflicts: conflicts, clients: try await data.clientOptions(), catalog: try await data.catalogOptions(),
            operators: try await data.operatorOptions(),
            canEditPrepayment: OrderPolicy.maySetPrices(try req.caller.role))
        return WebReply.page(OrderFormPage(model: model), status: status, on: req)
    }

    private func formFailure(
        _ req: Request, mode: OrderFormModel.Mode, input: OrderFormInput, errors: FormErrors, formError: String?,
        conflicts: [OrderFormModel.Conflict] = [], status: HTTPResponseStatus = .unprocessableEntity
    ) async throws -> Response {
        if req.wantsJSON {
            return WebReply.rejection(status, detail: formError ?? WebErrors.formRejected, errors: errors)
        }
        return try await formPage(
            req, mode: mode, values: input.values, errors: errors, formError: formError, conflicts: conflicts,
            status: status)
    }

    private func serviceFailure(
        _ req: Request, error: any Error, mode: OrderFormModel.Mode, input: OrderFormInput
    ) async throws -> Response {
        let described = try WebErrors.describe(order: error, timeZone: req.application.config.timeZone)
        let (errors, detail) = input.formErrors(described)
        let conflicts = OrderFormInput.conflicts(described, timeZone: req.application.config.timeZone)
        return try await formFailure(
            req, mode: mode, input: input, errors: errors, formError: detail ?? WebErrors.formRejected,
            conflicts: conflicts,
            status: described.status)
    }

    // MARK: - Status and delete

    @Sendable func changeStatus(req: Request) async throws -> Response {
        let id = try Self.orderID(req)
        let form = try await WebForm(request: req)
        guard let target = OrderStatus(rawValue: form["status"].uppercased()) else {
            return try Self.actionFailure(
                req, orderID: id, status: .unprocessableEntity, detail: "Выберите новый статус.")
        }
        do {
            try await req.orders.changeStatus(id: id, to: target, comment: form["comment"], attachmentURL: "")
        } catch {
            let described = try WebErrors.describe(order: error, timeZone: req.application.config.timeZone)
            let status: HTTPResponseStatus = described.status == .unprocessableEntity ? .conflict : described.status
            return try Self.actionFailure(
                req, orderID: id, status: status, detail: described.detail ?? WebErrors.formRejected)
        }
        return WebReply.redirect(
            to: Paths.order(id), flash: Flash(.success, "Статус изменён: «\(target.title)»"), on: req)
    }

    /// A refused action: JSON for app.js (the queue keeps the item with this text), otherwise back to the order
    /// with the reason on top (a 403 is the error page).
    static func actionFailure(
        _ req: Request, orderID: String, status: HTTPResponseStatus, detail: String
    ) throws -> Response {
        if req.wantsJSON { return WebReply.rejection(status, detail: detail) }
        if status == .forbidden || status == .notFound { throw APIError(status: status, detail: detail) }
        return WebReply.redirect(to: Paths.order(orderID), flash: Flash(.error, detail), on: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let id = try Self.orderID(req)
        let number: String
        do {
            number = try await req.orders.delete(id: id)
        } catch {
            let described = try WebErrors.describe(order: error, timeZone: req.application.config.timeZone)
            return try Self.actionFailure(
                req, orderID: id, status: described.status, detail: described.detail ?? WebErrors.formRejected)
        }
        return WebReply.redirect(to: Paths.orders(), flash: Flash(.success, "Заявка \(number) удалена"), on: req)
    }
}

/// The order form's inline «новый клиент», through the clients' service (`ClientService+OrderForm.swift`).
enum NewClientStore {
    /// Puts the client into `input.draft.clientID`; returns its id when a row was created.
    static func attach(_ input: inout OrderFormInput, req: Request) async throws -> Int? {
        guard case .keep = input.draft.clientID, let client = input.newClient else { return nil }
        let (id, created) = try await req.clients.findOrCreate(
            .init(
                name: client.name, phone: client.phone, email: client.email,
                address: input.draft.address.value(or: "")))
        input.draft.clientID = .set(id)
        return created ? id : nil
    }

    /// Audits a client that stayed (its order was saved).
    static func keep(_ id: Int, input: OrderFormInput, req: Request) async throws {
        guard let client = input.newClient else { return }
        try await req.clients.recordCreated(
            id, .init(name: client.name, phone: client.phone, email: client.email, address: ""))
    }

    static func discard(_ id: Int, req: Request) async throws {
        try await req.clients.removeIfUnused(id)
    }
}

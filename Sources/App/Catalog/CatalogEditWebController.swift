import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/catalog/{kind}/new`, `/catalog/{kind}/{id}/edit`, `/catalog/{kind}/{id}/active` and the same for `/clients`
/// (admins and managers). Forms become the API's JSON bodies and go through the API controllers' `create` /
/// `update`, so the rules and the field messages are the API's; money typed as «12 500,50» is checked here.
struct CatalogEditWebController {
    // MARK: - Catalogue

    @Sendable func newItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        var values = CatalogFormModel.Values()
        if kind == .materials { values.unit = "м³" }
        if kind == .services { values.unit = "усл." }
        return try await itemForm(req, kind: kind, id: nil, values: values)
    }

    @Sendable func createItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        let (body, errors) = Self.body(form, kind: kind, isNew: true)
        do {
            guard errors.isEmpty else { throw FormRejection(errors: errors) }
            switch kind {
            case .equipment: _ = try await EquipmentAPIController().create(body, req: req)
            case .services: _ = try await ServicesAPIController().create(body, req: req)
            case .materials: _ = try await MaterialsAPIController().create(body, req: req)
            case .attachments: _ = try await AttachmentsAPIController().create(body, req: req)
            }
        } catch {
            return try await itemFailure(req, kind: kind, id: nil, values: values, error: error)
        }
        return WebReply.redirect(
            to: Paths.catalog(kind), flash: Flash(.success, "«\(values.name)» добавлено в каталог"), on: req)
    }

    @Sendable func editItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let values: CatalogFormModel.Values
        switch kind {
        case .equipment:
            let item = try await EquipmentAPIController().load(req)
            values = .init(code: item.code, name: item.name, description: item.details,
                           hourlyRate: RussianFormat.moneyInput(item.hourlyRate),
                           dailyRate: item.dailyRate.map(RussianFormat.moneyInput) ?? "", status: item.statusValue)
        case .services:
            let item = try await ServicesAPIController().load(req)
            values = .init(name: item.name, price: item.price.map(RussianFormat.moneyInput) ?? "",
                           unit: OrderPageData.unitLabel(item.unit), category: String(item.$category.id))
        case .materials:
            let item = try await MaterialsAPIController().load(req)
            values = .init(name: item.name, price: RussianFormat.moneyInput(item.price),
                           unit: OrderPageData.unitLabel(item.unit), category: item.categoryValue)
        case .attachments:
            let item = try await AttachmentsAPIController().load(req)
            values = .init(name: item.name, price: RussianFormat.moneyInput(item.price),
                           equipmentID: String(item.$equipment.id), status: item.statusValue)
        }
        return try await itemForm(req, kind: kind, id: try Self.id(req), values: values)
    }

    @Sendable func updateItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let id = try Self.id(req)
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        let (body, errors) = Self.body(form, kind: kind, isNew: false)
        do {
            try await update(req, kind: kind, body: body, localErrors: errors)
        } catch let error as APIError where error.status == .notFound {
            throw error
        } catch {
            return try await itemFailure(req, kind: kind, id: id, values: values, error: error)
        }
        return WebReply.redirect(to: Paths.catalog(kind), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    /// POST `active=true|false`: equipment and attachments switch `status` (back to «Доступна»), services and
    /// materials `is_active`.
    @Sendable func setItemActive(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let form = try await WebForm(request: req)
        let active = form["active"] == "true"
        let body: [String: JSONValue]
        switch kind {
        case .equipment, .attachments: body = ["status": .string(active ? "available" : "inactive")]
        case .services, .materials: body = ["is_active": .bool(active)]
        }
        try await update(req, kind: kind, body: body, localErrors: [:])
        let message = active ? "Позиция снова доступна" : "Позиция деактивирована"
        return WebReply.redirect(
            to: Paths.catalog(kind, showInactive: !active), flash: Flash(.success, message), on: req)
    }

    private func update(_ req: Request, kind: CatalogKind, body: [String: JSONValue], localErrors: FormErrors)
        async throws
    {
        switch kind {
        case .equipment:
            let api = EquipmentAPIController()
            let item = try await api.load(req)
            guard localErrors.isEmpty else { throw FormRejection(errors: localErrors) }
            _ = try await api.update(item, body: body, isPut: false, req: req)
        case .services:
            let api = ServicesAPIController()
            let item = try await api.load(req)
            guard localErrors.isEmpty else { throw FormRejection(errors: localErrors) }
            _ = try await api.update(item, body: body, isPut: false, req: req)
        case .materials:
            let api = MaterialsAPIController()
            let item = try await api.load(req)
            guard localErrors.isEmpty else { throw FormRejection(errors: localErrors) }
            _ = try await api.update(item, body: body, isPut: false, req: req)
        case .attachments:
            let api = AttachmentsAPIController()
            let item = try await api.load(req)
            guard localErrors.isEmpty else { throw FormRejection(errors: localErrors) }
            _ = try await api.update(item, body: body, isPut: false, req: req)
        }
    }

    private func itemForm(
        _ req: Request, kind: CatalogKind, id: String?, values: CatalogFormModel.Values, errors: FormErrors = [:],
        formError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var categories: [Choice] = []
        var equipment: [Choice] = []
        let sql = try req.db.sql()
        if kind == .services {
            categories = try await sql.select().columns("id", "name").from("service_categories")
                .orderBy("sort_order").orderBy("name").all().map { row in
                    Choice(value: String(try row.decode(column: "id", as: Int.self)),
                           label: try row.decode(column: "name", as: String.self))
                }
        }
        if kind == .attachments {
            equipment = try await sql.select().columns("id", "code", "name").from("equipment").orderBy("code").limit(1000)
                .all().map { row in
                    Choice(value: String(try row.decode(column: "id", as: Int.self)),
                           label: try row.decode(column: "code", as: String.self) + " — "
                               + (try row.decode(column: "name", as: String.self)))
                }
        }
        let model = CatalogFormModel(
            context: req.pageContext(), kind: kind, id: id, values: values, serviceCategories: categories,
            equipment: equipment, errors: errors, formError: formError)
        return WebReply.page(CatalogFormPage(model: model), status: status, on: req)
    }

    private func itemFailure(
        _ req: Request, kind: CatalogKind, id: String?, values: CatalogFormModel.Values, error: any Error
    ) async throws -> Response {
        let described = try Self.describe(error)
        var fields = described.fields
        if let message = fields.removeValue(forKey: "equipment") { fields["equipment_id"] = message }
        if req.wantsJSON {
            return WebReply.rejection(described.status, detail: described.detail ?? WebErrors.formRejected, errors: fields)
        }
        return try await itemForm(
            req, kind: kind, id: id, values: values, errors: fields, formError: described.detail ?? WebErrors.formRejected,
            status: described.status)
    }

    // MARK: - Clients

    @Sendable func newClient(req: Request) async throws -> Response {
        clientForm(req, id: nil, values: ClientFormModel.Values())
    }

    @Sendable func createClient(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let values = Self.clientValues(form)
        do {
            _ = try await ClientsAPIController().create(Self.clientBody(values), req: req)
        } catch {
            return try clientFailure(req, id: nil, values: values, error: error)
        }
        return WebReply.redirect(to: Paths.clients(), flash: Flash(.success, "Клиент «\(values.name)» добавлен"), on: req)
    }

    @Sendable func editClient(req: Request) async throws -> Response {
        let client = try await ClientsAPIController().load(req)
        let values = ClientFormModel.Values(
            name: client.name, contactPerson: client.contactPerson, phone: client.phone, email: client.email,
            address: client.address, inn: client.inn, notes: client.notes)
        return clientForm(req, id: try Self.id(req), values: values)
    }

    @Sendable func updateClient(req: Request) async throws -> Response {
        let api = ClientsAPIController()
        let client = try await api.load(req)
        let form = try await WebForm(request: req)
        let values = Self.clientValues(form)
        do {
            _ = try await api.update(client, body: Self.clientBody(values), isPut: false, req: req)
        } catch {
            return try clientFailure(req, id: try Self.id(req), values: values, error: error)
        }
        return WebReply.redirect(to: Paths.clients(), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    /// POST `active=true|false`.
    @Sendable func setClientActive(req: Request) async throws -> Response {
        let api = ClientsAPIController()
        let client = try await api.load(req)
        let form = try await WebForm(request: req)
        let active = form["active"] == "true"
        _ = try await api.update(client, body: ["is_active": .bool(active)], isPut: false, req: req)
        let message = active ? "Клиент «\(client.name)» снова активен" : "Клиент «\(client.name)» деактивирован"
        return WebReply.redirect(to: Paths.clients(), flash: Flash(.success, message), on: req)
    }

    private func clientForm(
        _ req: Request, id: String?, values: ClientFormModel.Values, errors: FormErrors = [:], formError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = ClientFormModel(context: req.pageContext(), id: id, values: values, errors: errors, formError: formError)
        return WebReply.page(ClientFormPage(model: model), status: status, on: req)
    }

    private func clientFailure(_ req: Request, id: String?, values: ClientFormModel.Values, error: any Error) throws -> Response {
        let described = try Self.describe(error)
        if req.wantsJSON {
            return WebReply.rejection(described.status, detail: described.detail ?? WebErrors.formRejected, errors: described.fields)
        }
        return clientForm(
            req, id: id, values: values, errors: described.fields, formError: described.detail ?? WebErrors.formRejected,
            status: described.status)
    }

    static func clientValues(_ form: WebForm) -> ClientFormModel.Values {
        ClientFormModel.Values(
            name: form["name"], contactPerson: form["contact_person"], phone: form["phone"], email: form["email"],
            address: form["address"], inn: form["inn"], notes: form.raw("notes") ?? "")
    }

    static func clientBody(_ values: ClientFormModel.Values) -> [String: JSONValue] {
        [
            "name": .string(values.name), "contact_person": .string(values.contactPerson), "phone": .string(values.phone),
            "email": .string(values.email), "address": .string(values.address), "inn": .string(values.inn),
            "notes": .string(values.notes),
        ]
    }

    // MARK: - Mapping

    /// Field errors found before the API is asked (money that is not a number).
    struct FormRejection: Error {
        var errors: FormErrors
    }

    static func describe(_ error: any Error) throws -> WebErrors.Described {
        if let rejection = error as? FormRejection {
            var described = WebErrors.Described()
            described.status = .unprocessableEntity
            described.fields = rejection.errors
            return described
        }
        var described = try WebErrors.describe(error)
        if described.status == .badRequest { described.status = .unprocessableEntity }
        return described
    }

    static func kind(_ req: Request) throws -> CatalogKind {
        guard let kind = req.parameters.get("kind").flatMap(CatalogKind.init(rawValue:)) else {
            throw APIError.notFound("Раздел каталога не найден.")
        }
        return kind
    }

    static func id(_ req: Request) throws -> String {
        guard let id = req.parameters.get("id").flatMap(Int.init) else { throw APIError.notFound() }
        return String(id)
    }

    static func values(_ form: WebForm) -> CatalogFormModel.Values {
        CatalogFormModel.Values(
            code: form["code"], name: form["name"], description: form.raw("description") ?? "",
            hourlyRate: form["hourly_rate"], dailyRate: form["daily_rate"], price: form["price"], unit: form["unit"],
            category: form[form.has("category_id") ? "category_id" : "category"], equipmentID: form["equipment_id"],
            status: form["status"].isEmpty ? WebUI.EquipmentStatus.available.rawValue : form["status"])
    }

    static let moneyMessage = "Введите сумму в рублях, например 12 500 или 12 500,50."

    /// The API body of a catalogue form and the money fields that could not be read.
    static func body(_ form: WebForm, kind: CatalogKind, isNew: Bool) -> (body: [String: JSONValue], errors: FormErrors) {
        var body: [String: JSONValue] = [:]
        var errors: FormErrors = [:]
        func money(_ field: String, required: Bool, nullable: Bool) {
            let text = form[field]
            if text.isEmpty {
                if required { errors[field] = FieldMessage.required } else if nullable && !isNew { body[field] = .null }
                return
            }
            guard let kopecks = RussianFormat.parseMoney(text), kopecks >= 0 else {
                errors[field] = moneyMessage
                return
            }
            body[field] = .string(Scaled.text(kopecks, scale: 2))
        }
        func text(_ field: String) { if form.has(field) { body[field] = .string(form[field]) } }
        switch kind {
        case .equipment:
            text("code")
            text("name")
            if form.has("description") { body["description"] = .string(form.raw("description") ?? "") }
            money("hourly_rate", required: true, nullable: false)
            money("daily_rate", required: false, nullable: true)
            text("status")
        case .services:
            text("name")
            money("price", required: true, nullable: true)
            if !form["unit"].isEmpty { body["unit"] = .string(unitCode(form["unit"])) }
            if form.has("category_id") {
                body["category_id"] = Int(form["category_id"]).map { .number(Decimal($0)) } ?? .null
            }
        case .materials:
            text("name")
            text("category")
            money("price", required: true, nullable: false)
            if !form["unit"].isEmpty { body["unit"] = .string(unitCode(form["unit"])) }
        case .attachments:
            if let id = Int(form["equipment_id"]) { body["equipment"] = .number(Decimal(id)) } else if isNew {
                errors["equipment_id"] = FieldMessage.required
            }
            text("name")
            money("price", required: false, nullable: false)
            text("status")
        }
        return (body, errors)
    }

    /// «м³» → `m3`: the label shown in the form back to the stored unit code; anything else is kept as typed.
    static func unitCode(_ label: String) -> String {
        let codes = [
            "м³": "m3", "м3": "m3", "ч": "hour", "шт": "pcs", "шт.": "pcs", "смена": "shift", "дн.": "day", "т": "t",
            "км": "km", "усл.": "service", "м²": "m2", "м2": "m2", "м": "m", "кг": "kg", "рейс": "trip",
        ]
        return codes[label] ?? label
    }
}

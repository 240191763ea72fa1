import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/catalog/{kind}/new`, `/catalog/{kind}/{id}/edit` and `/catalog/{kind}/{id}/active` (admins and managers).
/// Forms become the catalog service's typed inputs, so the rules and field messages are the API's; money typed as
/// «12 500,50» is read here.
struct CatalogEditWebController {
    @Sendable func newItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        var values = CatalogFormModel.Values()
        if kind == .materials { values.unit = CatalogUnit.label(CatalogUnit.materialDefault) }
        if kind == .services { values.unit = CatalogUnit.label(CatalogUnit.serviceDefault) }
        return try await itemForm(req, kind: kind, id: nil, values: values)
    }

    @Sendable func createItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        let input = CatalogForm(form, kind: kind, isNew: true)
        do {
            guard input.errors.isEmpty else { throw FormRejection(errors: input.errors) }
            let catalog = try req.catalog
            switch kind {
            case .equipment: _ = try await catalog.createEquipment(input.equipment)
            case .services: _ = try await catalog.createService(input.service)
            case .materials: _ = try await catalog.createMaterial(input.material)
            case .attachments: _ = try await catalog.createAttachment(input.attachment)
            }
        } catch {
            return try await itemFailure(req, kind: kind, id: nil, values: values, error: error)
        }
        return WebReply.redirect(
            to: Paths.catalog(kind), flash: Flash(.success, "«\(values.name)» добавлено в каталог"), on: req)
    }

    @Sendable func editItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let id = try Self.id(req)
        let catalog = try req.catalog
        let values: CatalogFormModel.Values
        switch kind {
        case .equipment:
            let item = try await catalog.equipment(id)
            values = .init(
                code: item.code, name: item.name, description: item.details,
                hourlyRate: RussianFormat.moneyInput(item.hourlyRate),
                dailyRate: item.dailyRate.map(RussianFormat.moneyInput) ?? "", status: item.statusValue)
        case .services:
            let item = try await catalog.service(id)
            values = .init(
                name: item.name, price: item.price.map(RussianFormat.moneyInput) ?? "",
                unit: CatalogUnit.label(item.unit), category: String(item.$category.id))
        case .materials:
            let item = try await catalog.material(id)
            values = .init(
                name: item.name, price: RussianFormat.moneyInput(item.price), unit: CatalogUnit.label(item.unit),
                category: item.categoryValue)
        case .attachments:
            let item = try await catalog.attachment(id)
            values = .init(
                name: item.name, price: RussianFormat.moneyInput(item.price), equipmentID: String(item.$equipment.id),
                status: item.statusValue)
        }
        return try await itemForm(req, kind: kind, id: String(id), values: values)
    }

    @Sendable func updateItem(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let id = try Self.id(req)
        let form = try await WebForm(request: req)
        let values = Self.values(form)
        let input = CatalogForm(form, kind: kind, isNew: false)
        if !input.errors.isEmpty {
            // A missing item is a 404 before anything about the form.
            try await Self.update(req, kind: kind, id: id, input: nil)
        }
        do {
            guard input.errors.isEmpty else { throw FormRejection(errors: input.errors) }
            try await Self.update(req, kind: kind, id: id, input: input)
        } catch let error as CatalogError {
            if case .notFound = error { throw error }
            return try await itemFailure(req, kind: kind, id: String(id), values: values, error: error)
        } catch {
            return try await itemFailure(req, kind: kind, id: String(id), values: values, error: error)
        }
        return WebReply.redirect(to: Paths.catalog(kind), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    /// POST `active=true|false`: equipment and attachments switch `status` (back to «Доступна»), services and
    /// materials `is_active`.
    @Sendable func setItemActive(req: Request) async throws -> Response {
        let kind = try Self.kind(req)
        let id = try Self.id(req)
        let form = try await WebForm(request: req)
        let active = form["active"] == "true"
        var input = CatalogForm(WebForm(pairs: []), kind: kind, isNew: false)
        input.equipment.status = .set(active ? .available : .inactive)
        input.attachment.status = .set(active ? .available : .inactive)
        input.service.isActive = .set(active)
        input.material.isActive = .set(active)
        try await Self.update(req, kind: kind, id: id, input: input)
        let message = active ? "Позиция снова доступна" : "Позиция деактивирована"
        return WebReply.redirect(
            to: Paths.catalog(kind, showInactive: !active), flash: Flash(.success, message), on: req)
    }

    /// Saves `input` for the item of `kind`; with no input, only loads it (a missing item throws 404).
    private static func update(_ req: Request, kind: CatalogKind, id: Int, input: CatalogForm?) async throws {
        let catalog = try req.catalog
        switch (kind, input) {
        case (.equipment, nil): _ = try await catalog.equipment(id)
        case (.equipment, let input?): _ = try await catalog.updateEquipment(id, input.equipment)
        case (.services, nil): _ = try await catalog.service(id)
        case (.services, let input?): _ = try await catalog.updateService(id, input.service)
        case (.materials, nil): _ = try await catalog.material(id)
        case (.materials, let input?): _ = try await catalog.updateMaterial(id, input.material)
        case (.attachments, nil): _ = try await catalog.attachment(id)
        case (.attachments, let input?): _ = try await catalog.updateAttachment(id, input.attachment)
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
            categories = try await CatalogQueries.categoryChoices(on: sql).map {
                Choice(value: String($0.id), label: $0.name)
            }
        }
        if kind == .attachments {
            equipment = try await CatalogQueries.equipmentChoices(on: sql).map {
                Choice(value: String($0.id), label: $0.code + " — " + $0.name)
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
            return WebReply.rejection(
                described.status, detail: described.detail ?? WebErrors.formRejected, errors: fields)
        }
        return try await itemForm(
            req, kind: kind, id: id, values: values, errors: fields,
            formError: described.detail ?? WebErrors.formRejected, status: described.status)
    }

    // MARK: - Mapping

    /// Field errors found before the service is asked (money that is not a number).
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

    static func id(_ req: Request) throws -> Int {
        guard let id = req.parameters.get("id").flatMap(Int.init) else { throw APIError.notFound() }
        return id
    }

    static func values(_ form: WebForm) -> CatalogFormModel.Values {
        CatalogFormModel.Values(
            code: form["code"], name: form["name"], description: form.raw("description") ?? "",
            hourlyRate: form["hourly_rate"], dailyRate: form["daily_rate"], price: form["price"], unit: form["unit"],
            category: form[form.has("category_id") ? "category_id" : "category"], equipmentID: form["equipment_id"],
            status: form["status"].isEmpty ? EquipmentStatus.available.rawValue : form["status"])
    }

    static let moneyMessage = "Введите сумму в рублях, например 12 500 или 12 500,50."
}

/// A catalogue form read into the service's input for its kind. `errors` are the fields that could not be read
/// at all (money that is not a number, a missing machine); they stop the form before the service is asked.
/// A status or category outside the vocabulary goes to the input's `unreadable`, reported with the service's
/// own problems.
struct CatalogForm {
    var equipment = EquipmentInput()
    var service = ServiceItemInput()
    var material = MaterialInput()
    var attachment = AttachmentInput()
    var errors: FormErrors = [:]

    init(_ form: WebForm, kind: CatalogKind, isNew: Bool) {
        var unreadable: [String: [String]] = [:]
        func text(_ field: String) -> Patch<String> { form.has(field) ? .set(form[field]) : .keep }
        /// Empty: required → refused; optional on an edit → cleared. Otherwise roubles as typed, in kopecks.
        func money(_ field: String, required: Bool, clears: Bool) -> Patch<Int64?> {
            let text = form[field]
            if text.isEmpty {
                if required { errors[field] = FieldMessage.required } else if clears && !isNew { return .set(nil) }
                return .keep
            }
            guard let kopecks = RussianFormat.parseMoney(text), kopecks >= 0 else {
                errors[field] = CatalogEditWebController.moneyMessage
                return .keep
            }
            return .set(kopecks)
        }
        func choice<Choice: RawRepresentable>(_ field: String, as type: Choice.Type) -> Patch<Choice>
        where Choice.RawValue == String {
            guard form.has(field) else { return .keep }
            let text = form[field]
            if let value = Choice(rawValue: text) ?? Choice(rawValue: text.lowercased()) { return .set(value) }
            unreadable[field, default: []].append(FieldMessage.choice(text))
            return .keep
        }
        func unit() -> Patch<String> { form["unit"].isEmpty ? .keep : .set(CatalogUnit.code(form["unit"])) }
        switch kind {
        case .equipment:
            equipment.code = text("code")
            equipment.name = text("name")
            if form.has("description") { equipment.description = .set(form.raw("description") ?? "") }
            if case .set(let rate?) = money("hourly_rate", required: true, clears: false) {
                equipment.hourlyRate = .set(rate)
            }
            equipment.dailyRate = money("daily_rate", required: false, clears: true)
            equipment.status = choice("status", as: EquipmentStatus.self)
            equipment.unreadable = unreadable
        case .services:
            service.name = text("name")
            service.price = money("price", required: true, clears: true)
            service.unit = unit()
            if form.has("category_id") { service.category = .set(Int(form["category_id"])) }
        case .materials:
            material.name = text("name")
            material.category = choice("category", as: MaterialCategory.self)
            if case .set(let price?) = money("price", required: true, clears: false) { material.price = .set(price) }
            material.unit = unit()
            material.unreadable = unreadable
        case .attachments:
            if let id = Int(form["equipment_id"]) {
                attachment.equipment = .set(id)
            } else if isNew {
                errors["equipment_id"] = FieldMessage.required
            }
            attachment.name = text("name")
            if case .set(let price?) = money("price", required: false, clears: false) { attachment.price = .set(price) }
            attachment.status = choice("status", as: EquipmentStatus.self)
            attachment.unreadable = unreadable
        }
    }
}

import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/clients` (admins, managers, accountants; each row opens the card, `ClientCardWebController`) and
/// `/clients/new`, `/clients/{id}/edit`, `/clients/{id}/active` (admins and managers). The form becomes a
/// `ClientInput` for `ClientService`, so the rules and the field messages are the API's.
struct ClientsWebController {
    @Sendable func list(req: Request) async throws -> Response {
        let q = (req.queryValues["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let rows = try await req.clients.activeClients(matching: q).map(\.listRow)
        let model = ClientListModel(
            context: req.pageContext(), q: q, rows: rows, canEdit: CatalogWebController.canEdit(req))
        return WebReply.page(ClientListPage(model: model), on: req)
    }

    @Sendable func newClient(req: Request) async throws -> Response {
        clientForm(req, id: nil, values: ClientFormModel.Values())
    }

    @Sendable func createClient(req: Request) async throws -> Response {
        let form = try await WebForm(request: req)
        let values = Self.clientValues(form)
        do {
            _ = try await req.clients.create(Self.input(values))
        } catch {
            return try clientFailure(req, id: nil, values: values, error: error)
        }
        return WebReply.redirect(
            to: Paths.clients(), flash: Flash(.success, "Клиент «\(values.name)» добавлен"), on: req)
    }

    @Sendable func editClient(req: Request) async throws -> Response {
        let client = try await req.clients.client(try Self.id(req))
        let values = ClientFormModel.Values(
            name: client.name, contactPerson: client.contactPerson, phone: client.phone, email: client.email,
            address: client.address, inn: client.inn, notes: client.notes)
        return clientForm(req, id: String(client.id ?? 0), values: values)
    }

    @Sendable func updateClient(req: Request) async throws -> Response {
        let clients = try req.clients
        let id = try Self.id(req)
        _ = try await clients.client(id)
        let form = try await WebForm(request: req)
        let values = Self.clientValues(form)
        do {
            _ = try await clients.update(id, Self.input(values))
        } catch {
            return try clientFailure(req, id: String(id), values: values, error: error)
        }
        return WebReply.redirect(to: Paths.client(String(id)), flash: Flash(.success, "Изменения сохранены"), on: req)
    }

    /// POST `active=true|false`.
    @Sendable func setClientActive(req: Request) async throws -> Response {
        let clients = try req.clients
        let client = try await clients.client(try Self.id(req))
        let form = try await WebForm(request: req)
        let active = form["active"] == "true"
        var input = ClientInput()
        input.isActive = .set(active)
        _ = try await clients.update(client.id ?? 0, input)
        let message = active ? "Клиент «\(client.name)» снова активен" : "Клиент «\(client.name)» деактивирован"
        return WebReply.redirect(to: Paths.clients(), flash: Flash(.success, message), on: req)
    }

    private func clientForm(
        _ req: Request, id: String?, values: ClientFormModel.Values, errors: FormErrors = [:], formError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = ClientFormModel(
            context: req.pageContext(), id: id, values: values, errors: errors, formError: formError)
        return WebReply.page(ClientFormPage(model: model), status: status, on: req)
    }

    private func clientFailure(
        _ req: Request, id: String?, values: ClientFormModel.Values, error: any Error
    ) throws -> Response {
        let described = try WebErrors.describe(error)
        if req.wantsJSON {
            return WebReply.rejection(
                described.status, detail: described.detail ?? WebErrors.formRejected, errors: described.fields)
        }
        return clientForm(
            req, id: id, values: values, errors: described.fields,
            formError: described.detail ?? WebErrors.formRejected, status: described.status)
    }

    static func id(_ req: Request) throws -> Int {
        guard let id = req.parameters.get("id").flatMap(Int.init) else { throw APIError.notFound() }
        return id
    }

    static func clientValues(_ form: WebForm) -> ClientFormModel.Values {
        ClientFormModel.Values(
            name: form["name"], contactPerson: form["contact_person"], phone: form["phone"], email: form["email"],
            address: form["address"], inn: form["inn"], notes: form.raw("notes") ?? "")
    }

    /// The fields the form shows; the others are kept.
    static func input(_ values: ClientFormModel.Values) -> ClientInput {
        var input = ClientInput()
        input.name = .set(values.name)
        input.contactPerson = .set(values.contactPerson)
        input.phone = .set(values.phone)
        input.email = .set(values.email)
        input.address = .set(values.address)
        input.inn = .set(values.inn)
        input.notes = .set(values.notes)
        return input
    }
}

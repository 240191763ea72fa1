import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The company's requisites (docs/documents.md): read by staff and the documents, changed by admins.
struct CompanyService {
    let db: any Database
    let caller: Caller
    let writes: WriteSerializer

    func requisites() async throws -> CompanyRequisites {
        try await Self.load(from: try db.sql())
    }

    /// Saves every field of `requisites` after checking their shape; returns what is stored.
    func update(_ requisites: CompanyRequisites) async throws -> CompanyRequisites {
        guard Self.mayChange(caller.role) else {
            throw APIError.forbidden("Реквизиты компании меняет администратор.")
        }
        let problems = requisites.problems
        if !problems.isEmpty { throw FieldErrors(problems.mapValues { [$0] }) }
        let now = Date()
        try await writes.transaction(on: db) { db in
            let sql = try db.sql()
            for (field, value) in Self.values(of: requisites) {
                try await sql.insert(into: "company_profile").columns("field", "value", "updated_at")
                    .values(SQLBind(field), SQLBind(value), SQLBind(now))
                    .onConflict(with: ["field"]) { $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at") }
                    .run()
            }
        }
        return requisites
    }

    /// Admins only: the requisites go on every document the company signs.
    static func mayChange(_ role: Role) -> Bool { role == .admin }

    static func load(from sql: any SQLDatabase) async throws -> CompanyRequisites {
        var stored: [String: String] = [:]
        for row in try await sql.select().columns("field", "value").from("company_profile").all() {
            stored[try row.decode(column: "field", as: String.self)] = try row.decode(column: "value", as: String.self)
        }
        return requisites(from: stored)
    }

    static func values(of requisites: CompanyRequisites) -> [(String, String)] {
        [
            ("name", requisites.name), ("inn", requisites.inn), ("kpp", requisites.kpp), ("ogrn", requisites.ogrn),
            ("address", requisites.address), ("phone", requisites.phone), ("email", requisites.email),
            ("bank_name", requisites.bankName), ("bik", requisites.bik), ("account", requisites.account),
            ("correspondent_account", requisites.correspondentAccount), ("director", requisites.director),
            ("accountant", requisites.accountant), ("vat", requisites.vat.text),
        ]
    }

    static func requisites(from values: [String: String]) -> CompanyRequisites {
        var requisites = CompanyRequisites()
        requisites.name = values["name"] ?? ""
        requisites.inn = values["inn"] ?? ""
        requisites.kpp = values["kpp"] ?? ""
        requisites.ogrn = values["ogrn"] ?? ""
        requisites.address = values["address"] ?? ""
        requisites.phone = values["phone"] ?? ""
        requisites.email = values["email"] ?? ""
        requisites.bankName = values["bank_name"] ?? ""
        requisites.bik = values["bik"] ?? ""
        requisites.account = values["account"] ?? ""
        requisites.correspondentAccount = values["correspondent_account"] ?? ""
        requisites.director = values["director"] ?? ""
        requisites.accountant = values["accountant"] ?? ""
        requisites.vat = values["vat"].flatMap(CompanyRequisites.VAT.init(text:)) ?? .none
        return requisites
    }
}

extension Request {
    var company: CompanyService {
        get throws { CompanyService(db: db, caller: try caller, writes: application.writeSerializer) }
    }
}

/// `GET /api/v1/company/` (staff and accountants), `PUT`/`PATCH` (admins): the requisites as flat JSON.
struct CompanyAPIController {
    @Sendable func show(req: Request) async throws -> Response {
        Self.json(try await req.company.requisites())
    }

    @Sendable func update(req: Request) async throws -> Response {
        Self.json(try await Self.save(try req.jsonObject(), full: req.method == .PUT, req: req))
    }

    /// The API's body (and the web form's fields, as strings) checked and saved: `full` (PUT, the web form)
    /// requires the name; fields left out keep their stored values.
    static func save(_ body: [String: JSONValue], full: Bool, req: Request) async throws -> CompanyRequisites {
        let service = try req.company
        var values = Dictionary(uniqueKeysWithValues: CompanyService.values(of: try await service.requisites()))
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        for field in CompanyRequisites.fieldNames {
            if let value = input.string(field, required: full && field == "name", maxLength: 500) {
                values[field] = value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        if let vat = values["vat"], CompanyRequisites.VAT(text: vat) == nil {
            input.fail("vat", "Укажите «none» (без НДС) или ставку в процентах от 0 до 100.")
        }
        try input.validate()
        return try await service.update(CompanyService.requisites(from: values))
    }

    static func json(_ requisites: CompanyRequisites) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        for (field, value) in CompanyService.values(of: requisites) { writer.field(field, value) }
        writer.endObject()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }
}

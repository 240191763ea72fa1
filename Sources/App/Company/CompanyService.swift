import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Changes to the requisites, by field name (`CompanyRequisites.fieldNames`); fields left out keep their values.
struct CompanyInput: Sendable {
    var values: [String: String] = [:]
    /// PUT and the web form: the name must be given.
    var requiresName = false
    var unreadable: [String: [String]] = [:]
}

/// What the company service refuses.
enum CompanyError: APIMappedError {
    case forbidden
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .forbidden: APIError.forbidden("Реквизиты компании меняет администратор.")
        case .invalid(let problems): FieldErrors(problems)
        }
    }
}

/// The company's requisites (docs/documents.md): read by staff and the documents, changed by admins.
struct CompanyService {
    let context: ServiceContext

    private var db: any Database { context.db }

    func requisites() async throws -> CompanyRequisites {
        try await Self.load(from: try db.sql())
    }

    /// Applies the given fields to the stored requisites (trimmed, at most 500 characters each), checks their
    /// shape and saves them; returns what is stored.
    func save(_ input: CompanyInput) async throws -> CompanyRequisites {
        var values = Dictionary(uniqueKeysWithValues: Self.values(of: try await requisites()))
        var check = FieldCheck(input.unreadable)
        for field in CompanyRequisites.fieldNames {
            if let given = input.values[field] {
                if let value = check.text(field, given, maxLength: 500) { values[field] = value }
            } else if input.requiresName, field == "name", check.problems[field] == nil {
                check.fail(field, FieldMessage.required)
            }
        }
        if let vat = values["vat"], CompanyRequisites.VAT(text: vat) == nil {
            check.fail("vat", "Укажите «none» (без НДС) или ставку в процентах от 0 до 100.")
        }
        guard check.isEmpty else { throw CompanyError.invalid(check.problems) }
        return try await update(Self.requisites(from: values))
    }

    /// Saves every field of `requisites` after checking their shape; returns what is stored.
    func update(_ requisites: CompanyRequisites) async throws -> CompanyRequisites {
        guard Self.mayChange(context.caller.role) else { throw CompanyError.forbidden }
        let problems = requisites.problems
        if !problems.isEmpty { throw CompanyError.invalid(problems.mapValues { [$0] }) }
        let now = context.now()
        try await context.writes.transaction(on: db) { db in
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

    /// One stored requisite.
    private struct StoredField: Decodable {
        var field: String
        var value: String
    }

    static func load(from sql: any SQLDatabase) async throws -> CompanyRequisites {
        let rows = try await sql.select().columns("field", "value").from("company_profile")
            .all(decoding: StoredField.self)
        return requisites(from: Dictionary(rows.map { ($0.field, $0.value) }, uniquingKeysWith: { _, last in last }))
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
    /// The company's requisites, as the signed-in caller.
    var company: CompanyService { get throws { CompanyService(context: try services) } }
}

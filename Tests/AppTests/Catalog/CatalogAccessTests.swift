import Domain
import Foundation
import Testing
import Vapor

@testable import App

/// Who may do what on the catalog and clients (docs/domain-rules.md#access-matrix): every signed-in role reads
/// the catalog, admins and managers write it; admins, managers and accountants read clients, admins and managers
/// write them; anonymous callers get 401.
@Suite("Catalog and clients: role matrix")
struct CatalogAccessTests {
    enum Caller: String, CaseIterable {
        case anonymous, admin, manager, accountant, `operator`
        var role: Role? { Role(rawValue: rawValue) }
    }

    enum Action: String, CaseIterable {
        case list, show, create, put, patch, delete
        var isRead: Bool { self == .list || self == .show }
        var success: HTTPResponseStatus {
            switch self {
            case .list, .show, .put, .patch: .ok
            case .create: .created
            case .delete: .noContent
            }
        }
    }

    struct Resource: Sendable {
        var path: String
        var readers: Set<Caller>
        var writers: Set<Caller>
        var actions: [Action] = Action.allCases
        /// A valid body for create and PUT, given a machine id (attachments need one).
        var body: @Sendable (_ equipmentID: Int) -> [String: String]
    }

    static let everyone: Set<Caller> = [.admin, .manager, .accountant, .operator]
    static let catalogWriters: Set<Caller> = [.admin, .manager]

    static let resources: [Resource] = [
        Resource(path: "equipment", readers: everyone, writers: catalogWriters) { _ in
            ["code": "M-\(UUID().uuidString.prefix(8))", "name": "Экскаватор", "hourly_rate": "2450"]
        },
        Resource(path: "services", readers: everyone, writers: catalogWriters) { _ in ["name": "Копка траншей"] },
        Resource(path: "materials", readers: everyone, writers: catalogWriters) { _ in
            ["name": "Песок", "price": "800"]
        },
        Resource(path: "attachments", readers: everyone, writers: catalogWriters) { equipmentID in
            ["equipment": String(equipmentID), "name": "Гидромолот"]
        },
        Resource(path: "service-categories", readers: everyone, writers: catalogWriters, actions: [.list, .create]) {
            _ in
            ["name": "Категория \(UUID().uuidString.prefix(8))"]
        },
        Resource(path: "clients", readers: [.admin, .manager, .accountant], writers: catalogWriters) { _ in
            ["name": "ООО «Ромашка»", "phone": "+7 918 555-12-34"]
        },
    ]

    static func expected(_ caller: Caller, _ action: Action, on resource: Resource) -> HTTPResponseStatus {
        if caller == .anonymous { return .unauthorized }
        let allowed = action.isRead ? resource.readers : resource.writers
        return allowed.contains(caller) ? action.success : .forbidden
    }

    @Test func everyRoleGetsTheExpectedStatusForEveryAction() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            var tokens: [Caller: String] = [:]
            for caller in Caller.allCases {
                if let role = caller.role { tokens[caller] = try await t.user(role).token }
            }
            let machine = try #require(
                try await t.send(
                    .POST, "/api/v1/equipment/", token: admin,
                    json: ["code": "BASE", "name": "Машина", "hourly_rate": "1"]
                ).id)
            var checked = 0
            for resource in Self.resources {
                for caller in Caller.allCases {
                    let token = tokens[caller]
                    // A fresh row per caller, made by the admin, so that a permitted delete does not affect others.
                    let fixture = try await t.send(
                        .POST, "/api/v1/\(resource.path)/", token: admin, json: resource.body(machine))
                    #expect(fixture.status == .created, "\(resource.path) fixture: \(fixture.body)")
                    let id = try #require(fixture.id)
                    for action in resource.actions {
                        let reply: TestApp.Reply
                        switch action {
                        case .list: reply = try await t.send(.GET, "/api/v1/\(resource.path)/", token: token)
                        case .show: reply = try await t.send(.GET, "/api/v1/\(resource.path)/\(id)/", token: token)
                        case .create:
                            reply = try await t.send(
                                .POST, "/api/v1/\(resource.path)/", token: token, json: resource.body(machine))
                        case .put:
                            reply = try await t.send(
                                .PUT, "/api/v1/\(resource.path)/\(id)/", token: token, json: resource.body(machine))
                        case .patch:
                            reply = try await t.send(
                                .PATCH, "/api/v1/\(resource.path)/\(id)/", token: token, json: ["name": "Новое имя"])
                        case .delete: reply = try await t.send(.DELETE, "/api/v1/\(resource.path)/\(id)/", token: token)
                        }
                        let expected = Self.expected(caller, action, on: resource)
                        #expect(
                            reply.status == expected,
                            "\(caller) \(action) /\(resource.path)/: \(reply.status) \(reply.body)")
                        checked += 1
                    }
                }
            }
            #expect(checked == 5 * (5 * 6 + 2))
        }
    }

    @Test func operatorsGet403OnClientsWithTheStandardMessage() async throws {
        try await TestApp.run { t in
            let (_, operatorToken) = try await t.user(.operator)
            let reply = try await t.send(.GET, "/api/v1/clients/", token: operatorToken)
            #expect(reply.status == .forbidden)
            #expect(reply.string("detail") == "У вас недостаточно прав для выполнения данного действия.")
            let anonymous = try await t.send(.GET, "/api/v1/equipment/")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers.first(name: "WWW-Authenticate")?.contains("Bearer") == true)
        }
    }
}

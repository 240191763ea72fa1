import Domain
import Foundation
import Testing
import Vapor

@testable import App

/// The access matrix of docs/domain-rules.md#access-matrix as one table: role × action → status.
@Suite("Role × action matrix")
struct RoleMatrixTests {
    enum Who: String, CaseIterable { case anonymous, admin, manager, accountant, assignedOperator, otherOperator }

    struct Case: Sendable {
        var action: String
        var expected: [Who: UInt]
    }

    static let cases: [Case] = [
        Case(
            action: "list orders",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 200, .assignedOperator: 200,
                .otherOperator: 200,
            ]),
        Case(
            action: "show order",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 200, .assignedOperator: 200,
                .otherOperator: 404,
            ]),
        Case(
            action: "create order",
            expected: [
                .anonymous: 401, .admin: 201, .manager: 201, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "patch order",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "approve",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 200,
                .otherOperator: 404,
            ]),
        Case(
            action: "cancel",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 404,
            ]),
        Case(
            action: "set pay",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "delete action",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "hard delete",
            expected: [
                .anonymous: 401, .admin: 204, .manager: 403, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "users list",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 403, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "operators list",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 200, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
        Case(
            action: "audit",
            expected: [
                .anonymous: 401, .admin: 200, .manager: 403, .accountant: 403, .assignedOperator: 403,
                .otherOperator: 403,
            ]),
    ]

    @Test(arguments: cases.map(\.action))
    func matrix(action: String) async throws {
        let testCase = try #require(Self.cases.first { $0.action == action })
        try await TestApp.run { t in
            var tokens: [Who: String] = [:]
            tokens[.admin] = try await t.user(.admin).token
            tokens[.manager] = try await t.user(.manager).token
            tokens[.accountant] = try await t.user(.accountant).token
            let (assigned, assignedToken) = try await t.user(.operator)
            tokens[.assignedOperator] = assignedToken
            tokens[.otherOperator] = try await t.user(.operator).token
            let assignedID = try #require(assigned.id)
            for who in Who.allCases {
                // A fresh order per caller, so destructive actions do not affect the next row.
                let managerToken = try #require(tokens[.manager])
                let created = try await t.createOrder(
                    token: managerToken,
                    [
                        "operator_ids": [assignedID],
                        "start_dt": "2026-0\(Who.allCases.firstIndex(of: who).map { $0 + 1 } ?? 1)-10T09:00:00+03:00",
                    ])
                let id = try #require(created.string("id"))
                let token = tokens[who]
                let reply: TestApp.Reply
                switch action {
                case "list orders": reply = try await t.send(.GET, "/api/v1/orders/", token: token)
                case "show order": reply = try await t.send(.GET, "/api/v1/orders/\(id)/", token: token)
                case "create order":
                    reply = try await t.createOrder(
                        token: token ?? "",
                        ["start_dt": "2027-01-0\(Who.allCases.firstIndex(of: who).map { $0 + 1 } ?? 1)T09:00:00+03:00"])
                case "patch order":
                    reply = try await t.send(
                        .PATCH, "/api/v1/orders/\(id)/", token: token, json: ["description": "новое"])
                case "approve":
                    reply = try await t.send(
                        .PATCH, "/api/v1/orders/\(id)/status/", token: token, json: ["status": "APPROVED"])
                case "cancel":
                    reply = try await t.send(
                        .PATCH, "/api/v1/orders/\(id)/status/", token: token, json: ["status": "CANCELLED"])
                case "set pay":
                    reply = try await t.send(
                        .POST, "/api/v1/orders/\(id)/salaries/", token: token,
                        json: ["operator_salaries": [["operator_id": assignedID, "salary": 1000]]])
                case "delete action": reply = try await t.send(.POST, "/api/v1/orders/\(id)/delete/", token: token)
                case "hard delete": reply = try await t.send(.DELETE, "/api/v1/orders/\(id)/", token: token)
                case "users list": reply = try await t.send(.GET, "/api/v1/users/", token: token)
                case "operators list": reply = try await t.send(.GET, "/api/v1/users/operators/", token: token)
                case "audit": reply = try await t.send(.GET, "/api/v1/audit/", token: token)
                default: Issue.record("unknown action \(action)"); return
                }
                #expect(
                    reply.status.code == testCase.expected[who],
                    "\(action) as \(who): \(reply.status.code) \(reply.body.prefix(200))")
            }
        }
    }
}

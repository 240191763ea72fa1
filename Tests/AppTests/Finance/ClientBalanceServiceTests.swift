import Domain
import Foundation
import Testing

@testable import App

/// `ClientBalanceService` without HTTP.
@Suite("Finance: client balance (service)")
struct ClientBalanceServiceTests {
    @Test func aNewClientOwesNothingAndAnUnknownOneIsNotFound() async throws {
        try await TestApp.run { t in
            let (accountant, _) = try await t.user(.accountant)
            let service = ClientBalanceService(context: try t.services(as: accountant))
            let clientID = try await t.client(name: "ООО Новый")
            let statement = try await service.statement(of: clientID)
            #expect(statement.client.name == "ООО Новый")
            #expect(statement.balance.billed.isZero)
            #expect(statement.balance.debt.isZero)
            #expect(statement.openOrdersTotal == 0)
            #expect(statement.isOverLimit == false)
            await #expect(throws: ClientBalanceError.notFound) { try await service.statement(of: clientID + 1000) }
        }
    }
}

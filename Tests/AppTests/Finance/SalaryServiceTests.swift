import Domain
import Foundation
import SQLKit
import Testing

@testable import App

/// `SalaryService` without HTTP: who may read a pay record, and the payout workflow.
@Suite("Finance: salary rules (service)")
struct SalaryServiceTests {
    /// A pending pay record of `userID` without an order; returns its id.
    static func payRecord(_ t: TestApp, userID: Int, amount: Int64 = 150_000) async throws -> Int {
        let now = Date()
        let row = try await t.db.sql().insert(into: "salary_records")
            .columns("user_id", "amount", "status", "created_at", "updated_at")
            .values(SQLBind(userID), SQLBind(amount), SQLBind("pending"), SQLBind(now), SQLBind(now))
            .returning("id").first()
        return try #require(try row?.decode(column: "id", as: Int.self))
    }

    @Test func anOperatorCannotReadAnotherOperatorsSalary() async throws {
        try await TestApp.run { t in
            // setup
            let (ivanov, _) = try await t.user(.operator, firstName: "Иван")
            let (petrov, _) = try await t.user(.operator, firstName: "Пётр")
            let (admin, _) = try await t.user(.admin)
            let id = try await Self.payRecord(t, userID: try #require(ivanov.id))
            let asPetrov = SalaryService(context: try t.services(as: petrov))
            // MUT + validate
            await #expect(throws: SalaryError.notFound) { try await asPetrov.record(id) }
            let all = SalaryService.Filter(period: ReportPeriod(timeZone: t.app.config.timeZone))
            #expect(try await asPetrov.count(all) == 0)
            #expect(try await asPetrov.records(all, limit: 10, offset: 0).isEmpty)
            #expect(try await SalaryService(context: try t.services(as: ivanov)).record(id).amount == 150_000)
            #expect(try await SalaryService(context: try t.services(as: admin)).count(all) == 1)
        }
    }

    @Test func aPaidRecordIsFinal() async throws {
        try await TestApp.run { t in
            let (ivanov, _) = try await t.user(.operator)
            let (accountant, _) = try await t.user(.accountant)
            let id = try await Self.payRecord(t, userID: try #require(ivanov.id))
            let service = SalaryService(context: try t.services(as: accountant))
            _ = try await service.changeStatus(id, to: .approved)
            let paid = try await service.changeStatus(id, to: .paid)
            #expect(paid.status == .paid)
            #expect(paid.paidAt != nil)
            await #expect(throws: SalaryError.self) { try await service.changeStatus(id, to: .pending) }
            #expect(try await service.record(id).status == .paid)
        }
    }

    @Test func theOwnRecordsOfThePageAreTheCallersOnly() async throws {
        try await TestApp.run { t in
            let (ivanov, _) = try await t.user(.operator)
            let (petrov, _) = try await t.user(.operator)
            _ = try await Self.payRecord(t, userID: try #require(ivanov.id), amount: 100)
            _ = try await Self.payRecord(t, userID: try #require(petrov.id), amount: 200)
            let own = try await SalaryService(context: try t.services(as: ivanov)).ownRecords(firstDay: "", lastDay: "")
            #expect(own.map(\.amount) == [100])
            let lastYear = try await SalaryService(context: try t.services(as: ivanov))
                .ownRecords(firstDay: "2001-01-01", lastDay: "2001-12-31")
            #expect(lastYear.isEmpty)
        }
    }
}

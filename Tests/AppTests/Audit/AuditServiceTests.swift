import Foundation
import Testing

@testable import App

/// `AuditService` without HTTP: what the recorder writes is what the trail reads, filtered and newest first.
@Suite("Audit: the trail (service)")
struct AuditServiceTests {
    @Test func recordedEntriesAreReadBackFilteredAndNewestFirst() async throws {
        try await TestApp.run { t in
            // setup
            let (admin, _) = try await t.user(.admin, firstName: "Анна", lastName: "Админова")
            let (accountant, _) = try await t.user(.accountant)
            let asAdmin = try t.services(as: admin)
            try await asAdmin.audit().record(
                .export, entity: "report", id: "summary", changes: ["format": .string("csv")])
            try await t.services(as: accountant).audit().record(.export, entity: "report", id: "employees")
            try await asAdmin.audit().record(.update, entity: "expense", id: "7", changes: ["password": .string("x")])
            let trail = AuditService(context: asAdmin)
            // MUT
            let reports = try await trail.entries(.init(entityType: "report"), limit: 10, offset: 0)
            let byAdmin = try await trail.entries(.init(actorID: admin.id), limit: 10, offset: 0)
            // validate
            #expect(try await trail.count(.init(entityType: "report")) == 2)
            #expect(Set(reports.map(\.entity_id)) == ["summary", "employees"])
            #expect(byAdmin.map(\.entity_id) == ["7", "summary"])
            #expect(byAdmin.first?.actor_name == "Анна Админова")
            #expect(byAdmin.first?.changes.contains("password") == false)
            let tomorrow = Date().addingTimeInterval(86_400)
            #expect(try await trail.count(.init(from: tomorrow)) == 0)
        }
    }
}

import Domain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The catalog's rules, called without HTTP.
@Suite("Catalog service: the rules without HTTP")
struct CatalogServiceTests {
    private func catalog(_ t: TestApp, as role: Role = .manager) async throws -> CatalogService {
        let (user, _) = try await t.user(role)
        let caller = Caller(id: user.id ?? 0, role: role, fullName: "")
        return CatalogService(context: ServiceContext(app: t.app, caller: caller))
    }

    private func equipment(code: String) -> EquipmentInput {
        var input = EquipmentInput()
        input.code = .set(code)
        input.name = .set("Экскаватор")
        input.hourlyRate = .set(245_000)
        return input
    }

    @Test func aSecondMachineWithTheSameCodeIsRefused() async throws {
        try await TestApp.run { t in
            // setup
            let catalog = try await catalog(t)
            _ = try await catalog.createEquipment(equipment(code: "EXC-1"))
            // MUT
            await #expect {
                _ = try await catalog.createEquipment(equipment(code: "  EXC-1 "))
            } throws: { error in
                (error as? CatalogError)?.problems == ["code": ["Техника с таким кодом уже существует."]]
            }
            // validate
            #expect(try await Equipment.query(on: t.db).count() == 1)
        }
    }

    @Test func aCreateWithoutRequiredFieldsNamesEachOfThem() async throws {
        try await TestApp.run { t in
            let catalog = try await catalog(t)
            var input = EquipmentInput()
            input.description = .set("без кода")
            await #expect {
                _ = try await catalog.createEquipment(input)
            } throws: { error in
                (error as? CatalogError)?.problems == [
                    "code": [FieldMessage.required], "name": [FieldMessage.required],
                    "hourly_rate": [FieldMessage.required],
                ]
            }
        }
    }

    @Test func aMaterialCategoryOutsideTheVocabularyIsRefusedFromTheWebForm() async throws {
        try await TestApp.run { t in
            // setup: the category the web form once offered and the API never accepted
            let catalog = try await catalog(t)
            let form = WebForm(pairs: [("name", "Щебень"), ("category", "other"), ("price", "1 200"), ("unit", "м³")])
            let input = CatalogForm(form, kind: .materials, isNew: true)
            #expect(input.errors.isEmpty)
            // MUT
            await #expect {
                _ = try await catalog.createMaterial(input.material)
            } throws: { error in
                (error as? CatalogError)?.problems == ["category": [FieldMessage.choice("other")]]
            }
            // validate
            #expect(try await MaterialItem.query(on: t.db).count() == 0)
            #expect(!MaterialCategory.allCases.map(\.rawValue).contains("other"))
        }
    }

    @Test func aMaterialFromTheWebFormIsStoredWithItsUnitCode() async throws {
        try await TestApp.run { t in
            let form = WebForm(pairs: [("name", "Щебень"), ("category", "soil"), ("price", "1 200,50"), ("unit", "м³")])
            let input = CatalogForm(form, kind: .materials, isNew: true).material
            let material = try await catalog(t).createMaterial(input)
            #expect(material.unit == "m3")
            #expect(material.price == 120_050)
            #expect(material.category == .soil)
        }
    }

    @Test func aServiceInAnUnknownCategoryIsRefused() async throws {
        try await TestApp.run { t in
            let catalog = try await catalog(t)
            var input = ServiceItemInput()
            input.name = .set("Планировка")
            input.category = .set(987_654)
            await #expect {
                _ = try await catalog.createService(input)
            } throws: { error in
                (error as? CatalogError)?.problems == ["category_id": [FieldMessage.missingObject("987654")]]
            }
            #expect(try await ServiceItem.query(on: t.db).count() == 0)
        }
    }

    @Test func anAmountWithTooManyDigitsIsRefusedWhateverTheChannel() async throws {
        try await TestApp.run { t in
            var input = equipment(code: "EXC-2")
            input.hourlyRate = .set(100_000_000_00)  // 100 000 000 ₽: eleven digits with the kopecks
            await #expect {
                _ = try await catalog(t).createEquipment(input)
            } throws: { error in
                (error as? CatalogError)?.problems == ["hourly_rate": [FieldMessage.maxDigits(10)]]
            }
        }
    }

    @Test func aMachineWithOrderHistoryIsDeactivatedNotDeleted() async throws {
        try await TestApp.run { t in
            let catalog = try await catalog(t)
            let machine = try await catalog.createEquipment(equipment(code: "EXC-3"))
            let id = try #require(machine.id)
            try await t.insertOrder(lines: [(type: "equipment", refID: id)])
            try await catalog.deleteEquipment(id)
            let stored = try #require(try await Equipment.find(id, on: t.db))
            #expect(stored.status == .inactive)
        }
    }
}

import Domain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The client rules, called without HTTP.
@Suite("Client service: the rules without HTTP")
struct ClientServiceTests {
    private func clients(_ t: TestApp) async throws -> ClientService {
        let (user, _) = try await t.user(.manager)
        let caller = Caller(id: user.id ?? 0, role: .manager, fullName: "")
        return ClientService(context: ServiceContext(app: t.app, caller: caller))
    }

    private func problems(_ error: any Error) -> [String: [String]] {
        guard case .invalid(let problems) = error as? ClientError else { return [:] }
        return problems
    }

    @Test func aClientNeedsANameAndAPhoneThatCanBeRead() async throws {
        try await TestApp.run { t in
            let service = try await clients(t)
            var input = ClientInput()
            input.name = .set("   ")
            input.phone = .set("12345")
            await #expect {
                _ = try await service.create(input)
            } throws: { error in
                problems(error) == ["name": [FieldMessage.blank], "phone": [FieldMessage.phone]]
            }
            #expect(try await Client.query(on: t.db).count() == 0)
        }
    }

    @Test func aMalformedINNIsRefusedAndTheOtherFieldsAreKept() async throws {
        try await TestApp.run { t in
            let service = try await clients(t)
            var input = ClientInput()
            input.name = .set("ООО Ромашка")
            input.phone = .set("8 (900) 123-45-67")
            let client = try await service.create(input)
            #expect(client.phone == "+79001234567")
            var patch = ClientInput()
            patch.inn = .set("12345")
            await #expect {
                _ = try await service.update(client.id ?? 0, patch)
            } throws: { error in
                problems(error) == ["inn": [TaxID.innMessage]]
            }
            let stored = try #require(try await Client.find(client.id, on: t.db))
            #expect(stored.inn == "")
            #expect(stored.name == "ООО Ромашка")
        }
    }

    @Test func aClientWithOrdersIsDeactivatedNotDeleted() async throws {
        try await TestApp.run { t in
            let service = try await clients(t)
            var input = ClientInput()
            input.name = .set("ИП Петров")
            input.phone = .set("+79001112233")
            let client = try await service.create(input)
            let id = try #require(client.id)
            try await t.insertOrder(clientID: id)
            try await service.delete(id)
            let stored = try #require(try await Client.find(id, on: t.db))
            #expect(stored.isActive == false)
        }
    }

    @Test func coordinatesOutsideTheGlobeAreRefused() async throws {
        try await TestApp.run { t in
            let service = try await clients(t)
            var input = ClientInput()
            input.name = .set("ООО Юг")
            input.phone = .set("+79001112244")
            input.geoLat = .set(91_000_000)
            input.geoLng = .set(-181_000_000)
            await #expect {
                _ = try await service.create(input)
            } throws: { error in
                problems(error) == [
                    "geo_lat": [FieldMessage.maxValue("90")], "geo_lng": [FieldMessage.minValue("-180")],
                ]
            }
        }
    }
}

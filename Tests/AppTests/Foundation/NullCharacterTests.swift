import Testing
import Vapor

@testable import App

/// U+0000 cannot be stored in PostgreSQL text: it is a 400 naming the field on every database, never a 500.
@Suite("Null characters in input")
struct NullCharacterTests {
    @Test func nullCharacterInABodyFieldIsAFieldError() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.admin)
            let reply = try await t.concurrent.send(
                .POST, "/api/v1/clients/", token: token,
                json: #"{"name": "ООО \u0000Ромашка", "phone": "+79001234567", "billing_details": {"bank": "\u0000"}}"#)
            #expect(reply.status == .badRequest)
            #expect(reply["name"] == .array([.string(FieldMessage.nullCharacter)]))
            #expect(reply["billing_details"] == .array([.string(FieldMessage.nullCharacter)]))
            #expect(reply["phone"] == nil)
        }
    }

    @Test func nullCharacterInAQueryParameterIsNotAServerError() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.admin)
            let reply = try await t.concurrent.send(.GET, "/api/v1/clients/?city=a%00b&search=%00", token: token)
            #expect(reply.status == (TestApp.usesPostgres ? .badRequest : .ok))
        }
    }
}

import Domain
import Foundation
import Testing
import Vapor

@testable import App

/// The photo of an expense's receipt: uploaded through the API and the edit page alike (`ExpenseService+Receipt`),
/// checked from its bytes, kept in the file storage, shown to the expenses' readers, replaced, removed, and gone
/// with its expense.
@Suite("Expenses: the receipt's photo")
struct ExpenseReceiptTests {
    static func expense(_ t: TestApp, token: String) async throws -> Int {
        let created = try await t.send(
            .POST, "/api/v1/expenses/", token: token,
            json: ["category": "fuel", "amount": "1500.00", "date": "2025-03-31", "comment": "Заправка"])
        try #require(created.status == .created, "\(created.body)")
        return try #require(created["id"]?.intValue)
    }

    @Test func theAPIStoresShowsReplacesAndRemovesTheReceipt() async throws {
        try await TestApp.run { t in
            let storage = MemoryFileStorage()
            t.app.fileStorage = storage
            let (_, accountant) = try await t.user(.accountant)
            let (_, driver) = try await t.user(.operator)
            let id = try await Self.expense(t, token: accountant)
            let path = "/api/v1/expenses/\(id)/receipt/"
            #expect(try await t.download(path, token: accountant).status == .notFound)

            // Not an image, nothing at all, and an operator: refused, nothing stored.
            let pdf = try await t.upload("", token: accountant, bytes: SampleImage.pdf, path: path)
            #expect(pdf.status == .badRequest)
            #expect(pdf["file"] != nil, "\(pdf.body)")
            let empty = try await t.upload("", token: accountant, bytes: nil, path: path)
            #expect(empty.status == .badRequest, "\(empty.status) \(empty.body)")
            #expect(try await t.upload("", token: driver, bytes: SampleImage.png, path: path).status == .forbidden)
            #expect(storage.keys.isEmpty)

            let stored = try await t.upload("", token: accountant, bytes: SampleImage.png, path: path)
            #expect(stored.status == .ok, "\(stored.body)")
            #expect(stored.string("receipt_url") == path)
            #expect(storage.keys.count == 1)
            #expect(storage.keys.first?.hasPrefix("expenses/\(id)/") == true)
            let file = try await t.download(path, token: accountant)
            #expect(file.status == .ok)
            #expect(file.bytes == SampleImage.png)
            #expect(file.headers.first(name: .contentType) == "image/png")
            #expect(try await t.download(path, token: driver).status == .forbidden)

            // A new photo replaces the old one, in the storage too; the journal has both uploads.
            let replaced = try await t.upload("", token: accountant, bytes: SampleImage.jpeg, path: path)
            #expect(replaced.status == .ok)
            #expect(storage.keys.count == 1)
            #expect(try await t.download(path, token: accountant).bytes == SampleImage.jpeg)
            #expect(try await t.count("audit_entries", where: "entity_type", equals: "expense") == 3)

            let removed = try await t.send(.DELETE, path, token: accountant)
            #expect(removed.status == .noContent)
            #expect(storage.keys.isEmpty)
            let shown = try await t.send(.GET, "/api/v1/expenses/\(id)/", token: accountant)
            #expect(shown["receipt_url"] == .null)

            // Deleting the expense deletes its photo.
            _ = try await t.upload("", token: accountant, bytes: SampleImage.webp, path: path)
            #expect(storage.keys.count == 1)
            #expect(try await t.send(.DELETE, "/api/v1/expenses/\(id)/", token: accountant).status == .noContent)
            #expect(storage.keys.isEmpty)
        }
    }

    @Test func theEditPageUploadsShowsAndRemovesThePhoto() async throws {
        try await TestApp.run { t in
            let storage = MemoryFileStorage()
            t.app.fileStorage = storage
            let (web, _, token) = try await WebClient.signedIn(t, .accountant)
            let id = try await Self.expense(t, token: token)
            let edit = try await web.get("/expenses/\(id)/edit")
            #expect(edit.contains("Фото чека не загружено."))
            #expect(edit.contains("action=\"/expenses/\(id)/receipt\""))
            #expect(edit.contains("enctype=\"multipart/form-data\""))

            let path = "/expenses/\(id)/receipt"
            let forged = try await WebPhotoTests.postPhoto(
                web, order: "", bytes: SampleImage.jpeg, csrf: "forged", path: path)
            #expect(forged.status == .forbidden)
            let refused = try await WebPhotoTests.postPhoto(web, order: "", bytes: SampleImage.pdf, path: path)
            #expect(refused.status == .seeOther)
            #expect(try await web.get("/expenses/\(id)/edit").contains("Фото не загружено."))
            #expect(storage.keys.isEmpty)

            let uploaded = try await WebPhotoTests.postPhoto(web, order: "", bytes: SampleImage.jpeg, path: path)
            #expect(uploaded.status == .seeOther)
            #expect(uploaded.location == "/expenses/\(id)/edit")
            let after = try await web.get("/expenses/\(id)/edit")
            #expect(after.contains("Фото чека загружено"))
            #expect(after.contains("src=\"/expenses/\(id)/receipt\""))
            let image = try await web.get(path)
            #expect(image.status == .ok)
            #expect(image.headers.first(name: .contentType) == "image/jpeg")
            let list = try await web.get("/expenses")
            #expect(list.contains("href=\"/expenses/\(id)/receipt\""))

            // The operator has no «Расходы»; the manager reads the photo.
            let (driver, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await driver.get(path).status == .forbidden)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            #expect(try await manager.get(path).status == .ok)

            let removed = try await web.post("/expenses/\(id)/receipt/delete", [])
            #expect(removed.status == .seeOther)
            #expect(storage.keys.isEmpty)
            #expect(try await web.get("/expenses/\(id)/edit").contains("Фото чека не загружено."))
        }
    }
}

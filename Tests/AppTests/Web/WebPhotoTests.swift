import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Web: the order page's photo form")
struct WebPhotoTests {
    /// Posts the photo form as a browser does: multipart with `_csrf`, `photo_type` and the file.
    static func postPhoto(
        _ web: WebClient, order: String, bytes: [UInt8]?, csrf: String? = nil, path: String? = nil
    ) async throws -> WebClient.Page {
        let boundary = "ringo-web-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in [("_csrf", csrf ?? web.csrf), ("photo_type", "after")] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let bytes {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n")
            body.writeString("Content-Type: image/jpeg\r\n\r\n")
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: web.cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await web.t.app.testing(method: .inMemory)
            .sendRequest(.POST, path ?? "/orders/\(order)/photos", headers: headers, body: body)
        for line in response.headers[.setCookie] {
            let pair = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2, !parts[1].isEmpty { web.cookies[parts[0]] = parts[1] }
        }
        return WebClient.Page(status: response.status, headers: response.headers, body: response.body.string)
    }

    @Test func theAssignedOperatorUploadsAPhotoAndTheManagerSeesIt() async throws {
        try await TestApp.run { t in
            let s = try await WebOrdersTests.seed(t)
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            try await manager.get("/orders/new")
            let id = try WebOrdersTests.createdID(try await manager.post("/orders/new", WebOrdersTests.orderFields(s)))
            let operatorWeb = WebClient(t)
            try await operatorWeb.login(s.ivan.phone)
            let page = try await operatorWeb.get("/orders/\(id)")
            #expect(page.contains("enctype=\"multipart/form-data\""))
            #expect(page.contains("accept=\"image/*\""))
            #expect(page.contains("Фотографий пока нет."))
            // MUT: without a token the upload is refused; an empty form and a PDF come back with a message
            let forged = try await Self.postPhoto(operatorWeb, order: id, bytes: SampleImage.jpeg, csrf: "forged")
            #expect(forged.status == .forbidden)
            let missing = try await Self.postPhoto(operatorWeb, order: id, bytes: nil)
            #expect(missing.status == .seeOther)
            #expect(try await operatorWeb.get("/orders/\(id)").contains("Фото не загружено."))
            let pdf = try await Self.postPhoto(operatorWeb, order: id, bytes: SampleImage.pdf)
            #expect(pdf.status == .seeOther)
            #expect(try await t.count("order_photos") == 0)
            let uploaded = try await Self.postPhoto(operatorWeb, order: id, bytes: SampleImage.jpeg)
            // validate
            #expect(uploaded.status == .seeOther)
            #expect(uploaded.location == "/orders/\(id)")
            #expect(try await t.count("order_photos") == 1)
            let after = try await operatorWeb.get("/orders/\(id)")
            #expect(after.contains("Фото добавлено"))
            let shown = try await manager.get("/orders/\(id)")
            let photoID = try #require(try await OrderPhoto.query(on: t.db).first()?.id)
            #expect(shown.contains("src=\"/orders/\(id)/photos/\(photoID)\""))
            let image = try await manager.get("/orders/\(id)/photos/\(photoID)")
            #expect(image.status == .ok)
            #expect(image.headers.first(name: .contentType) == "image/jpeg")
            #expect(shown.contains("После работ"))
            // an accountant sees the order but gets no form, and may not upload
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            #expect(!(try await accountant.get("/orders/\(id)").contains("enctype=\"multipart/form-data\"")))
            #expect(try await Self.postPhoto(accountant, order: id, bytes: SampleImage.jpeg).status == .forbidden)
        }
    }
}

import Domain
import Fluent
import Foundation
import NIOCore
import Testing
import Vapor

@testable import App

/// The photo rules, called without HTTP (the order itself is made through the API).
@Suite("Photo service: the rules without HTTP")
struct PhotoServiceTests {
    private func photos(_ t: TestApp, as user: User) -> PhotoService {
        let caller = Caller(id: user.id ?? 0, role: user.role, fullName: "")
        return PhotoService(context: ServiceContext(app: t.app, caller: caller))
    }

    private func jpeg() -> PhotoUpload {
        PhotoUpload(file: PhotoUpload.File(data: ByteBuffer(bytes: SampleImage.jpeg), filename: "../x/фото.jpg"))
    }

    @Test func aPhotoOfAnotherOperatorsOrderIsNotVisible() async throws {
        try await TestApp.run { t in
            // setup: an order of one operator, with a photo he took
            t.app.fileStorage = MemoryFileStorage()
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let (stranger, _) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let created = try await t.createOrder(token: manager, ["operator_ids": [driverID]])
            let orderID = try #require(created.string("id"))
            let photo = try await photos(t, as: driver).upload(jpeg(), toOrder: orderID)
            #expect(photo.originalName == "фото.jpg")
            // MUT + validate: the assigned operator sees it, another operator learns nothing
            #expect(try await photos(t, as: driver).photos(ofOrder: orderID).map(\.id) == [photo.id])
            await #expect(throws: PhotoError.self) {
                _ = try await photos(t, as: stranger).photos(ofOrder: orderID)
            }
            await #expect(throws: PhotoError.self) {
                _ = try await photos(t, as: stranger).file(photo.id, ofOrder: orderID)
            }
            await #expect(throws: PhotoError.self) {
                try await photos(t, as: stranger).delete(photo.id, ofOrder: orderID)
            }
            #expect(try await OrderPhoto.query(on: t.db).count() == 1)
        }
    }

    @Test func onlyImagesAreStoredAndAFileIsRequired() async throws {
        try await TestApp.run { t in
            let storage = MemoryFileStorage()
            t.app.fileStorage = storage
            let (manager, token) = try await t.user(.manager)
            let orderID = try #require(try await t.createOrder(token: token, [:]).string("id"))
            var pdf = jpeg()
            pdf.file?.data = ByteBuffer(bytes: SampleImage.pdf)
            await #expect {
                _ = try await photos(t, as: manager).upload(pdf, toOrder: orderID)
            } throws: { error in
                guard case .invalid(let problems) = error as? PhotoError else { return false }
                return problems == ["file": ["Допустимы только изображения JPEG, PNG или WebP."]]
            }
            var lonely = jpeg()
            lonely.gpsLat = 45
            await #expect {
                _ = try await photos(t, as: manager).upload(lonely, toOrder: orderID)
            } throws: { error in
                guard case .invalid(let problems) = error as? PhotoError else { return false }
                return problems == ["gps_lng": ["Координаты указываются парой: широта и долгота."]]
            }
            #expect(storage.keys.isEmpty)
        }
    }
}

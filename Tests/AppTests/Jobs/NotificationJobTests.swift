import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Notification deliveries as jobs")
struct NotificationJobTests {
    @Test func aDeliveryIsQueuedAsAJobAndTheRunnerFinishesIt() async throws {
        try await TestApp.run { t in
            let dispatcher = JobNotificationDispatcher(app: t.app, maxAttempts: 3)
            let delivery = NotificationDelivery(
                notificationID: 0, userID: 1, event: .statusChanged, channel: .push, chatID: nil,
                deviceTokenID: 987_654,
                title: "Заказ #000001 в работе", body: "Статус заказа изменён", url: "/orders/x", data: [:])
            await dispatcher.enqueue(delivery)
            let sql = try t.db.sql()
            let row = try #require(
                try await sql.select().columns("id", "payload", "max_attempts").from("jobs")
                    .where("name", .equal, NotificationDeliveryJob.name).first())
            #expect(try row.decode(column: "max_attempts", as: Int.self) == 3)
            let payload = try row.decode(column: "payload", as: String.self)
            let decoded = try JSONDecoder().decode(NotificationDeliveryJob.self, from: Data(payload.utf8))
            #expect(decoded.delivery == delivery)

            // A push subscription that does not exist is a final failure: the job ends, it is not retried forever.
            let ran = try await JobRunner(
                application: t.app, settings: JobRunnerSettings(workerID: "n1", leaseDuration: 30)
            ).runNext()
            #expect(ran)
            let status = try await sql.select().column("status").from("jobs")
                .where("id", .equal, try row.decode(column: "id", as: Int.self)).first()?.decode(
                    column: "status", as: String.self)
            #expect(status == "succeeded")
        }
    }
}

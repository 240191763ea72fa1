import Foundation
import Vapor

/// One outside delivery (Telegram, Web Push, e-mail) as a durable job: it survives a restart, is retried with the
/// runner's back-off, and several workers never send it twice. Every attempt is still recorded by
/// `DeliveryWorker` in `notification_deliveries`.
struct NotificationDeliveryJob: Job {
    static let name = "notification.deliver"
    static var maxAttempts: Int { 4 }
    var delivery: NotificationDelivery

    struct RetryLater: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ job: NotificationDeliveryJob, context: JobContext, maxAttempts: Int) async throws -> JSONValue? {
        let outcome = await DeliveryWorker(app: context.application)
            .attempt(job.delivery, number: context.attempt, isLast: context.attempt >= maxAttempts)
        switch outcome {
        case .sent: return .object(["status": .string("sent")])
        case .failed(let reason): return .object(["status": .string("failed"), "error": .string(reason)])
        case .retry(let reason): throw RetryLater(description: reason)
        }
    }
}

/// Hands deliveries to the job runner (the default wherever a runner works: in `serve` on the embedded
/// default, in `ringo worker` processes in production).
struct JobNotificationDispatcher: NotificationDispatcher {
    let app: Application
    let maxAttempts: Int

    func enqueue(_ delivery: NotificationDelivery) async {
        do {
            let payload = String(
                decoding: try JSONEncoder().encode(NotificationDeliveryJob(delivery: delivery)), as: UTF8.self)
            try await app.writeSerializer.run {
                try await JobQueue(db: app.db).enqueue(
                    name: NotificationDeliveryJob.name, payload: payload, maxAttempts: maxAttempts, runAt: Date(),
                    uniqueKey: nil)
            }
        } catch {
            app.logger.error(
                "notification delivery not queued", metadata: ["error": "\(error)", "user_id": "\(delivery.userID)"])
        }
    }

    func shutdown() async {}
}

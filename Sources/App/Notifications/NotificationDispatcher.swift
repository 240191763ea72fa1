import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import WebUI

/// One message for one user through one outside channel. `Codable` so that a durable job queue can
/// carry it as its payload.
struct NotificationDelivery: Codable, Sendable, Equatable {
    var notificationID: Int
    var userID: Int
    var event: NotificationEvent
    var channel: DeliveryChannel
    /// The Telegram chat, for `.telegram`.
    var chatID: String?
    /// The `device_tokens` row holding the Web Push subscription, for `.push`.
    var deviceTokenID: Int?
    /// The user's address, for `.email` (absent from payloads queued before e-mail was a channel).
    var email: String?
    var title: String
    var body: String
    /// Where the web client should open (e.g. `/orders/<id>`).
    var url: String?
    var data: [String: String]
}

/// Hands deliveries to whatever runs them. Today an in-process retry loop
/// (`InProcessNotificationDispatcher`); when the job runner lands, a dispatcher that inserts a job
/// whose handler calls `DeliveryWorker.attempt` replaces it in `configure.swift` (one line).
protocol NotificationDispatcher: Sendable {
    func enqueue(_ delivery: NotificationDelivery) async
    /// Stops pending work (called when the application shuts down).
    func shutdown() async
}

/// What one attempt came to.
enum DeliveryOutcome: Sendable, Equatable {
    case sent
    /// Failed in a way that may pass; the caller decides whether another attempt is left.
    case retry(String)
    /// Failed for good.
    case failed(String)
}

/// Makes one delivery attempt and records it in `notification_deliveries` (channel, status, error).
/// Used by the in-process dispatcher now and by a job handler later.
struct DeliveryWorker: Sendable {
    /// Held weakly: the application owns the dispatcher that owns this worker.
    private let reference: WeakApplication

    init(app: Application) { reference = WeakApplication(app) }

    /// The application, while it exists.
    private final class WeakApplication: @unchecked Sendable {
        // Written once in `init`, only read afterwards.
        weak var value: Application?
        init(_ value: Application) { self.value = value }
    }

    func attempt(_ delivery: NotificationDelivery, number: Int, isLast: Bool) async -> DeliveryOutcome {
        guard let app = reference.value else { return .failed("application stopped") }
        return await Attempt(app: app).run(delivery, number: number, isLast: isLast)
    }
}

/// One attempt with a live application.
private struct Attempt {
    let app: Application

    func run(_ delivery: NotificationDelivery, number: Int, isLast: Bool) async -> DeliveryOutcome {
        var target = delivery.chatID ?? delivery.email ?? ""
        let outcome: DeliveryOutcome
        do {
            target = try await send(delivery)
            outcome = .sent
        } catch let failure as DeliveryFailure {
            switch failure {
            case .retryable(let text): outcome = .retry(text)
            case .permanent(let text): outcome = .failed(text)
            case .gone(let text):
                outcome = .failed(text)
                await dropSubscription(delivery)
            }
        } catch {
            app.logger.error(
                "notification attempt failed",
                metadata: [
                    "notification_id": "\(delivery.notificationID)", "error": "\(error)",
                ])
            outcome = .retry("внутренняя ошибка")
        }
        let status: String
        let error: String
        switch outcome {
        case .sent: (status, error) = ("sent", "")
        case .retry(let text): (status, error) = ("failed", text)
        case .failed(let text): (status, error) = ("failed", text)
        }
        let isFinal: Bool = {
            if case .retry = outcome { return isLast }
            return true
        }()
        await record(delivery, target: target, attempt: number, status: status, error: error, isFinal: isFinal)
        if status == "sent" {
            app.logger.info(
                "notification delivered",
                metadata: [
                    "notification_id": "\(delivery.notificationID)", "channel": "\(delivery.channel.rawValue)",
                    "attempt": "\(number)",
                ])
        } else {
            app.logger.warning(
                "notification delivery failed",
                metadata: [
                    "notification_id": "\(delivery.notificationID)", "channel": "\(delivery.channel.rawValue)",
                    "attempt": "\(number)", "final": "\(isFinal)", "error": "\(error)",
                ])
        }
        return outcome
    }

    /// Sends through the channel; returns the target to log.
    private func send(_ delivery: NotificationDelivery) async throws -> String {
        switch delivery.channel {
        case .telegram:
            guard let sender = app.telegramSender else { throw DeliveryFailure.permanent("Telegram-бот не настроен") }
            guard let chatID = delivery.chatID else { throw DeliveryFailure.permanent("Telegram не подключён") }
            try await sender.sendMessage(
                chatID: chatID, text: TelegramText.message(title: delivery.title, body: delivery.body))
            return chatID
        case .push:
            guard let sender = app.webPushSender else { throw DeliveryFailure.permanent("Web Push не настроен") }
            guard let tokenID = delivery.deviceTokenID,
                let token = try await DeviceToken.find(tokenID, on: app.db), token.userID == delivery.userID
            else { throw DeliveryFailure.permanent("подписка на push удалена") }
            guard let subscription = NotificationService.webSubscription(of: token) else {
                throw DeliveryFailure.permanent("у устройства нет подписки Web Push")
            }
            let target = (subscription.origin ?? "push") + " #\(tokenID)"
            // Checked again here: the name may resolve elsewhere now than when it was subscribed.
            let address: String?
            do {
                address = try await app.pushEndpointGuard.check(subscription.endpoint)
            } catch let refusal as PushEndpointGuard.Refusal {
                app.logger.warning(
                    "push endpoint refused at send time",
                    metadata: [
                        "device_token_id": "\(tokenID)", "reason": "\(refusal)",
                    ])
                if case .unresolvable = refusal { throw DeliveryFailure.retryable("адрес службы push не найден") }
                throw DeliveryFailure.permanent("адрес подписки не принимается")
            }
            var payload: [String: JSONValue] = [
                "title": .string(delivery.title), "body": .string(delivery.body),
                "event": .string(delivery.event.rawValue),
                "data": .object(delivery.data.mapValues(JSONValue.string)),
                "notification_id": .number(Decimal(delivery.notificationID)),
            ]
            if let url = delivery.url { payload["url"] = .string(url) }
            var bytes = Array(JSONValue.object(payload).jsonText.utf8)
            if bytes.count > WebPushCrypto.maxPlaintext {
                payload["body"] = .string(String(delivery.body.prefix(500)))
                payload["data"] = .object([:])
                bytes = Array(JSONValue.object(payload).jsonText.utf8)
            }
            do {
                try await sender.send(bytes, to: subscription, connectingTo: address)
            } catch let failure as DeliveryFailure {
                throw failure
            } catch {
                app.logger.warning("web push failed", metadata: ["device_token_id": "\(tokenID)", "error": "\(error)"])
                throw DeliveryFailure.retryable("ошибка доставки")
            }
            return target
        case .email:
            return try await sendLetter(delivery)
        }
    }

    /// A short plain-text letter through the same SMTP client as the documents (docs/email.md); the address
    /// is the target logged, as the user sees it in his own delivery log.
    private func sendLetter(_ delivery: NotificationDelivery) async throws -> String {
        guard let settings = app.config.mail, let from = MailAddress.parse(settings.from) else {
            throw DeliveryFailure.permanent("Почта не настроена")
        }
        guard let address = delivery.email, MailAddress.isValid(address) else {
            throw DeliveryFailure.permanent("e-mail не указан")
        }
        let message = MailMessage(
            from: from, to: [address], subject: delivery.title,
            text: NotificationLetter.text(body: delivery.body, url: delivery.url, base: app.publicBaseURL))
        do {
            try await SMTPClient(settings: settings, eventLoopGroup: app.eventLoopGroup).send(message)
        } catch let error as SMTPError {
            throw error.isPermanent
                ? DeliveryFailure.permanent(error.description) : DeliveryFailure.retryable(error.description)
        }
        return address
    }

    /// A push service said the subscription is gone: forget the device so it is not tried again.
    private func dropSubscription(_ delivery: NotificationDelivery) async {
        guard delivery.channel == .push, let tokenID = delivery.deviceTokenID else { return }
        do {
            try await app.writeSerializer.run {
                try await DeviceToken.query(on: app.db).filter(\.$id == tokenID).delete()
            }
        } catch {
            app.logger.error(
                "expired push subscription not removed",
                metadata: ["device_token_id": "\(tokenID)", "error": "\(error)"])
        }
    }

    private func record(
        _ delivery: NotificationDelivery, target: String, attempt: Int, status: String, error: String, isFinal: Bool
    ) async {
        do {
            try await DeliveryLog.insert(
                on: app, notificationID: delivery.notificationID, userID: delivery.userID,
                event: delivery.event.rawValue,
                channel: delivery.channel.rawValue, target: target, attempt: attempt, status: status, error: error,
                isFinal: isFinal)
        } catch {
            app.logger.error(
                "notification attempt not recorded",
                metadata: ["notification_id": "\(delivery.notificationID)", "error": "\(error)"])
        }
    }
}

/// The text of a notification letter: the message, then the page to open.
enum NotificationLetter {
    static func text(body: String, url: String?, base: String) -> String {
        var text = body
        if let url {
            let link = url.hasPrefix("http://") || url.hasPrefix("https://") ? url : base + url
            text += "\n\nОткрыть: " + link
        }
        return text + "\n\n—\nНастроить уведомления: " + base + Paths.notificationSettings() + "\n"
    }
}

/// Rows of `notification_deliveries`: one per attempt, plus one `in_app` row per inbox message.
enum DeliveryLog {
    static func insert(
        on app: Application, notificationID: Int?, userID: Int?, event: String, channel: String, target: String,
        attempt: Int, status: String, error: String, isFinal: Bool
    ) async throws {
        try await app.writeSerializer.run {
            try await (try app.db.sql()).insert(into: "notification_deliveries")
                .columns(
                    "notification_id", "user_id", "event_type", "channel", "target", "attempt", "status", "error",
                    "is_final", "created_at"
                )
                .values(
                    SQLBind(notificationID), SQLBind(userID), SQLBind(event), SQLBind(channel),
                    SQLBind(String(target.prefix(255))),
                    SQLBind(attempt), SQLBind(status), SQLBind(String(error.prefix(1000))), SQLBind(isFinal),
                    SQLBind(Date())
                )
                .run()
        }
    }
}

/// Runs each delivery in its own task: up to `maxAttempts` tries with exponential backoff
/// (`baseDelay`, ×2 each time), every try recorded by `DeliveryWorker`. Not durable: pending retries
/// are lost on restart, which the job runner will fix.
final class InProcessNotificationDispatcher: NotificationDispatcher {
    let worker: DeliveryWorker
    let retry: NotificationRetrySettings
    private let tasks = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    init(worker: DeliveryWorker, retry: NotificationRetrySettings) {
        self.worker = worker
        self.retry = retry
    }

    func enqueue(_ delivery: NotificationDelivery) async {
        let id = UUID()
        let worker = self.worker
        let retry = self.retry
        tasks.withLockedValue { tasks in
            // The delivery outlives the request that enqueued it, so it waits for a write turn of its own.
            tasks[id] = WriteSerializer.$heldTurn.withValue(nil) {
                Task { [weak self] in
                    await Self.run(delivery, worker: worker, retry: retry)
                    self?.finished(id)
                }
            }
        }
    }

    private static func run(
        _ delivery: NotificationDelivery, worker: DeliveryWorker, retry: NotificationRetrySettings
    ) async {
        for attempt in 1...max(1, retry.maxAttempts) {
            if Task.isCancelled { return }
            let isLast = attempt >= retry.maxAttempts
            guard case .retry = await worker.attempt(delivery, number: attempt, isLast: isLast), !isLast else { return }
            do {
                try await Task.sleep(nanoseconds: UInt64(retry.delay(after: attempt) * 1_000_000_000))
            } catch {
                return  // cancelled at shutdown
            }
        }
    }

    private func finished(_ id: UUID) {
        tasks.withLockedValue { _ = $0.removeValue(forKey: id) }
    }

    /// Waits until every delivery enqueued so far (and any enqueued meanwhile) has finished.
    func waitUntilIdle() async {
        while true {
            let pending = tasks.withLockedValue { Array($0.values) }
            if pending.isEmpty { return }
            for task in pending { await task.value }
        }
    }

    func shutdown() async {
        let pending = tasks.withLockedValue { Array($0.values) }
        for task in pending { task.cancel() }
        for task in pending { await task.value }
    }
}

extension Application {
    private struct DispatcherKey: StorageKey { typealias Value = any NotificationDispatcher }
    private struct TelegramSenderKey: StorageKey { typealias Value = any TelegramSending }
    private struct WebPushSenderKey: StorageKey { typealias Value = any WebPushSending }

    var notificationDispatcher: any NotificationDispatcher {
        get {
            guard let dispatcher = storage[DispatcherKey.self] else {
                fatalError("configure(_:config:) was not called")
            }
            return dispatcher
        }
        set { storage[DispatcherKey.self] = newValue }
    }

    /// nil when no bot is configured; tests may install a fake.
    var telegramSender: (any TelegramSending)? {
        get { storage[TelegramSenderKey.self] }
        set { storage[TelegramSenderKey.self] = newValue }
    }

    /// nil when no VAPID keys are configured; tests may install a fake.
    var webPushSender: (any WebPushSending)? {
        get { storage[WebPushSenderKey.self] }
        set { storage[WebPushSenderKey.self] = newValue }
    }
}

/// Stops the dispatcher before the database goes away.
struct NotificationDispatcherLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.notificationDispatcher.shutdown()
    }
}

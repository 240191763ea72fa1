import Domain
import Foundation
import Vapor

/// A device's platform; `web` rows carry a Web Push subscription in `device_info`.
enum DevicePlatform: String, CaseIterable, Sendable { case ios, android, web }

/// The channels of the original API's subscriptions.
enum SubscriptionChannel: String, CaseIterable, Sendable { case push, email, telegram, sms }

// MARK: - Service inputs

/// A device to register (every field set) or the changes to one.
struct DeviceTokenInput: Sendable {
    var token: Patch<String> = .keep
    var platform: Patch<DevicePlatform> = .keep
    var appVersion: Patch<String> = .keep
    var deviceInfo: Patch<[String: JSONValue]> = .keep
    /// The Web Push endpoint to check before saving, for `web` devices.
    var webEndpoint: String?
}

/// A channel subscription of the original API, or the changes to one.
struct SubscriptionInput: Sendable {
    var channel: Patch<SubscriptionChannel> = .keep
    var endpoint: Patch<String> = .keep
    var enabled: Patch<Bool> = .keep
    var preferences: Patch<[String: JSONValue]> = .keep
}

/// The browser's `PushSubscription`, posted by the API or the settings page's script.
struct WebPushInput: Sendable {
    var subscription: WebPushSubscription
    var appVersion: String?
    var userAgent: String?

    /// `{"subscription": {...}}` or the subscription itself, with an optional `app_version`.
    init(json body: [String: JSONValue], userAgent: String?) throws {
        let source = body["subscription"]?.objectValue ?? body
        guard let subscription = WebPushSubscription(json: source) else {
            throw FieldErrors(
                "subscription", "Нужна подписка Web Push: {\"endpoint\", \"keys\": {\"p256dh\", \"auth\"}}.")
        }
        self.subscription = subscription
        self.appVersion = body["app_version"]?.stringValue.map { String($0.prefix(20)) }
        self.userAgent = userAgent
    }

    /// The endpoint to forget: `{"endpoint": …}` or `{"subscription": {"endpoint": …}}`.
    static func endpoint(in body: [String: JSONValue]) throws -> String {
        guard
            let endpoint = body["endpoint"]?.stringValue
                ?? body["subscription"]?.objectValue?["endpoint"]?.stringValue
        else { throw FieldErrors("endpoint", FieldMessage.required) }
        return endpoint
    }
}

extension DeviceTokenInput {
    /// Reads `token`, `platform`, `app_version` and `device_info`; a `web` device needs a subscription.
    /// Field errors stay in `input`, to be reported with the rules' ones.
    init(
        _ input: inout JSONInput, required: Bool, currentToken: String? = nil, currentPlatform: DevicePlatform? = nil
    ) {
        let token = input.string("token", required: required, maxLength: 2048, allowBlank: false)
        let platform = input.choice("platform", as: DevicePlatform.self, required: required)
        let appVersion = input.string("app_version", maxLength: 20)
        let deviceInfo = input.object("device_info")
        self.init(
            token: Patch(token), platform: Patch(platform), appVersion: Patch(appVersion),
            deviceInfo: Patch(deviceInfo))
        if platform ?? currentPlatform == .web, platform != nil || deviceInfo != nil || token != nil {
            let info = deviceInfo ?? [:]
            if let subscription = NotificationService.subscription(in: info, token: token ?? currentToken ?? "") {
                webEndpoint = subscription.endpoint
            } else if input.errors["token"] == nil {
                input.fail(
                    "device_info",
                    "Для платформы web нужна подписка Web Push: "
                        + "{\"subscription\": {\"endpoint\", \"keys\": {\"p256dh\", \"auth\"}}}.")
            }
        }
    }
}

extension SubscriptionInput {
    init(_ input: inout JSONInput, required: Bool) {
        self.init(
            channel: Patch(input.choice("channel", as: SubscriptionChannel.self, required: required)),
            endpoint: Patch(input.string("endpoint", maxLength: 255)), enabled: Patch(input.bool("enabled")),
            preferences: Patch(input.object("preferences")))
    }
}

// MARK: - Responses

struct NotificationResponse: Content {
    var id: Int
    var event_type: String
    var event_display: String
    var title: String
    var body: String
    var data: JSONValue
    var is_read: Bool
    var read_at: String?
    var created_at: String

    init(_ row: InboxNotification, timeZone: TimeZone) {
        id = row.id ?? 0
        event_type = row.eventType
        event_display = NotificationEvent(rawValue: row.eventType)?.title ?? row.eventType
        title = row.title
        body = row.body
        data = JSONValue.parse(row.data) ?? .object([:])
        is_read = row.readAt != nil
        read_at = row.readAt.map { ISOTime.format($0, in: timeZone) }
        created_at = ISOTime.format(row.createdAt, in: timeZone)
    }
}

struct DeviceTokenResponse: Content {
    var id: Int
    var token: String
    var platform: String
    var app_version: String
    var device_info: JSONValue
    var last_active_at: String
    var created_at: String

    init(_ row: DeviceToken, timeZone: TimeZone) {
        id = row.id ?? 0
        token = row.token
        platform = row.platform
        app_version = row.appVersion
        device_info = JSONValue.parse(row.deviceInfo) ?? .object([:])
        last_active_at = ISOTime.format(row.lastActiveAt, in: timeZone)
        created_at = ISOTime.format(row.createdAt, in: timeZone)
    }
}

struct SubscriptionResponse: Content {
    var id: Int
    var channel: String
    var endpoint: String
    var enabled: Bool
    var preferences: JSONValue
    var created_at: String
    var updated_at: String

    init(_ row: NotificationSubscription, timeZone: TimeZone) {
        id = row.id ?? 0
        channel = row.channel
        endpoint = row.endpoint
        enabled = row.enabled
        preferences = JSONValue.parse(row.preferences) ?? .object([:])
        created_at = ISOTime.format(row.createdAt, in: timeZone)
        updated_at = ISOTime.format(row.updatedAt, in: timeZone)
    }
}

extension Response {
    /// A JSON object written with `JSONValue`, as the notification endpoints always answered.
    static func notificationJSON(_ body: [String: JSONValue], status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import Vapor

/// Why a delivery attempt did not go through, and whether trying again can help.
enum DeliveryFailure: Error, Equatable, CustomStringConvertible {
    /// A passing problem (network, 5xx, 429): try again later.
    case retryable(String)
    /// The provider refused for good (bad chat, blocked bot, 4xx): do not retry.
    case permanent(String)
    /// The push subscription no longer exists (404/410): drop it, do not retry.
    case gone(String)

    var description: String {
        switch self {
        case .retryable(let text), .permanent(let text), .gone(let text): text
        }
    }
}

/// Sends Telegram messages: a boundary of the process, so tests can use a fake.
protocol TelegramSending: Sendable {
    func sendMessage(chatID: String, text: String) async throws
}

/// The Bot API's `sendMessage` over HTTP (HTML parse mode; callers escape their text).
/// `apiBase` is configurable so that tests talk to a local fake server.
struct TelegramBotClient: TelegramSending {
    let settings: TelegramSettings
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    func sendMessage(chatID: String, text: String) async throws {
        var request = HTTPClientRequest(url: "\(settings.apiBase)/bot\(settings.botToken)/sendMessage")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let payload: [String: JSONValue] = [
            "chat_id": .string(chatID), "text": .string(text), "parse_mode": .string("HTML"),
            "disable_web_page_preview": .bool(true),
        ]
        request.body = .bytes(ByteBuffer(string: JSONValue.object(payload).jsonText))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw DeliveryFailure.retryable("Telegram недоступен: \(describe(error))")
        }
        let body = (try? await response.body.collect(upTo: 256 * 1024)).map { String(buffer: $0) } ?? ""
        let answer = JSONValue.parse(body)?.objectValue ?? [:]
        let description = answer["description"]?.stringValue ?? "HTTP \(response.status.code)"
        if (200..<300).contains(response.status.code), answer["ok"] == .bool(true) { return }
        switch response.status.code {
        case 429, 500...599:
            throw DeliveryFailure.retryable("Telegram: \(description)")
        default:
            throw DeliveryFailure.permanent("Telegram: \(description)")
        }
    }

    /// Error text without the bot token (it is part of the URL).
    private func describe(_ error: any Error) -> String {
        String(String(describing: error).replacingOccurrences(of: settings.botToken, with: "***").prefix(300))
    }
}

enum TelegramText {
    /// Escapes text for Telegram's HTML parse mode.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `<b>Title</b>` and the body, both escaped.
    static func message(title: String, body: String) -> String {
        body.isEmpty ? "<b>\(escape(title))</b>" : "<b>\(escape(title))</b>\n\(escape(body))"
    }
}

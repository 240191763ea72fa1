import Foundation
import Vapor

/// `/api/v1/notifications/telegram/…`: linking the caller's Telegram chat, and the bot's webhook.
struct TelegramAPIController {
    @Sendable func status(req: Request) async throws -> Response {
        let state = try await req.notifications.channelState()
        return .notificationJSON([
            "configured": .bool(state.telegramConfigured), "linked": .bool(state.telegramLinked),
            "bot_username": state.telegramBot.map(JSONValue.string) ?? .null,
        ])
    }

    /// A one-time code (15 minutes) the user sends to the bot as `/start CODE`.
    @Sendable func createLink(req: Request) async throws -> Response {
        let service = try req.notifications
        let code = try await service.newTelegramCode()
        return .notificationJSON(
            [
                "code": .string(code.code), "command": .string(code.command),
                "expires_at": .string(ISOTime.format(code.expiresAt, in: req.application.config.timeZone)),
                "bot_url": code.botURL.map(JSONValue.string) ?? .null,
            ], status: .created)
    }

    @Sendable func unlink(req: Request) async throws -> Response {
        try await req.notifications.unlinkTelegram()
        return Response(status: .noContent)
    }

    /// `POST /api/v1/notifications/telegram/webhook/`: updates from Telegram (no user; the secret
    /// header proves the sender). Always 200 for well-formed calls, or Telegram keeps re-sending.
    @Sendable func webhook(req: Request) async throws -> [String: Bool] {
        guard let settings = req.application.config.telegram else { throw APIError.notFound() }
        let given = req.headers.first(name: "X-Telegram-Bot-Api-Secret-Token") ?? ""
        guard TelegramLinking.constantTimeEquals(given, settings.webhookSecret) else { throw APIError.forbidden() }
        let update = try req.jsonObject()
        guard let message = update["message"]?.objectValue, let text = message["text"]?.stringValue,
            let chat = message["chat"]?.objectValue, let chatValue = chat["id"]
        else { return ["ok": true] }
        let chatID: String
        switch chatValue {
        case .number(let number): chatID = DecimalText.format(number, scale: 0)
        case .string(let string): chatID = string
        default: return ["ok": true]
        }
        let reply = try await TelegramLinking(app: req.application, logger: req.logger)
            .handle(text: text, chatID: chatID)
        if let reply, let sender = req.application.telegramSender {
            do {
                try await sender.sendMessage(chatID: chatID, text: TelegramText.escape(reply))
            } catch {
                req.logger.warning("telegram reply not sent", metadata: ["error": "\(error)"])
            }
        }
        return ["ok": true]
    }
}

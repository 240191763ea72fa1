import Fluent
import Foundation
import Vapor

/// Links a Telegram chat to a user with a one-time code.
struct TelegramLinking {
    let app: Application
    let logger: Logger

    static let codeLifetime: TimeInterval = 15 * 60
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Handles a chat message; returns the bot's answer, if any.
    func handle(text: String, chatID: String) async throws -> String? {
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        if first == "/stop" {
            try await app.writeSerializer.run {
                try await User.query(on: app.db).filter(\.$telegramChatID == chatID).set(\.$telegramChatID, to: nil)
                    .update()
            }
            return "Уведомления в этот чат отключены."
        }
        let candidate = (first.hasPrefix("/start") ? words.dropFirst().first : first)?.uppercased()
        guard let candidate, !candidate.isEmpty else {
            return "Чтобы получать уведомления, получите код в профиле Ринго Учёт и отправьте его сюда."
        }
        let now = Date()
        let linked: Bool = try await app.writeSerializer.transaction(on: app.db) { db in
            guard let code = try await TelegramLinkCode.query(on: db).filter(\.$id == candidate).first(),
                code.usedAt == nil, code.expiresAt > now
            else { return false }
            code.usedAt = now
            try await code.save(on: db)
            try await User.query(on: db).filter(\.$telegramChatID == chatID).set(\.$telegramChatID, to: nil).update()
            try await User.query(on: db).filter(\.$id == code.userID).set(\.$telegramChatID, to: chatID).update()
            logger.info("telegram chat linked", metadata: ["user_id": "\(code.userID)"])
            return true
        }
        return linked
            ? "Готово: уведомления Ринго Учёт будут приходить в этот чат. Отключить: /stop"
            : "Код не найден или устарел. Получите новый код в профиле Ринго Учёт."
    }
}

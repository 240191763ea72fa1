import Foundation
import Testing

@testable import WebUI

@Suite struct NotificationSettingsPageTests {
    @Test func switchesAreOneCheckboxPerEventAndChannelPostedToTheSettings() {
        let html = NotificationSettingsPage(model: Fixture.notificationSettings(telegram: .linked, pushKey: nil))
            .render()
        #expect(html.contains("<h1 class=\"page-title\">Настройки уведомлений</h1>"))
        #expect(html.contains("Выберите, какие события будут присылать уведомления."))
        #expect(html.contains("action=\"/profile/notifications\""))
        #expect(HTMLChecks.postFormCount(in: html) == 2, "switches and «Отвязать Telegram»")
        // Checked state follows the model: salary_paid.telegram is off, the others on.
        #expect(html.contains("name=\"salary_paid.telegram\" value=\"true\" id=\"f-salary-paid-telegram\" class"))
        #expect(!html.contains("id=\"f-salary-paid-telegram\" checked"))
        #expect(html.contains("name=\"salary_paid.push\" value=\"true\" id=\"f-salary-paid-push\" checked"))
        #expect(
            html.contains("name=\"order_assigned.telegram\" value=\"true\" id=\"f-order-assigned-telegram\" checked"))
        #expect(html.contains(">Зарплата выплачена</legend>"))
        #expect(html.contains(">Сохранить</button>"))
        #expect(html.contains("href=\"/profile/notifications\">Обновить</a>"))
        #expect(html.contains("Непрочитанных: 3."))
        #expect(html.contains("href=\"/notifications\""))
    }

    @Test func telegramCardFollowsTheLinkState() {
        let linked = NotificationSettingsPage(model: Fixture.notificationSettings(telegram: .linked, pushKey: nil))
            .render()
        #expect(linked.contains("action=\"/profile/notifications/telegram/unlink\""))
        #expect(linked.contains(">Отвязать Telegram</button>"))
        #expect(!linked.contains("/telegram/link\""))

        let pending = NotificationSettingsPage(
            model: Fixture.notificationSettings(
                telegram: .notLinked(
                    code: .init(code: "ABCD2345", expiresAt: Fixture.now, botURL: "https://t.me/b?start=ABCD2345")),
                pushKey: nil)
        ).render()
        #expect(pending.contains("<code>/start ABCD2345</code>"))
        #expect(pending.contains("Код действует до 24.11.2026 14:30."))
        #expect(pending.contains("href=\"https://t.me/b?start=ABCD2345\""))
        #expect(pending.contains("action=\"/profile/notifications/telegram/link\""))
        #expect(pending.contains(">Получить новый код</button>"))

        let fresh = NotificationSettingsPage(
            model: Fixture.notificationSettings(telegram: .notLinked(code: nil), pushKey: nil)
        )
        .render()
        #expect(fresh.contains(">Получить код привязки</button>"))
        #expect(!fresh.contains("<code>"))

        let none = NotificationSettingsPage(model: Fixture.notificationSettings(telegram: .unavailable, pushKey: nil))
            .render()
        #expect(none.contains("Telegram-бот не настроен на сервере."))
        #expect(!none.contains("/telegram/"))
    }

    @Test func pushButtonOnlyWhenTheServerHasAVAPIDKey() {
        let on = NotificationSettingsPage(
            model: Fixture.notificationSettings(telegram: .unavailable, pushKey: "BPubKey-123")
        )
        .render()
        #expect(
            on.contains("data-push data-push-key=\"BPubKey-123\" data-push-subscribe=\"/profile/notifications/push\""))
        #expect(on.contains("data-push-unsubscribe=\"/profile/notifications/push/remove\""))
        #expect(on.contains(">Включить уведомления</button>"))
        #expect(on.contains("Подписано устройств: 2."))
        let off = NotificationSettingsPage(model: Fixture.notificationSettings(telegram: .unavailable, pushKey: nil))
            .render()
        #expect(!off.contains("data-push-enable"))
        #expect(off.contains("Push-уведомления не настроены на сервере."))
    }

    @Test func profileLinksToTheSettings() {
        let html = ProfilePage(
            model: ProfileModel(
                context: Fixture.context(.manager), fullName: "Мария", phone: "+7999",
                role: .manager)
        ).render()
        #expect(
            html.contains(
                "<a class=\"row-link\" href=\"/profile/notifications\">"
                    + "<span class=\"row-link__title\">Уведомления</span>"
            ))
    }
}

@Suite struct InboxPageTests {
    @Test func unreadMessagesAreMarkedAndLinkToTheirOrder() {
        let html = InboxPage(model: Fixture.inbox()).render()
        #expect(html.contains("<h1 class=\"page-title\">Уведомления</h1>"))
        #expect(html.contains("<li class=\"inbox__item card is-unread\">"))
        #expect(html.contains("<li class=\"inbox__item card\">"))
        #expect(html.components(separatedBy: ">Новое</span>").count == 2, "one unread chip")
        #expect(html.contains("href=\"/orders/9f1c2d7e-0000-4000-8000-000000000042\""))
        #expect(html.contains("action=\"/notifications/read-all\""))
        #expect(html.contains("href=\"/notifications?page=2\""))
        #expect(html.contains("Назначение на заказ · 24.11.2026 14:30"))
    }

    @Test func emptyInboxHasNoReadAllButton() {
        let html = InboxPage(model: Fixture.inbox(empty: true)).render()
        #expect(html.contains("Уведомлений пока нет."))
        #expect(!html.contains("/notifications/read-all"))
    }
}

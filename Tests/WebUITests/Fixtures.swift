import Domain
import Foundation

@testable import WebUI

/// View-model builders with fixed ids and a fixed clock (2026-11-24 14:30 Moscow).
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_519_800)
    static let csrf = "csrf-token-123"
    static let evil = "<script>alert(1)</script> & \"quotes\""

    static func user(_ role: Role) -> CurrentUser {
        switch role {
        case .admin: CurrentUser(id: "1", fullName: "Анна Админова", role: .admin)
        case .manager: CurrentUser(id: "2", fullName: "Мария Менеджерова", role: .manager)
        case .operator: CurrentUser(id: "11", fullName: "Иван Петров", role: .operator)
        case .accountant: CurrentUser(id: "5", fullName: "Бэлла Бухова", role: .accountant)
        }
    }

    static func context(_ role: Role?, flashes: [Flash] = []) -> PageContext {
        return PageContext(user: role.map(user), csrfToken: csrf, flashes: flashes)
    }

    static func hours(_ value: Double) -> TimeInterval { value * 3600 }

    static func summary(
        number: String = "000042", status: OrderStatus = .approved, client: String = "ООО Стройпроект",
        offset: Double = 18
    ) -> OrderSummary {
        return OrderSummary(
            id: "9f1c2d7e-0000-4000-8000-0000000000" + number.suffix(2), number: number, status: status,
            clientName: client, address: "г. Краснодар, ул. Северная, 10",
            start: now.addingTimeInterval(hours(offset)),
            end: now.addingTimeInterval(hours(offset + 9)), total: 2_500_000,
            operatorNames: ["Иван Петров", "Сергей Смирнов"])
    }

    static func detail(role: Role, status: OrderStatus = .approved, actions: [OrderAction]) -> OrderDetailModel {
        return OrderDetailModel(
            context: context(role), id: "9f1c2d7e-0000-4000-8000-000000000042", number: "000042", status: status,
            createdAt: now, updatedAt: now.addingTimeInterval(600), start: now.addingTimeInterval(hours(18)),
            end: nil, client: .init(name: "ООО Стройпроект", phone: "+79995550011", email: "info@stroy.example"),
            address: "г. Краснодар, ул. Северная, 10", description: "Выкопать котлован\nВывезти грунт",
            manager: .init(name: "Мария Менеджерова", phone: "+79990000002"),
            operators: [.init(name: "Иван Петров", phone: "+79990000011"), .init(name: "Сергей Смирнов")],
            lines: [
                .init(
                    name: "Экскаватор JCB 3CX", kind: .equipment, quantityText: "8 ч", unitPrice: 250_000,
                    total: 2_000_000, fuelExpense: 300_000),
                .init(
                    name: "Доставка техники", kind: .service, quantityText: "1 усл.", unitPrice: 500_000,
                    discountPercent: 10, total: 450_000),
            ],
            total: 2_450_000, prepayment: 500_000, prepaymentStatus: .paid,
            history: [
                .init(from: .created, to: .approved, actorName: "Мария Менеджерова", comment: "Согласовано", at: now),
                .init(from: nil, to: .created, actorName: "Мария Менеджерова", at: now.addingTimeInterval(-3600)),
            ],
            photos: [.init(url: "/uploads/p1.jpg", kind: .before, capturedAt: now)],
            actions: actions, showsMoney: role != .operator)
    }

    static let catalog: [OrderFormModel.CatalogOption] = [
        .init(
            kind: .equipment, id: "1", name: "Экскаватор JCB 3CX", code: "EX-01", unit: "ч", price: 250_000,
            dailyRate: 1_800_000),
        .init(kind: .service, id: "1", name: "Доставка техники", unit: "усл.", price: 500_000),
        .init(kind: .material, id: "1", name: "Песок", unit: "м³", price: 90_000),
    ]

    static func orderForm(
        errors: FormErrors = [:], conflicts: [OrderFormModel.Conflict] = [],
        mode: OrderFormModel.Mode = .create
    ) -> OrderFormModel {
        let values = OrderFormModel.Values(
            clientID: "7", address: "г. Краснодар, ул. Северная, 10", start: "2026-11-25T08:00",
            description: evil, estimatedTotal: "", prepayment: "0,00", operatorIDs: ["11"],
            items: [OrderFormModel.Item(lineID: "", kind: .equipment, refID: "1", shifts: "0", hours: "8")])
        return OrderFormModel(
            context: context(.manager), mode: mode, values: values, errors: errors, conflicts: conflicts,
            clients: [
                .init(id: "7", name: "ООО Стройпроект", phone: "+79995550011", address: "ул. Северная, 10"),
                .init(id: "8", name: evil, phone: "+79995550012"),
            ],
            catalog: catalog,
            operators: [
                .init(id: "11", name: "Иван Петров", phone: "+79990000011"),
                .init(id: "12", name: "Сергей Смирнов", phone: "+79990000012"),
            ])
    }

    static func complete(canEditPay: Bool) -> OrderCompleteModel {
        return OrderCompleteModel(
            context: context(canEditPay ? .manager : .operator), orderID: "9f1c2d7e-0000-4000-8000-000000000042",
            number: "000042", clientName: "ООО Стройпроект", address: "г. Краснодар, ул. Северная, 10",
            start: now, end: "2026-11-24T23:30",
            equipment: [.init(lineID: "31", name: "Экскаватор JCB 3CX", shifts: "0", hours: "8", fuel: "3000")],
            materials: [.init(lineID: "32", name: "Песок", unit: "м³", quantity: "2")],
            catalogMaterials: [
                .init(kind: .material, id: "4", name: "Щебень", unit: "м³", price: 150_000),
                .init(kind: .material, id: "5", name: evil, unit: "шт", price: 1_000),
            ],
            pay: [.init(operatorID: "11", name: "Иван Петров"), .init(operatorID: "12", name: "Сергей Смирнов")],
            canEditPay: canEditPay)
    }

    static func notificationSettings(
        role: Role = .operator, telegram: NotificationSettingsModel.Telegram, pushKey: String?
    ) -> NotificationSettingsModel {
        return NotificationSettingsModel(
            context: context(role),
            channels: [.init(key: "telegram", title: "Telegram"), .init(key: "push", title: "Push")],
            events: [
                .init(
                    key: "order_assigned", title: "Назначение на заказ", note: "Когда вас назначают на заявку.",
                    switches: ["telegram": true, "push": true]),
                .init(
                    key: "salary_paid", title: "Зарплата выплачена", note: evil,
                    switches: ["telegram": false, "push": true]),
            ],
            telegram: telegram, push: .init(publicKey: pushKey, devices: pushKey == nil ? 0 : 2), unreadCount: 3)
    }

    static func inbox(empty: Bool = false) -> InboxModel {
        let messages: [InboxModel.Message] =
            empty
            ? []
            : [
                .init(
                    id: "7", title: "Вы назначены на заказ #000042", body: "Адрес: " + evil,
                    eventTitle: "Назначение на заказ",
                    createdAt: now, isRead: false, link: "/orders/9f1c2d7e-0000-4000-8000-000000000042"),
                .init(
                    id: "6", title: "Зарплата выплачена", body: "4 000,00 ₽", eventTitle: "Зарплата выплачена",
                    createdAt: now.addingTimeInterval(-86_400), isRead: true),
            ]
        return InboxModel(
            context: context(.operator), messages: messages, unreadCount: empty ? 0 : 1, page: 1,
            totalPages: empty ? 1 : 2)
    }

    static func catalogList(_ kind: CatalogKind, canEdit: Bool = true) -> CatalogListModel {
        let rows: [CatalogListModel.Row] = [
            .init(
                id: "1", name: "Экскаватор JCB 3CX", code: "EX-01", group: "Грунт", unit: "м³", price: 250_000,
                dailyRate: 1_800_000, status: .available),
            .init(id: "2", name: evil, code: "X", price: 100, isActive: false),
        ]
        return CatalogListModel(context: context(.admin), kind: kind, rows: rows, canEdit: canEdit)
    }
}

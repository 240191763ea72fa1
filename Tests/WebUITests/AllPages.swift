import Domain
import Foundation

@testable import WebUI

/// One rendering of every page from fixtures; the shared checks run over all of them.
enum AllPages {
    static func samples() -> [(name: String, html: String)] {
        return orderPages() + catalogPages() + otherPages()
    }

    static func orderPages() -> [(name: String, html: String)] {
        let f = Fixture.self
        let conflict = OrderFormModel.Conflict(
            orderID: "abc", orderNumber: "000041", resource: "Экскаватор JCB 3CX",
            start: f.now, end: f.now.addingTimeInterval(9 * 3600))
        return [
            (
                "login",
                LoginPage(
                    model: LoginModel(
                        context: f.context(nil), phone: "+7999", next: "/orders",
                        error: "Неверный телефон или пароль")
                ).render()
            ),
            (
                "dashboard-admin",
                DashboardPage(
                    model: DashboardModel(
                        context: f.context(.admin),
                        stats: .init(newOrders: 3, inProgress: 1, completed: 7, revenue: 12_345_600),
                        today: [f.summary()], upcoming: [f.summary(number: "000043", status: .created, offset: 40)],
                        lastWeek: (0..<7).map {
                            .init(day: f.now.addingTimeInterval(Double($0 - 6) * 86_400), count: $0)
                        })
                )
                .render()
            ),
            (
                "dashboard-operator",
                DashboardPage(
                    model: DashboardModel(
                        context: f.context(.operator),
                        today: [f.summary()])
                ).render()
            ),
            (
                "orders",
                OrderListPage(
                    model: OrderListModel(
                        context: f.context(.manager), filter: .init(status: .approved, q: "Строй"),
                        orders: [f.summary(), f.summary(number: "000043", client: f.evil)], page: 2, totalPages: 3,
                        totalCount: 120)
                ).render()
            ),
            (
                "orders-operator",
                OrderListPage(model: OrderListModel(context: f.context(.operator), orders: []))
                    .render()
            ),
            (
                "order-new",
                OrderFormPage(
                    model: f.orderForm(
                        errors: ["address": "Заполните адрес"],
                        conflicts: [conflict])
                ).render()
            ),
            ("order-edit", OrderFormPage(model: f.orderForm(mode: .edit(id: "abc", number: "000042"))).render()),
            (
                "order-detail-manager",
                OrderDetailPage(
                    model: f.detail(
                        role: .manager, actions: [.start, .edit, .cancel, .delete])
                ).render()
            ),
            ("order-detail-operator", OrderDetailPage(model: f.detail(role: .operator, actions: [.start])).render()),
            ("order-complete", OrderCompletePage(model: f.complete(canEditPay: true)).render()),
            ("order-complete-operator", OrderCompletePage(model: f.complete(canEditPay: false)).render()),
        ]
    }

    static func catalogPages() -> [(name: String, html: String)] {
        let f = Fixture.self
        var pages: [(name: String, html: String)] = CatalogKind.allCases.map { kind in
            ("catalog-" + kind.rawValue, CatalogListPage(model: f.catalogList(kind)).render())
        }
        pages += CatalogKind.allCases.map { kind in
            (
                "catalog-form-" + kind.rawValue,
                CatalogFormPage(
                    model: CatalogFormModel(
                        context: f.context(.admin), kind: kind, id: kind == .equipment ? "1" : nil,
                        values: .init(code: "EX-01", name: f.evil),
                        serviceCategories: [Choice(value: "3", label: "Доставка")],
                        equipment: [Choice(value: "1", label: "EX-01 — Экскаватор JCB 3CX")],
                        errors: ["name": "Название обязательно"])
                ).render()
            )
        }
        return pages
    }

    static func otherPages() -> [(name: String, html: String)] {
        let f = Fixture.self
        let clientRows = [
            ClientListModel.Row(
                id: "7", name: "ООО Стройпроект", contactPerson: "Олег", phone: "+79995550011",
                email: "info@stroy.example", address: f.evil)
        ]
        let salary = [
            SalaryModel.Record(
                orderID: "abc", orderNumber: "000042", date: f.now, clientName: "ООО Стройпроект",
                address: "ул. Северная, 10", amount: 400_000, status: .approved),
            SalaryModel.Record(date: f.now, amount: 150_000, status: .paid),
        ]
        return [
            (
                "clients",
                ClientListPage(model: ClientListModel(context: f.context(.manager), rows: clientRows)).render()
            ),
            (
                "client-form",
                ClientFormPage(
                    model: ClientFormModel(
                        context: f.context(.manager), id: "7",
                        values: .init(name: f.evil, phone: "+7999"))
                ).render()
            ),
            (
                "users",
                UserListPage(
                    model: UserListModel(
                        context: f.context(.admin),
                        rows: [
                            .init(id: "11", fullName: "Иван Петров", phone: "+79990000011", role: .operator),
                            .init(id: "12", fullName: f.evil, phone: "+79990000012", role: .manager, isActive: false),
                        ])
                ).render()
            ),
            (
                "user-form",
                UserFormPage(
                    model: UserFormModel(
                        context: f.context(.admin), id: "11",
                        values: .init(firstName: "Иван", role: .operator))
                ).render()
            ),
            (
                "salary",
                SalaryPage(
                    model: SalaryModel(
                        context: f.context(.operator), from: "2026-11-01",
                        records: salary)
                ).render()
            ),
            ("reports", ReportsIndexPage(model: ReportsIndexModel(context: f.context(.admin))).render()),
            (
                "report-summary",
                SummaryReportPage(
                    model: SummaryReportModel(
                        context: f.context(.admin), from: "2026-11-01", to: "2026-11-30", revenue: 2_500_000,
                        expenses: 300_000, fuel: 300_000, salaries: 750_000, ordersCount: 1, servicesRevenue: 500_000,
                        equipmentRevenue: 2_000_000, equipmentHours: 8, equipmentShifts: 0)
                ).render()
            ),
            (
                "report-equipment",
                EquipmentReportPage(
                    model: EquipmentReportModel(
                        context: f.context(.admin),
                        rows: [
                            .init(
                                name: "Экскаватор JCB 3CX", code: "EX-01", hours: 8, revenue: 2_000_000,
                                expenses: 300_000,
                                fuel: 300_000),
                            .init(name: f.evil, code: "X", hours: 1.5, revenue: 100_000, expenses: 0),
                        ])
                ).render()
            ),
            (
                "report-employees",
                EmployeesReportPage(
                    model: EmployeesReportModel(
                        context: f.context(.admin),
                        rows: [
                            .init(name: "Иван Петров", assignments: 3, hours: 24, amount: 400_000),
                            .init(name: "Сергей Смирнов", assignments: 1, hours: 8, amount: 350_000),
                        ])
                ).render()
            ),
            (
                "profile",
                ProfilePage(
                    model: ProfileModel(
                        context: f.context(.operator), fullName: "Иван Петров",
                        phone: "+79990000011", role: .operator,
                        passwordErrors: ["new_password": "Минимум 8 символов"])
                )
                .render()
            ),
            (
                "notification-settings",
                NotificationSettingsPage(
                    model: f.notificationSettings(
                        telegram: .notLinked(
                            code: .init(
                                code: "ABCD2345", expiresAt: f.now, botURL: "https://t.me/ringo_bot?start=ABCD2345")),
                        pushKey: "BPubKey-123")
                ).render()
            ),
            (
                "notification-settings-linked",
                NotificationSettingsPage(
                    model: f.notificationSettings(
                        role: .admin, telegram: .linked, pushKey: nil)
                ).render()
            ),
            ("inbox", InboxPage(model: f.inbox()).render()),
            ("inbox-empty", InboxPage(model: f.inbox(empty: true)).render()),
            ("error-404", ErrorPage(model: ErrorPageModel(context: f.context(.manager), status: 404)).render()),
            ("error-500", ErrorPage(model: ErrorPageModel(context: f.context(nil), status: 500)).render()),
            (
                "error-requisites",
                ErrorPage(
                    model: ErrorPageModel(
                        context: f.context(.admin), status: 400, message: "Заполните реквизиты компании: ИНН, БИК.",
                        link: .init(title: "Заполнить реквизиты", path: Paths.companyRequisites()))
                ).render()
            ),
            ("company-admin", CompanyRequisitesPage(model: f.company(canEdit: true)).render()),
            ("company-manager", CompanyRequisitesPage(model: f.company(canEdit: false)).render()),
            (
                "order-detail-completed",
                OrderDetailPage(
                    model: f.detail(
                        role: .manager, status: .completed, actions: [.edit, .receipt, .issueInvoice])
                ).render()
            ),
        ]
    }
}

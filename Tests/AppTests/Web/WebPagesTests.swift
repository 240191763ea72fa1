import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: every page per role, error pages, static files")
struct WebPagesTests {
    static func heading(_ title: String) -> String { "<h1 class=\"page-title\">\(title)</h1>" }

    /// Pages and who may open them (the rest get the 403 page).
    static let pages: [(path: String, heading: String, roles: Set<Role>)] = [
        ("/", "Главная", Set(Role.allCases)),
        ("/orders", "Заявки", Set(Role.allCases)),
        ("/orders/new", "Новая заявка", [.admin, .manager]),
        ("/catalog/equipment", "Каталог", [.admin, .manager]),
        ("/catalog/services", "Каталог", [.admin, .manager]),
        ("/catalog/materials", "Каталог", [.admin, .manager]),
        ("/catalog/attachments", "Каталог", [.admin, .manager]),
        ("/clients", "Клиенты", [.admin, .manager, .accountant]),
        ("/reports", "Отчёты", [.admin, .accountant]),
        ("/reports/summary", "Общий отчёт", [.admin, .accountant]),
        ("/reports/equipment", "Отчёт по технике", [.admin, .accountant]),
        ("/reports/employees", "Отчёт по сотрудникам", [.admin, .accountant]),
        ("/users", "Пользователи", [.admin]),
        ("/users/new", "Новый пользователь", [.admin]),
        ("/salary", "Мои зарплаты", [.operator]),
        ("/profile", "Профиль", Set(Role.allCases)),
    ]

    @Test(arguments: Role.allCases)
    func eachPageRendersForItsRolesAndIsForbiddenForOthers(role: Role) async throws {
        try await TestApp.run { t in
            try await t.equipment(code: "EX-01", name: "Экскаватор JCB 3CX")
            try await t.client(name: "ООО Стройпроект")
            let (web, _, _) = try await WebClient.signedIn(t, role)
            for page in Self.pages {
                let reply = try await web.get(page.path)
                if page.roles.contains(role) {
                    #expect(reply.status == .ok, "\(role) \(page.path)")
                    #expect(reply.contains(Self.heading(page.heading)), "\(role) \(page.path)")
                    #expect(reply.headers.contentType == .html)
                    #expect(reply.body.utf8.count < 60 * 1024, "\(page.path) is \(reply.body.utf8.count) bytes")
                    #expect(reply.body.hasPrefix("<!DOCTYPE html><html lang=\"ru\">"))
                } else {
                    #expect(reply.status == .forbidden, "\(role) \(page.path)")
                    #expect(
                        reply.contains("У вас нет доступа к этому разделу.") || reply.contains("недостаточно прав"),
                        "\(role) \(page.path)")
                }
            }
        }
    }

    @Test func notFoundAndForbiddenArePagesAndScriptsGetJSON() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            let missing = try await web.get("/orders/" + UUID().uuidString.lowercased())
            #expect(missing.status == .notFound)
            #expect(missing.headers.contentType == .html)
            #expect(missing.contains("Страница не найдена."))
            let bad = try await web.get("/orders/not-a-uuid")
            #expect(bad.status == .notFound)
            let forbidden = try await web.get("/users")
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.contains("У вас нет доступа к этому разделу."))
            let json = try await web.get("/users", headers: ["Accept": "application/json"])
            #expect(json.status == .forbidden)
            #expect(json.json["detail"]?.stringValue == "У вас нет доступа к этому разделу.")
            let nowhere = try await web.get("/no/such/page")
            #expect(nowhere.status == .notFound)
            #expect(nowhere.contains("lang=\"ru\""))
        }
    }

    /// A browser's `Accept` ends in `*/*`, which Vapor's media-type `==` matches against JSON: pages must not
    /// answer it with JSON.
    @Test func aBrowsersAcceptHeaderGetsPagesNotJSON() async throws {
        try await TestApp.run { t in
            let browser = ["Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
            let web = WebClient(t)
            let redirect = try await web.get("/orders", headers: browser)
            #expect(redirect.status == .seeOther)
            let (signedIn, _, _) = try await WebClient.signedIn(t, .operator)
            let forbidden = try await signedIn.get("/users", headers: browser)
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.headers.contentType == .html)
            try await signedIn.get("/profile")
            let logout = try await signedIn.post("/logout", [], headers: browser)
            #expect(logout.status == .seeOther)
        }
    }

    @Test func staticFilesAreServedAndTheRootIsTheDashboard() async throws {
        try await TestApp.run { t in
            let web = WebClient(t)
            let manifest = try await web.get("/manifest.webmanifest")
            #expect(manifest.status == .ok)
            #expect(manifest.headers.first(name: .contentType) == "application/manifest+json")
            #expect(manifest.contains("\"start_url\": \"/\""))
            let worker = try await web.get("/sw.js")
            #expect(worker.status == .ok)
            #expect(worker.headers.first(name: .contentType)?.contains("javascript") == true)
            #expect(worker.headers.first(name: .cacheControl) == "no-cache")
            #expect(try await web.get("/favicon.ico").status == .ok)
            #expect(try await web.get("/static/app.js").status == .ok)
            #expect(try await web.get("/static/app.css").status == .ok)
            let root = try await web.get("/")
            #expect(root.status == .seeOther)
            #expect(root.location == "/login?next=%2F")
        }
    }

    @Test func dashboardCountsOrdersServerSideAndHidesMoneyFromManagers() async throws {
        try await TestApp.run { t in
            let (_, managerToken) = try await t.user(.manager)
            for _ in 0..<3 { _ = try await t.createOrder(token: managerToken, ["total_amount": "1000.00"]) }
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            let page = try await admin.get("/")
            #expect(page.status == .ok)
            #expect(page.contains("Доход"))
            let (manager, _, _) = try await WebClient.signedIn(t, .manager)
            let managerPage = try await manager.get("/")
            #expect(!managerPage.contains("Доход"))
            #expect(managerPage.contains("Новые заявки"))
        }
    }

    @Test func salaryPageShowsOwnRecordsWithinThePeriod() async throws {
        try await TestApp.run { t in
            let (web, user, _) = try await WebClient.signedIn(t, .operator, firstName: "Иван", lastName: "Петров")
            let (other, _) = try await t.user(.operator)
            let sql = try t.db.sql()
            for (owner, amount) in [(user.id ?? 0, Int64(400_000)), (other.id ?? 0, Int64(999_900))] {
                try await sql.insert(into: "salary_records")
                    .columns("user_id", "amount", "status", "created_at", "updated_at")
                    .values(SQLBind(owner), SQLBind(amount), SQLBind("pending"), SQLBind(Date()), SQLBind(Date()))
                    .run()
            }
            let page = try await web.get("/salary")
            #expect(page.status == .ok)
            #expect(page.contains("4\u{202F}000,00\u{00A0}₽"))
            #expect(!page.contains("9\u{202F}999,00"))
            let empty = try await web.get("/salary?from=2001-01-01&to=2001-01-31")
            #expect(empty.contains("Нет данных за выбранный период."))
        }
    }

    @Test func usersAdminCreatesAndResetsAndTheNewUserCanSignIn() async throws {
        try await TestApp.run { t in
            let (admin, _, _) = try await WebClient.signedIn(t, .admin)
            try await admin.get("/users/new")
            let invalid = try await admin.post(
                "/users/new",
                [
                    ("first_name", "Пётр"), ("last_name", "Сидоров"), ("phone", "123"), ("role", "operator"),
                    ("is_active", "true"), ("password", "short"),
                ])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.contains(FieldMessage.phone))
            #expect(invalid.contains("как минимум 8 символов"))
            let created = try await admin.post(
                "/users/new",
                [
                    ("first_name", "Пётр"), ("last_name", "Сидоров"), ("phone", "+79990000021"), ("role", "operator"),
                    ("is_active", "true"), ("password", "operator-pass-1"),
                ])
            #expect(created.status == .seeOther)
            let list = try await admin.get("/users")
            #expect(list.contains("Пётр Сидоров"))
            #expect(list.contains("Пользователь Пётр Сидоров добавлен"))
            let row = try #require(try await User.query(on: t.db).filter(\.$phone == "+79990000021").first())
            let edit = try await admin.get("/users/\(row.id ?? 0)/edit")
            #expect(edit.status == .ok)
            let reset = try await admin.post(
                "/users/\(row.id ?? 0)/edit",
                [
                    ("first_name", "Пётр"), ("last_name", "Сидоров"), ("phone", "+79990000021"), ("role", "operator"),
                    ("is_active", "true"), ("password", "operator-pass-2"),
                ])
            #expect(reset.status == .seeOther)
            let newcomer = WebClient(t)
            #expect(try await newcomer.login("+79990000021", password: "operator-pass-2").location == "/")
            let home = try await newcomer.get("/")
            #expect(home.contains("Мои зарплаты"))
            #expect(!home.contains("href=\"/catalog/equipment\""))
        }
    }
}

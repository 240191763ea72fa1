import Domain
import Vapor

/// Every route of `/api/v1`, as `routes.swift` registers it. `OpenAPIContractTests` keeps the two in step.
enum APIContract {
    static var operations: [APIOperation] {
        auth + users + orders + finance + mail + jobs + catalog + clients + photos + notifications + planning
    }

    private typealias Op = APIOperation
    private static let staff = Op.Access.roles([.admin, .manager])
    private static let admins = Op.Access.roles([.admin])

    // MARK: - Query parameters

    private static let paging: [String: Schema] = [
        "page": Schema(["type": .string("integer"), "minimum": .int(1)]),
        "page_size": Schema(["type": .string("integer"), "minimum": .int(1), "maximum": .int(PageRequest.maximumSize)]),
    ]
    private static let period: [String: Schema] = [
        "from": Schema.date.described("День (YYYY-MM-DD) или момент ISO 8601."),
        "to": Schema.date.described("День включительно или момент ISO 8601."),
    ]
    private static let export: [String: Schema] = [
        "export": .choice(["csv", "xlsx"]), "sep": .choice(["comma", "semicolon"]),
    ]
    private static let text = Schema.string(max: 200)

    private static func listing(
        _ extra: [String: Schema] = [:], search: Bool = true, ordering: Bool = true
    ) -> [String: Schema] {
        var query = paging.merging(extra) { $1 }
        if search { query["search"] = text }
        if ordering { query["ordering"] = text }
        return query
    }

    /// GET list, POST, GET/PUT/PATCH/DELETE one: the router resources of the original API.
    private static func resource(
        _ base: String, tag: String, title: String, read: Op.Access, write: Op.Access, query: [String: Schema],
        body: (_ required: Bool) -> Schema
    ) -> [Op] {
        let one = "\(base){id}/"
        return [
            Op(
                method: .GET, path: base, summary: "\(title): список", tag: tag, access: read, query: query,
                answer: .page(.anyObject)),
            Op(
                method: .POST, path: base, summary: "\(title): создать", tag: tag, access: write,
                body: .json(body(true)), answer: .json(201, .anyObject)),
            Op(method: .GET, path: one, summary: "\(title): одна запись", tag: tag, access: read),
            Op(
                method: .PUT, path: one, summary: "\(title): заменить", tag: tag, access: write, body: .json(body(true))
            ),
            Op(
                method: .PATCH, path: one, summary: "\(title): изменить поля", tag: tag, access: write,
                body: .json(body(false))),
            Op(method: .DELETE, path: one, summary: "\(title): удалить", tag: tag, access: write, answer: .noContent),
        ]
    }

    // MARK: - Auth and users

    private static let tokens = Schema.object(
        ["access": .string(max: 4096), "refresh": .string(max: 4096)], required: ["access", "refresh"])

    private static var auth: [Op] {
        [
            Op(
                method: .POST, path: "/api/v1/token/", summary: "Вход по телефону и паролю", tag: "auth",
                access: .anyone,
                body: .json(APIBodies.login), answer: .json(200, tokens)),
            Op(
                method: .POST, path: "/api/v1/token/refresh/", summary: "Новая пара токенов по refresh-токену",
                tag: "auth",
                access: .anyone, body: .json(APIBodies.refreshToken), answer: .json(200, tokens)),
            Op(
                method: .POST, path: "/api/v1/token/blacklist/", summary: "Выход: отзыв refresh-токена", tag: "auth",
                access: .anyone, body: .json(APIBodies.refreshToken)),
            Op(
                method: .POST, path: "/api/v1/users/register/", summary: "Самостоятельная регистрация оператора",
                tag: "auth",
                access: .anyone, body: .json(APIBodies.register), answer: .json(201, .anyObject)),
        ]
    }

    private static var users: [Op] {
        [
            Op(method: .GET, path: "/api/v1/users/me/", summary: "Свой профиль", tag: "users"),
            Op(
                method: .PATCH, path: "/api/v1/users/me/", summary: "Изменить свой профиль", tag: "users",
                body: .json(APIBodies.profile)),
            Op(
                method: .PUT, path: "/api/v1/users/me/", summary: "Изменить свой профиль", tag: "users",
                body: .json(APIBodies.profile)),
            Op(
                method: .POST, path: "/api/v1/users/change-password/", summary: "Сменить свой пароль", tag: "users",
                body: .json(APIBodies.changePassword)),
            Op(
                method: .GET, path: "/api/v1/users/operators/", summary: "Активные операторы", tag: "users",
                access: staff,
                answer: .json(200, .array(.anyObject))),
            Op(
                method: .GET, path: "/api/v1/users/operator/salary/", summary: "Начисления оператора", tag: "salaries",
                access: .roles([.operator]), query: period),
            Op(
                method: .GET, path: "/api/v1/audit/", summary: "Журнал изменений", tag: "audit", access: admins,
                query: paging.merging(period) { $1 }.merging([
                    "entity": text, "entity_type": text, "entity_id": text, "action": text, "actor": .id,
                ]) { $1 }, answer: .page(.anyObject)),
        ]
            + resource(
                "/api/v1/users/", tag: "users", title: "Пользователи", read: admins, write: admins,
                query: listing(["role": .choice(Role.self), "is_active": .boolean])
            ) { APIBodies.user(required: $0 ? ["phone", "password"] : []) }
            .map { operation in
                // PUT names the phone again but keeps the password.
                guard operation.method == .PUT else { return operation }
                var put = operation
                put.body = .json(APIBodies.user(required: ["phone"]))
                return put
            }
    }

    // MARK: - Orders

    private static let orderLinks: [String: JSONValue] = {
        let targets = [
            "get_orders_by_id", "patch_orders_by_id", "patch_orders_by_id_status", "post_orders_by_id_complete",
            "get_orders_by_id_payments", "get_orders_by_id_photos", "post_orders_by_id_calculate_preview",
        ]
        return Dictionary(
            uniqueKeysWithValues: targets.map { target in
                (
                    target,
                    JSONValue.object([
                        "operationId": .string(target), "parameters": .object(["id": .string("$response.body#/id")]),
                    ])
                )
            })
    }()

    private static var orders: [Op] {
        let one = "/api/v1/orders/{id}/"
        let orderList = listing(
            export.merging([
                "status": Schema.string(max: 200).described("Один статус или несколько через запятую."),
                "client": .id, "client_id": .id, "manager": .id, "manager_id": .id, "operator": .id, "operator_id": .id,
                "start_from": .date, "start_to": .date, "from": .date, "to": .date,
            ]) { $1 })
        return [
            Op(
                method: .GET, path: "/api/v1/orders/", summary: "Заявки: список (оператор видит свои)", tag: "orders",
                query: orderList, answer: .page(.anyObject)),
            Op(
                method: .POST, path: "/api/v1/orders/", summary: "Заявки: создать", tag: "orders", access: staff,
                body: .json(APIBodies.order(required: ["client_id", "address", "start_dt"])),
                answer: .json(201, .anyObject),
                links: orderLinks),
            Op(method: .GET, path: one, summary: "Заявка", tag: "orders"),
            Op(
                method: .PUT, path: one, summary: "Заявка: заменить", tag: "orders", access: staff,
                body: .json(APIBodies.order(required: ["client_id", "address", "start_dt"]))),
            Op(
                method: .PATCH, path: one, summary: "Заявка: изменить поля", tag: "orders", access: staff,
                body: .json(APIBodies.order(required: []))),
            Op(
                method: .DELETE, path: one, summary: "Заявка: удалить", tag: "orders", access: admins,
                answer: .noContent),
            Op(
                method: .POST, path: one + "delete/", summary: "Заявка: удалить (старый путь)", tag: "orders",
                access: staff),
            Op(
                method: .PATCH, path: one + "status/", summary: "Сменить статус", tag: "orders",
                body: .json(APIBodies.statusChange)),
            Op(
                method: .POST, path: one + "complete/", summary: "Завершить заявку", tag: "orders",
                body: .json(APIBodies.completion)),
            Op(
                method: .POST, path: one + "salaries/", summary: "Оплата операторов", tag: "orders", access: staff,
                body: .json(APIBodies.pay)),
            Op(
                method: .POST, path: "/api/v1/orders/preview/", summary: "Расчёт цены новой заявки", tag: "orders",
                access: staff, body: .json(APIBodies.order(required: []))),
            Op(
                method: .POST, path: one + "calculate/preview/", summary: "Расчёт цены заявки с изменениями",
                tag: "orders",
                access: .roles([.admin, .manager, .operator]), body: .json(APIBodies.order(required: []))),
            Op(
                method: .GET, path: "/api/v1/equipment/{id}/schedule/", summary: "Занятость техники", tag: "equipment",
                query: period, answer: .json(200, .array(.anyObject))),
            Op(
                method: .GET, path: one + "receipt/", summary: "Чек завершённой заявки (PDF)", tag: "documents",
                answer: .file("application/pdf")),
        ]
    }

    /// The company's requisites: every field a string (`vat`: `none` or a percent).
    private static func companyBody(required: [String]) -> Schema {
        var properties: [String: Schema] = [:]
        for field in CompanyRequisites.fieldNames { properties[field] = .string(max: 500) }
        return .object(properties, required: required)
    }

    // MARK: - Documents by e-mail

    private static var mail: [Op] {
        let money = Op.Access.roles([.admin, .manager, .accountant])
        let body = Op.Body.json(.object(["email": .email]))
        let queued = Op.Answer.json(
            202, .object(["job_id": .id, "detail": .string(max: 200)], required: ["job_id", "detail"]))
        return [
            Op(
                method: .POST, path: "/api/v1/orders/{id}/receipt/send/",
                summary: "Отправить чек по e-mail (409 без SMTP)",
                tag: "documents", access: money, body: body, answer: queued),
            Op(
                method: .POST, path: "/api/v1/orders/{id}/act/send/",
                summary: "Отправить акт по e-mail (409 без SMTP)",
                tag: "documents", access: money, body: body, answer: queued),
            Op(
                method: .POST, path: "/api/v1/invoices/{id}/send/", summary: "Отправить счёт по e-mail (409 без SMTP)",
                tag: "documents", access: money, body: body, answer: queued),
        ]
    }

    // MARK: - Money

    private static var finance: [Op] {
        let readers = Op.Access.roles([.admin, .accountant])
        let money = Op.Access.roles([.admin, .manager, .accountant])
        let reportQuery = period.merging(export) { $1 }
        let byOrder: [String: Schema] = ["order": .uuid, "order_id": .uuid]
        return [
            Op(
                method: .GET, path: "/api/v1/reports/summary/", summary: "Отчёт: сводка", tag: "reports",
                access: readers, query: reportQuery),
            Op(
                method: .GET, path: "/api/v1/reports/equipment/", summary: "Отчёт: техника", tag: "reports",
                access: readers,
                query: reportQuery.merging(["hours_per_day": .decimal(digits: 4)]) { $1 }),
            Op(
                method: .GET, path: "/api/v1/reports/employees/", summary: "Отчёт: сотрудники", tag: "reports",
                access: readers, query: reportQuery),
            Op(
                method: .GET, path: "/api/v1/salaries/", summary: "Начисления: список", tag: "salaries",
                access: readers,
                query: paging.merging(period) { $1 }.merging(byOrder) { $1 }.merging([
                    "status": .choice(SalaryStatus.self), "user": .id, "user_id": .id,
                ]) { $1 }, answer: .page(.anyObject)),
            Op(method: .GET, path: "/api/v1/salaries/{id}/", summary: "Начисление", tag: "salaries", access: readers),
            Op(
                method: .PATCH, path: "/api/v1/salaries/{id}/", summary: "Начисление: сменить статус", tag: "salaries",
                access: readers, body: .json(APIBodies.salaryStatus)),
            Op(
                method: .GET, path: "/api/v1/orders/{id}/payments/", summary: "Платежи заявки", tag: "payments",
                access: money),
            Op(
                method: .POST, path: "/api/v1/orders/{id}/generate_invoice/",
                summary: "Счёт по заявке (201, если создан)", tag: "invoices", access: money),
            Op(
                method: .GET, path: "/api/v1/invoices/", summary: "Счета: список", tag: "invoices", access: money,
                query: paging.merging(period) { $1 }.merging(byOrder) { $1 }.merging([
                    "client": .id, "client_id": .id, "status": text, "payment_status": text,
                ]) { $1 }, answer: .page(.anyObject)),
            Op(method: .GET, path: "/api/v1/invoices/{id}/", summary: "Счёт", tag: "invoices", access: money),
            Op(
                method: .GET, path: "/api/v1/invoices/{id}/pdf/", summary: "Счёт на оплату (PDF с QR-кодом)",
                tag: "documents", access: money, answer: .file("application/pdf")),
            Op(method: .GET, path: "/api/v1/company/", summary: "Реквизиты компании", tag: "company", access: money),
            Op(
                method: .PUT, path: "/api/v1/company/", summary: "Реквизиты компании: заменить", tag: "company",
                access: .roles([.admin]), body: .json(companyBody(required: ["name"]))),
            Op(
                method: .PATCH, path: "/api/v1/company/", summary: "Реквизиты компании: изменить", tag: "company",
                access: .roles([.admin]), body: .json(companyBody(required: []))),
            Op(
                method: .GET, path: "/api/v1/clients/{id}/balance/", summary: "Баланс клиента", tag: "clients",
                access: money,
                query: ["as_of": .date]),
            Op(
                method: .GET, path: "/api/v1/orders/{id}/act/", summary: "Акт оказанных услуг завершённой заявки (PDF)",
                tag: "documents", access: money, answer: .file("application/pdf")),
            Op(
                method: .GET, path: "/api/v1/clients/{id}/reconciliation/",
                summary: "Акт сверки взаимных расчётов (JSON или PDF)",
                tag: "documents", access: money, query: ["from": .date, "to": .date, "format": text]),
        ]
            + resource(
                "/api/v1/expenses/", tag: "expenses", title: "Расходы", read: money, write: money,
                query: listing(
                    byOrder.merging([
                        "category": .choice(ExpenseCategory.self), "equipment": .id, "equipment_id": .id,
                        "reported_by": .id,
                        "reported_by_id": .id, "date_from": .date, "date_to": .date, "from": .date, "to": .date,
                    ]) { $1 })
            ) { APIBodies.expense(required: $0 ? ["amount"] : []) }
            + [
                Op(
                    method: .POST, path: "/api/v1/expenses/{id}/receipt/", summary: "Загрузить фото чека расхода",
                    tag: "expenses", access: money, body: .multipart(APIBodies.receiptUpload),
                    answer: .json(200, .anyObject)),
                Op(
                    method: .GET, path: "/api/v1/expenses/{id}/receipt/", summary: "Фото чека расхода",
                    tag: "expenses", access: money, answer: .file("image/*")),
                Op(
                    method: .DELETE, path: "/api/v1/expenses/{id}/receipt/", summary: "Удалить фото чека",
                    tag: "expenses", access: money, answer: .noContent),
            ]
            + resource(
                "/api/v1/payments/", tag: "payments", title: "Платежи", read: money, write: money,
                query: listing(
                    period.merging(byOrder) { $1 }.merging([
                        "client": .id, "client_id": .id, "is_prepayment": .boolean,
                        "method": .choice(PaymentMethod.self),
                        "status": .choice(PaymentStatus.self),
                    ]) { $1 }, search: false)
            ) { APIBodies.payment(required: $0 ? ["order", "amount"] : []) }
    }

    private static var jobs: [Op] {
        [
            Op(
                method: .GET, path: "/api/v1/jobs/", summary: "Фоновые задачи", tag: "jobs", access: admins,
                query: paging.merging(["status": .choice(JobStatus.self), "name": text]) { $1 },
                answer: .page(.anyObject)),
            Op(method: .GET, path: "/api/v1/jobs/{id}/", summary: "Фоновая задача", tag: "jobs", access: admins),
            Op(
                method: .POST, path: "/api/v1/jobs/{id}/retry/", summary: "Повторить задачу", tag: "jobs",
                access: admins),
        ]
    }

    // MARK: - Catalog and clients

    private static var catalog: [Op] {
        resource(
            "/api/v1/equipment/", tag: "equipment", title: "Техника", read: .signedIn, write: staff,
            query: listing(["status": .choice(EquipmentStatus.self)])
        ) { APIBodies.equipment(required: $0 ? ["code", "name", "hourly_rate"] : []) }
            + resource(
                "/api/v1/services/", tag: "services", title: "Услуги", read: .signedIn, write: staff,
                query: listing(["category": .id, "is_active": .boolean])
            ) { APIBodies.service(required: $0 ? ["name"] : []) }
            + [
                Op(
                    method: .GET, path: "/api/v1/service-categories/", summary: "Категории услуг", tag: "services",
                    query: listing(), answer: .page(.anyObject)),
                Op(
                    method: .POST, path: "/api/v1/service-categories/", summary: "Категория услуг: создать",
                    tag: "services",
                    access: staff, body: .json(APIBodies.serviceCategory), answer: .json(201, .anyObject)),
            ]
            + resource(
                "/api/v1/materials/", tag: "materials", title: "Материалы", read: .signedIn, write: staff,
                query: listing(["category": .choice(MaterialCategory.self), "is_active": .boolean])
            ) { APIBodies.material(required: $0 ? ["name", "price"] : []) }
            + resource(
                "/api/v1/attachments/", tag: "attachments", title: "Навесное оборудование", read: .signedIn,
                write: staff,
                query: listing(["status": .choice(EquipmentStatus.self), "equipment": .id])
            ) { APIBodies.attachment(required: $0 ? ["equipment", "name"] : []) }
    }

    private static var clients: [Op] {
        resource(
            "/api/v1/clients/", tag: "clients", title: "Клиенты", read: .roles([.admin, .manager, .accountant]),
            write: staff, query: listing(["city": text, "is_active": .boolean], ordering: true)
        ) { APIBodies.client(required: $0 ? ["name", "phone"] : []) }
    }

    // MARK: - Photos and notifications

    private static var photos: [Op] {
        let photos = "/api/v1/orders/{id}/photos/"
        return [
            Op(
                method: .POST, path: photos, summary: "Загрузить фото к заявке", tag: "photos",
                access: .roles([.admin, .manager, .operator]), body: .multipart(APIBodies.photoUpload),
                answer: .json(201, .anyObject)),
            Op(
                method: .GET, path: photos, summary: "Фото заявки", tag: "photos",
                answer: .json(200, .array(.anyObject))),
            Op(method: .GET, path: photos + "{photoID}/", summary: "Фото", tag: "photos"),
            Op(
                method: .GET, path: photos + "{photoID}/file/", summary: "Файл фото", tag: "photos",
                answer: .file("image/*")),
            Op(
                method: .DELETE, path: photos + "{photoID}/", summary: "Удалить фото", tag: "photos", answer: .noContent
            ),
        ]
    }

    private static var notifications: [Op] {
        let base = "/api/v1/notifications/"
        let tag = "notifications"
        return [
            Op(
                method: .POST, path: base + "telegram/webhook/",
                summary: "Вебхук Telegram (заголовок X-Telegram-Bot-Api-Secret-Token)",
                tag: tag, access: .anyone, body: .json(APIBodies.telegramUpdate)),
            Op(
                method: .GET, path: base, summary: "Уведомления", tag: tag,
                query: paging.merging(["unread": .boolean, "is_read": .boolean]) { $1 }, answer: .page(.anyObject)),
            Op(method: .GET, path: base + "unread-count/", summary: "Число непрочитанных", tag: tag),
            Op(method: .POST, path: base + "read-all/", summary: "Прочитать все", tag: tag),
            Op(method: .POST, path: base + "mark-all-read/", summary: "Прочитать все (старый путь)", tag: tag),
            Op(method: .POST, path: base + "{id}/read/", summary: "Прочитать одно", tag: tag),
            Op(method: .GET, path: base + "webpush/public-key/", summary: "Открытый ключ VAPID", tag: tag),
            Op(
                method: .POST, path: base + "webpush/subscriptions/", summary: "Включить Web Push в браузере", tag: tag,
                body: .json(APIBodies.webPushSubscription), answer: .json(201, .anyObject)),
            Op(
                method: .DELETE, path: base + "webpush/subscriptions/", summary: "Выключить Web Push в браузере",
                tag: tag,
                body: .json(APIBodies.webPushEndpoint), answer: .noContent),
            Op(method: .GET, path: base + "preferences/", summary: "Настройки уведомлений", tag: tag),
            Op(
                method: .PUT, path: base + "preferences/", summary: "Изменить настройки", tag: tag,
                body: .json(APIBodies.preferences)),
            Op(
                method: .PATCH, path: base + "preferences/", summary: "Изменить настройки", tag: tag,
                body: .json(APIBodies.preferences)),
            Op(method: .GET, path: base + "preferences/preferences/", summary: "Настройки (старый формат)", tag: tag),
            Op(
                method: .POST, path: base + "preferences/preferences/", summary: "Сохранить настройки (старый формат)",
                tag: tag,
                body: .json(APIBodies.legacyPreferences)),
            Op(method: .GET, path: base + "preferences/logs/", summary: "Журнал доставки", tag: tag, query: paging),
            Op(method: .GET, path: base + "telegram/", summary: "Привязка Telegram", tag: tag),
            Op(
                method: .POST, path: base + "telegram/link/", summary: "Код привязки Telegram", tag: tag,
                answer: .json(201, .anyObject)),
            Op(
                method: .DELETE, path: base + "telegram/link/", summary: "Отвязать Telegram", tag: tag,
                answer: .noContent),
        ]
            + resource(
                base + "device-tokens/", tag: tag, title: "Устройства", read: .signedIn, write: .signedIn,
                query: paging
            ) { APIBodies.deviceToken(required: $0 ? ["token", "platform"] : []) }
            + resource(
                base + "subscriptions/", tag: tag, title: "Подписки на каналы", read: .signedIn, write: .signedIn,
                query: paging
            ) { APIBodies.channelSubscription(required: $0 ? ["channel"] : []) }
    }
}

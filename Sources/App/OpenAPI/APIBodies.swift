import Domain
import Foundation

/// The request bodies of `/api/v1`, field by field as the handlers read them (`JSONInput` limits).
/// `required` lists what a create (or PUT) must carry; PATCH bodies are the same with nothing required.
enum APIBodies {
    // MARK: - Auth and users

    static let login = Schema.object(
        [
            "phone": .string(max: 64), "username": Schema.string(max: 64).described("Телефон под старым именем поля."),
            "password": .string(max: 128, blank: false),
        ], required: ["password"])

    static let refreshToken = Schema.object(["refresh": .string(max: 4096, blank: false)], required: ["refresh"])

    static let register = Schema.object(
        [
            "phone": .phone, "password": .newPassword,
            "first_name": .string(max: 150, blank: false), "last_name": .string(max: 150, blank: false),
        ], required: ["phone", "password", "first_name", "last_name"])

    static let profile = Schema.object([
        "first_name": .string(max: 150), "last_name": .string(max: 150), "email": Schema.email.nullable,
        "position": .string(max: 120), "avatar": Schema.url.nullable, "locale": .string(max: 8, blank: false),
    ])

    static let changePassword = Schema.object(
        [
            "old_password": .string(max: 128, blank: false), "new_password": .newPassword,
            "confirm_password": .string(max: 128),
            "refresh": Schema.string(max: 4096).described("Текущий refresh-токен: эта сессия останется действующей."),
        ], required: ["old_password", "new_password"])

    static func user(required: [String]) -> Schema {
        .object(
            [
                "phone": .phone, "password": .newPassword, "first_name": .string(max: 150),
                "last_name": .string(max: 150), "email": Schema.email.nullable, "role": .choice(Role.self),
                "is_active": .boolean, "position": .string(max: 120), "avatar": Schema.url.nullable,
            ], required: required)
    }

    // MARK: - Catalog and clients

    static func equipment(required: [String]) -> Schema {
        .object(
            [
                "code": .string(max: 50, blank: false), "name": .string(max: 255, blank: false),
                "description": .string(max: 10_000), "hourly_rate": .decimal(digits: 10),
                "daily_rate": Schema.decimal(digits: 10).nullable,
                "fuel_consumption": Schema.decimal(digits: 6).nullable,
                "status": .choice(EquipmentStatus.self), "photos": .array(.string(max: 1000)),
                "last_maintenance_date": Schema.date.nullable, "attributes": .anyObject,
            ], required: required)
    }

    static func service(required: [String]) -> Schema {
        .object(
            [
                "name": .string(max: 200, blank: false), "category_id": Schema.id.nullable,
                "unit": .string(max: 32, blank: false), "price": Schema.decimal(digits: 10).nullable,
                "default_duration": Schema.decimal(digits: 8).nullable, "included_items": .array(.anyValue),
                "is_active": .boolean,
            ], required: required)
    }

    static let serviceCategory = Schema.object(
        ["name": .string(max: 200, blank: false), "description": .string(max: 10_000), "sort_order": .integer],
        required: ["name"])

    static func material(required: [String]) -> Schema {
        .object(
            [
                "name": .string(max: 200, blank: false), "category": .choice(MaterialCategory.self),
                "unit": .string(max: 32, blank: false), "price": .decimal(digits: 10),
                "density": Schema.decimal(digits: 6).nullable, "supplier": .string(max: 255), "is_active": .boolean,
            ], required: required)
    }

    static func attachment(required: [String]) -> Schema {
        .object(
            [
                "equipment": .id, "name": .string(max: 200, blank: false), "price": .decimal(digits: 10),
                "status": .choice(EquipmentStatus.self), "metadata": .anyObject,
            ], required: required)
    }

    static func client(required: [String]) -> Schema {
        .object(
            [
                "name": .string(max: 255, blank: false), "contact_person": .string(max: 255), "phone": .phone,
                "email": Schema.email.nullable, "address": .string(max: 500), "city": .string(max: 120),
                "geo_lat": Schema.decimal(digits: 9, scale: 6, minimum: -90, maximum: 90).nullable,
                "geo_lng": Schema.decimal(digits: 9, scale: 6, minimum: -180, maximum: 180).nullable,
                "billing_details": .anyObject, "inn": Schema.string(max: 20).described("ИНН: 10 или 12 цифр."),
                "kpp": Schema.string(max: 20).described("КПП: 9 знаков."), "notes": .string(max: 10_000),
                "is_active": .boolean, "credit_limit": Schema.decimal().nullable,
            ], required: required)
    }

    // MARK: - Orders

    static let orderItem = Schema.object(
        [
            "item_type": .choice(ItemType.self), "ref_id": Schema.id.nullable,
            "quantity": .decimal(digits: 10), "tax_rate": .decimal(digits: 5, maximum: 100),
            "discount": .decimal(digits: 5, maximum: 100), "fuel_expense": Schema.decimal().nullable,
            "repair_expense": Schema.decimal().nullable, "unit_price": Schema.decimal().nullable,
            "manual_price": .boolean, "name_snapshot": .string(max: 255), "unit": .string(max: 32),
            "metadata": .object([
                "shifts": .decimal(digits: 8), "hours": .decimal(digits: 8), "billing_mode": .string(max: 32),
                "note": .string(max: 1000),
            ]),
        ], required: ["item_type"])

    static func order(required: [String]) -> Schema {
        .object(
            [
                "client_id": Schema.id.nullable, "address": .string(max: 500, blank: false),
                "geo_lat": Schema.decimal(digits: 9, scale: 6, minimum: -90, maximum: 90).nullable,
                "geo_lng": Schema.decimal(digits: 9, scale: 6, minimum: -180, maximum: 180).nullable,
                "start_dt": .dateTime, "end_dt": Schema.dateTime.nullable, "description": .string(max: 10_000),
                "manager_id": Schema.id.nullable, "operator_ids": Schema.array(.id).nullable,
                "operator_id": Schema.id.nullable, "number": .string(max: 32), "prepayment_amount": .decimal(),
                "prepayment_status": .string(max: 20, blank: false), "total_amount": .decimal(),
                "estimated_total": .decimal(), "meta": .anyObject, "attachments": .array(.anyValue),
                "status": Schema.choice(OrderStatus.self).described(
                    "Только текущий статус: он меняется действиями заявки."),
                "items": Schema.array(.reference("OrderItemInput")).nullable,
            ], required: required)
    }

    static let statusChange = Schema.object(
        ["status": .choice(OrderStatus.self), "comment": .string(max: 10_000), "attachment_url": Schema.url.nullable],
        required: ["status"])

    static let operatorPay = Schema.object(
        [
            "operator_id": .id, "rate_type": .choice(SalaryRateType.self), "salary": .decimal(),
            "rate_value": .decimal(), "hours": .decimal(digits: 8),
        ], required: ["operator_id"])

    static let completion = Schema.object(
        [
            "end_dt": .dateTime, "comment": .string(max: 10_000),
            "items": .array(.reference("OrderItemInput")),
            "operator_salaries": .array(.reference("OperatorPayInput")),
        ], required: ["end_dt"])

    static let pay = Schema.object(["operator_salaries": .array(.reference("OperatorPayInput"))])

    static let photoUpload = Schema.object(
        [
            "file": .binary, "photo_type": .choice(PhotoKind.self),
            "gps_lat": .decimal(digits: 9, scale: 6, minimum: -90, maximum: 90),
            "gps_lng": .decimal(digits: 9, scale: 6, minimum: -180, maximum: 180),
            "captured_at": .dateTime, "notes": .string(max: 2000),
        ], required: ["file"])

    static let receiptUpload = Schema.object(["file": .binary], required: ["file"])

    // MARK: - Money

    static func expense(required: [String]) -> Schema {
        .object(
            [
                "order": Schema.uuid.nullable, "order_id": Schema.uuid.nullable, "equipment": Schema.id.nullable,
                "equipment_id": Schema.id.nullable, "category": .choice(ExpenseCategory.self),
                "amount": .decimal(), "date": .date, "comment": Schema.string(max: 10_000).nullable,
                "attachment_url": Schema.url.nullable,
            ], required: required)
    }

    static func payment(required: [String]) -> Schema {
        .object(
            [
                "order": .uuid, "order_id": .uuid, "invoice": Schema.id.nullable, "invoice_id": Schema.id.nullable,
                "method": .choice(PaymentMethod.self), "status": .choice(PaymentStatus.self), "amount": .decimal(),
                "currency": .string(max: 8, blank: false), "transaction_id": Schema.string(max: 120).nullable,
                "is_prepayment": .boolean, "paid_at": Schema.dateTime.nullable,
                "comment": Schema.string(max: 10_000).nullable, "metadata": .anyObject,
            ], required: required)
    }

    static let salaryStatus = Schema.object(["status": .choice(SalaryStatus.self)], required: ["status"])

    // MARK: - Notifications

    static func deviceToken(required: [String]) -> Schema {
        .object(
            [
                "token": .string(max: 2048, blank: false),
                "platform": .choice(DevicePlatform.self), "app_version": .string(max: 20),
                "device_info": .anyObject,
            ], required: required)
    }

    static let webPushSubscription = Schema.object([
        "subscription": .object([
            "endpoint": .url, "keys": .object(["p256dh": .string(max: 200), "auth": .string(max: 200)]),
        ]),
        "endpoint": .url, "keys": .object(["p256dh": .string(max: 200), "auth": .string(max: 200)]),
        "app_version": .string(max: 20),
    ])

    static let webPushEndpoint = Schema.object([
        "endpoint": .url, "subscription": .object(["endpoint": .url]),
    ])

    static func channelSubscription(required: [String]) -> Schema {
        .object(
            [
                "channel": .choice(SubscriptionChannel.self),
                "endpoint": .string(max: 255), "enabled": .boolean, "preferences": .anyObject,
            ], required: required)
    }

    /// `{"events": {"order_assigned": {"telegram": false}}}`.
    static let preferences: Schema = {
        let channels = Schema.object(
            Dictionary(uniqueKeysWithValues: DeliveryChannel.allCases.map { ($0.rawValue, Schema.boolean) }))
        let events = Schema.object(
            Dictionary(uniqueKeysWithValues: NotificationEvent.allCases.map { ($0.rawValue, channels) }))
        return .object(["events": events])
    }()

    static let legacyPreferences = Schema.object(
        Dictionary(uniqueKeysWithValues: NotificationService.legacyKeys.map { ($0, Schema.boolean) }))

    static let telegramUpdate = Schema.object([
        "update_id": .integer,
        "message": .object([
            "text": .string(max: 4096), "chat": .object(["id": .integer]),
        ]),
    ])
}

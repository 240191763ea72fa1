import Domain

/// The audit trail's stored words in Russian: actions, entity types and field names. Unknown words are shown as
/// they are stored.
public enum AuditVocabulary {
    public static func action(_ action: String) -> String {
        switch action {
        case "create": "Создание"
        case "update": "Изменение"
        case "delete": "Удаление"
        case "status_change": "Смена статуса"
        case "login": "Вход"
        case "payment": "Платёж"
        case "role_change": "Смена роли"
        case "file_upload": "Загрузка файла"
        case "export": "Выгрузка"
        case "email": "Отправка письма"
        default: action
        }
    }

    /// The entity types the filter offers, in this order.
    public static let entityTypes = [
        "order", "client", "invoice", "payment", "expense", "salary_record", "user", "equipment", "service",
        "service_category", "material", "attachment", "order_photo", "report", "job",
    ]

    public static func entity(_ type: String) -> String {
        switch type {
        case "order": "Заявка"
        case "client": "Клиент"
        case "invoice": "Счёт"
        case "payment": "Платёж"
        case "expense": "Расход"
        case "salary_record": "Зарплата"
        case "user": "Пользователь"
        case "equipment": "Техника"
        case "service": "Услуга"
        case "service_category": "Категория услуг"
        case "material": "Материал"
        case "attachment": "Навеска"
        case "order_photo": "Фото заявки"
        case "report": "Отчёт"
        case "job": "Фоновая задача"
        default: type
        }
    }

    public static var entityChoices: [Choice] {
        entityTypes.map { Choice(value: $0, label: entity($0)) }
    }

    /// Field labels; a key without one is shown as stored.
    public static let fields: [String: String] = [
        "number": "Номер", "client_id": "Клиент", "address": "Адрес", "start_dt": "Начало", "end_dt": "Окончание",
        "description": "Описание", "status": "Статус", "manager_id": "Менеджер", "prepayment_amount": "Предоплата",
        "prepayment_status": "Статус предоплаты", "total_amount": "Сумма", "estimated_total": "Примерная стоимость",
        "geo_lat": "Широта", "geo_lng": "Долгота", "meta": "Доп. данные", "operator_ids": "Операторы",
        "items": "Позиции", "comment": "Комментарий", "order_id": "Заявка", "invoice_id": "Счёт",
        "method": "Способ оплаты", "amount": "Сумма", "currency": "Валюта", "transaction_id": "Номер транзакции",
        "is_prepayment": "Предоплата", "paid_at": "Дата оплаты", "category": "Категория", "date": "Дата",
        "equipment_id": "Техника", "phone": "Телефон", "first_name": "Имя", "last_name": "Фамилия",
        "email": "Email", "role": "Роль", "is_active": "Активен", "position": "Должность",
        "password_changed": "Пароль изменён", "name": "Название", "contact_person": "Контактное лицо", "inn": "ИНН",
        "kpp": "КПП", "notes": "Заметки", "credit_limit": "Кредитный лимит", "city": "Город", "code": "Код",
        "hourly_rate": "Цена за час", "daily_rate": "Цена за смену", "price": "Цена", "unit": "Единица",
        "user_id": "Сотрудник", "hours_worked": "Часы", "rate_type": "Тип ставки", "rate_value": "Ставка",
        "work_date": "Дата работ", "format": "Формат", "from": "С", "to": "По", "document": "Документ",
        "file": "Файл", "reason": "Причина", "photo_type": "Тип фото", "due_date": "Срок оплаты",
        "issued_at": "Выставлен", "payment_status": "Статус оплаты", "fuel_consumption": "Расход топлива",
        "is_delayed": "Просрочка", "job_id": "Задача",
    ]

    public static func field(_ key: String) -> String { fields[key] ?? key }

    /// A stored value in words where the field has a vocabulary (statuses, roles, methods); nil otherwise.
    public static func value(_ text: String, field: String, entity: String) -> String? {
        switch (field, entity) {
        case ("status", "order"): OrderStatus(rawValue: text)?.title
        case ("status", "salary_record"): SalaryStatus(rawValue: text)?.title
        case ("status", _), ("payment_status", _): PaymentStatus(rawValue: text)?.title
        case ("prepayment_status", _): PrepaymentStatus(rawValue: text)?.title
        case ("role", _): Role(rawValue: text)?.title
        case ("method", _): PaymentMethod(rawValue: text)?.title
        case ("category", "expense"): ExpenseCategory(rawValue: text)?.title
        default: nil
        }
    }
}

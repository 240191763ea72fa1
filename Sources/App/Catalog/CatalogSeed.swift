import Domain
import Fluent
import Foundation
import Vapor

// Demo data of the original's `seed_data` (docs/domain-rules.md#demo-catalog) and a few clients. Both are idempotent:
// rows are found by code or name and updated, never duplicated.

/// The fleet, the services by category, soil and tools. Returns one summary line per kind.
func seedCatalog(app: Application) async throws -> [String] {
    try await app.db.transaction { db in
        var newEquipment = 0
        for (code, name, dailyRate) in CatalogSeedData.equipment {
            let row =
                try await Equipment.query(on: db).filter(\.$code == code).first()
                ?? Equipment(code: code, name: name, hourlyRate: 0)
            if row.id == nil { newEquipment += 1 }
            row.name = name
            row.hourlyRate = CatalogSeedData.hourlyRate
            row.dailyRate = dailyRate * 100
            row.status = .available
            try await row.save(on: db)
        }

        var newCategories = 0
        var newServices = 0
        for (index, (categoryName, serviceNames)) in CatalogSeedData.services.enumerated() {
            let (category, created) = try await ServiceCategory.named(
                categoryName, sortOrder: (index + 1) * 10, on: db)
            if created { newCategories += 1 }
            let categoryID = category.id ?? 0
            for serviceName in serviceNames {
                let exists =
                    try await ServiceItem.query(on: db)
                    .filter(\.$name == serviceName).filter(\.$category.$id == categoryID).count() > 0
                guard !exists else { continue }
                try await ServiceItem(name: serviceName, categoryID: categoryID).save(on: db)
                newServices += 1
            }
        }

        var newMaterials = 0
        for (category, unit, rows) in [
            (MaterialCategory.soil, "m3", CatalogSeedData.soil), (MaterialCategory.tool, "hour", CatalogSeedData.tools),
        ] {
            for (name, price) in rows {
                let row =
                    try await MaterialItem.query(on: db)
                    .filter(\.$name == name).filter(\.$categoryValue == category.rawValue).first()
                    ?? MaterialItem(name: name, category: category, unit: unit, price: 0)
                if row.id == nil { newMaterials += 1 }
                row.price = price * 100
                try await row.save(on: db)
            }
        }
        return [
            "техника: \(CatalogSeedData.equipment.count) (новых \(newEquipment))",
            "категории услуг: \(CatalogSeedData.services.count) (новых \(newCategories)), новых услуг: \(newServices)",
            "материалы: \(CatalogSeedData.soil.count + CatalogSeedData.tools.count) (новых \(newMaterials))",
        ]
    }
}

/// Three clients from the Krasnodar region, found by name.
func seedClients(app: Application) async throws -> [String] {
    try await app.db.transaction { db in
        var created = 0
        for demo in CatalogSeedData.clients {
            guard try await Client.query(on: db).filter(\.$name == demo.name).count() == 0 else { continue }
            let client = Client(name: demo.name, phone: demo.phone)
            client.contactPerson = demo.contactPerson
            client.email = demo.email
            client.city = demo.city
            client.address = demo.address
            client.inn = demo.inn
            client.kpp = demo.kpp
            client.geoLat = demo.geo?.lat
            client.geoLng = demo.geo?.lng
            try await client.save(on: db)
            created += 1
        }
        return ["клиенты: \(CatalogSeedData.clients.count) (новых \(created))"]
    }
}

enum CatalogSeedData {
    /// Every machine costs 2450.00 an hour; the daily («смена») rate differs.
    static let hourlyRate: Int64 = 245_000

    /// (code, name, daily rate in roubles)
    static let equipment: [(String, String, Int64)] = [
        ("EXC-MST-644S", "Экскаватор-погрузчик MST 644 S", 30_000),
        ("EXC-SANY-BHL95", "Экскаватор-погрузчик Sany BHL95", 25_000),
        ("EXC-SUNY-SY35U", "Мини-экскаватор Suny SY35U", 23_000),
        ("MAN-JAC-N120", "Манипулятор JAC N120", 6_000),
        ("MAN-KAMAZ", "Манипулятор на базе Камаз", 8_000),
        ("LOAD-SUNWARD", "Мини-погрузчик Sunward гусеничный", 25_000),
        ("LOAD-ZOOMLION", "Мини-погрузчик Zoomlion", 23_000),
        ("DUMP-SHACMAN-L3000", "Самосвал Shacman L3000", 6_000),
        ("DUMP-SHACMAN-X3000", "Самосвал Shacman X3000", 10_000),
        ("WRECK-FAW-3250", "Ломовоз FAW 3250", 20_000),
        ("TOW-ISUZU", "Эвакуатор ISUZU", 3_000),
        ("TRACTOR-MINI", "Мини-трактор", 1_000),
    ]

    /// Categories in display order, each with its services (unit `hour`, no fixed price).
    static let services: [(String, [String])] = [
        ("Благоустройство", ["Благоустройство дворов", "Планировка и очистка участка", "Покос травы мульчером"]),
        ("Копка", ["Копка траншей", "Копка котлована", "Копка под фундамент"]),
        ("Канализация", ["Канализация под ключ"]),
        (
            "Доставка",
            [
                "Доставка и установка колец", "Доставка и установка ФБС блоков",
                "Доставка чернозема, балласта, щебенки, песка и т.д.",
            ]
        ),
        ("Фундаменты", ["Обратная засыпка фундаментов", "Строительство фундаментов"]),
        ("Деревья", ["Сруб и вывоз деревьев"]),
        ("Бурение", ["Бурение свай до 2.5 метров"]),
        ("Вывоз", ["Вывоз строительного и любого мусора"]),
        ("Спецуслуги", ["Услуги гидромолота", "Резка бетона и асфальта"]),
        ("Строительство", ["Строительство заборов"]),
        ("Уборка", ["Расчистка или уборка снега"]),
    ]

    /// (name, price per m³ in roubles)
    static let soil: [(String, Int64)] = [
        ("Чернозем", 1200), ("Песок", 800), ("Щебень фракция 5-20", 1500), ("Щебень фракция 20-40", 1400),
        ("Балласт", 900), ("Гравий", 1100), ("ПГС (песчано-гравийная смесь)", 1000), ("Грунт планировочный", 600),
    ]

    /// (name, price per hour in roubles)
    static let tools: [(String, Int64)] = [
        ("Гидромолот", 3000), ("Бур", 2000), ("Ковш экскаваторный", 1500), ("Вилы для погрузчика", 1800),
        ("Мульчер", 3500), ("Рыхлитель", 2000), ("Отвал", 1200), ("Ковш для планировки", 1600),
    ]

    struct DemoClient {
        var name: String
        var contactPerson: String
        var phone: String
        var email: String
        var city: String
        var address: String
        var inn: String
        var kpp: String
        /// Millionths of a degree.
        var geo: (lat: Int64, lng: Int64)?
    }

    static let clients: [DemoClient] = [
        DemoClient(
            name: "ООО «КубаньСтройИнвест»", contactPerson: "Дмитрий Коваленко", phone: "+78612553412",
            email: "snab@kubstroyinvest.ru", city: "Краснодар", address: "ул. Красная, 122, офис 405",
            inn: "2312058747", kpp: "231201001", geo: (45_035_470, 38_975_313)),
        DemoClient(
            name: "ООО «Агрокомплекс Елизаветинский»", contactPerson: "Ирина Шевченко", phone: "+79184561278",
            email: "office@agro-eliz.ru", city: "Краснодар", address: "ст. Елизаветинская, ул. Садовая, 5",
            inn: "2308135967", kpp: "230801001", geo: (45_046_500, 38_795_000)),
        DemoClient(
            name: "ИП Сидоренко Андрей Викторович", contactPerson: "Андрей Сидоренко", phone: "+79282347719",
            email: "", city: "Динская", address: "ст. Динская, ул. Красная, 45",
            inn: "233012345610", kpp: "", geo: nil),
    ]
}

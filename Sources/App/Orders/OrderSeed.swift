import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Demo orders in every stage (created, approved, in progress, completed), made through `OrderService`
/// so they carry the same snapshots, logs, bookings and money rows as real ones. Only when no order exists.
func seedOrders(app: Application) async throws -> [String] {
    let sql = try app.db.sql()
    let existing = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("orders")
        .first()
    guard try existing?.decode(column: "n", as: Int.self) == 0 else { return ["заявки: уже есть, пропущено"] }
    guard let admin = try await User.query(on: app.db).filter(\.$roleValue == Role.admin.rawValue).first(),
        let adminID = admin.id
    else { return ["заявки: нет администратора, пропущено"] }
    let operators = try await User.query(on: app.db).filter(\.$roleValue == Role.operator.rawValue)
        .filter(\.$isActive == true).sort(\.$id).all().compactMap(\.id)
    func id(_ table: String, _ column: String, _ value: String) async throws -> Int? {
        try await sql.select().column("id").from(table).where(column, .equal, value).first()?.decode(
            column: "id", as: Int.self)
    }
    let clients = try await sql.select().column("id").from("clients").orderBy("id").all().map {
        try $0.decode(column: "id", as: Int.self)
    }
    guard let mst = try await id("equipment", "code", "EXC-MST-644S"),
        let sany = try await id("equipment", "code", "EXC-SANY-BHL95"),
        let dump = try await id("equipment", "code", "DUMP-SHACMAN-X3000"),
        let sand = try await id("materials", "name", "Песок"),
        let trench = try await id("services", "name", "Копка траншей"), clients.count >= 2
    else { return ["заявки: нет демо-каталога, пропущено"] }

    let caller = Caller(id: adminID, role: .admin, fullName: admin.fullName)
    let service = OrderService(context: ServiceContext(app: app, caller: caller))
    let timeZone = app.config.timeZone
    let today = ISOTime.startOfDay(ISOTime.day(of: Date(), in: timeZone), in: timeZone) ?? Date()
    func at(days: Int, hour: Int) -> JSONValue {
        .string(ISOTime.format(today.addingTimeInterval(Double(days * 86_400 + hour * 3600)), in: timeZone))
    }
    func ids(_ values: [Int]) -> JSONValue { .array(values.map { .number(Decimal($0)) }) }
    func machine(_ ref: Int, shifts: Int, hours: Int) -> JSONValue {
        .object([
            "item_type": .string("equipment"), "ref_id": .number(Decimal(ref)),
            "metadata": .object(["shifts": .number(Decimal(shifts)), "hours": .number(Decimal(hours))]),
        ])
    }
    let first = operators.first.map { [$0] } ?? []
    let second = operators.dropFirst().first.map { [$0] } ?? []

    func create(_ body: [String: JSONValue]) async throws -> String {
        try await service.create(OrderDraft(api: body, full: true, timeZone: timeZone)).id
    }
    _ = try await create([
        "client_id": .number(Decimal(clients[0])), "address": .string("ст. Елизаветинская, ул. Садовая 5"),
        "start_dt": at(days: 1, hour: 9), "end_dt": at(days: 1, hour: 18),
        "description": .string("Копка траншеи под водопровод"),
        "operator_ids": ids(first), "prepayment_amount": .string("5000"),
        "items": .array([machine(mst, shifts: 1, hours: 0)]),
    ])
    let approved = try await create([
        "client_id": .number(Decimal(clients[1])), "address": .string("Краснодар, ул. Северная 310"),
        "start_dt": at(days: 2, hour: 8), "end_dt": at(days: 2, hour: 17),
        "description": .string("Доставка песка и планировка"),
        "operator_ids": ids(second),
        "items": .array([
            machine(dump, shifts: 1, hours: 0),
            .object(["item_type": .string("material"), "ref_id": .number(Decimal(sand)), "quantity": .string("12")]),
            .object([
                "item_type": .string("service"), "ref_id": .number(Decimal(trench)), "unit_price": .string("5000"),
                "quantity": .number(2),
            ]),
        ]),
    ])
    try await service.changeStatus(id: approved, to: .approved, comment: "Одобрено", attachmentURL: "")
    let working = try await create([
        "client_id": .number(Decimal(clients[0])), "address": .string("Динская, ул. Красная 12"),
        "start_dt": at(days: 0, hour: 8), "end_dt": at(days: 0, hour: 20), "operator_ids": ids(first),
        "items": .array([machine(sany, shifts: 1, hours: 2)]),
    ])
    try await service.changeStatus(id: working, to: .approved, comment: "", attachmentURL: "")
    try await service.changeStatus(id: working, to: .inProgress, comment: "Работа начата", attachmentURL: "")
    let done = try await create([
        "client_id": .number(Decimal(clients[1])), "address": .string("Краснодар, ул. Восточно-Кругликовская 40"),
        "start_dt": at(days: -3, hour: 8), "operator_ids": ids(second),
        "items": .array([machine(mst, shifts: 2, hours: 3)]),
    ])
    try await service.changeStatus(id: done, to: .approved, comment: "", attachmentURL: "")
    try await service.changeStatus(id: done, to: .inProgress, comment: "", attachmentURL: "")
    try await service.complete(
        id: done,
        with: OrderCompletion(
            api: [
                "end_dt": at(days: -2, hour: 19), "comment": .string("Работы выполнены"),
                "items": .array([
                    .object([
                        "item_type": .string("equipment"), "ref_id": .number(Decimal(mst)),
                        "metadata": .object(["shifts": .number(2), "hours": .number(3)]),
                        "fuel_expense": .string("3000"),
                    ])
                ]),
                "operator_salaries": .array(
                    second.map { .object(["operator_id": .number(Decimal($0)), "salary": .string("4000")]) }),
            ], timeZone: timeZone))
    return ["заявки: 4 (создана, одобрена, в работе, завершена)"]
}

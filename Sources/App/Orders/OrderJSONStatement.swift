import Domain
import FluentPostgresDriver
import Foundation
import NIOCore

/// The order JSON of the original API written by PostgreSQL: one prepared statement for any batch of orders,
/// one row of JSON text per order, in the order of the ids given. It writes what `OrderReader`'s Swift writer
/// writes, byte for byte (`OrderJSONTests` compares the two); docs/architecture.md#order-json says why.
///
/// An order whose JSON is stored and current (`StoredOrderJSON`) is read from `order_json`; the others are written
/// from their rows.
///
/// Binds: `$1` the ids, `$2` the company's time zone, `$3` the caller, `$4` whether the caller sees every order
/// (otherwise only orders they operate come back), `$5` the key of the stored JSON written in that zone.
struct OrderJSONStatement: PostgresPreparedStatement {
    typealias Row = ByteBuffer

    var ids: [String]
    var timeZone: String
    var callerID: Int
    var seesAllOrders: Bool
    var storedKey: String

    /// The orders of a list already filtered for its caller.
    init(ids: [String], timeZone: TimeZone) {
        self.init(ids: ids, timeZone: timeZone, callerID: 0, seesAllOrders: true)
    }

    init(ids: [String], timeZone: TimeZone, callerID: Int, seesAllOrders: Bool) {
        self.ids = ids
        self.timeZone = timeZone.identifier
        self.callerID = callerID
        self.seesAllOrders = seesAllOrders
        self.storedKey = StoredOrderJSON.key(timeZone: timeZone.identifier)
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(ids)
        bindings.append(timeZone)
        bindings.append(callerID)
        bindings.append(seesAllOrders)
        bindings.append(storedKey)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> ByteBuffer { try row.decode(ByteBuffer.self) }

    /// The JSON objects, on one connection of `postgres` (which prepares the statement once per connection).
    func objects(on postgres: any PostgresDatabase) async throws -> [ByteBuffer] {
        let logger = postgres.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var objects: [ByteBuffer] = []
                for try await object in try await connection.execute(self, logger: logger) { objects.append(object) }
                return objects
            }
        }.get()
    }

    static let sql: String = {
        let order = orderJSON(zone: "$2::text", written: "j.order_id IS NULL")
        return """
            SELECT CASE WHEN j.order_id IS NULL THEN \(order.json) ELSE j.json END
            FROM unnest($1::text[]) WITH ORDINALITY AS page(id, position)
            JOIN orders o ON o.id = page.id
            LEFT JOIN order_versions ov ON ov.order_id = o.id
            LEFT JOIN order_json j ON j.order_id = o.id AND j.key = $5::text AND j.version = coalesce(ov.version, 0)
            \(order.joins)
            WHERE $4::boolean
               OR EXISTS (SELECT 1 FROM order_operators v WHERE v.order_id = o.id AND v.user_id = $3::bigint)
            ORDER BY page.position
            """
    }()

    /// The JSON of the order `o` (an SQL text expression) and the joins it reads, with moments in `zone` (an SQL
    /// text expression). The operators are read only where `written` holds.
    static func orderJSON(zone: String, written: String = "true") -> (json: String, joins: String) {
        typealias J = PostgresJSON
        func person(_ alias: String) -> [J.Part] {
            J.object([
                ("id", J.number("\(alias).id")), ("first_name", J.string("\(alias).first_name")),
                ("last_name", J.string("\(alias).last_name")), ("phone", J.string("\(alias).phone")),
            ])
        }
        // The operators by id, read once for both fields.
        let operatorJSON = J.concat(person("u"))
        let crew = """
            SELECT string_agg(\(operatorJSON), ',' ORDER BY u.id) AS list,
                   (array_agg(\(operatorJSON) ORDER BY u.id))[1] AS head
            FROM order_operators oo JOIN users u ON u.id = oo.user_id WHERE oo.order_id = o.id
            """
        let itemRows = "FROM order_items i WHERE i.order_id = o.id"
        let logRows = "FROM order_status_logs l LEFT JOIN users lu ON lu.id = l.actor_id WHERE l.order_id = o.id"
        let photoRows = "FROM order_photos p LEFT JOIN users pu ON pu.id = p.uploaded_by_id WHERE p.order_id = o.id"
        // As `OrderQueries.details`: a manager whose row has no phone is written with blank names.
        let manager = J.object([
            ("id", J.number("o.manager_id")),
            ("first_name", J.string("CASE WHEN m.phone IS NULL THEN '' ELSE coalesce(m.first_name, '') END")),
            ("last_name", J.string("CASE WHEN m.phone IS NULL THEN '' ELSE coalesce(m.last_name, '') END")),
            ("phone", J.string("coalesce(m.phone, '')")),
        ])
        let client = J.object([
            ("id", J.number("o.client_id")), ("name", J.string("coalesce(c.name, '')")),
            ("phone", J.string("coalesce(c.phone, '')")),
        ])
        let item = J.object([
            ("id", J.number("i.id")),
            ("item_type", J.string(J.oneOf("i.item_type", ItemType.allCases.map(\.rawValue), otherwise: "service"))),
            ("ref_id", J.optionalNumber("i.ref_id")), ("name_snapshot", J.string("i.name_snapshot")),
            ("quantity", J.scaled("i.quantity", scale: 2)), ("unit", J.string("i.unit")),
            ("unit_price", J.scaled("i.unit_price", scale: 2)), ("manual_price", J.bool("i.manual_price")),
            ("tax_rate", J.scaled("i.tax_rate", scale: 2)), ("discount", J.scaled("i.discount", scale: 2)),
            ("fuel_expense", J.optionalScaled("i.fuel_expense", scale: 2)),
            ("repair_expense", J.optionalScaled("i.repair_expense", scale: 2)),
            ("metadata", J.raw("i.metadata", fallback: "{}")), ("display_quantity", J.string("i.display_quantity")),
            ("display_unit", J.string("i.display_unit")), ("line_total", J.scaled("i.line_total", scale: 2)),
        ])
        let log = J.object([
            ("id", J.number("l.id")), ("from_status", J.string("l.from_status")),
            ("to_status", J.string("l.to_status")), ("actor", J.optionalNumber("l.actor_id")),
            J.optionalField(
                "actor_name", J.string(J.fullName("lu.first_name", "coalesce(lu.last_name, '')")),
                when: "l.actor_id IS NOT NULL AND lu.first_name IS NOT NULL"),
            ("comment", J.string("l.comment")), ("attachment_url", J.string("l.attachment_url")),
            ("created_at", J.time("l.created_at", zone: zone)),
        ])
        let uploader = J.concat(J.string(J.fullName("pu.first_name", "coalesce(pu.last_name, '')")))
        let photoKinds = PhotoKind.allCases.map { (value: $0.rawValue, title: $0.title) }
        let photo = J.object([
            ("id", J.number("p.id")), ("order", J.string("p.order_id")), ("photo_type", J.string("p.photo_type")),
            ("photo_type_display", J.string(J.title(of: "p.photo_type", photoKinds, otherwise: "p.photo_type"))),
            ("file_url", J.string("concat('/api/v1/orders/', p.order_id, '/photos/', p.id, '/file/')")),
            ("content_type", J.string("p.content_type")), ("size", J.number("p.size_bytes")),
            ("original_name", J.string("p.original_name")), ("gps_lat", J.optionalScaled("p.gps_lat", scale: 6)),
            ("gps_lng", J.optionalScaled("p.gps_lng", scale: 6)),
            ("captured_at", J.optionalTime("p.captured_at", zone: zone)), ("notes", J.string("p.notes")),
            ("metadata", J.raw("p.metadata", fallback: "{}")), ("uploaded_by", J.optionalNumber("p.uploaded_by_id")),
            ("uploaded_by_name", [.expression("CASE WHEN pu.first_name IS NULL THEN 'null' ELSE \(uploader) END")]),
            ("created_at", J.time("p.created_at", zone: zone)),
        ])
        let statuses = OrderStatus.allCases.map { (value: $0.rawValue, title: $0.title) }
        let order = J.object([
            ("id", J.string("o.id")), ("number", J.string("o.number")),
            ("client", [.expression("CASE WHEN o.client_id IS NULL THEN 'null' ELSE \(J.concat(client)) END")]),
            ("address", J.string("o.address")), ("geo_lat", J.optionalScaled("o.geo_lat", scale: 6)),
            ("geo_lng", J.optionalScaled("o.geo_lng", scale: 6)), ("start_dt", J.time("o.start_at", zone: zone)),
            ("end_dt", J.optionalTime("o.end_at", zone: zone)), ("description", J.string("o.description")),
            ("status", J.string(J.oneOf("o.status", statuses.map(\.value), otherwise: OrderStatus.created.rawValue))),
            (
                "status_display",
                J.string(J.title(of: "o.status", statuses, otherwise: J.quote(OrderStatus.created.title)))
            ),
            ("manager", [.expression("CASE WHEN o.manager_id IS NULL THEN 'null' ELSE \(J.concat(manager)) END")]),
            ("operator", [.expression("coalesce(crew.head, 'null')")]),
            ("operators", [.literal("["), .expression("coalesce(crew.list, '')"), .literal("]")]),
            ("prepayment_amount", J.scaled("o.prepayment_amount", scale: 2)),
            ("prepayment_status", J.string("o.prepayment_status")),
            ("total_amount", J.scaled("o.total_amount", scale: 2)),
            ("estimated_total", J.scaled("o.estimated_total", scale: 2)),
            ("balance", J.scaled("greatest(o.total_amount - o.prepayment_amount, 0)", scale: 2)),
            ("price_snapshot", J.raw("o.price_snapshot", fallback: "{}")),
            ("attachments", J.raw("o.attachments", fallback: "[]")), ("meta", J.raw("o.meta", fallback: "{}")),
            ("items", J.array(of: item, rows: itemRows, orderBy: "i.position, i.id")),
            ("status_logs", J.array(of: log, rows: logRows, orderBy: "l.created_at DESC, l.id DESC")),
            ("created_by", J.optionalNumber("o.created_by_id")),
            ("started_at", J.optionalTime("o.started_at", zone: zone)),
            ("completed_at", J.optionalTime("o.completed_at", zone: zone)),
            ("created_at", J.time("o.created_at", zone: zone)), ("updated_at", J.time("o.updated_at", zone: zone)),
            ("photos", J.array(of: photo, rows: photoRows, orderBy: "p.created_at, p.id")),
        ])
        let joins = """
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN users m ON m.id = o.manager_id
            LEFT JOIN LATERAL (\(crew) AND \(written)) crew ON true
            """
        return (J.concat(order), joins)
    }
}

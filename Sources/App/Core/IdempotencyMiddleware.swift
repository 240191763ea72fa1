import Crypto
import Foundation
import SQLKit
import Vapor

/// `Idempotency-Key` on POST/PUT/PATCH/DELETE: the first successful response of a signed-in user's key is stored and
/// a repeat gets it back without the work being done again (the web UI's offline queue relies on this).
/// Keys expire after 48 hours. A key reused for a different request is a 422; a repeat that arrives while
/// the first is still running is a 409.
struct IdempotencyMiddleware: AsyncMiddleware {
    static let lifetime: TimeInterval = 48 * 3600
    static let methods: [HTTPMethod] = [.POST, .PUT, .PATCH, .DELETE]

    /// A write with a key; the middleware passes everything else on.
    static func applies(to request: Request) -> Bool {
        methods.contains(request.method) && request.headers.contains(name: "Idempotency-Key")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.methods.contains(request.method), let key = request.headers.first(name: "Idempotency-Key"),
            let user = request.auth.get(Caller.self)
        else { return try await next.respond(to: request) }
        guard !key.isEmpty, key.count <= 200 else {
            throw FieldErrors("Idempotency-Key", "Ключ идемпотентности должен быть от 1 до 200 символов.")
        }
        let body: ByteBuffer? = try await request.body.collect(
            upTo: request.application.config.uploadMaxBytes + 1024 * 1024)
        var hasher = SHA256()
        hasher.update(data: Data(request.method.rawValue.utf8))
        hasher.update(data: Data(request.url.path.utf8))
        if let body { hasher.update(data: Self.hashedBody(body, of: request)) }
        let requestHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()

        let sql = try request.db.sql()
        let since = Date().addingTimeInterval(-Self.lifetime)
        if let stored = try await sql.select().columns("request_hash", "status", "content_type", "body", "completed")
            .from("idempotency_keys").where("user_id", .equal, user.id).where("key", .equal, key)
            .where("created_at", .greaterThan, since).first()
        {
            return try replay(stored, requestHash: requestHash)
        }
        // Its writes take the write turn themselves: a route that serialises its own writes is outside
        // `SQLiteWriteGate`, and inside the gate's turn these run at once.
        let serializer = request.application.writeSerializer
        // Drop an expired row with this key, then claim the key; the unique index decides concurrent claims.
        let method = request.method.rawValue
        let path = request.url.path
        do {
            try await serializer.run {
                try await sql.delete(from: "idempotency_keys").where("user_id", .equal, user.id)
                    .where("key", .equal, key).where("created_at", .lessThanOrEqual, since).run()
                try await sql.insert(into: "idempotency_keys")
                    .columns("user_id", "key", "method", "path", "request_hash", "status", "completed", "created_at")
                    .values(
                        SQLBind(user.id), SQLBind(key), SQLBind(method), SQLBind(path),
                        SQLBind(requestHash), SQLBind(0), SQLBind(false), SQLBind(Date())
                    )
                    .run()
            }
        } catch {
            throw APIError.conflict("Запрос с этим ключом идемпотентности уже выполняется.")
        }

        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = AppErrorMiddleware.response(for: error, request: request)
        }
        if !(200..<300).contains(response.status.code) {
            // Only success is replayed. A refused or failed request changed nothing, so a retry (the offline
            // queue's «Повторить» after the reason is fixed) is evaluated again.
            try? await serializer.run {
                try await sql.delete(from: "idempotency_keys").where("user_id", .equal, user.id)
                    .where("key", .equal, key).run()
            }
            return response
        }
        let bodyText = response.body.string ?? ""
        let contentType = response.headers.first(name: .contentType) ?? ""
        let status = Int(response.status.code)
        try await serializer.run {
            try await sql.update("idempotency_keys")
                .set("status", to: status)
                .set("content_type", to: contentType)
                .set("body", to: bodyText)
                .set("completed", to: true)
                .where("user_id", .equal, user.id).where("key", .equal, key)
                .run()
        }
        return response
    }

    /// The body as hashed: a web form's `_csrf` is left out, because the offline queue replays a stored form
    /// with the current page's token, which differs after the user signed in again.
    /// What identifies a request: JSON by meaning (clients may serialise one object with keys in any order),
    /// form posts without their CSRF token (a replay after signing in again carries a new one).
    static func hashedBody(_ body: ByteBuffer, of request: Request) -> Data {
        guard WebForm.isForm(request) else {
            if let json = try? JSONDecoder().decode(JSONValue.self, from: body) { return Data(json.jsonText.utf8) }
            return Data(buffer: body)
        }
        let kept = String(buffer: body).split(separator: "&", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("_csrf=") }
        return Data(kept.joined(separator: "&").utf8)
    }

    private func replay(_ row: any SQLRow, requestHash: String) throws -> Response {
        guard try row.decode(column: "request_hash", as: String.self) == requestHash else {
            throw APIError(
                status: .unprocessableEntity, detail: "Ключ идемпотентности уже использован для другого запроса.")
        }
        guard try row.decode(column: "completed", as: Bool.self) else {
            throw APIError.conflict("Запрос с этим ключом идемпотентности уже выполняется.")
        }
        let status = HTTPResponseStatus(statusCode: try row.decode(column: "status", as: Int.self))
        let response = Response(status: status, body: .init(string: try row.decode(column: "body", as: String.self)))
        let contentType = try row.decode(column: "content_type", as: String.self)
        if !contentType.isEmpty { response.headers.replaceOrAdd(name: .contentType, value: contentType) }
        response.headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        return response
    }
}

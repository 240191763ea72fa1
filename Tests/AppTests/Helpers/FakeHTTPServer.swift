import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

@testable import App

/// A small HTTP server on 127.0.0.1 standing in for an outside service (the Telegram Bot API, a
/// push service). It records every request and answers with what `respond` says.
final class FakeHTTPServer: Sendable {
    struct Recorded: Sendable {
        var method: HTTPMethod
        var path: String
        var headers: HTTPHeaders
        var body: [UInt8]

        var json: JSONValue? { JSONValue.parse(String(decoding: body, as: UTF8.self)) }
    }

    /// Status and body for the n-th request (0-based) to a path.
    typealias Responder = @Sendable (_ request: Recorded, _ index: Int) -> (HTTPResponseStatus, String)

    let app: Application
    let port: Int
    private let log: NIOLockedValueBox<[Recorded]>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [Recorded] { log.withLockedValue { $0 } }

    private init(app: Application, port: Int, log: NIOLockedValueBox<[Recorded]>) {
        self.app = app
        self.port = port
        self.log = log
    }

    static func start(_ respond: @escaping Responder) async throws -> FakeHTTPServer {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let log = NIOLockedValueBox<[Recorded]>([])
        let handler: @Sendable (Request) async throws -> Response = { req in
            var body: [UInt8] = []
            if let buffer = req.body.data { body = Array(buffer.readableBytesView) }
            let recorded = Recorded(method: req.method, path: req.url.path, headers: req.headers, body: body)
            let index = log.withLockedValue { entries in
                entries.append(recorded)
                return entries.filter { $0.path == recorded.path }.count - 1
            }
            let (status, text) = respond(recorded, index)
            let response = Response(status: status, body: .init(string: text))
            response.headers.contentType = .json
            return response
        }
        for method in [HTTPMethod.GET, .POST, .PUT, .DELETE] {
            app.on(method, "**", body: .collect(maxSize: "10mb"), use: handler)
        }
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        guard let port = app.http.server.shared.localAddress?.port else {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw TestFailure("fake server has no port")
        }
        return FakeHTTPServer(app: app, port: port, log: log)
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Runs `body` with a started server and always stops it.
    static func with<T>(_ respond: @escaping Responder, _ body: (FakeHTTPServer) async throws -> T) async throws -> T {
        let server = try await start(respond)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

extension TestApp {
    /// Lets queued notification deliveries (and their retries) finish.
    func deliveriesFinished() async {
        if let dispatcher = app.notificationDispatcher as? InProcessNotificationDispatcher {
            await dispatcher.waitUntilIdle()
        }
    }

    /// Rows of `notification_deliveries` for a user, oldest first.
    func deliveries(
        of userID: Int, channel: String? = nil
    ) async throws -> [(channel: String, status: String, attempt: Int, error: String, isFinal: Bool)] {
        var query = try db.sql().select().columns("channel", "status", "attempt", "error", "is_final")
            .from("notification_deliveries").where("user_id", .equal, userID)
        if let channel { query = query.where("channel", .equal, channel) }
        return try await query.orderBy("id").all().map {
            (
                try $0.decode(column: "channel", as: String.self), try $0.decode(column: "status", as: String.self),
                try $0.decode(column: "attempt", as: Int.self), try $0.decode(column: "error", as: String.self),
                try $0.decode(column: "is_final", as: Bool.self)
            )
        }
    }

    /// The event types in a user's inbox, oldest first.
    func inbox(of userID: Int) async throws -> [InboxNotification] {
        try await InboxNotification.query(on: db).filter(\.$userID == userID).sort(\.$id).all()
    }
}

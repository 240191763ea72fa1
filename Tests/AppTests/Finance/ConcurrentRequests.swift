import Foundation
import Vapor

@testable import App

extension TestApp {
    /// Sends requests at the same time to one running server (VaporTesting's live tester starts and stops
    /// the server around every single request, so it cannot overlap requests).
    func concurrently(_ requests: [(method: HTTPMethod, path: String, token: String)]) async throws -> [Reply] {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            guard let port = app.http.server.shared.localAddress?.port else { throw TestFailure("no port") }
            let client = app.client
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for request in requests {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.add(name: .authorization, value: "Bearer \(request.token)")
                        let response = try await client.send(
                            request.method, headers: headers, to: URI(string: "http://127.0.0.1:\(port)\(request.path)")
                        )
                        let body = response.body.map { Data(buffer: $0) } ?? Data()
                        return Reply(
                            status: response.status, headers: response.headers,
                            body: String(decoding: body, as: UTF8.self),
                            data: body)
                    }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            await app.server.shutdown()
            return replies
        } catch {
            await app.server.shutdown()
            throw error
        }
    }
}

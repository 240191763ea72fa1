import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

/// `OnlyWhen` runs its middleware for the requests it applies to and passes the others on untouched.
@Suite("Middlewares: OnlyWhen")
struct OnlyWhenTests {
    private struct Recorder: AsyncMiddleware {
        let seen: NIOLockedValueBox<[String]>

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            seen.withLockedValue { $0.append("\(request.method) \(request.url.path)") }
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: "X-Recorded", value: "yes")
            return response
        }
    }

    @Test func theWrappedMiddlewareSeesOnlyTheRequestsItAppliesTo() async throws {
        try await TestApp.run { t in
            let seen = NIOLockedValueBox<[String]>([])
            let probe = t.app.grouped(Recorder(seen: seen).onlyWhen { $0.method == .POST })
            probe.get("probe") { _ in "read" }
            probe.post("probe") { _ in "written" }
            let read = try await t.send(.GET, "/probe")
            let written = try await t.send(.POST, "/probe")
            #expect(read.body == "read" && read.headers.first(name: "X-Recorded") == nil)
            #expect(written.body == "written" && written.headers.first(name: "X-Recorded") == "yes")
            #expect(seen.withLockedValue { $0 } == ["POST /probe"])
        }
    }

    @Test func staticFilesAreNotLookedForUnderTheAPI() async throws {
        try await TestApp.run { t in
            let request = Request(
                application: t.app, method: .GET, url: "/api/v1/sw.js", on: t.app.eventLoopGroup.any())
            #expect(!request.isOutsideAPI)
            let page = Request(application: t.app, method: .GET, url: "/sw.js", on: t.app.eventLoopGroup.any())
            #expect(page.isOutsideAPI)
        }
    }
}

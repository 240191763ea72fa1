import Testing
import Vapor

@testable import App

/// `GET /api/schema/` documents exactly the routes the program registers under `/api/v1`.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    /// `(METHOD, /api/v1/orders/{id}/)` for every registered API route.
    private static func registeredOperations(_ app: Application) -> Set<String> {
        Set(
            app.routes.all.compactMap { route -> String? in
                let parts = route.path.map { component -> String in
                    switch component {
                    case .parameter(let name): "{\(name)}"
                    default: component.description
                    }
                }
                guard parts.starts(with: ["api", "v1"]) else { return nil }
                return "\(route.method.rawValue) /\(parts.joined(separator: "/"))/"
            })
    }

    /// The same pairs read back from the served document.
    private static func documentedOperations(_ document: [String: JSONValue]) -> Set<String> {
        var operations: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func documentListsEveryRegisteredRouteAndNoOther() async throws {
        try await TestApp.run { t in
            let reply = try await t.concurrent.send(.GET, "/api/schema/")
            #expect(reply.status == .ok)
            let registered = Self.registeredOperations(t.app)
            let documented = Self.documentedOperations(reply.object)
            #expect(registered.count > 100)
            #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
            #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
        }
    }

    @Test func schemaIsPublicJSONWithOpenAPIVersionAndBearerScheme() async throws {
        try await TestApp.run { t in
            for path in ["/api/schema/", "/api/schema"] {
                let reply = try await t.concurrent.send(.GET, path)
                #expect(reply.status == .ok)
                #expect(reply.headers.contentType == .json)
                #expect(reply.string("openapi")?.hasPrefix("3.") == true)
                let schemes = reply["components"]?.objectValue?["securitySchemes"]?.objectValue
                #expect(schemes?["bearerAuth"]?.objectValue?["scheme"]?.stringValue == "bearer")
            }
        }
    }

    @Test func loginAndRefreshNeedNoToken() async throws {
        try await TestApp.run { t in
            let paths = try await t.concurrent.send(.GET, "/api/schema/")["paths"]?.objectValue ?? [:]
            for path in ["/api/v1/token/", "/api/v1/token/refresh/"] {
                let login = paths[path]?.objectValue?["post"]?.objectValue
                #expect(login?["security"] == .array([]), "\(path) must be public")
            }
            let me = paths["/api/v1/users/me/"]?.objectValue?["get"]?.objectValue
            #expect(me?["security"] == nil, "signed-in routes use the document's bearer security")
            #expect(me?["responses"]?.objectValue?["401"] != nil)
        }
    }

    @Test func idsInPathsAreTypedParameters() async throws {
        try await TestApp.run { t in
            let paths = try await t.concurrent.send(.GET, "/api/schema/")["paths"]?.objectValue ?? [:]
            func idSchema(_ path: String) -> [String: JSONValue]? {
                let parameters = paths[path]?.objectValue?["get"]?.objectValue?["parameters"]
                guard case .array(let list) = parameters ?? .null else { return nil }
                return list.compactMap(\.objectValue).first { $0["name"] == .string("id") }?["schema"]?.objectValue
            }
            #expect(idSchema("/api/v1/users/{id}/")?["type"] == .string("integer"))
            #expect(idSchema("/api/v1/orders/{id}/")?["format"] == .string("uuid"))
        }
    }
}

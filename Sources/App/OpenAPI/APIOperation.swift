import Domain
import Vapor

/// One documented route of `/api/v1`: method, path (`{param}` style, with the trailing slash the API uses),
/// who may call it, its query parameters, body and main answer.
struct APIOperation: Sendable {
    enum Access: Sendable {
        case anyone
        case signedIn
        case roles([Role])
    }

    enum Body: Sendable {
        case none
        case json(Schema)
        case multipart(Schema)
    }

    enum Answer: Sendable {
        case json(Int, Schema)
        case page(Schema)
        case noContent
        case file(String)
    }

    var method: HTTPMethod
    var path: String
    var summary: String
    var tag: String
    var access: Access = .signedIn
    var query: [String: Schema] = [:]
    var body: Body = .none
    var answer: Answer = .json(200, .anyObject)
    var links: [String: JSONValue] = [:]

    /// The path parameters, in order (`/orders/{id}/photos/{photoID}/` → `id`, `photoID`).
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    /// Orders (and what hangs off an order's path) are keyed by UUID; every other row by a positive integer.
    func pathParameterSchema(_ name: String) -> Schema {
        name == "id" && path.hasPrefix("/api/v1/orders/{id}/") ? .uuid : .id
    }

    var operationID: String {
        let words = path.split(separator: "/").dropFirst(2).map { part -> String in
            part.hasPrefix("{") ? "by_" + part.dropFirst().dropLast() : String(part)
        }
        return ([method.rawValue.lowercased()] + words).joined(separator: "_")
            .replacingOccurrences(of: "-", with: "_")
    }
}

// MARK: - Rendering

extension APIOperation {
    var json: JSONValue {
        var operation: [String: JSONValue] = [
            "operationId": .string(operationID),
            "summary": .string(summary),
            "tags": .array([.string(tag)]),
            "responses": .object(responses),
        ]
        var parameters: [JSONValue] = pathParameters.map { name in
            .object([
                "name": .string(name), "in": .string("path"), "required": .bool(true),
                "schema": pathParameterSchema(name).value,
            ])
        }
        parameters += query.sorted { $0.key < $1.key }.map { name, schema in
            .object([
                "name": .string(name), "in": .string("query"), "required": .bool(false), "schema": schema.value,
            ])
        }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        switch body {
        case .none: break
        case .json(let schema):
            operation["requestBody"] = .object([
                "required": .bool(true), "content": .object(["application/json": .object(["schema": schema.value])]),
            ])
        case .multipart(let schema):
            operation["requestBody"] = .object([
                "required": .bool(true), "content": .object(["multipart/form-data": .object(["schema": schema.value])]),
            ])
        }
        switch access {
        case .anyone:
            operation["security"] = .array([])
        case .signedIn:
            break
        case .roles(let roles):
            let names = roles.map(\.rawValue).joined(separator: ", ")
            operation["description"] = .string("Роли: \(names).")
        }
        return .object(operation)
    }

    private var responses: [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        switch answer {
        case .json(let status, let schema):
            responses[String(status)] = Self.content("Успешно.", schema)
        case .page(let item):
            responses["200"] = Self.content("Страница списка.", Self.page(of: item))
        case .noContent:
            responses["204"] = .object(["description": .string("Удалено.")])
        case .file(let mediaType):
            responses["200"] = .object([
                "description": .string("Файл."),
                "content": .object([mediaType: .object(["schema": Schema.binary.value])]),
            ])
        }
        if !links.isEmpty, let key = responses.keys.first, case .object(var success) = responses[key] {
            success["links"] = .object(links)
            responses[key] = .object(success)
        }
        if case .none = body, query.isEmpty {
        } else {
            responses["400"] = Self.reference("BadRequest")
        }
        if case .anyone = access {
        } else {
            responses["401"] = Self.reference("Unauthorized")
        }
        if case .roles = access { responses["403"] = Self.reference("Forbidden") }
        if !pathParameters.isEmpty { responses["404"] = Self.reference("NotFound") }
        return responses
    }

    private static func content(_ description: String, _ schema: Schema) -> JSONValue {
        .object([
            "description": .string(description),
            "content": .object(["application/json": .object(["schema": schema.value])]),
        ])
    }

    private static func reference(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/components/responses/\(name)")])
    }

    static func page(of item: Schema) -> Schema {
        .object(
            [
                "count": .integer, "next": Schema.string(max: 2000).nullable,
                "previous": Schema.string(max: 2000).nullable,
                "results": .array(item),
            ], required: ["count", "next", "previous", "results"])
    }
}

import Vapor

/// The OpenAPI 3.0 document of `/api/v1`, served at `GET /api/schema/`.
enum OpenAPIDocument {
    static let version = "3.0.3"

    /// Built once: the contract does not change while the program runs.
    static let text: String = document(APIContract.operations).jsonText

    @Sendable static func serve(req: Request) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = .json
        return response
    }

    static func document(_ operations: [APIOperation]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = operation.json
        }
        return .object([
            "openapi": .string(version),
            "info": .object([
                "title": .string("Ringo Uchet API"),
                "version": .string("1"),
                "description": .string(
                    "JSON API «Ринго Учёт». Ошибки: 400 `{\"поле\": [\"сообщение\"]}` или `{\"detail\": \"…\"}`, "
                        + "401/403/404 `{\"detail\": \"…\"}`. "
                        + "Токен: `POST /api/v1/token/`, затем `Authorization: Bearer …`."
                ),
            ]),
            "servers": .array([.object(["url": .string("/")])]),
            "security": .array([.object(["bearerAuth": .array([])])]),
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": components,
        ])
    }

    private static var components: JSONValue {
        let detail = Schema.object(["detail": .string(max: 10_000)], required: ["detail"])
        let fieldErrors = Schema([
            "type": .string("object"),
            "description": .string("Ошибки полей `{\"поле\": [\"сообщение\"]}` или `{\"detail\": \"…\"}`."),
            "additionalProperties": .bool(true),
        ])
        func response(_ description: String, _ schema: Schema) -> JSONValue {
            .object([
                "description": .string(description),
                "content": .object(["application/json": .object(["schema": schema.value])]),
            ])
        }
        return .object([
            "securitySchemes": .object([
                "bearerAuth": .object([
                    "type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT"),
                ])
            ]),
            "schemas": .object([
                "OrderItemInput": APIBodies.orderItem.value,
                "OperatorPayInput": APIBodies.operatorPay.value,
                "Detail": detail.value,
                "FieldErrors": fieldErrors.value,
            ]),
            "responses": .object([
                "BadRequest": response("Некорректные данные.", .reference("FieldErrors")),
                "Unauthorized": response("Нет токена или он недействителен.", .reference("Detail")),
                "Forbidden": response("Недостаточно прав.", .reference("Detail")),
                "NotFound": response("Не найдено.", .reference("Detail")),
            ]),
        ])
    }
}

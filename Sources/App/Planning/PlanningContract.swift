import Domain

/// The planning API's entry in the OpenAPI document (docs/planning.md#api).
extension APIContract {
    static var planning: [APIOperation] {
        let interval = Schema.object(
            [
                "order": .string(), "number": .string(), "status": .choice(OrderStatus.self), "start": .dateTime,
                "end": .dateTime, "open_end": .boolean, "client": .string(), "address": .string(max: 500),
            ])
        let row = Schema.object(
            [
                "id": .integer, "name": .string(), "detail": .string(), "group": .string(), "utilisation": .string(),
                "busy_hours": .string(), "intervals": .array(interval),
            ])
        return [
            APIOperation(
                method: .GET, path: "/api/v1/planning/", summary: "План: занятость техники или операторов",
                tag: "planning",
                query: [
                    "from": Schema.date.described("Первый день (YYYY-MM-DD), по умолчанию сегодня."),
                    "to": Schema.date.described("Последний день включительно, по умолчанию через 6 дней; до 92 дней."),
                    "resource": .choice(PlanningResource.self),
                ],
                answer: .json(
                    200,
                    .object([
                        "from": .date, "to": .date, "resource": .choice(PlanningResource.self),
                        "utilisation": .string(), "rows": .array(row),
                    ])))
        ]
    }
}

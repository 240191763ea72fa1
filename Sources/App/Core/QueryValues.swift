import Vapor

/// The URL's query parameters, parsed once per request. Vapor's `req.query[key]` runs the full
/// `URLEncodedFormDecoder` for every key it is asked for, which on the order list (a dozen keys read
/// per request) cost more than serving a cached page. Repeated keys keep the last value, as Django's
/// `QueryDict.get` does.
struct QueryValues: Sendable {
    private let values: [String: String]

    init(_ query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.decode(parts[0]), !key.isEmpty else { continue }
            values[key] = parts.count > 1 ? (Self.decode(parts[1]) ?? "") : ""
        }
        self.values = values
    }

    subscript(_ key: String) -> String? { values[key] }

    private static func decode(_ text: Substring) -> String? {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding
    }
}

extension Request {
    private struct QueryValuesKey: StorageKey { typealias Value = QueryValues }

    /// The query parameters by name (see `QueryValues`).
    var queryValues: QueryValues {
        if let parsed = storage[QueryValuesKey.self] { return parsed }
        let parsed = QueryValues(url.query)
        storage[QueryValuesKey.self] = parsed
        return parsed
    }
}

import Foundation
import Vapor

/// `?page=N&page_size=M` (1-based; default 50 per page, at most 200).
struct PageRequest: Sendable {
    static let defaultSize = 50
    static let maximumSize = 200

    var page: Int
    var size: Int

    var offset: Int { (page - 1) * size }

    init(page: Int = 1, size: Int = PageRequest.defaultSize) {
        self.page = page
        self.size = size
    }

    init(request: Request, defaultSize: Int = PageRequest.defaultSize) throws {
        var errors: [String: [String]] = [:]
        page = 1
        size = defaultSize
        if let raw: String = request.queryValues["page"], !raw.isEmpty {
            if raw == "last" {
                page = Int.max
            } else if let value = Int(raw), value >= 1 {
                page = value
            } else {
                throw APIError.notFound("Неправильная страница.")
            }
        }
        if let raw: String = request.queryValues["page_size"], !raw.isEmpty {
            if let value = Int(raw), value >= 1 {
                size = min(value, Self.maximumSize)
            } else {
                errors["page_size", default: []].append("Требуется целое положительное число.")
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
    }
}

/// The DRF envelope `{count, next, previous, results}`.
struct Page<Item: Content>: Content {
    var count: Int
    var next: String?
    var previous: String?
    var results: [Item]

    private enum CodingKeys: String, CodingKey { case count, next, previous, results }

    // `next` and `previous` are always present, as `null` when there is no such page.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(next, forKey: .next)
        try container.encode(previous, forKey: .previous)
        try container.encode(results, forKey: .results)
    }
}

extension Request {
    /// An integer id from the path; anything else is 404, as an unknown id is.
    func intParameter(_ name: String = "id") throws -> Int {
        guard let raw = parameters.get(name), let value = Int(raw), value > 0 else { throw APIError.notFound() }
        return value
    }
}

enum PageLinks {
    /// Absolute URLs of the neighbouring pages, keeping every other query parameter.
    static func links(for request: Request, page: PageRequest, count: Int) -> (next: String?, previous: String?) {
        let lastPage = max(1, (count + page.size - 1) / page.size)
        func url(for number: Int) -> String {
            var components = URLComponents()
            components.path = request.url.path
            var items = (URLComponents(string: request.url.string)?.queryItems ?? []).filter { $0.name != "page" }
            if number > 1 { items.append(URLQueryItem(name: "page", value: String(number))) }
            components.queryItems = items.isEmpty ? nil : items
            return request.application.publicBaseURL + (components.string ?? request.url.path)
        }
        let next = page.page < lastPage ? url(for: page.page + 1) : nil
        let previous = page.page > 1 ? url(for: min(page.page - 1, lastPage)) : nil
        return (next, previous)
    }

    /// 404 for a page past the end, as the original does (page 1 of an empty list is fine).
    static func checkInRange(_ page: PageRequest, count: Int) throws {
        let lastPage = max(1, (count + page.size - 1) / page.size)
        if page.page > lastPage { throw APIError.notFound("Неправильная страница.") }
    }
}

extension Request {
    /// `https` when `PUBLIC_URL` says so, or when the request came through a trusted proxy that says so.
    var publicScheme: String {
        if let publicURL = application.config.publicURL { return publicURL.hasPrefix("https://") ? "https" : "http" }
        if let proto = headers.first(name: "X-Forwarded-Proto"), isFromTrustedProxy { return proto }
        return application.http.server.configuration.tlsConfiguration == nil ? "http" : "https"
    }

    var isFromTrustedProxy: Bool {
        let proxies = application.config.trustedProxies
        guard !proxies.isEmpty, let peer = remoteAddress?.ipAddress else { return false }
        return proxies.contains {
            $0 == "*" || $0 == peer || (peer.hasPrefix($0.replacingOccurrences(of: "*", with: "")) && $0.hasSuffix("*"))
        }
    }

    /// The client's IP: the first X-Forwarded-For entry when the peer is a trusted proxy.
    var clientIP: String {
        if isFromTrustedProxy, let forwarded = headers.first(name: .xForwardedFor)?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}

extension Application {
    /// The start of every absolute link the program writes, without a trailing slash: `PUBLIC_URL`, or the
    /// address the server listens on. Never taken from a request's headers.
    var publicBaseURL: String {
        if let publicURL = config.publicURL { return publicURL }
        let server = http.server.configuration
        let scheme = server.tlsConfiguration == nil ? "http" : "https"
        let host = server.hostname == "0.0.0.0" || server.hostname == "::" ? "127.0.0.1" : server.hostname
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(server.port)"
    }
}

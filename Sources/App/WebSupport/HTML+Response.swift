import Domain
import Foundation
import Plot
import Vapor
import WebUI

/// A Plot document is a response: `text/html; charset=utf-8`.
extension HTML: @retroactive AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: render()))
    }
}

/// Building pages and redirects in web handlers.
enum WebReply {
    /// The page with the given status; a flash shown by this page is cleared, and the signed-out visitor's
    /// pre-session nonce is stored so the forms on the page carry a valid CSRF token.
    static func page(_ page: some WebPage, status: HTTPResponseStatus = .ok, on req: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let response = Response(status: status, headers: headers, body: .init(string: page.render()))
        finish(response, on: req)
        return response
    }

    /// Success of a form post: `{"redirect": …}` for app.js, a 303 for a plain form. The flash is shown by the
    /// next page either way.
    static func redirect(to path: String, flash: Flash? = nil, on req: Request) -> Response {
        let response: Response
        if req.wantsJSON {
            response = Response(
                status: .ok, body: .init(string: JSONValue.object(["redirect": .string(path)]).jsonText))
            response.headers.contentType = .json
        } else {
            response = req.redirect(to: path, redirectType: .normal)
        }
        if let flash {
            response.cookies[WebSession.flashCookie] = WebSession.cookie(FlashCookie.encode(flash), maxAge: 60, on: req)
        }
        return response
    }

    /// A rejected post for app.js: `{"detail": …, "errors": {field: message}}`.
    static func rejection(_ status: HTTPResponseStatus, detail: String, errors: FormErrors = [:]) -> Response {
        var body: [String: JSONValue] = ["detail": .string(detail)]
        if !errors.isEmpty { body["errors"] = .object(errors.mapValues { .string($0) }) }
        let response = Response(status: status, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }

    private static func finish(_ response: Response, on req: Request) {
        if req.cookies[WebSession.flashCookie] != nil {
            response.cookies[WebSession.flashCookie] = WebSession.expired(on: req)
        }
        if req.webSessionID == nil, req.cookies[WebSession.preSessionCookie] == nil, let nonce = req.preSessionNonce {
            response.cookies[WebSession.preSessionCookie] = WebSession.cookie(nonce, maxAge: 7 * 86_400, on: req)
        }
    }
}

extension Request {
    /// What every page needs: the user, the CSRF token, a pending flash and the company time zone.
    func pageContext(flashes: [Flash] = []) -> PageContext {
        if webSessionID == nil, preSessionNonce == nil { preSessionNonce = CSRF.newNonce() }
        let user = auth.get(Caller.self).map { CurrentUser(id: String($0.id), fullName: $0.fullName, role: $0.role) }
        var all = flashes
        if let cookie = cookies[WebSession.flashCookie]?.string, let flash = FlashCookie.decode(cookie) {
            all.insert(flash, at: 0)
        }
        return PageContext(
            user: user, csrfToken: CSRF.token(for: self), flashes: all, timeZone: application.config.timeZone)
    }
}

/// A flash message in a short-lived cookie: `kind|percent-encoded text`.
enum FlashCookie {
    static func encode(_ flash: Flash) -> String {
        let text = flash.message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return flash.kind.rawValue + "|" + text
    }

    static func decode(_ raw: String) -> Flash? {
        let parts = raw.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let kind = Flash.Kind(rawValue: String(parts[0])),
            let message = String(parts[1]).removingPercentEncoding, !message.isEmpty, message.count <= 300
        else { return nil }
        return Flash(kind, message)
    }
}

import Domain
import Foundation
import Plot

/// Every page: `init(model:)`, `html()` for Plot's `HTML` (a Vapor `ResponseEncodable` via the App's conformance)
/// and `render()` for the HTML document as a string.
public protocol WebPage: Sendable {
    func html() -> HTML
}

extension WebPage {
    /// The whole document, minified: `<!DOCTYPE html><html lang="ru">…`.
    public func render() -> String {
        return html().render()
    }
}

/// The signed-in user as the layout needs it.
public struct CurrentUser: Sendable, Equatable {
    public var id: String
    public var fullName: String
    public var role: Role

    public init(id: String, fullName: String, role: Role) {
        self.id = id
        self.fullName = fullName
        self.role = role
    }
}

/// A one-time message shown at the top of the next page («Заявка создана»).
public struct Flash: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case success
        case error
        case info
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Field name (exactly as posted, e.g. `address`, `items[0][hours]`) → Russian message shown next to that field.
public typealias FormErrors = [String: String]

/// What every page gets besides its own data: the user (nil when signed out), the CSRF token for forms,
/// flash messages and the company time zone used for all dates.
public struct PageContext: Sendable {
    public var user: CurrentUser?
    public var csrfToken: String
    public var flashes: [Flash]
    public var timeZone: TimeZone

    public init(
        user: CurrentUser?, csrfToken: String, flashes: [Flash] = [], timeZone: TimeZone = BusinessTime.timeZone
    ) {
        self.user = user
        self.csrfToken = csrfToken
        self.flashes = flashes
        self.timeZone = timeZone
    }

    /// The role of the signed-in user, if any.
    public var role: Role? { user?.role }
}

/// A value and its label for `<select>` options and checkbox lists.
public struct Choice: Sendable, Equatable {
    public var value: String
    public var label: String

    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}

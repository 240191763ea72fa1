import Foundation
import Testing

@testable import App

extension TestApp {
    /// A service context acting as `user`, for calling services without HTTP.
    func services(as user: User) throws -> ServiceContext {
        let id = try #require(user.id)
        return ServiceContext(app: app, caller: Caller(id: id, role: user.role, fullName: user.fullName))
    }
}

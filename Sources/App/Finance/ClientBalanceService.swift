import Domain
import Foundation
import SQLKit
import Vapor

/// A client's account: billed − paid, the debt by age since completion (docs/domain-rules.md) and the credit
/// limit, in the company's calendar.
struct ClientBalanceService {
    let context: ServiceContext

    /// The client's statement at `asOf` (now when nil).
    func statement(of clientID: Int, asOf: Date? = nil) async throws -> ClientAccount.Statement {
        let account = ClientAccount(sql: try context.db.sql())
        guard let client = try await account.client(clientID) else { throw ClientBalanceError.notFound }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = context.timeZone
        return try await account.statement(of: client, asOf: asOf ?? context.now(), calendar: calendar)
    }
}

enum ClientBalanceError: APIMappedError, Sendable, Equatable {
    case notFound

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        }
    }
}

extension Request {
    var clientBalances: ClientBalanceService {
        get throws { ClientBalanceService(context: try services) }
    }
}

import NIOConcurrencyHelpers

@testable import App

/// A name → addresses table in place of DNS; names not in it do not resolve. Entries can change
/// during a test, as DNS answers can between a subscription and a send.
final class FakeHostResolver: HostResolving {
    struct NotFound: Error {}
    private let table: NIOLockedValueBox<[String: [String]]>

    init(_ table: [String: [String]]) { self.table = NIOLockedValueBox(table) }

    func set(_ host: String, to addresses: [String]) {
        table.withLockedValue { $0[host] = addresses }
    }

    func addresses(of host: String) async throws -> [String] {
        guard let found = table.withLockedValue({ $0[host] }) else { throw NotFound() }
        return found
    }
}

import Foundation
import NIOPosix
import Vapor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sorts IP addresses into those on the public internet and those that reach this host, its
/// networks or nothing at all (private, loopback, link-local, unique-local, CGNAT, multicast,
/// documentation, reserved, unspecified). IPv4-mapped, NAT64 and 6to4 IPv6 addresses are judged by
/// the IPv4 address inside them.
enum IPAddressClass: String, Sendable, Equatable {
    case publicInternet = "public"
    case unspecified, loopback, privateNetwork = "private", linkLocal = "link-local", uniqueLocal = "unique-local"
    case sharedAddressSpace = "cgnat", multicast, reserved

    var isPublic: Bool { self == .publicInternet }

    /// nil when `text` is not an IPv4 or IPv6 literal.
    static func of(_ text: String) -> IPAddressClass? {
        let literal = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if let bytes = IPAddressLiteral.ipv4(literal) { return ofIPv4(bytes) }
        if let bytes = IPAddressLiteral.ipv6(literal) { return ofIPv6(bytes) }
        return nil
    }

    static func ofIPv4(_ a: [UInt8]) -> IPAddressClass {
        switch (a[0], a[1], a[2]) {
        case (0, _, _): return .unspecified  // 0.0.0.0/8 "this network"
        case (10, _, _): return .privateNetwork
        case (100, 64...127, _): return .sharedAddressSpace
        case (127, _, _): return .loopback
        case (169, 254, _): return .linkLocal
        case (172, 16...31, _): return .privateNetwork
        case (192, 0, 0), (192, 0, 2): return .reserved  // IETF protocol assignments, TEST-NET-1
        case (192, 88, 99): return .reserved  // 6to4 relay anycast
        case (192, 168, _): return .privateNetwork
        case (198, 18...19, _): return .reserved  // benchmarking
        case (198, 51, 100), (203, 0, 113): return .reserved  // TEST-NET-2, TEST-NET-3
        case (224...239, _, _): return .multicast
        case (240...255, _, _): return .reserved  // includes 255.255.255.255
        default: return .publicInternet
        }
    }

    static func ofIPv6(_ a: [UInt8]) -> IPAddressClass {
        let prefix96IsZero = a[0..<10].allSatisfy { $0 == 0 }
        if prefix96IsZero, a[10] == 0xff, a[11] == 0xff { return ofIPv4(Array(a[12..<16])) }  // ::ffff:a.b.c.d
        if prefix96IsZero, a[10] == 0, a[11] == 0 {
            if a[12..<15].allSatisfy({ $0 == 0 }) {
                if a[15] == 0 { return .unspecified }
                if a[15] == 1 { return .loopback }
            }
            return .reserved  // ::a.b.c.d, deprecated IPv4-compatible
        }
        // 64:ff9b::/96 (NAT64) carries an IPv4 address in its last four bytes.
        if a[0] == 0x00, a[1] == 0x64, a[2] == 0xff, a[3] == 0x9b, a[4..<12].allSatisfy({ $0 == 0 }) {
            return ofIPv4(Array(a[12..<16]))
        }
        if a[0] == 0x20, a[1] == 0x02 { return ofIPv4(Array(a[2..<6])) }  // 2002::/16, 6to4
        if a[0] == 0xff { return .multicast }
        if a[0] & 0xfe == 0xfc { return .uniqueLocal }  // fc00::/7
        if a[0] == 0xfe, a[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if a[0] == 0xfe, a[1] & 0xc0 == 0xc0 { return .privateNetwork }  // fec0::/10, old site-local
        if a[0] == 0x20, a[1] == 0x01, a[2] == 0x0d, a[3] == 0xb8 { return .reserved }  // 2001:db8::/32
        if a[0] == 0x01, a[1] == 0x00, a[2..<8].allSatisfy({ $0 == 0 }) { return .reserved }  // 100::/64 discard
        if a[0] == 0x20, a[1] == 0x01, a[2] == 0x00, a[3] == 0x00 { return .reserved }  // 2001::/32 Teredo
        // Only 2000::/3 is allocated as global unicast.
        if a[0] & 0xe0 != 0x20 { return .reserved }
        return .publicInternet
    }
}

enum IPAddressLiteral {
    static func ipv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        let withoutZone = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        var address = in6_addr()
        guard inet_pton(AF_INET6, withoutZone, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

/// Looks up the addresses of a host name.
protocol HostResolving: Sendable {
    func addresses(of host: String) async throws -> [String]
}

/// The system resolver (`getaddrinfo`), called on the thread pool because it blocks.
struct SystemHostResolver: HostResolving {
    let threadPool: NIOThreadPool

    struct LookupFailed: Error {}

    func addresses(of host: String) async throws -> [String] {
        try await threadPool.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Darwin)
                hints.ai_socktype = SOCK_STREAM
            #else
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #endif
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { throw LookupFailed() }
            defer { freeaddrinfo(first) }
            var found: [String] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let socketAddress = entry.pointee.ai_addr {
                    var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(
                        socketAddress, entry.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
                        == 0
                    {
                        found.append(String(cString: text))
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return found
        }
    }
}

/// Decides whether the server may post to a Web Push endpoint: https only, and every address the
/// host resolves to must be on the public internet. A user chooses the endpoint, so without this
/// check the server could be made to call its own database, object storage or cloud metadata.
struct PushEndpointGuard: Sendable {
    var resolver: any HostResolving
    /// Accepts loopback addresses, and plain http to them, so that tests can use a fake push service here.
    var allowsLoopback = false

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case malformed
        case notHTTPS
        case unresolvable(host: String)
        case forbiddenAddress(host: String, address: String, kind: IPAddressClass)

        /// What the user is told (no addresses: they would help map the internal network).
        var message: String {
            switch self {
            case .malformed: return "Адрес подписки Web Push некорректен."
            case .notHTTPS: return "Адрес подписки Web Push должен начинаться с https://."
            case .unresolvable: return "Адрес службы Web Push не найден."
            case .forbiddenAddress: return "Адрес подписки Web Push ведёт во внутреннюю сеть и не принимается."
            }
        }

        var description: String {
            switch self {
            case .malformed, .notHTTPS: return message
            case .unresolvable(let host): return "push endpoint host \(host) does not resolve"
            case .forbiddenAddress(let host, let address, let kind):
                return "push endpoint host \(host) resolves to \(kind.rawValue) address \(address)"
            }
        }
    }

    /// Throws a `Refusal` unless the endpoint may be posted to now. Returns the checked address to connect
    /// to when the host is a name (nil for an address literal), so that the connection does not depend on
    /// a second lookup that could answer differently.
    @discardableResult
    func check(_ endpoint: String) async throws -> String? {
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw Refusal.malformed }
        guard scheme == "https" || (allowsLoopback && scheme == "http") else { throw Refusal.notHTTPS }
        func accept(_ address: String) throws {
            let kind = IPAddressClass.of(address) ?? .reserved
            if kind.isPublic, scheme == "https" { return }
            if allowsLoopback, kind == .loopback { return }
            if kind.isPublic { throw Refusal.notHTTPS }
            throw Refusal.forbiddenAddress(host: host, address: address, kind: kind)
        }
        if IPAddressClass.of(host) != nil {
            try accept(host)
            return nil
        }
        let addresses: [String]
        do {
            addresses = try await resolver.addresses(of: host)
        } catch {
            throw Refusal.unresolvable(host: host)
        }
        guard !addresses.isEmpty else { throw Refusal.unresolvable(host: host) }
        for address in addresses { try accept(address) }
        // IPv4 first: a container often has no IPv6 route, and only this one address will be tried.
        return addresses.first { IPAddressLiteral.ipv4($0) != nil } ?? addresses[0]
    }
}

extension Application {
    private struct PushEndpointGuardKey: StorageKey { typealias Value = PushEndpointGuard }

    /// Checks push endpoints when they are subscribed and again before every send.
    var pushEndpointGuard: PushEndpointGuard {
        get {
            storage[PushEndpointGuardKey.self]
                ?? PushEndpointGuard(resolver: SystemHostResolver(threadPool: threadPool))
        }
        set { storage[PushEndpointGuardKey.self] = newValue }
    }
}

import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

@Suite("Notifications: Web Push endpoints reach only the public internet")
struct PushEndpointTests {
    @Test(arguments: [
        ("8.8.8.8", IPAddressClass.publicInternet),
        ("93.184.215.14", .publicInternet),
        ("0.0.0.0", .unspecified),
        ("0.1.2.3", .unspecified),
        ("10.0.0.5", .privateNetwork),
        ("100.64.0.1", .sharedAddressSpace),
        ("100.127.255.254", .sharedAddressSpace),
        ("100.128.0.1", .publicInternet),
        ("127.0.0.1", .loopback),
        ("127.255.0.9", .loopback),
        ("169.254.169.254", .linkLocal),
        ("172.16.0.1", .privateNetwork),
        ("172.31.255.255", .privateNetwork),
        ("172.32.0.1", .publicInternet),
        ("192.168.1.1", .privateNetwork),
        ("192.0.2.10", .reserved),
        ("198.18.0.1", .reserved),
        ("224.0.0.251", .multicast),
        ("239.255.255.250", .multicast),
        ("240.0.0.1", .reserved),
        ("255.255.255.255", .reserved),
        ("2606:4700:4700::1111", .publicInternet),
        ("2a00:1450:4010:c0d::5f", .publicInternet),
        ("::", .unspecified),
        ("::1", .loopback),
        ("[::1]", .loopback),
        ("::ffff:127.0.0.1", .loopback),
        ("::ffff:7f00:1", .loopback),
        ("::ffff:10.1.2.3", .privateNetwork),
        ("::ffff:169.254.169.254", .linkLocal),
        ("::ffff:8.8.8.8", .publicInternet),
        ("::10.1.2.3", .reserved),
        ("64:ff9b::10.0.0.1", .privateNetwork),
        ("64:ff9b::8.8.8.8", .publicInternet),
        ("2002:c0a8:0101::1", .privateNetwork),
        ("fc00::1", .uniqueLocal),
        ("fd12:3456:789a::1", .uniqueLocal),
        ("fe80::1", .linkLocal),
        ("fe80::1%eth0", .linkLocal),
        ("fec0::1", .privateNetwork),
        ("ff02::1", .multicast),
        ("2001:db8::1", .reserved),
        ("100::1", .reserved),
    ])
    func addressClass(address: String, expected: IPAddressClass) {
        #expect(IPAddressClass.of(address) == expected, "\(address)")
    }

    @Test func namesAreNotAddresses() {
        #expect(IPAddressClass.of("minio") == nil)
        #expect(IPAddressClass.of("push.example.net") == nil)
        #expect(IPAddressClass.of("127.1") == nil)
    }

    @Test func guardChecksSchemeAndEveryResolvedAddress() async throws {
        let resolver = FakeHostResolver([
            "push.example.net": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "minio": ["172.18.0.5"],
            "split.example.net": ["93.184.215.14", "10.0.0.7"],
            "mapped.example.net": ["::ffff:127.0.0.1"],
            "empty.example.net": [],
        ])
        let endpointGuard = PushEndpointGuard(resolver: resolver)
        try await endpointGuard.check("https://push.example.net/send/abc")
        try await endpointGuard.check("https://8.8.8.8/x")
        await #expect(throws: PushEndpointGuard.Refusal.notHTTPS) {
            try await endpointGuard.check("http://push.example.net/x")
        }
        await #expect(throws: PushEndpointGuard.Refusal.malformed) { try await endpointGuard.check("not a url") }
        for refused in [
            "https://minio:9000/bucket", "https://split.example.net/x", "https://mapped.example.net/x",
            "https://127.0.0.1/x", "https://[::1]/x", "https://[::ffff:10.0.0.1]/x", "https://169.254.169.254/latest",
            "https://localhost/x",
        ] {
            await #expect(throws: PushEndpointGuard.Refusal.self, "\(refused)") {
                try await endpointGuard.check(refused)
            }
        }
        await #expect(throws: PushEndpointGuard.Refusal.unresolvable(host: "nowhere.example.net")) {
            try await endpointGuard.check("https://nowhere.example.net/x")
        }
        await #expect(throws: PushEndpointGuard.Refusal.unresolvable(host: "empty.example.net")) {
            try await endpointGuard.check("https://empty.example.net/x")
        }
    }

    @Test func systemResolverFindsLoopbackForLocalhost() async throws {
        try await TestApp.run { t in
            let addresses = try await SystemHostResolver(threadPool: t.app.threadPool).addresses(of: "localhost")
            #expect(!addresses.isEmpty)
            #expect(addresses.allSatisfy { IPAddressClass.of($0) == .loopback }, "\(addresses)")
            let endpointGuard = PushEndpointGuard(resolver: SystemHostResolver(threadPool: t.app.threadPool))
            // Shorthand and integer spellings of 127.0.0.1 are names to URL parsing but loopback to the resolver.
            for spelling in ["https://localhost/x", "https://127.1/x", "https://2130706433/x", "https://0x7f.1/x"] {
                await #expect(throws: PushEndpointGuard.Refusal.self, "\(spelling)") {
                    try await endpointGuard.check(spelling)
                }
            }
        }
    }

    private static let keys = ["p256dh": WebPushCryptoTests.receiverPublic, "auth": WebPushCryptoTests.authSecret]

    @Test func subscriptionsToInternalAddressesAreRefused() async throws {
        try await TestApp.run { t in
            t.app.pushEndpointGuard = PushEndpointGuard(
                resolver: FakeHostResolver([
                    "push.example.net": ["93.184.215.14"], "minio": ["172.18.0.5"],
                    "rebind.example.net": ["::ffff:10.0.0.1"],
                ]))
            let (_, token) = try await t.user(.operator)
            for endpoint in [
                "https://minio:9000/ringo", "https://rebind.example.net/x", "https://10.0.0.5/push",
                "https://[fd00::1]/push",
                "https://[::ffff:127.0.0.1]/push", "https://169.254.169.254/latest/meta-data",
                "http://push.example.net/x",
                "https://unknown.example.net/x",
            ] {
                let reply = try await t.send(
                    .POST, "/api/v1/notifications/webpush/subscriptions/", token: token,
                    json: [
                        "endpoint": endpoint, "keys": Self.keys,
                    ])
                #expect(reply.status == .badRequest, "\(endpoint)")
                #expect(reply["endpoint"] != nil, "\(endpoint): \(reply.body)")
                #expect(!reply.body.contains("172.18") && !reply.body.contains("10.0.0.1"), "\(reply.body)")
                let asDevice = try await t.send(
                    .POST, "/api/v1/notifications/device-tokens/", token: token,
                    json: [
                        "token": endpoint, "platform": "web",
                        "device_info": ["subscription": ["endpoint": endpoint, "keys": Self.keys]],
                    ])
                #expect(asDevice.status == .badRequest, "\(endpoint)")
            }
            #expect(try await DeviceToken.query(on: t.db).count() == 0)
            let accepted = try await t.send(
                .POST, "/api/v1/notifications/webpush/subscriptions/", token: token,
                json: [
                    "endpoint": "https://push.example.net/ok", "keys": Self.keys,
                ])
            #expect(accepted.status == .created)
        }
    }

    @Test func tenSubscriptionsPerUser() async throws {
        try await TestApp.run { t in
            t.app.pushEndpointGuard = PushEndpointGuard(
                resolver: FakeHostResolver(["push.example.net": ["93.184.215.14"]]))
            let (_, token) = try await t.user(.operator)
            let (_, otherToken) = try await t.user(.operator)
            func subscribe(_ number: Int, as bearer: String) async throws -> TestApp.Reply {
                try await t.send(
                    .POST, "/api/v1/notifications/webpush/subscriptions/", token: bearer,
                    json: [
                        "endpoint": "https://push.example.net/\(number)", "keys": Self.keys,
                    ])
            }
            for number in 1...10 { #expect(try await subscribe(number, as: token).status == .created) }
            let eleventh = try await subscribe(11, as: token)
            #expect(eleventh.status == .badRequest)
            #expect(eleventh.body.contains("Не больше 10 подписок"), "\(eleventh.body)")
            let asDevice = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: token,
                json: [
                    "token": "https://push.example.net/12", "platform": "web",
                    "device_info": ["subscription": ["endpoint": "https://push.example.net/12", "keys": Self.keys]],
                ])
            #expect(asDevice.status == .badRequest)
            #expect(try await subscribe(3, as: token).status == .ok, "renewing a known subscription is not a new one")
            #expect(try await subscribe(11, as: otherToken).status == .created, "the limit is per user")
            #expect(
                try await t.send(
                    .DELETE, "/api/v1/notifications/webpush/subscriptions/", token: token,
                    json: [
                        "endpoint": "https://push.example.net/1"
                    ]
                ).status == .noContent)
            #expect(try await subscribe(12, as: token).status == .created)
            #expect(try await DeviceToken.query(on: t.db).filter(\.$platform == "web").count() == 11)
        }
    }

    private static func vapidSettings() -> WebPushSettings {
        let key = P256.Signing.PrivateKey()
        return WebPushSettings(
            publicKey: Base64URL.encode(key.publicKey.x963Representation),
            privateKey: Base64URL.encode(key.rawRepresentation),
            subject: "mailto:admin@example.ru")
    }

    @Test func endpointIsCheckedAgainAtSendTime() async throws {
        try await TestApp.run(adjust: { $0.webPush = Self.vapidSettings() }) { t in
            let resolver = FakeHostResolver(["push.example.net": ["93.184.215.14"]])
            t.app.pushEndpointGuard = PushEndpointGuard(resolver: resolver)
            let (_, managerToken) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            #expect(
                try await t.send(
                    .POST, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                    json: [
                        "endpoint": "https://push.example.net/rebound", "keys": Self.keys,
                    ]
                ).status == .created)
            resolver.set("push.example.net", to: ["10.20.30.40"])

            _ = try await t.createOrder(token: managerToken, ["operator_ids": [driverID]])
            await t.deliveriesFinished()
            let attempts = try await t.deliveries(of: driverID, channel: "push")
            #expect(attempts.map(\.status) == ["failed"])
            #expect(attempts.first?.isFinal == true)
            #expect(attempts.first?.error == "адрес подписки не принимается")
        }
    }

    /// A push service that redirects to this machine, one that answers with a revealing body, and one
    /// that accepts the message.
    private static func startHostileService(internalHits: NIOLockedValueBox<Int>) async throws -> (Application, Int) {
        let service = try await Application.make(.testing)
        service.logger.logLevel = .warning
        service.post("push", "accept") { _ in
            internalHits.withLockedValue { $0 += 100 }
            return Response(status: .created)
        }
        service.post("push", "redirect") { _ in
            Response(status: .temporaryRedirect, headers: ["Location": "/internal/secrets"])
        }
        service.post("push", "leak") { _ in
            Response(status: .badRequest, body: .init(string: "SECRET-INTERNAL-BODY minio:9000 access key"))
        }
        service.on(.POST, "internal", "**") { _ -> String in
            internalHits.withLockedValue { $0 += 1 }
            return "internal"
        }
        do {
            try await service.server.start(address: .hostname("127.0.0.1", port: 0))
        } catch {
            try? await service.asyncShutdown()
            throw error
        }
        guard let port = service.http.server.shared.localAddress?.port else {
            await service.server.shutdown()
            try? await service.asyncShutdown()
            throw TestFailure("hostile service has no port")
        }
        return (service, port)
    }

    /// `push.test` exists only in the checked answer: the message arrives only if the connection goes to
    /// the address that was checked instead of asking DNS again.
    @Test func theConnectionGoesToTheCheckedAddress() async throws {
        let hits = NIOLockedValueBox(0)
        let (service, port) = try await Self.startHostileService(internalHits: hits)
        do {
            try await TestApp.run(adjust: { $0.webPush = Self.vapidSettings() }) { t in
                t.app.pushEndpointGuard = PushEndpointGuard(
                    resolver: FakeHostResolver(["push.test": ["127.0.0.1"]]), allowsLoopback: true)
                let (_, managerToken) = try await t.user(.manager)
                let (driver, driverToken) = try await t.user(.operator)
                let driverID = try #require(driver.id)
                #expect(
                    try await t.send(
                        .POST, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                        json: [
                            "endpoint": "http://push.test:\(port)/push/accept", "keys": Self.keys,
                        ]
                    ).status == .created)
                _ = try await t.createOrder(token: managerToken, ["operator_ids": [driverID]])
                await t.deliveriesFinished()
                #expect(try await t.deliveries(of: driverID, channel: "push").map(\.status) == ["sent"])
                #expect(hits.withLockedValue { $0 } == 100)
            }
        } catch {
            await service.server.shutdown()
            try? await service.asyncShutdown()
            throw error
        }
        await service.server.shutdown()
        try await service.asyncShutdown()
    }

    @Test func redirectsAreNotFollowedAndAnswersStayInTheServerLog() async throws {
        let internalHits = NIOLockedValueBox(0)
        let (service, port) = try await Self.startHostileService(internalHits: internalHits)
        do {
            try await TestApp.run(adjust: { $0.webPush = Self.vapidSettings() }) { t in
                t.app.pushEndpointGuard = PushEndpointGuard(resolver: FakeHostResolver([:]), allowsLoopback: true)
                let (_, managerToken) = try await t.user(.manager)
                let (driver, driverToken) = try await t.user(.operator)
                let driverID = try #require(driver.id)
                for path in ["redirect", "leak"] {
                    #expect(
                        try await t.send(
                            .POST, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                            json: [
                                "endpoint": "http://127.0.0.1:\(port)/push/\(path)", "keys": Self.keys,
                            ]
                        ).status == .created)
                }
                _ = try await t.createOrder(token: managerToken, ["operator_ids": [driverID]])
                await t.deliveriesFinished()

                #expect(internalHits.withLockedValue { $0 } == 0, "the redirect was followed")
                let errors = try await t.deliveries(of: driverID, channel: "push").map(\.error).sorted()
                #expect(errors == ["ошибка доставки, код 307", "ошибка доставки, код 400"])
                let log = try await t.send(.GET, "/api/v1/notifications/preferences/logs/", token: driverToken)
                #expect(log.status == .ok)
                var shown: [String] = []
                if case .array(let entries)? = JSONValue.parse(log.body) {
                    shown = entries.compactMap { $0.objectValue?["error_message"]?.stringValue }
                }
                #expect(shown.contains("ошибка доставки, код 400"), "\(log.body)")
                #expect(!log.body.contains("SECRET-INTERNAL-BODY"))
            }
        } catch {
            await service.server.shutdown()
            try? await service.asyncShutdown()
            throw error
        }
        await service.server.shutdown()
        try await service.asyncShutdown()
    }
}

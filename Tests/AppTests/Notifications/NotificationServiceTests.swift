import Domain
import Foundation
import Testing

@testable import App

/// `NotificationService` without HTTP: switches, the original's five booleans, and that everything is the
/// caller's own.
@Suite("Notifications: rules (service)")
struct NotificationServiceTests {
    @Test func preferencesRoundTrip() async throws {
        try await TestApp.run { t in
            // setup
            let (user, _) = try await t.user(.operator)
            let service = NotificationService(context: try t.services(as: user))
            #expect(try await service.preferences().isOn(.orderAssigned, .telegram))
            // MUT
            try await service.savePreferences([
                .init(event: "order_assigned", channel: "telegram", enabled: false),
                .init(event: "salary_paid", channel: "push", enabled: false),
            ])
            // validate
            let stored = try await service.preferences()
            #expect(stored.isOn(.orderAssigned, .telegram) == false)
            #expect(stored.isOn(.orderAssigned, .push))
            #expect(stored.isOn(.salaryPaid, .push) == false)
            #expect(stored.isOn(.salaryPaid, .telegram))
            try await service.savePreferences([.init(event: "order_assigned", channel: "telegram", enabled: true)])
            #expect(try await service.preferences().isOn(.orderAssigned, .telegram))
        }
    }

    @Test func theLegacyStatusSwitchGovernsEveryStatusEvent() async throws {
        try await TestApp.run { t in
            let (user, _) = try await t.user(.manager)
            let service = NotificationService(context: try t.services(as: user))
            try await service.saveLegacyPreferences(["status_changed": false, "order_created": true])
            let stored = try await service.preferences()
            for event in [NotificationEvent.statusChanged, .orderCompleted, .orderCancelled] {
                for channel in DeliveryChannel.allCases { #expect(stored.isOn(event, channel) == false) }
            }
            #expect(stored.isOn(.orderAssigned, .telegram))
            let legacy = try await service.legacyPreferences()
            #expect(legacy["status_changed"] == false)
            #expect(legacy["payment_received"] == true)
            #expect(legacy.count == NotificationService.legacyKeys.count)
        }
    }

    @Test func anotherUsersDeviceAndSubscriptionAreNotFound() async throws {
        try await TestApp.run { t in
            let (owner, _) = try await t.user(.operator)
            let (other, _) = try await t.user(.operator)
            let mine = NotificationService(context: try t.services(as: owner))
            let theirs = NotificationService(context: try t.services(as: other))
            let (device, created) = try await mine.registerDevice(
                DeviceTokenInput(token: .set("ios-token-1"), platform: .set(.ios)))
            #expect(created)
            let deviceID = try #require(device.id)
            await #expect(throws: NotificationError.notFound) { try await theirs.device(deviceID) }
            await #expect(throws: NotificationError.notFound) { try await theirs.deleteDevice(deviceID) }
            #expect(try await mine.device(deviceID).token == "ios-token-1")
            let subscription = try await mine.createSubscription(
                SubscriptionInput(channel: .set(.email), endpoint: .set("a@example.com")))
            let subscriptionID = try #require(subscription.id)
            await #expect(throws: NotificationError.notFound) { try await theirs.subscription(subscriptionID) }
            await #expect(throws: NotificationError.self) {
                try await mine.createSubscription(
                    SubscriptionInput(channel: .set(.email), endpoint: .set("a@example.com")))
            }
            #expect(try await theirs.subscriptionCount() == 0)
        }
    }

    @Test func aTokenRegisteredAgainMovesToTheNewOwner() async throws {
        try await TestApp.run { t in
            let (first, _) = try await t.user(.operator)
            let (second, _) = try await t.user(.operator)
            let input = DeviceTokenInput(token: .set("shared-phone"), platform: .set(.android))
            _ = try await NotificationService(context: try t.services(as: first)).registerDevice(input)
            let service = NotificationService(context: try t.services(as: second))
            let (row, created) = try await service.registerDevice(input)
            #expect(created == false)
            #expect(row.userID == second.id)
            #expect(try await NotificationService(context: try t.services(as: first)).deviceCount() == 0)
        }
    }
}

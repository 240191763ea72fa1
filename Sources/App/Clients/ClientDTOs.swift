import Foundation
import Vapor

/// The client JSON of the original API (docs/api-contract.md#resources) plus `credit_limit`:
/// `{"id", "name", "contact_person", "phone", "email", "address", "city", "geo_lat", "geo_lng",
/// "billing_details", "inn", "kpp", "notes", "is_active", "credit_limit", "created_at", "updated_at"}`.
/// Coordinates are strings with six decimals (`"45.046500"`), money with two; absent values are `null`.
struct ClientResponse: Content {
    var id: Int
    var name: String
    var contact_person: String
    var phone: String
    var email: String
    var address: String
    var city: String
    var geo_lat: String?
    var geo_lng: String?
    var billing_details: JSONValue
    var inn: String
    var kpp: String
    var notes: String
    var is_active: Bool
    var credit_limit: String?
    var created_at: String
    var updated_at: String

    init(_ client: Client, timeZone: TimeZone) {
        id = client.id ?? 0
        name = client.name
        contact_person = client.contactPerson
        phone = client.phone
        email = client.email
        address = client.address
        city = client.city
        geo_lat = client.geoLat.map { Scaled.text($0, scale: 6) }
        geo_lng = client.geoLng.map { Scaled.text($0, scale: 6) }
        billing_details = StoredJSON.value(client.billingDetails, fallback: .object([:]))
        inn = client.inn
        kpp = client.kpp
        notes = client.notes
        is_active = client.isActive
        credit_limit = client.creditLimit.map { Scaled.text($0, scale: 2) }
        created_at = StoredJSON.time(client.createdAt, in: timeZone)
        updated_at = StoredJSON.time(client.updatedAt ?? client.createdAt, in: timeZone)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, contact_person, phone, email, address, city, geo_lat, geo_lng, billing_details, inn, kpp
        case notes, is_active, credit_limit, created_at, updated_at
    }

    // Optional values are written as `null`, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(contact_person, forKey: .contact_person)
        try c.encode(phone, forKey: .phone)
        try c.encode(email, forKey: .email)
        try c.encode(address, forKey: .address)
        try c.encode(city, forKey: .city)
        try c.encode(geo_lat, forKey: .geo_lat)
        try c.encode(geo_lng, forKey: .geo_lng)
        try c.encode(billing_details, forKey: .billing_details)
        try c.encode(inn, forKey: .inn)
        try c.encode(kpp, forKey: .kpp)
        try c.encode(notes, forKey: .notes)
        try c.encode(is_active, forKey: .is_active)
        try c.encode(credit_limit, forKey: .credit_limit)
        try c.encode(created_at, forKey: .created_at)
        try c.encode(updated_at, forKey: .updated_at)
    }
}

/// Russian tax ids: ИНН has 10 digits (a company) or 12 (a person or sole trader); КПП has 9.
/// Only the shape is checked, not the check digits.
enum TaxID {
    static let innMessage = "ИНН должен состоять из 10 или 12 цифр."
    static let kppMessage = "КПП должен состоять из 9 цифр."

    static func isINN(_ text: String) -> Bool {
        (text.count == 10 || text.count == 12) && isDigits(text)
    }

    static func isKPP(_ text: String) -> Bool {
        text.count == 9 && isDigits(text)
    }

    private static func isDigits(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 48 && $0.value <= 57 }
    }
}

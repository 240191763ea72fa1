import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: catalogue and client editing through the API's rules")
struct WebCatalogEditTests {
    @Test func equipmentIsAddedEditedDeactivatedAndShowsInTheOrderForm() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let list = try await web.get("/catalog/equipment")
            #expect(list.contains("href=\"/catalog/equipment/new\""))
            let form = try await web.get("/catalog/equipment/new")
            #expect(form.status == .ok)
            // MUT: missing and malformed fields come back next to the fields
            let invalid = try await web.post(
                "/catalog/equipment/new",
                [("code", ""), ("name", "Погрузчик"), ("hourly_rate", "много"), ("status", "available")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.contains("id=\"f-hourly-rate-error\""))
            #expect(invalid.contains("Введите сумму в рублях"))
            #expect(invalid.contains("value=\"Погрузчик\""))
            let noCode = try await web.post(
                "/catalog/equipment/new",
                [("code", ""), ("name", "Погрузчик"), ("hourly_rate", "1 800"), ("status", "available")])
            #expect(noCode.status == .unprocessableEntity)
            #expect(noCode.contains("id=\"f-code-error\""))
            let created = try await web.post(
                "/catalog/equipment/new",
                [
                    ("code", "LD-01"), ("name", "Погрузчик"), ("description", ""), ("hourly_rate", "1 800,50"),
                    ("daily_rate", ""), ("status", "available"),
                ])
            #expect(created.status == .seeOther)
            #expect(created.location == "/catalog/equipment")
            let row = try #require(
                try await t.db.sql().select().columns("id", "hourly_rate", "daily_rate").from("equipment")
                    .where("code", .equal, "LD-01").first())
            #expect(try row.decode(column: "hourly_rate", as: Int64.self) == 180_050)
            let id = try row.decode(column: "id", as: Int.self)
            let duplicate = try await web.post(
                "/catalog/equipment/new",
                [("code", "LD-01"), ("name", "Второй"), ("hourly_rate", "100"), ("status", "available")])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.contains("Техника с таким кодом уже существует."))
            // validate: listed, editable, in the order form's picker
            #expect(try await web.get("/catalog/equipment").contains("Погрузчик"))
            let orderForm = try await web.get("/orders/new")
            #expect(orderForm.contains("Погрузчик"))
            let edit = try await web.get("/catalog/equipment/\(id)/edit")
            #expect(edit.contains("value=\"LD-01\""))
            let updated = try await web.post(
                "/catalog/equipment/\(id)/edit",
                [
                    ("code", "LD-01"), ("name", "Погрузчик фронтальный"), ("description", "Ковш 2 м³"),
                    ("hourly_rate", "2 000"), ("daily_rate", "15 000"), ("status", "available"),
                ])
            #expect(updated.status == .seeOther)
            let after = try #require(try await Equipment.find(id, on: t.db))
            #expect(after.name == "Погрузчик фронтальный")
            #expect(after.dailyRate == 1_500_000)
            let off = try await web.post("/catalog/equipment/\(id)/active", [("active", "false")])
            #expect(off.status == .seeOther)
            #expect(try await Equipment.find(id, on: t.db)?.statusValue == "inactive")
            #expect(!(try await web.get("/catalog/equipment").contains("Погрузчик фронтальный")))
            let on = try await web.post("/catalog/equipment/\(id)/active", [("active", "true")])
            #expect(on.status == .seeOther)
            #expect(try await Equipment.find(id, on: t.db)?.statusValue == "available")
            #expect(try await web.get("/catalog/equipment/999999/edit").status == .notFound)
        }
    }

    @Test func servicesMaterialsAndAttachmentsAreEditable() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EX-01", name: "Экскаватор")
            let (web, _, _) = try await WebClient.signedIn(t, .admin)
            try await web.get("/catalog/services/new")
            let service = try await web.post(
                "/catalog/services/new",
                [("name", "Вывоз грунта"), ("price", "3 500"), ("unit", "рейс"), ("description", "")])
            #expect(service.status == .seeOther)
            let serviceRow = try #require(
                try await t.db.sql().select().columns("id", "unit", "price").from("services")
                    .where("name", .equal, "Вывоз грунта").first())
            #expect(try serviceRow.decode(column: "unit", as: String.self) == "trip")
            let serviceID = try serviceRow.decode(column: "id", as: Int.self)
            #expect(try await web.get("/catalog/services/\(serviceID)/edit").contains("value=\"рейс\""))
            #expect(
                try await web.post("/catalog/services/\(serviceID)/active", [("active", "false")]).status == .seeOther)
            #expect(try await ServiceItem.find(serviceID, on: t.db)?.isActive == false)

            try await web.get("/catalog/materials/new")
            let noPrice = try await web.post(
                "/catalog/materials/new", [("name", "Щебень"), ("category", "soil"), ("price", ""), ("unit", "м³")])
            #expect(noPrice.status == .unprocessableEntity)
            #expect(noPrice.contains("id=\"f-price-error\""))
            let material = try await web.post(
                "/catalog/materials/new",
                [("name", "Щебень"), ("category", "soil"), ("price", "1 200"), ("unit", "м³")])
            #expect(material.status == .seeOther)
            let materialID = try #require(
                try await MaterialItem.query(on: t.db).filter(\.$name == "Щебень").first()?.id)
            #expect(try await MaterialItem.find(materialID, on: t.db)?.unit == "m3")
            let renamed = try await web.post(
                "/catalog/materials/\(materialID)/edit",
                [("name", "Щебень гранитный"), ("category", "soil"), ("price", "1 300"), ("unit", "т")])
            #expect(renamed.status == .seeOther)
            #expect(try await MaterialItem.find(materialID, on: t.db)?.price == 130_000)

            let form = try await web.get("/catalog/attachments/new")
            #expect(form.contains("EX-01 — Экскаватор"))
            let noMachine = try await web.post(
                "/catalog/attachments/new", [("equipment_id", ""), ("name", "Гидромолот"), ("price", "500")])
            #expect(noMachine.status == .unprocessableEntity)
            #expect(noMachine.contains("id=\"f-equipment-id-error\""))
            let attachment = try await web.post(
                "/catalog/attachments/new",
                [("equipment_id", String(machine)), ("name", "Гидромолот"), ("price", "500"), ("status", "available")])
            #expect(attachment.status == .seeOther)
            let attachmentID = try #require(
                try await Attachment.query(on: t.db).filter(\.$name == "Гидромолот").first()?.id)
            #expect(try await web.get("/catalog/attachments/\(attachmentID)/edit").status == .ok)
            #expect(
                try await web.post("/catalog/attachments/\(attachmentID)/active", [("active", "false")]).status
                    == .seeOther)
            #expect(try await Attachment.find(attachmentID, on: t.db)?.statusValue == "inactive")
        }
    }

    @Test func clientsAreAddedEditedAndDeactivated() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            #expect(try await web.get("/clients").contains("href=\"/clients/new\""))
            try await web.get("/clients/new")
            let invalid = try await web.post("/clients/new", [("name", ""), ("phone", "12"), ("inn", "123")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.contains("id=\"f-name-error\""))
            #expect(invalid.contains("id=\"f-phone-error\""))
            #expect(invalid.contains(TaxID.innMessage))
            let created = try await web.post(
                "/clients/new",
                [
                    ("name", "ООО Стройка"), ("contact_person", "Иванов"), ("phone", "+79005556677"),
                    ("email", ""), ("address", "ст. Елизаветинская"), ("inn", ""), ("notes", ""),
                ])
            #expect(created.status == .seeOther)
            let client = try #require(try await Client.query(on: t.db).filter(\.$name == "ООО Стройка").first())
            let id = try #require(client.id)
            #expect(try await web.get("/clients").contains("ООО Стройка"))
            #expect(try await web.get("/clients/\(id)/edit").contains("value=\"ООО Стройка\""))
            let updated = try await web.post(
                "/clients/\(id)/edit",
                [
                    ("name", "ООО Стройка-2"), ("contact_person", "Иванов"), ("phone", "+79005556677"),
                    ("email", "info@example.com"), ("address", ""), ("inn", ""), ("notes", ""),
                ])
            #expect(updated.status == .seeOther)
            #expect(try await Client.find(id, on: t.db)?.email == "info@example.com")
            #expect(try await web.post("/clients/\(id)/active", [("active", "false")]).status == .seeOther)
            #expect(try await Client.find(id, on: t.db)?.isActive == false)
            #expect(!(try await web.get("/clients").contains("href=\"/clients/\(id)/edit\"")))
        }
    }

    @Test func onlyAdminsAndManagersEdit() async throws {
        try await TestApp.run { t in
            let id = try await t.equipment(code: "EX-09")
            let (accountant, _, _) = try await WebClient.signedIn(t, .accountant)
            #expect(try await accountant.get("/clients/new").status == .forbidden)
            #expect(try await accountant.get("/catalog/equipment/new").status == .forbidden)
            let (operatorClient, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await operatorClient.get("/catalog/equipment/\(id)/edit").status == .forbidden)
            try await operatorClient.get("/profile")
            let post = try await operatorClient.post("/catalog/equipment/\(id)/active", [("active", "false")])
            #expect(post.status == .forbidden)
            #expect(try await Equipment.find(id, on: t.db)?.statusValue == "available")
        }
    }

    /// The material form offers exactly the categories the API accepts (it once offered «Прочее», which the API
    /// refused), and a posted category outside them comes back as a field error, not a stored row.
    @Test func theMaterialFormOffersTheAPIsCategoriesOnly() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            let form = try await web.get("/catalog/materials/new")
            for category in MaterialCategory.allCases {
                #expect(form.contains("value=\"\(category.rawValue)\""))
            }
            #expect(!form.contains("value=\"other\""))
            let refused = try await web.post(
                "/catalog/materials/new", [("name", "Щебень"), ("category", "other"), ("price", "900"), ("unit", "т")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.contains("id=\"f-category-error\""))
            #expect(try await MaterialItem.query(on: t.db).count() == 0)
        }
    }
}

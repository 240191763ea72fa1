import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Mail: the MIME letter (RFC 2047, RFC 2231, dot-stuffing) and the SMTP settings")
struct MailMessageTests {
    @Test func russianHeadersAreEncodedWords() throws {
        #expect(MIME.encodedWord("Invoice 12") == "Invoice 12")
        let subject = MIME.encodedWord("Чек по заявке № 12")
        #expect(subject == "=?UTF-8?B?" + Data("Чек по заявке № 12".utf8).base64EncodedString() + "?=")
        // A long subject is split into words of at most 75 characters, never inside a letter.
        let long = String(repeating: "Счёт на оплату ", count: 8)
        let words = MIME.encodedWord(long).components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: payload, encoding: .utf8) != nil)
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == long)
        let from = try #require(MailAddress.parse("Ринго Учёт <robot@ringo.example.ru>"))
        #expect(from.address == "robot@ringo.example.ru")
        #expect(from.header == MIME.encodedWord("Ринго Учёт") + " <robot@ringo.example.ru>")
        #expect(MailAddress.parse("robot@ringo.example.ru")?.header == "robot@ringo.example.ru")
        #expect(MailAddress.parse("not an address") == nil)
        #expect(MailAddress.parse("a@b.ru\r\nBcc: x@y.ru") == nil)
    }

    @Test func fileNamesFollowRFC2231() {
        #expect(MIME.percentEncoded("Чек_42.pdf") == "%D0%A7%D0%B5%D0%BA_42.pdf")
        #expect(MIME.percentEncoded("a b'c.pdf") == "a%20b%27c.pdf")
        #expect(MIME.asciiFileName("Чек \"1\".pdf") == "___ _1_.pdf")
    }

    @Test func linesStartingWithADotAreStuffed() {
        #expect(
            MIME.dotStuffed(".first\r\nmiddle\r\n.\r\n..two\nlast") == "..first\r\nmiddle\r\n..\r\n...two\r\nlast\r\n")
        #expect(MIME.dotStuffed("plain\r\n") == "plain\r\n")
    }

    @Test func theLetterIsMultipartWithTheAttachment() throws {
        let pdf = Array("%PDF-1.4\n.hidden line\n".utf8) + [0, 255, 13, 10, 46]
        let message = MailMessage(
            from: try #require(MailAddress.parse("Ринго <robot@ringo.example.ru>")), to: ["client@example.ru"],
            subject: "Чек по заявке № 7", text: "Здравствуйте!\nВо вложении — чек.",
            attachments: [
                .init(
                    bytes: pdf, contentType: "application/pdf", fileName: "receipt_7.pdf", unicodeFileName: "Чек_7.pdf")
            ],
            date: Date(timeIntervalSince1970: 0), messageID: "<1@ringo.example.ru>")
        let text = message.rendered(boundary: "BOUNDARY")
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("Message-ID: <1@ringo.example.ru>\r\n"))
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(
            text.contains(
                "Content-Disposition: attachment; filename*=UTF-8''%D0%A7%D0%B5%D0%BA_7.pdf;\r\n"
                    + " filename=\"receipt_7.pdf\"\r\n"
            ))
        #expect(text.contains(Data(pdf).base64EncodedString()))
        #expect(text.hasSuffix("--BOUNDARY--\r\n"))
        #expect(text.split(separator: "\r\n").allSatisfy { $0.count <= 998 })
    }

    @Test func smtpSettingsAreParsedAndChecked() throws {
        func parse(_ environment: [String: String]) -> (MailSettings?, [String]) {
            var problems: [String] = []
            let settings = MailSettings.parse({ environment[$0] }, problems: &problems)
            return (settings, problems)
        }
        #expect(parse([:]).0 == nil)
        #expect(parse([:]).1.isEmpty)
        #expect(parse(["SMTP_USER": "u"]).1 == ["SMTP_USER is set but SMTP_HOST is not: set SMTP_HOST to send e-mail"])
        let (plain, problems) = parse(["SMTP_HOST": "smtp.example.ru", "SMTP_FROM": "Ринго <robot@example.ru>"])
        #expect(problems.isEmpty)
        #expect(plain?.port == 587)
        #expect(plain?.security == .starttls)
        #expect(plain?.user == nil)
        #expect(parse(["SMTP_HOST": "smtp.example.ru"]).1 == ["SMTP_FROM is required when SMTP_HOST is set"])
        let bad = parse([
            "SMTP_HOST": "h", "SMTP_FROM": "a@b.ru", "SMTP_PORT": "x", "SMTP_SECURITY": "ssl", "SMTP_USER": "u",
        ]).1
        #expect(bad.count == 3)
        let tls = parse(["SMTP_HOST": "h", "SMTP_FROM": "a@b.ru", "SMTP_PORT": "465", "SMTP_SECURITY": "TLS"]).0
        #expect(tls?.port == 465)
        #expect(tls?.security == .tls)
    }
}

@Suite("Mail: receipts and invoices by e-mail through a real SMTP server")
struct DocumentMailTests {
    /// A completed order of a client with an e-mail, the company's requisites, and an invoice for the order.
    private func documents(
        _ t: TestApp
    ) async throws -> (order: String, number: String, invoice: Int, invoiceNumber: String, token: String) {
        let (_, admin) = try await t.user(.admin)
        #expect(try await t.send(.PUT, "/api/v1/company/", token: admin, json: InvoiceTests.requisites).status == .ok)
        let (_, manager) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        let machine = try await t.equipment()
        let client = try await t.client()
        try await t.db.sql().update("clients").set("email", to: "buh@romashka.example.ru").where("id", .equal, client)
            .run()
        let created = try await t.createOrder(
            token: manager,
            [
                "client_id": client, "operator_ids": [try #require(driver.id)],
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
            ])
        let id = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            _ = try await t.send(.PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": status])
        }
        let done = try await t.send(
            .POST, "/api/v1/orders/\(id)/complete/", token: driverToken,
            json: [
                "end_dt": "2025-12-01T18:00:00+03:00", "comment": "Котлован выкопан",
                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2]]],
            ])
        #expect(done.status == .ok)
        let invoice = try await t.send(.POST, "/api/v1/orders/\(id)/generate_invoice/", token: manager)
        #expect(invoice.status == .created)
        return (
            id, try #require(created.string("number")), try #require(invoice["invoice_id"]?.intValue),
            try #require(invoice.string("number")), manager
        )
    }

    private func jobRow(_ t: TestApp, _ id: Int) async throws -> (status: String, attempts: Int, error: String) {
        let row = try #require(
            try await (try t.db.sql()).select().columns("status", "attempts", "last_error").from("jobs")
                .where("id", .equal, id).first())
        return (
            try row.decode(column: "status", as: String.self), try row.decode(column: "attempts", as: Int.self),
            try row.decode(column: "last_error", as: String.self)
        )
    }

    @Test func withoutSMTPTheRequestIsRefused() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let reply = try await t.send(.POST, "/api/v1/orders/\(UUID().uuidString)/receipt/send/", token: manager)
            #expect(reply.status == .conflict)
            #expect(reply.string("detail") == "Почта не настроена (SMTP_HOST)")
            let (_, driver) = try await t.user(.operator)
            #expect(try await t.send(.POST, "/api/v1/invoices/1/send/", token: driver).status == .forbidden)
        }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func theReceiptAndTheInvoiceArriveWithTheirPDFs() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "127.0.0.1", port: sink.port, from: "Ринго Учёт <robot@ringo.example.ru>", security: .none,
                timeout: 10)
        }) { t in
            let docs = try await documents(t)
            // No e-mail anywhere: refused before anything is queued.
            let (_, manager) = try await t.user(.manager)
            let open = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            #expect(
                try await t.send(.POST, "/api/v1/orders/\(open)/receipt/send/", token: manager).status == .badRequest)
            let bad = try await t.send(
                .POST, "/api/v1/invoices/\(docs.invoice)/send/", token: manager, json: ["email": "nope"])
            #expect(bad.status == .badRequest)

            let receipt = try await t.send(.POST, "/api/v1/orders/\(docs.order)/receipt/send/", token: docs.token)
            #expect(receipt.status == .accepted)
            #expect(receipt.string("detail") == "Письмо поставлено в очередь")
            let receiptJob = try #require(receipt["job_id"]?.intValue)
            let invoice = try await t.send(
                .POST, "/api/v1/invoices/\(docs.invoice)/send/", token: docs.token,
                json: ["email": "director@romashka.example.ru"])
            #expect(invoice.status == .accepted)
            let invoiceJob = try #require(invoice["job_id"]?.intValue)

            let runner = JobRunner(application: t.app)
            #expect(try await runner.runNext())
            #expect(try await runner.runNext())
            #expect(try await jobRow(t, receiptJob).status == "succeeded")
            #expect(try await jobRow(t, invoiceJob).status == "succeeded")

            let messages = try sink.messages()
            try #require(messages.count == 2)
            let first = try sink.parsed(messages[0])
            #expect(try sink.envelope(of: messages[0])["rcpt_tos"] as? [String] == ["buh@romashka.example.ru"])
            #expect(try sink.envelope(of: messages[0])["mail_from"] as? String == "robot@ringo.example.ru")
            #expect(first["subject"] as? String == "Чек по заявке № \(docs.number)")
            #expect(first["from_name"] as? String == "Ринго Учёт")
            #expect(first["to"] as? String == "buh@romashka.example.ru")
            #expect(first["defects"] as? Int == 0)
            #expect((first["message_id"] as? String)?.hasSuffix("@ringo.example.ru>") == true)
            #expect((first["text"] as? String)?.contains("Во вложении — чек по заявке № \(docs.number)") == true)
            #expect((first["text"] as? String)?.contains("ООО «Ринго Спецтехника»") == true)
            let attachments = try #require(first["attachments"] as? [[String: Any]])
            try #require(attachments.count == 1)
            #expect(attachments[0]["filename"] as? String == "Чек_\(docs.number).pdf")
            #expect(attachments[0]["content_type"] as? String == "application/pdf")
            let pdfText = try #require(attachments[0]["data"] as? String)
            let pdf = try #require(Data(base64Encoded: pdfText))
            #expect(pdf.starts(with: Data("%PDF-".utf8)))
            // The attachment is the very document the API serves (but for the moment it was made at).
            let served = try await t.send(.GET, "/api/v1/orders/\(docs.order)/receipt/", token: docs.token)
            #expect(abs(served.data.count - pdf.count) < 64)
            if PDFText.tool != nil {
                let text = try PDFText.extract(pdf)
                for expected in ["ЧЕК", docs.number, "ООО Ромашка", "Котлован выкопан"] {
                    #expect(text.contains(expected), "«\(expected)» is missing from:\n\(text)")
                }
            }
            let raw = try String(contentsOf: messages[0], encoding: .utf8)
            #expect(raw.contains("Subject: =?UTF-8?B?"))
            #expect(raw.contains("filename*=UTF-8''%D0%A7%D0%B5%D0%BA_"))

            let second = try sink.parsed(messages[1])
            #expect(second["subject"] as? String == "Счёт на оплату № \(docs.invoiceNumber)")
            #expect(try sink.envelope(of: messages[1])["rcpt_tos"] as? [String] == ["director@romashka.example.ru"])
            let invoiceFiles = try #require(second["attachments"] as? [[String: Any]])
            #expect(invoiceFiles.first?["filename"] as? String == "Счёт_\(docs.invoiceNumber).pdf")
            let invoiceText = try #require(invoiceFiles.first?["data"] as? String)
            let invoicePDF = try #require(Data(base64Encoded: invoiceText))
            let servedInvoice = try await t.send(.GET, "/api/v1/invoices/\(docs.invoice)/pdf/", token: docs.token)
            #expect(invoicePDF.starts(with: Data("%PDF-".utf8)))
            #expect(abs(servedInvoice.data.count - invoicePDF.count) < 64)

            let audit = try await (try t.db.sql()).select().columns("entity_type", "entity_id", "actor_name").from(
                "audit_entries"
            )
            .where("action", .equal, "email").orderBy("id").all()
            #expect(try audit.map { try $0.decode(column: "entity_type", as: String.self) } == ["order", "invoice"])

            try await t.db.sql().update("clients").set("email", to: "").run()
            let nobody = try await t.send(.POST, "/api/v1/orders/\(docs.order)/receipt/send/", token: docs.token)
            #expect(nobody.status == .badRequest)
            #expect(nobody.string("detail") == "У клиента не указан e-mail")
        }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func theActArrivesAsTheNumberedActThePageServes() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "127.0.0.1", port: sink.port, from: "robot@ringo.example.ru", security: .none, timeout: 10)
        }) { t in
            let docs = try await documents(t)
            let (_, driverToken) = try await t.user(.operator)
            #expect(
                try await t.send(.POST, "/api/v1/orders/\(docs.order)/act/send/", token: driverToken).status
                    == .forbidden)
            let queued = try await t.send(.POST, "/api/v1/orders/\(docs.order)/act/send/", token: docs.token)
            #expect(queued.status == .accepted)
            let job = try #require(queued["job_id"]?.intValue)
            #expect(try await JobRunner(application: t.app).runNext())
            #expect(try await jobRow(t, job).status == "succeeded")

            let number = try #require(
                try await t.db.sql().select().column("number").from("acts").where("order_id", .equal, docs.order)
                    .first()?.decode(column: "number", as: Int.self))
            let messages = try sink.messages()
            try #require(messages.count == 1)
            let letter = try sink.parsed(messages[0])
            #expect(letter["subject"] as? String == "Акт оказанных услуг № \(number)")
            #expect(try sink.envelope(of: messages[0])["rcpt_tos"] as? [String] == ["buh@romashka.example.ru"])
            let files = try #require(letter["attachments"] as? [[String: Any]])
            #expect((files.first?["filename"] as? String)?.hasPrefix("Акт_") == true)
            // The page serves the act the letter carried: the same kept number, not a new one.
            let served = try await t.send(.GET, "/api/v1/orders/\(docs.order)/act/", token: docs.token)
            #expect(served.status == .ok)
            #expect(try await t.count("acts") == 1)
        }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func aFailedAttemptIsRetriedAndRecorded() async throws {
        let sink = try SMTPSink()
        let port = sink.port
        sink.stop()
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "127.0.0.1", port: port, from: "robot@ringo.example.ru", security: .none, timeout: 5)
        }) { t in
            let docs = try await documents(t)
            let reply = try await t.send(.POST, "/api/v1/orders/\(docs.order)/receipt/send/", token: docs.token)
            let job = try #require(reply["job_id"]?.intValue)
            #expect(try await JobRunner(application: t.app).runNext())
            let row = try await jobRow(t, job)
            #expect(row.status == "queued")
            #expect(row.attempts == 1)
            #expect(row.error.contains("SMTP: cannot connect"))
        }
    }

    @Test(
        .enabled(
            if: SMTPSink.enabled && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
            SMTPSink.skipReason))
    func startTLSWithLoginUnderATrustedCertificate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ringo-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try SMTPSink.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert,
            ])
        try #require(made.status == 0)
        let sink = try SMTPSink(arguments: ["--tls-cert", cert, "--tls-key", key, "--auth", "ringo:секрет-1"])
        defer { sink.stop() }
        try await TestApp.run(adjust: {
            $0.mail = MailSettings(
                host: "localhost", port: sink.port, user: "ringo", password: "секрет-1", from: "robot@ringo.example.ru",
                security: .starttls, caFile: cert, timeout: 10)
        }) { t in
            let docs = try await documents(t)
            let reply = try await t.send(.POST, "/api/v1/invoices/\(docs.invoice)/send/", token: docs.token)
            let job = try #require(reply["job_id"]?.intValue)
            #expect(try await JobRunner(application: t.app).runNext())
            let row = try await jobRow(t, job)
            #expect(row.status == "succeeded", "\(row.error)")
            let messages = try sink.messages()
            try #require(messages.count == 1)
            let envelope = try sink.envelope(of: messages[0])
            #expect(envelope["tls"] as? Bool == true)
            #expect(envelope["auth"] as? Bool == true)
            #expect(envelope["rcpt_tos"] as? [String] == ["buh@romashka.example.ru"])
        }
    }
}

import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Sends a receipt, an invoice or an act as a PDF attachment. Queued by `POST …/send/`; a failed attempt is retried
/// with back-off by the job runner, and each attempt's error stays in the job's `last_error`.
struct SendDocumentEmailJob: Job {
    static let name = "send_document_email"
    static let maxAttempts = 5

    enum Kind: String, Codable, Sendable {
        case receipt, invoice, act
    }

    var kind: Kind
    /// The order's UUID for a receipt or an act, the invoice's number id for an invoice.
    var documentID: String
    var email: String
    var requestedBy: Int

    enum CodingKeys: String, CodingKey {
        case kind
        case documentID = "document_id"
        case email
        case requestedBy = "requested_by"
    }

    static func run(_ job: SendDocumentEmailJob, context: JobContext) async throws -> JSONValue? {
        let app = context.application
        guard let settings = app.config.mail, let from = MailAddress.parse(settings.from) else {
            throw JobFailure.permanent("Почта не настроена (SMTP_HOST)")
        }
        let sql = try context.db.sql()
        guard
            let user = try await sql.select().columns("id", "role", "first_name", "last_name").from("users")
                .where("id", .equal, job.requestedBy).first(),
            let role = Role(rawValue: try user.decode(column: "role", as: String.self))
        else { throw JobFailure.permanent("the user \(job.requestedBy) who asked for the letter no longer exists") }
        let fullName = [
            try user.decode(column: "first_name", as: String.self),
            try user.decode(column: "last_name", as: String.self),
        ]
        .filter { !$0.isEmpty }.joined(separator: " ")
        let caller = Caller(id: job.requestedBy, role: role, fullName: fullName)
        let documents = DocumentService(
            db: context.db, caller: caller, timeZone: app.config.timeZone, writes: app.writeSerializer)
        let letter: DocumentLetter
        do {
            letter = try await DocumentLetter.make(job, documents: documents, sql: sql)
        } catch let error as APIError {
            // The order is gone, not completed or the requisites are missing: retrying will not change that.
            throw JobFailure.permanent("\(error.status.code) \(error.detail)")
        }
        let message = MailMessage(
            from: from, to: [job.email], subject: letter.subject, text: letter.text,
            attachments: [
                MailMessage.Attachment(
                    bytes: letter.document.bytes, contentType: "application/pdf", fileName: letter.document.fileName,
                    unicodeFileName: letter.document.russianFileName)
            ])
        do {
            try await SMTPClient(settings: settings, eventLoopGroup: app.eventLoopGroup).send(message)
        } catch let error as SMTPError where error.isPermanent {
            throw JobFailure.permanent(error.description)
        }
        let audit = AuditRecorder(db: context.db, actorID: caller.id, actorName: caller.fullName)
        try await app.writeSerializer.run {
            try await audit.record(
                .email, entity: job.kind == .invoice ? "invoice" : "order", id: job.documentID,
                changes: [
                    "document": .string(job.kind.rawValue), "email": .string(job.email),
                    "file": .string(letter.document.russianFileName), "job_id": .number(Decimal(context.jobID)),
                ])
        }
        return .object([
            "sent_to": .string(job.email), "subject": .string(letter.subject),
            "file": .string(letter.document.russianFileName), "bytes": .number(Decimal(letter.document.bytes.count)),
        ])
    }
}

/// The document with the subject and the text of its letter.
struct DocumentLetter {
    var subject: String
    var text: String
    var document: RenderedDocument

    static func make(
        _ job: SendDocumentEmailJob, documents: DocumentService, sql: any SQLDatabase
    ) async throws
        -> DocumentLetter
    {
        let company = try await CompanyService.load(from: sql).name
        let signature = company.isEmpty ? "" : "\n\nС уважением,\n\(company)"
        switch job.kind {
        case .receipt:
            let document = try await documents.receipt(orderID: job.documentID)
            let number =
                try await sql.select().column("number").from("orders")
                .where("id", .equal, job.documentID.lowercased()).first()?.decode(column: "number", as: String.self)
                ?? ""
            return DocumentLetter(
                subject: "Чек по заявке № \(number)",
                text: "Здравствуйте!\n\nВо вложении — чек по заявке № \(number) (PDF).\(signature)\n",
                document: document)
        case .invoice:
            guard let id = Int(job.documentID) else { throw APIError.notFound() }
            let document = try await documents.invoice(id: id)
            let number =
                try await sql.select().column("number").from("invoices").where("id", .equal, id).first()?
                .decode(column: "number", as: String.self) ?? ""
            return DocumentLetter(
                subject: "Счёт на оплату № \(number)",
                text: "Здравствуйте!\n\nВо вложении — счёт на оплату № \(number) (PDF).\(signature)\n",
                document: document)
        case .act:
            // The order's kept act, or a new one: the letter carries the same numbered document as the page.
            let document = try await documents.act(orderID: job.documentID)
            let row = try await sql.select().column("number").from("acts")
                .where("order_id", .equal, job.documentID.lowercased()).first()
            let number = try row.map { String(try $0.decode(column: "number", as: Int.self)) } ?? ""
            return DocumentLetter(
                subject: "Акт оказанных услуг № \(number)",
                text: "Здравствуйте!\n\nВо вложении — акт оказанных услуг № \(number) (PDF).\(signature)\n",
                document: document)
        }
    }
}

/// Queues letters with documents: checks the request, finds the recipient, enqueues `SendDocumentEmailJob`.
struct DocumentMailService {
    let db: any Database
    let caller: Caller
    let mail: MailSettings?
    let writes: WriteSerializer

    /// A 409, not a 5xx: the server works, the company has not set up its mail yet (docs/email.md).
    static let notConfigured = APIError(status: .conflict, detail: "Почта не настроена (SMTP_HOST)")
    static let noClientEmail = APIError.badRequest("У клиента не указан e-mail")
    static let queued = "Письмо поставлено в очередь"

    /// The job's id. `email` overrides the client's address.
    func send(_ kind: SendDocumentEmailJob.Kind, documentID: String, email: String?) async throws -> Int {
        guard mail != nil else { throw Self.notConfigured }
        let sql = try db.sql()
        let clientID: Int?
        let id: String
        switch kind {
        case .receipt, .act:
            guard UUID(uuidString: documentID) != nil,
                let order = try await OrderStore(sql: sql).load(documentID.lowercased())
            else { throw APIError.notFound() }
            guard DocumentService.mayReadReceipt(of: order) else {
                throw APIError.badRequest(DocumentService.receiptOnlyWhenCompleted)
            }
            clientID = order.clientID
            id = order.id
        case .invoice:
            guard let number = Int(documentID),
                let row = try await sql.select().column("order_id").from("invoices").where("id", .equal, number).first()
            else { throw APIError.notFound() }
            let orderID = try row.decode(column: "order_id", as: String.self)
            clientID = try await OrderStore(sql: sql).load(orderID)?.clientID
            id = String(number)
        }
        var recipient = email ?? ""
        if recipient.isEmpty, let clientID {
            recipient =
                try await sql.select().column("email").from("clients").where("id", .equal, clientID).first()?
                .decode(column: "email", as: String.self) ?? ""
        }
        recipient = recipient.trimmingCharacters(in: .whitespaces)
        guard !recipient.isEmpty else { throw Self.noClientEmail }
        guard MailAddress.isValid(recipient) else {
            throw APIError.fields(["email": .array([.string(FieldMessage.email)])])
        }
        let job = SendDocumentEmailJob(kind: kind, documentID: id, email: recipient, requestedBy: caller.id)
        let db = self.db
        guard let jobID = try await writes.run({ try await JobQueue(db: db).enqueue(job) }) else {
            throw APIError(status: .internalServerError, detail: "Не удалось поставить письмо в очередь")
        }
        return jobID
    }
}

/// `POST /api/v1/orders/{id}/receipt/send/` and `POST /api/v1/invoices/{id}/send/`.
struct DocumentMailAPIController {
    @Sendable func sendReceipt(req: Request) async throws -> Response {
        try await send(.receipt, req: req)
    }

    @Sendable func sendInvoice(req: Request) async throws -> Response {
        try await send(.invoice, req: req)
    }

    @Sendable func sendAct(req: Request) async throws -> Response {
        try await send(.act, req: req)
    }

    private func send(_ kind: SendDocumentEmailJob.Kind, req: Request) async throws -> Response {
        var input = try JSONInput(request: req)
        let email = input.email("email")
        try input.validate()
        let service = DocumentMailService(
            db: req.db, caller: try req.caller, mail: req.application.config.mail,
            writes: req.application.writeSerializer)
        let jobID = try await service.send(kind, documentID: req.parameters.get("id") ?? "", email: email)
        let body: [String: JSONValue] = [
            "job_id": .number(Decimal(jobID)), "detail": .string(DocumentMailService.queued),
        ]
        let response = Response(status: .accepted, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }
}

extension AuditRecorder {
    /// For work done outside a request (a job): the actor is the user who asked for it.
    init(db: any Database, actorID: Int?, actorName: String) {
        self.db = db
        self.actorID = actorID
        self.actorName = actorName
        ip = ""
        requestID = ""
        userAgent = ""
    }
}

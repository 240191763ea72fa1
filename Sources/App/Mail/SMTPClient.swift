import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a letter was not sent. The message names the step and quotes the server, so the job's `last_error`
/// tells an admin what to fix.
enum SMTPError: Error, CustomStringConvertible {
    case connect(String)
    case timeout(String)
    case closed(String)
    case rejected(command: String, code: Int, text: String)
    case startTLSUnavailable
    case authUnavailable(offered: String)
    case malformedReply(String)

    var description: String {
        switch self {
        case .connect(let detail): "SMTP: cannot connect: \(detail)"
        case .timeout(let step): "SMTP: no answer in time (\(step))"
        case .closed(let step): "SMTP: the server closed the connection (\(step))"
        case .rejected(let command, let code, let text): "SMTP: \(command) refused: \(code) \(text)"
        case .startTLSUnavailable: "SMTP: the server does not offer STARTTLS (set SMTP_SECURITY=tls or none)"
        case .authUnavailable(let offered): "SMTP: the server offers no AUTH PLAIN or LOGIN (offered: \(offered))"
        case .malformedReply(let line): "SMTP: malformed reply \"\(line)\""
        }
    }

    /// 5xx answers are permanent (RFC 5321 §4.2.1): retrying the same letter will not help.
    var isPermanent: Bool {
        if case .rejected(_, let code, _) = self { return code >= 500 }
        return false
    }
}

/// One SMTP reply: the code and the text of all its lines.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
    var text: String { lines.joined(separator: " ") }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one connection per letter; EHLO, STARTTLS or implicit TLS,
/// AUTH PLAIN / LOGIN, MAIL FROM, RCPT TO, DATA, QUIT. No library for this exists among our packages.
struct SMTPClient: Sendable {
    let settings: MailSettings
    let eventLoopGroup: any EventLoopGroup

    /// Sends `message` (rendered with `MailMessage.rendered()`) from the address of `settings.from` to `recipients`.
    func send(_ message: MailMessage) async throws {
        let tls = try makeTLSContext()
        let handler = SMTPReplyHandler()
        let host = settings.host
        let implicit = settings.security == .tls
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(.milliseconds(Int64(settings.timeout * 1000)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicit, let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: host, port: settings.port).get()
        } catch {
            throw SMTPError.connect("\(host):\(settings.port): \(error)")
        }
        let session = Session(channel: channel, handler: handler, timeout: settings.timeout)
        do {
            try await converse(session, message: message, tls: tls)
            _ = try? await session.command("QUIT", expect: [221])
        } catch {
            channel.close(promise: nil)
            throw error
        }
        channel.close(promise: nil)
    }

    private func converse(_ session: Session, message: MailMessage, tls: NIOSSLContext?) async throws {
        try await session.expect([220], step: "greeting")
        var extensions = try await session.command("EHLO \(Self.localName)", expect: [250]).lines.dropFirst()
        if settings.security == .starttls, let tls {
            guard extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw SMTPError.startTLSUnavailable
            }
            try await session.command("STARTTLS", expect: [220])
            try await session.startTLS(context: tls, serverHostname: Self.sniName(settings.host))
            extensions = try await session.command("EHLO \(Self.localName)", expect: [250]).lines.dropFirst()
        }
        if let user = settings.user {
            let password = settings.password ?? ""
            let auth =
                extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased()
                .split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init) ?? []
            if auth.contains("PLAIN") {
                let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                try await session.command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH PLAIN")
            } else if auth.contains("LOGIN") {
                try await session.command("AUTH LOGIN", expect: [334])
                try await session.command(
                    Data(user.utf8).base64EncodedString(), expect: [334], shown: "AUTH LOGIN (user)")
                try await session.command(
                    Data(password.utf8).base64EncodedString(), expect: [235], shown: "AUTH LOGIN (password)")
            } else {
                throw SMTPError.authUnavailable(offered: auth.dropFirst().joined(separator: " "))
            }
        }
        try await session.command("MAIL FROM:<\(message.from.address)>", expect: [250])
        for recipient in message.to {
            try await session.command("RCPT TO:<\(recipient)>", expect: [250, 251])
        }
        try await session.command("DATA", expect: [354])
        try await session.write(MIME.dotStuffed(message.rendered()) + ".\r\n")
        try await session.expect([250], step: "end of DATA")
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        guard settings.security != .none else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            configuration.trustRoots = .file(caFile)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI carries host names only; for an IP address the certificate is checked without it.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":") ? nil : host
    }

    /// The name we greet with: this machine's, when it is a plain DNS name.
    static var localName: String {
        let name = ProcessInfo.processInfo.hostName
        let plain =
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return plain ? name : "localhost"
    }

    /// One connection's conversation: writes commands and waits for each reply with the timeout.
    private struct Session: Sendable {
        let channel: any Channel
        let handler: SMTPReplyHandler
        let timeout: TimeInterval

        func write(_ text: String) async throws {
            do {
                let written: EventLoopFuture<Void> = channel.writeAndFlush(ByteBuffer(string: text))
                try await written.get()
            } catch {
                throw SMTPError.closed("writing: \(error)")
            }
        }

        @discardableResult
        func command(_ line: String, expect codes: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
            try await write(line + "\r\n")
            return try await expect(codes, step: shown ?? line)
        }

        @discardableResult
        func expect(_ codes: Set<Int>, step: String) async throws -> SMTPReply {
            let handler = self.handler
            let loop = channel.eventLoop
            let timeout = TimeAmount.milliseconds(Int64(self.timeout * 1000))
            let reply = try await loop.flatSubmit { handler.nextReply(on: loop, timeout: timeout, step: step) }.get()
            guard codes.contains(reply.code) else {
                throw SMTPError.rejected(command: step, code: reply.code, text: reply.text)
            }
            return reply
        }

        func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
            let channel = self.channel
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    try NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
            }.get()
        }
    }
}

/// Splits what the server sends into replies (multi-line ones: `250-…` lines up to `250 …`) and hands them out
/// one per `nextReply`. Its state is touched only on the channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var replies: [Result<SMTPReply, any Error>] = []
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timer: Scheduled<Void>)?
    private var failure: (any Error)?

    func nextReply(on loop: any EventLoop, timeout: TimeAmount, step: String) -> EventLoopFuture<SMTPReply> {
        if !replies.isEmpty { return loop.makeCompletedFuture(replies.removeFirst()) }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: SMTPReply.self)
        let timer = loop.scheduleTask(in: timeout) { [self] in
            guard let waiting = self.waiting else { return }
            self.waiting = nil
            waiting.promise.fail(SMTPError.timeout(step))
        }
        waiting = (promise, timer)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            received(line)
        }
    }

    private func received(_ line: String) {
        let characters = Array(line)
        guard characters.count >= 3, let code = Int(String(characters[0..<3])) else {
            deliver(.failure(SMTPError.malformedReply(line)))
            return
        }
        let more = characters.count > 3 && characters[3] == "-"
        lines.append(characters.count > 4 ? String(characters[4...]) : "")
        if !more {
            deliver(.success(SMTPReply(code: code, lines: lines)))
            lines = []
        }
    }

    private func deliver(_ reply: Result<SMTPReply, any Error>) {
        if let waiting {
            self.waiting = nil
            waiting.timer.cancel()
            waiting.promise.completeWith(reply)
        } else {
            replies.append(reply)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(SMTPError.closed("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError.closed("connection closed"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        if failure == nil { failure = error }
        if let waiting {
            self.waiting = nil
            waiting.timer.cancel()
            waiting.promise.fail(error)
        }
    }
}

#!/usr/bin/env python3
"""An SMTP server for the tests (aiosmtpd): every message it accepts is written to FOLDER as N.eml, with
N.json holding the envelope (mail_from, rcpt_tos). Prints "READY <port>" once it listens; stops on SIGTERM
or when stdin closes (so it never outlives the test that started it).

    smtp_sink.py FOLDER [--port 0] [--tls-cert CERT --tls-key KEY] [--auth USER:PASSWORD]
    smtp_sink.py --parse FILE.eml    (prints the message as Python's e-mail parser reads it, as JSON)

With --tls-cert/--tls-key the server offers STARTTLS and requires it; with --auth it requires AUTH
(PLAIN or LOGIN) with that user and password.
"""
import argparse
import base64
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.folder, str(number))
        with open(base + ".eml.part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "auth": bool(getattr(session, "authenticated", False)),
                       "tls": session.ssl is not None}, f)
        os.rename(base + ".eml.part", base + ".eml")
        return "250 Message accepted for delivery"


def parse(path):
    """Subject and names decoded (RFC 2047), attachments' file names (RFC 2231) and bytes, the letter text."""
    from email import policy
    from email.parser import BytesParser
    with open(path, "rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    sender = message["from"]
    out = {"subject": str(message["subject"]), "from_address": sender.addresses[0].addr_spec if sender else "",
           "from_name": sender.addresses[0].display_name if sender else "", "to": str(message["to"]),
           "date": str(message["date"] or ""), "message_id": str(message["message-id"] or ""),
           "content_type": message.get_content_type(), "defects": len(message.defects), "text": None,
           "attachments": []}
    for part in message.walk():
        if part.get_content_disposition() == "attachment":
            out["attachments"].append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                       "data": base64.b64encode(part.get_payload(decode=True)).decode()})
        elif part.get_content_type() == "text/plain" and out["text"] is None:
            out["text"] = part.get_content()
    print(json.dumps(out, ensure_ascii=False))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--parse":
        parse(sys.argv[2])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    port = args.port
    if port == 0:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok)

        options.update(authenticator=authenticator, auth_required=True,
                       auth_require_tls=bool(args.tls_cert))
    controller = Controller(Sink(args.folder), hostname="127.0.0.1", port=port, server_hostname="sink.localhost",
                            **options)
    controller.start()
    print("READY %d" % port, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()

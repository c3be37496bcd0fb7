"""A scriptable SMTP server for genmon's SMTP client tests, built on aiosmtpd.

It binds 127.0.0.1 on a free port, prints "READY <port>" and serves until its standard input closes
(so it dies with the test process that started it) or --lifetime seconds pass.

Every accepted message is written to --outdir as msg-<n>.eml (the bytes received, dot-unstuffed)
and msg-<n>.json (envelope sender, recipients, MAIL FROM options, whether TLS and AUTH were used).
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import threading

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    print("MISSING aiosmtpd: install it with 'pip install aiosmtpd' (or point GENMON_TEST_PYTHON at a Python that has it)",
          flush=True)
    sys.exit(3)


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["plain", "starttls", "implicit", "greeting", "inject", "middata"], default="plain")
    parser.add_argument("--greeting", default="421 4.3.2 Service not available, closing channel")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--auth-exclude", action="append", default=[], help="a mechanism not to offer (PLAIN, LOGIN)")
    parser.add_argument("--rcpt-answer", action="append", default=[], help="address=reply, e.g. x@y=550 5.1.1 No such user")
    parser.add_argument("--stall", choices=["none", "data", "message"], default="none")
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--lifetime", type=float, default=300)
    return parser.parse_args()


class Recorder:
    """The aiosmtpd handler: scripted RCPT answers, optional stall, messages written to disk."""

    def __init__(self, arguments):
        self.outdir = arguments.outdir
        self.stall = arguments.stall
        self.answers = {}
        for item in arguments.rcpt_answer:
            address, _, reply = item.partition("=")
            self.answers[address.lower()] = reply
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.answers.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall == "message":
            await asyncio.sleep(3600)
        self.count += 1
        base = os.path.join(self.outdir, "msg-%d" % self.count)
        with open(base + ".eml.tmp", "wb") as file:
            file.write(envelope.original_content or b"")
        os.rename(base + ".eml.tmp", base + ".eml")
        details = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
            "authenticated": bool(session.authenticated),
        }
        with open(base + ".json.tmp", "w") as file:
            json.dump(details, file)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Ok: queued as TEST%d" % self.count


class StallingSMTP(SMTP):
    """An SMTP that can stop answering at DATA."""

    stall_data = False

    async def smtp_DATA(self, arg):
        if self.stall_data:
            await asyncio.sleep(3600)
        return await super().smtp_DATA(arg)


def tls_context(arguments):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(arguments.cert, arguments.key)
    return context


def make_authenticator(arguments):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == arguments.user.encode()
              and auth_data.password == arguments.password.encode())
        return AuthResult(success=ok, handled=False)
    return authenticate


class GreetingOnly(asyncio.Protocol):
    """Sends one scripted greeting and hangs up (for 421 / 554 greetings)."""

    def __init__(self, greeting):
        self.greeting = greeting

    def connection_made(self, transport):
        transport.write((self.greeting + "\r\n").encode())
        transport.close()


class InjectingStartTLS(asyncio.Protocol):
    """Offers STARTTLS and answers it with 220 plus a second reply in the same write: a
    man-in-the-middle injection (CVE-2011-0411 style) that a client must refuse."""

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        transport.write(b"220 localhost ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while b"\r\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            command = line.upper()
            if command.startswith(b"EHLO"):
                self.transport.write(b"250-localhost\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n")
            elif command == b"STARTTLS":
                self.transport.write(b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n")
            elif command == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
            else:
                self.transport.write(b"500 5.5.1 unexpected\r\n")


class StallMidData(asyncio.Protocol):
    """Accepts the envelope, answers DATA with 354, then stops reading: the client's message
    fills the socket buffers and no verdict ever comes."""

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        transport.write(b"220 localhost ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while b"\r\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            command = line.upper()
            if command == b"DATA":
                self.transport.write(b"354 go ahead\r\n")
                self.transport.pause_reading()
                return
            self.transport.write(b"250 ok\r\n")


def watch_stdin(loop, stop):
    """Ends the server when the parent test process goes away (its end of our stdin closes)."""
    def reader():
        try:
            while sys.stdin.buffer.read(1024):
                pass
        finally:
            loop.call_soon_threadsafe(stop.set)
    threading.Thread(target=reader, daemon=True).start()


async def main():
    arguments = parse_arguments()
    loop = asyncio.get_running_loop()
    handler = Recorder(arguments)
    auth = arguments.user is not None

    def factory():
        if arguments.mode == "greeting":
            return GreetingOnly(arguments.greeting)
        if arguments.mode == "inject":
            return InjectingStartTLS()
        if arguments.mode == "middata":
            return StallMidData()
        options = dict(hostname="localhost", decode_data=False, enable_SMTPUTF8=True,
                       auth_require_tls=arguments.mode == "starttls",
                       auth_exclude_mechanism=arguments.auth_exclude)
        if auth:
            options["authenticator"] = make_authenticator(arguments)
        if arguments.mode == "starttls":
            options["tls_context"] = tls_context(arguments)
            options["require_starttls"] = True
        smtp = StallingSMTP(handler, **options)
        smtp.stall_data = arguments.stall == "data"
        return smtp

    ssl_context = tls_context(arguments) if arguments.mode == "implicit" else None
    server = await loop.create_server(factory, host="127.0.0.1", port=0, ssl=ssl_context)
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)
    stop = asyncio.Event()
    watch_stdin(loop, stop)
    try:
        await asyncio.wait_for(stop.wait(), timeout=arguments.lifetime)
    except asyncio.TimeoutError:
        pass
    server.close()


if __name__ == "__main__":
    asyncio.run(main())

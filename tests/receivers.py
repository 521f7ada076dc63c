"""Real local receivers for outside notifications: an SMTP server (aiosmtpd) and a loopback HTTP
server that plays the WeCom, DingTalk and Feishu robots and a webhook, checking DingTalk's
signature and the webhook's HMAC the way the real receivers do, and recording what arrived."""

import base64
import hashlib
import hmac
import json
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from aiosmtpd.controller import Controller

from server.services.platform.channels import webhook_signature
from tests.live_server import free_port

DINGTALK_SECRET = "SEC0123456789abcdef"
WEBHOOK_SECRET = "webhook-shared-key"


def dingtalk_sign_ok(query):
    """DingTalk's check: sign = base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")), fresh."""
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    digest = hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256)
    fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3_600_000
    return fresh and hmac.compare_digest(base64.b64encode(digest.digest()).decode(), unquote(sign))


class HttpReceiver:
    """Robots under /wecom/, /dingtalk/, /feishu/; the webhook at /hook. `fail` answers 500,
    `delay` holds each answer (to kill a worker mid-batch)."""

    def __init__(self):
        self.received, self.fail, self.delay = [], False, 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)  # a slow receiver; the worker waits for it
                receiver.record(self.path, dict(self.headers), body)
                self.send_response(500 if receiver.fail else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok", "code": 0, "StatusCode": 0}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def record(self, path, headers, body):
        split = urlsplit(path)
        entry = {"path": split.path, "query": parse_qs(split.query), "headers": headers, "body": body}
        if split.path == "/hook":
            signature = webhook_signature(WEBHOOK_SECRET, headers.get("X-Timestamp", ""), body)
            entry["signed"] = headers.get("X-Signature") == f"sha256={signature}"
        if split.path.startswith("/dingtalk/"):
            entry["signed"] = dingtalk_sign_ok(entry["query"])
        entry["json"] = json.loads(body)
        with self.lock:
            self.received.append(entry)

    def endpoints(self):
        """NOTIFY_ENDPOINTS pointing each robot here."""
        return {
            "wecom": f"{self.url}/wecom/send?key={{key}}",
            "dingtalk": f"{self.url}/dingtalk/robot/send?access_token={{token}}",
            "feishu": f"{self.url}/feishu/hook/{{token}}/",
        }

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SmtpReceiver:
    """aiosmtpd on loopback; `messages` holds (recipients, subject, text) of what it was sent."""

    def __init__(self):
        self.messages = []
        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                message = message_from_bytes(envelope.content)
                part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                subject = str(make_header(decode_header(message.get("Subject", ""))))
                receiver.messages.append((list(envelope.rcpt_tos), subject, text))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    def start(self):
        self.controller.start()
        self.url = f"mailto://127.0.0.1:{self.controller.port}?from=safety@example.cn&mode=insecure"
        return self

    def stop(self):
        self.controller.stop()

"""Sending one message to one outside channel. The group robots (WeCom, DingTalk with its signed
requests, Feishu) and e-mail go through Apprise, which knows their protocols; the webhook is ours:
JSON with the event id, signed with HMAC-SHA256 over "<timestamp>.<body>". A failure raises
SendFailed with the reason an admin reads on the dead delivery."""

import hashlib
import hmac
import json
import time
from urllib.parse import quote, urlencode

import apprise
import requests
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot

TIMEOUT_SECONDS = 10
# Where a robot's requests go: the public service unless the deployment says otherwise (a private
# DingTalk, an egress proxy; the tests' loopback receivers), as Apprise's own URL templates.
ROBOTS = {"wecom": NotifyWeComBot, "dingtalk": NotifyDingTalk, "feishu": NotifyFeishu}
DEFAULT_ENDPOINTS = {kind: plugin.notify_url for kind, plugin in ROBOTS.items()}


class SendFailed(Exception):
    """The channel did not take the message; str() is the reason."""


def point_robots(endpoints):
    """Send each robot's requests to the configured endpoint (NOTIFY_ENDPOINTS), else its own."""
    for kind, plugin in ROBOTS.items():
        plugin.notify_url = (endpoints or {}).get(kind) or DEFAULT_ENDPOINTS[kind]


def send(channel, message, smtp_url=None):
    """Deliver `message` ({event_id, kind, text, mentions, link}) to the channel, or raise."""
    if channel.kind == "webhook":
        return _post_webhook(channel, message)
    url = _apprise_url(channel, message, smtp_url)
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise SendFailed(f"the {channel.kind} channel's settings are not valid")
    # A mail needs a subject: the text without its link (the robots show the text alone).
    title = message["text"].rsplit(" http", 1)[0] if channel.kind == "email" else ""
    with apprise.LogCapture(level=apprise.logging.WARNING) as log:
        sent = notifier.notify(body=message["text"], title=title)
    if not sent:
        raise SendFailed(log.getvalue().strip()[-480:] or f"{channel.kind} refused the message")


def _apprise_url(channel, message, smtp_url):
    timeouts = f"cto={TIMEOUT_SECONDS}&rto={TIMEOUT_SECONDS}"
    key, mentions = quote(channel.target, safe=""), "/".join(message["mentions"])
    if channel.kind == "wecom":
        return f"wecombot://{key}?{timeouts}"
    if channel.kind == "dingtalk":
        secret = f"{quote(channel.secret, safe='')}@" if channel.secret else ""
        return f"dingtalk://{secret}{key}/{mentions}?{timeouts}"
    if channel.kind == "feishu":
        return f"feishu://{key}?{timeouts}"
    if not smtp_url:
        raise SendFailed("no mail server is configured (NOTIFY_SMTP_URL)")
    join = "&" if "?" in smtp_url else "?"
    return f"{smtp_url}{join}{urlencode({'to': channel.target})}&{timeouts}"


def webhook_signature(secret, timestamp, body):
    """What a receiver recomputes: hex HMAC-SHA256 of "<timestamp>.<body>" with the shared key."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _post_webhook(channel, message):
    body = json.dumps(message, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Event-Id": message["event_id"],
        "X-Timestamp": timestamp,
    }
    if channel.secret:
        headers["X-Signature"] = "sha256=" + webhook_signature(channel.secret, timestamp, body)
    try:
        answer = requests.post(channel.target, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise SendFailed(f"webhook unreachable: {type(error).__name__}") from None
    if not 200 <= answer.status_code < 300:
        raise SendFailed(f"webhook answered {answer.status_code}")

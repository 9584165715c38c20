"""Invitation and reset mails: a one-time link to set a password, queued in the outbox like every mail."""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime, timedelta

from babel.dates import format_datetime

from events.database import writing
from notifications import keys
from notifications import outbox as outbox_store
from notifications.translations import translator
from service import passwords
from service.auth import User
from service.bootstrap import Pantau

RULES = (passwords.INVITE, passwords.RESET)  # the outbox rules of these mails (their bodies are never shown)


def private_mail(raw: str) -> bool:
    """Whether a received message is an invitation or reset mail (its link lets the reader choose a password)."""
    head = raw.split("\r\n\r\n", 1)[0].split("\n\n", 1)[0]
    return re.search(r"^X-Pantau-Key:\s*(invite|reset):", head, re.MULTILINE | re.IGNORECASE) is not None


def link_lifetime(pantau: Pantau, purpose: str) -> timedelta:
    """How long a link of this purpose stays open (PANTAU_INVITE_LINK_HOURS, PANTAU_RESET_LINK_HOURS)."""
    settings = pantau.settings
    return timedelta(hours=settings.invite_link_hours if purpose == passwords.INVITE else settings.reset_link_hours)


def send_link(pantau: Pantau, user: User, email: str, language: str, purpose: str) -> str:
    """Issue a link for the user and queue its mail to `email`; returns the outbox key."""
    now = pantau.clock()
    lifetime = link_lifetime(pantau, purpose)
    secret = passwords.issue(pantau.engine, user.id, purpose, now, lifetime)
    # The page opens in the mail's language (a visitor's own choice of language wins from then on).
    url = f"{pantau.settings.base_url}/password/{secret}" + ("?lang=en" if language == "en" else "")
    key = f"{purpose}:{user.id}:{secrets.token_hex(8)}"
    subject, text, body_html = _words(user.name, url, now + lifetime, language, purpose, pantau)
    message = outbox_store.Message(
        key=key,
        alert_key=key,
        rule=purpose,
        stream=None,
        desk=None,
        day=pantau.today(),
        language=language,
        to=(email,),
        cc=(),
        subject=subject,
        text=text,
        html=body_html,
        message_id=keys.message_id(key),
    )
    with writing(pantau.engine) as conn:
        outbox_store.queue(conn, [message], now)
    return key


def _words(name: str, url: str, until: datetime, language: str, purpose: str, pantau: Pantau):
    t = translator(language)
    when = format_datetime(until, "d MMMM y HH.mm zzz", tzinfo=pantau.settings.zone, locale=language)
    lines = [
        t("pwmail.greeting").format(name=name),
        t(f"pwmail.{purpose}.body"),
        t("pwmail.expires").format(until=when),
        t(f"pwmail.{purpose}.ignore"),
    ]
    text = "\n\n".join([lines[0], lines[1], url, *lines[2:]]) + "\n"
    paragraphs = "".join(f'<p style="margin:0 0 12px">{html.escape(line)}</p>' for line in lines[:2])
    button = (
        f'<p style="margin:16px 0"><a href="{html.escape(url)}" style="display:inline-block;padding:10px 16px;'
        f'background:#7f1d1d;color:#ffffff;text-decoration:none;border-radius:4px">'
        f"{html.escape(t(f'pwmail.{purpose}.button'))}</a></p>"
        f'<p style="margin:0 0 12px;font-size:12px;word-break:break-all">{html.escape(url)}</p>'
    )
    rest = "".join(f'<p style="margin:0 0 12px;color:#4b5563">{html.escape(line)}</p>' for line in lines[2:])
    body_html = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="margin:0;padding:16px 8px;background:#f3f4f6">'
        '<div style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #d1d5db;padding:16px;'
        'font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#111827">'
        f"{paragraphs}{button}{rest}</div></body></html>"
    )
    return t(f"pwmail.{purpose}.subject"), text, body_html

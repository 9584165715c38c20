"""Renders a message's subject, text and HTML from one context with the templates of its rule and language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)

from notifications import words
from notifications.explain_words import explanation_words

TEMPLATES = Path(__file__).parent / "templates"

# How the status words of docs/events.md read in a sentence, per language (event types: words.py).
LABELS = {
    "id": {"aktif": "aktif", "kurang_aktif": "kurang aktif", "tidak_aktif": "tidak aktif",
           "penjajakan": "penjajakan", "formal": "formal", "exploring": "penjajakan", "lapsed": "berakhir",
           "intent": "LoI", "ended": "dihentikan", "in_force": "berlaku", "pending": "belum berlaku",
           "terminated": "diakhiri", "sister_city": "kota kembar", "sister_province": "provinsi kembar",
           None: "—"},
    "en": {"aktif": "active", "kurang_aktif": "less active", "tidak_aktif": "dormant",
           "penjajakan": "exploring", "formal": "formal", "exploring": "exploring", "lapsed": "lapsed",
           "intent": "letter of intent", "ended": "ended", "in_force": "in force", "pending": "pending",
           "terminated": "terminated", "sister_city": "sister city", "sister_province": "sister province",
           None: "—"},
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished message body: subject line, plain text and HTML alternative."""

    subject: str
    text: str
    html: str


@pass_context
def _date(context, value: date | None) -> str:
    """`7 Oktober 2021` / `7 October 2021`: the way people write dates in letters."""
    if value is None:
        return "—"
    return format_date(value, "d MMMM y", locale=context.get("language", "id"))


@pass_context
def _month(context, value: date) -> str:
    return format_date(value, "MMMM y", locale=context.get("language", "id"))


@pass_context
def _label(context, value) -> str:
    language = context.get("language", "id")
    labels = LABELS.get(language, LABELS["id"])
    if value in labels:
        return labels[value]
    if value in words.EVENT_WORDS:  # an event type, as the digest's changes name them
        return words.noun(value, language)
    return str(value)


@pass_context
def _explain(context, why: dict) -> str:
    """A status's explanation in words (`why`: explanation, activeness, active_months, quiet_months)."""
    return explanation_words(why["explanation"], why["activeness"], context.get("language", "id"),
                             active_months=why["active_months"], quiet_months=why["quiet_months"])


@cache
def environment() -> Environment:
    """The Jinja2 environment of the message templates (HTML autoescaped, text and subjects not)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      autoescape=select_autoescape(enabled_extensions=("html",), default=False),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(date=_date, month=_month, label=_label, explain=_explain)
    return env


def render(rule: str, language: str, context: dict) -> Rendered:
    """The subject, text and HTML of `rule` in `language` (`id` or `en`) for `context`."""
    env = environment()
    values = {**context, "language": language, "rule": rule}
    subject = env.get_template(f"{language}/{rule}.subject.txt").render(values)
    subject = " ".join(subject.split())  # one line, whatever the template's layout
    values["subject"] = subject
    text = env.get_template(f"{language}/{rule}.txt").render(values)
    html = env.get_template(f"{language}/{rule}.html").render(values)
    return Rendered(subject, text, html)

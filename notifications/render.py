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

from events.dates import MONTH, YEAR, PartialDate
from notifications import letters, words
from notifications.explain_words import explanation_words
from notifications.record_names import document_word
from notifications.translations import translations

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A finished message body: subject line, plain text and HTML alternative."""

    subject: str
    text: str
    html: str


@pass_context
def _date(context, value: date | str | None) -> str:
    """`7 Oktober 2021` / `7 October 2021`, a written `2026-11` as `November 2026`, `2026` as `2026`."""
    if value is None or value == "":
        return "—"
    lang = context.get("language", "id")
    if isinstance(value, str):  # a date as written: never shown as a day nobody wrote
        try:
            written = PartialDate.parse(value)
        except ValueError:
            return value
        if written.precision == YEAR:
            return str(written.first.year)
        return format_date(written.first, "MMMM y" if written.precision == MONTH else "d MMMM y", locale=lang)
    return format_date(value, "d MMMM y", locale=lang)


@pass_context
def _month(context, value: date) -> str:
    return format_date(value, "MMMM y", locale=context.get("language", "id"))


@pass_context
def _label(context, value) -> str:
    """How a code (a status, a kind of change, an event type) reads inside a sentence, from the catalogue."""
    language = context.get("language", "id")
    if value in words.EVENT_WORDS:  # an event type, as the digest's changes name them
        return words.noun(value, language)
    key = f"label.{value}" if value is not None else "label.none"
    word = translations(language).gettext(key)
    return str(value) if word == key else word


@pass_context
def _document(context, value) -> str:
    """A document type in words ("Rencana Aksi", not `ActionPlan`), in the mail's language."""
    return document_word(value, translations(context.get("language", "id")).gettext)


@pass_context
def _explain(context, why: dict) -> str:
    """A status's explanation in words (`why`: explanation, activeness, active_months, quiet_months)."""
    return explanation_words(
        why["explanation"],
        why["activeness"],
        context.get("language", "id"),
        active_months=why["active_months"],
        quiet_months=why["quiet_months"],
        written_on=context.get("today"),
    )


@cache
def environment() -> Environment:
    """The Jinja2 environment of the message templates (HTML autoescaped, text and subjects not)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.add_extension("jinja2.ext.i18n")
    env.filters.update(date=_date, month=_month, label=_label, explain=_explain, document=_document)
    return env


def render(rule: str, language: str, context: dict) -> Rendered:
    """The subject, text and HTML of `rule` in `language` for `context` (a partner's letter for ko, ja, zh)."""
    if letters.is_letter(language, rule):
        return Rendered(*letters.render_letter(rule, language, context))
    env = environment()
    words = translations(language)
    # The catalogue rides in the context, not installed on the shared environment: renders may run in parallel.
    values = {
        **context,
        "language": language,
        "rule": rule,
        "gettext": words.gettext,
        "ngettext": words.ngettext,
        "_": words.gettext,
    }
    # A rule's template written once with the catalogue's words, else its letter of this language.
    folder = "" if (TEMPLATES / f"{rule}.html").exists() else f"{language}/"
    subject = env.get_template(f"{folder}{rule}.subject.txt").render(values)
    subject = " ".join(subject.split())  # one line, whatever the template's layout
    values["subject"] = subject
    text = env.get_template(f"{folder}{rule}.txt").render(values)
    html = env.get_template(f"{folder}{rule}.html").render(values)
    return Rendered(subject, text, html)

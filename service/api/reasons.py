"""The record's reasons for refusing input, said in the page's language from their codes.

Every refusal carries a code and its parameters from where it is made (events/errors.FieldError,
docs/refusals.md); its words are the gettext entry `reason.<code>`, its dates written as the page
writes them. Nothing here reads the record's English: a code without words reads "isian tidak sah"
on an Indonesian page, the record's own English on an English one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from jinja2 import pass_context
from markupsafe import Markup

from events.errors import FieldError
from service.api.formats import day
from service.api.i18n import N_, translations

# Parameters that hold a date, written as the page writes dates.
_DATES = ("value", "today", "start", "latest", "recorded")
_PARTIAL = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")


def explain(error: FieldError, lang: str) -> str:
    """A refusal of the record in `lang`, worded from its code and parameters."""
    return said(error.code, error.params, lang, error.reason)


def said(code: str, params: Mapping[str, object], lang: str, english: str = "") -> str:
    """The words of refusal `code` with its `params` in `lang`; `english` only where no words exist."""
    words = translations(lang)
    key = f"reason.{code}"
    text = words.gettext(key)
    if text == key or not text or (code == "invalid" and english):  # no words for this code (yet)
        return english if lang == "en" and english else words.gettext(N_("reason.invalid"))
    values: dict[str, object] = {}
    for name, value in params.items():
        if name in _DATES and isinstance(value, str) and _PARTIAL.fullmatch(value):
            value = day(value, lang)
        elif name == "type":
            value = words.gettext(f"type.{value}")
        values[name] = value
    try:
        return text % values
    except (KeyError, TypeError, ValueError):  # words asking for a parameter this refusal lacks
        return english if lang == "en" and english else words.gettext(N_("reason.invalid"))


TYPES = (
    N_("type.str"),
    N_("type.int"),
    N_("type.bool"),
    N_("type.object"),
    N_("type.array"),
    N_("type.null"),
    N_("type.float"),
)


# The outbox's reasons (notifications.outbox, .worker, .sender): (pattern, key); the detail the mail
# server gave stays as it came, under "technical detail", for whoever reads the server's logs.
_OUTBOX: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(p, re.DOTALL), key)
    for p, key in (
        (r"^no recipient address", N_("sendfail.no_recipient")),
        (r"^gave up after (?P<n>\d+) attempts: (?P<detail>.*)", N_("sendfail.gave_up")),
        (r"^recipients refused: (?P<detail>.*)", N_("sendfail.refused")),
        (r"^SMTP login refused, check PANTAU_SMTP_URL: (?P<detail>.*)", N_("sendfail.login")),
        (r"^bad address: (?P<detail>.*)", N_("sendfail.bad_address")),
        (r"^(?P<detail>SMTP\w*Error: .*|\w*(?:Timeout|Connection)\w*: .*)", N_("sendfail.unreachable")),
        (r"^(?P<detail>[45]\d\d .*)", N_("sendfail.server_said")),
    )
)


def why(reason: str | None, lang: str) -> tuple[str, str | None]:
    """An outbox reason in `lang`, and the mail server's own words kept apart (None when it gave none)."""
    if not reason:
        return "", None
    words = translations(lang)
    for pattern, key in _OUTBOX:
        found = pattern.match(reason)
        if found:
            values = found.groupdict()
            return words.gettext(key) % values, values.get("detail")
    return (reason, None) if lang == "en" else (words.gettext(N_("sendfail.other")), reason)


@pass_context
def why_filter(context, reason: str | None) -> Markup:
    """Jinja filter `why`: the reason in the page's language, the server's words folded under it."""
    said, detail = why(reason, context.get("lang", "id"))
    if not detail:
        return Markup("{}").format(said)
    summary = translations(context.get("lang", "id")).gettext(N_("sendfail.technical"))
    return Markup('{} <details class="tech"><summary>{}</summary><small>{}</small></details>').format(
        said, summary, detail
    )

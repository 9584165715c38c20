"""The record's reasons for refusing input, said in the page's language from their codes.

Every refusal carries a code and its parameters from where it is made (events/errors.FieldError,
docs/refusals.md); its words are the gettext entry `reason.<code>`, its dates written as the page
writes them. Nothing here reads the record's English: a code without words reads "isian tidak sah"
on an Indonesian page, the record's own English on an English one.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import pass_context
from markupsafe import Markup

from events.errors import FieldError
from service.api.formats import day
from service.api.i18n import N_, translations

# Parameters that hold a date, written as the page writes dates.
_DATES = ("value", "today", "start", "latest", "recorded")


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
        if name in _DATES and isinstance(value, str) and value:
            value = day(value, lang)  # a text that is no date stays as it is
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


# The outbox's reasons (notifications/send_reasons.py), worded from their codes; the mail server's
# own words (`detail`) stay as they came, under "technical detail", for whoever reads its logs.
SEND_FAILURES = (
    N_("sendfail.no_recipient"),
    N_("sendfail.bad_address"),
    N_("sendfail.refused"),
    N_("sendfail.login"),
    N_("sendfail.server_said"),
    N_("sendfail.unreachable"),
    N_("sendfail.gave_up"),
    N_("sendfail.sent_with_problems"),
    N_("sendfail.lease_lost"),
)


def why(text: str | None, code: str | None, params: Mapping[str, object], lang: str) -> tuple[str, str | None]:
    """An outbox reason in `lang`, and the mail server's own words kept apart (None when it gave none).

    A reason stored before codes were kept (no `code`) is not read: its text is the technical detail.
    """
    if not text and not code:
        return "", None
    words = translations(lang)
    key = f"sendfail.{code}"
    worded = words.gettext(key) if code else key
    if worded == key:  # no code, or one without words: the stored text is all there is
        return (text or "", None) if lang == "en" else (words.gettext(N_("sendfail.other")), text)
    detail = params.get("detail")
    try:
        said = worded % params
    except (KeyError, TypeError, ValueError):  # words asking for a parameter the reason lacks
        said = words.gettext(N_("sendfail.other"))
        detail = text
    return said, str(detail) if detail else None


@pass_context
def why_filter(context, text: str | None, code: str | None = None, params: Mapping | None = None) -> Markup:
    """Jinja filter `why`: the reason in the page's language, the server's words folded under it."""
    said, detail = why(text, code, params or {}, context.get("lang", "id"))
    if not detail:
        return Markup("{}").format(said)
    summary = translations(context.get("lang", "id")).gettext(N_("sendfail.technical"))
    return Markup('{} <details class="tech"><summary>{}</summary><small>{}</small></details>').format(
        said, summary, detail
    )

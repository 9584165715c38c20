"""The record's reasons for refusing input, said in the page's language.

The catalogue and the mapper explain a refusal in English for the API; a page shows the same reason
through the gettext catalogue, its dates written as the page writes them. A reason not known here
is never shown in English on an Indonesian page: it reads "isian tidak sah".
"""

from __future__ import annotations

import re

from jinja2 import pass_context
from markupsafe import Markup

from service.api.formats import day
from service.api.i18n import N_, translations

_V = r"'(?P<value>(?:[^'\\]|\\.)*)'"
_BY = r"'(?P<by>(?:[^'\\]|\\.)*)'"
# What a text breaks (events/text.py); a key of an object is told as "the name …".
_NAME = r"^(?:the name )?"
# (pattern of the English reason, catalogue key); the first match wins.
_REASONS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(p, re.DOTALL), key)
    for p, key in (
        (r"^expected a date as a string", N_("reason.date_form")),
        (r"^'' is not a date of the form", N_("reason.date_missing")),
        (rf"^{_V} is not a date of the form", N_("reason.not_a_date")),
        (rf"^{_V} is not a valid date", N_("reason.not_a_day")),
        (r"^(?P<value>\S+) is after (?P<today>\S+?)[,:]", N_("reason.future")),
        (r"^(?P<value>\S+) is before (?P<start>\S+)$", N_("reason.before")),
        (rf"^{_V} is not in this partnership's record", N_("reason.unknown_id")),
        (rf"^{_V} is already in this partnership's record", N_("reason.known_id")),
        (rf"^{_V} was closed or removed earlier", N_("reason.closed_id")),
        (rf"^stream {_V} is already registered", N_("reason.registered")),
        (rf"^partnership {_V} is not registered", N_("reason.not_registered")),
        (rf"^{_V} is not a partnership id", N_("reason.stream_id")),
        (r"^required field is missing", N_("form.required")),
        (r"^expected `str` of length >= 1", N_("form.required")),
        (r"^expected `str` of length <= (?P<n>\d+)", N_("reason.too_long")),
        (r"^expected `str` matching regex", N_("reason.pattern")),
        (rf"^invalid enum value {_V}", N_("reason.choice")),
        (r"^expected `int` >= (?P<n>-?\d+)", N_("reason.at_least")),
        (r"^expected `int` <= (?P<n>-?\d+)", N_("reason.at_most")),
        (r"^expected `(?P<type>\w+)`, got", N_("reason.type")),
        (r"^object contains unknown field", N_("reason.unknown_field")),
        (r"^expected `float` >= (?P<n>-?[\d.]+)", N_("reason.at_least")),
        (rf"^{_V} is not an ISO 4217 currency code", N_("reason.currency")),
        (rf"^{_V} is not an e-mail address", N_("reason.email")),
        # The plan's rules (events/plan_rules.py, events/catalogue.py, catalogue 1.1).
        (r"^(?P<value>\S+) is not in the plan's year (?P<year>\d+)", N_("reason.plan_year_of")),
        (
            r"^(?P<year>-?\d+) is outside the years this record allows for a plan: (?P<earliest>\d+) .*? to "
            r"(?P<latest>\d+) ",
            N_("reason.plan_years"),
        ),
        (
            rf"^plan item {_V} is for (?P<planned>\d+), the activity is dated (?P<year>\d+)",
            N_("reason.plan_other_year"),
        ),
        (rf"^plan item {_V} is already realised by activity {_BY}", N_("reason.plan_taken")),
        (rf"^{_V} was realised by activity {_BY}; retract or correct", N_("reason.plan_realised")),
        (r"^an accepted note names the activity it became", N_("reason.note_accepted")),
        (r"^a dismissed note names no activity", N_("reason.note_dismissed")),
        (_NAME + r"contains a lone surrogate \((?P<code>U\+[0-9A-F]+)\)", N_("reason.surrogate")),
        (_NAME + r"contains the control character (?P<code>U\+[0-9A-F]+)", N_("reason.control")),
        (_NAME + r"is (?P<length>\d+) characters long; at most (?P<n>\d+)", N_("reason.text_long")),
    )
)
_DATES = ("value", "today", "start")


def explain(reason: str, lang: str) -> str:
    """`reason` (as the record words it for the API) in `lang`."""
    words = translations(lang)
    for pattern, key in _REASONS:
        found = pattern.match(reason)
        if found is None:
            continue
        values = found.groupdict()
        for name in _DATES:
            if values.get(name) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", values[name]):
                values[name] = day(values[name], lang)
        if values.get("n", "").endswith(".0"):  # msgspec words a float's bound as 0.0
            values["n"] = values["n"][:-2]
        if "type" in values:
            values["type"] = words.gettext(f"type.{values['type']}")
        return words.gettext(key) % values
    return reason if lang == "en" else words.gettext(N_("reason.invalid"))


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

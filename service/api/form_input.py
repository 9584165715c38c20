"""What a page form typed, read into an event's data, with each bad field's reason in the page's language.

The catalogue checks everything again when the event is parsed; these checks come first so the
usual mistakes are told in words a desk officer reads, beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from events import catalogue
from events.dates import PartialDate, out_of_range
from events.numbers import is_whole
from events.vocabulary import STREAM_ID
from service.api.form_specs import EventForm, Field
from service.api.partial_dates import shown
from service.api.reasons import said
from service.written_dates import DateProblem, read_date

# The catalogue's own patterns (events/catalogue.py), checked first to say the usual slips in words.
_STREAM = STREAM_ID
_DESK = re.compile(catalogue.DESK_PATTERN)
_COUNTRY = re.compile(catalogue.COUNTRY_PATTERN)
_EMAIL = re.compile(catalogue.EMAIL_PATTERN)
# Partial dates whose order the catalogue checks: (later field, the fields it may not precede).
_ORDER = (("valid_until", ("valid_from", "occurred_on")), ("ends_on", ("occurred_on",)))
# The name suffix of a date field's calendar (input type=date) beside its text input (docs/forms.md).
CALENDAR = "__cal"


def typed(form: EventForm, raw: Mapping[str, str]) -> dict[str, str]:
    """The fields as typed (trimmed), to show again; a date picked in a calendar kept beside its field."""
    # Browsers send a textarea's line breaks as CRLF; the record keeps newlines only (events/text.py).
    values = {
        f.name: ("on" if raw.get(f.name) else "")
        if f.kind == "check"
        else str(raw.get(f.name, "")).replace("\r\n", "\n").replace("\r", "\n").strip()
        for f in form.fields
    }
    for f in form.fields:
        picked = str(raw.get(f.name + CALENDAR, "")).strip() if f.kind == "date" else ""
        if picked:
            values[f.name + CALENDAR] = picked
    return values


def date_value(text: str, today: date, t: Callable, lang: str, picked: str = "") -> tuple[str | None, str | None]:
    """(the partial date in ISO form, None) of a date field as people write it, or (None, the reason)."""
    if picked and (not text or text == today.isoformat()):
        text = picked  # the calendar replaces the day a fresh form suggests
    try:
        when = read_date(text)
        other = read_date(picked) if picked else when
    except DateProblem as problem:
        if problem.key in ("wd.no_day", "wd.no_month"):
            return None, t(problem.key) % problem.params
        return None, t("form.bad_date")
    if other != when:
        return None, t("form.date_conflict").format(typed=shown(when, lang), picked=shown(other, lang))
    far = out_of_range(when, today)  # the catalogue's 1945 to +100 years, the bound said
    if far is not None:
        return None, said(far.code, far.params, lang)
    return str(when), None


def event_date(values: Mapping[str, str], today: date, t: Callable, lang: str) -> str:
    """The envelope's occurred_on: the ISO form of the date typed or picked, else the text for the record to refuse."""
    text, picked = values.get("occurred_on", ""), values.get("occurred_on" + CALENDAR, "")
    when, _ = date_value(text, today, t, lang, picked) if text or picked else (None, None)
    return when or text


def _value(field: Field, text: str, today: date, t: Callable, lang: str, picked: str = "") -> tuple[object, str | None]:
    """The data value of one filled field, or the reason it is refused."""
    if field.kind == "date":
        when, problem = date_value(text, today, t, lang, picked)
        if problem or when is None:
            return None, problem
        # Only what happened is dated by occurred_on; an agreement may come in force later.
        if field.name == "occurred_on" and PartialDate.parse(when).first > today:
            return None, t("form.future").format(today=shown(today, lang))
        return when, None
    if field.kind == "number":
        if not is_whole(text):
            return None, t("form.not_number")
        number = int(text)
        if field.name == "term_years" and not 1 <= number <= 100:
            return None, t("form.years")
        return number, None
    if field.kind == "choice":
        return (text, None) if text in field.choices else (None, t("form.bad_choice"))
    if field.kind == "check":
        return True, None
    if field.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()], None
    if field.name == "stream" and not _STREAM.match(text):
        return None, t("form.bad_stream")
    if field.name == "desk" and not _DESK.match(text):
        return None, t("form.bad_desk")
    if field.name == "partner.country":
        text = text.upper()
        if not _COUNTRY.match(text):
            return None, t("form.bad_country")
    if field.name == "email" and not _EMAIL.match(text):
        return None, t("form.bad_email")
    return text, None


def read(
    form: EventForm,
    values: Mapping[str, str],
    today: date,
    t: Callable,
    lang: str,
    optional: frozenset[str] = frozenset(),
) -> tuple[dict, dict[str, str]]:
    """(values by field name, reasons by field name) of the typed values; empty fields are left out."""
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        text = values.get(field.name, "")
        picked = values.get(field.name + CALENDAR, "") if field.kind == "date" else ""
        if not (text or picked):
            if field.required and field.name not in optional:
                errors[field.name] = t("form.required")
            continue
        value, problem = _value(field, text, today, t, lang, picked)
        if problem:
            errors[field.name] = problem
        else:
            parsed[field.name] = value
    for later, earlier_names in _ORDER:
        if later in parsed and later not in errors:
            start = next((str(parsed[n]) for n in earlier_names if n in parsed), None)
            if start and PartialDate.parse(str(parsed[later])).last < PartialDate.parse(start).first:
                errors[later] = t("form.before").format(day=shown(start, lang))
    return parsed, errors


def nest(flat: Mapping[str, object]) -> dict:
    """Dotted names (partner.country) as nested objects, the way the catalogue has them."""
    data: dict = {}
    for name, value in flat.items():
        if "." in name:
            outer, inner = name.split(".", 1)
            data.setdefault(outer, {})[inner] = value
        else:
            data[name] = value
    return data

"""One pipeline for every page form (docs/forms.md): the event forms and the lifecycle forms differ only in hooks.

The pipeline checks the CSRF token, finds what the form acts on (the 403 and 404 pages come before
anything is validated), leads a form sent before to its first result, has the form's hooks read
the typed values into an event, records it through the API's own path, and shows the form again
with every refusal beside its field, in the page's language, when anything is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events.errors import Conflict, FieldError, InvalidEvent
from service import idempotency
from service.api.errors import ApiError
from service.api.form_specs import EventForm
from service.api.i18n import N_, translator
from service.api.reasons import explain, said
from service.api.recording import parse, record
from service.api.web import LoggedIn, check_csrf, logged_in, render
from service.bootstrap import Pantau

# Ids a form names in its address rather than in a field: their refusals are told with these labels.
ADDRESS_LABELS = {
    "draft_id": N_("f.draft_id"),
    "plan_id": N_("f.plan_id"),
    "agreement_id": N_("f.agreement_id"),
}


@dataclass
class Submission:
    """What a form's hooks made of what was typed: the event to record, and what to show again."""

    values: dict[str, str]  # as typed, shown again
    errors: dict[str, str]  # reasons by field name, in the page's language
    envelope: dict = field(default_factory=dict)  # stream, type, occurred_on, data
    expected_version: int | None = None
    answer: Response | None = None  # an answer instead of recording (nothing changed, the duplicate question)


# The hooks of one family of forms.
Target = Callable[[Request, LoggedIn, EventForm], Any]  # what the form acts on, or the refusal page
Build = Callable[[Request, LoggedIn, EventForm, Any, dict[str, str]], Submission]
Page = Callable[..., Response]  # (request, visit, form, target, values, errors, message, status_code)


@dataclass(frozen=True)
class FormHooks:
    """What differs between families of forms: finding the target, reading the fields, drawing the page."""

    target: Target
    build: Build
    page: Page


def refusal(request: Request, visit: LoggedIn, status_code: int, key: str, extra: str = "") -> HTMLResponse:
    """An error page in the visitor's language (403: not theirs to use; 404: no such thing)."""
    t = translator(visit.lang)
    return render(request, visit, "error.html", {"message": t(key) + (f": {extra}" if extra else "")}, status_code)


def first_result(stream: str, type_: str, again: bool, section: str = "") -> RedirectResponse:
    """Where a saved form leads: the partnership's page, at the form's section (the timeline by default)."""
    query = f"saved={type_}" + ("&again=1" if again else "")
    return RedirectResponse(f"/partnerships/{quote(stream)}?{query}#{section or 'timeline'}", status_code=303)


def replayed(pantau: Pantau, visit: LoggedIn, key: str | None, form: EventForm) -> RedirectResponse | None:
    """The first result when this form was submitted before (double click, Back, reload)."""
    earlier = idempotency.recall(pantau.engine, visit.user.id, key, pantau.clock()) if key else None
    if earlier is None or not isinstance(earlier[2], dict):
        return None
    return first_result(earlier[2]["stream"], earlier[2]["type"], True, form.returns_to)


def said_by_field(form: EventForm, errors: dict[str, str], refused: list[FieldError], lang: str) -> dict[str, str]:
    """The record's refusals added beside their fields (the form's own reasons first), in `lang`."""
    t = translator(lang)
    at = {f.key: f.name for f in form.fields if f.key}
    names = {f.name for f in form.fields}
    out = dict(errors)
    for error in refused:
        name = error.field.removeprefix("data.")
        name = at.get(name, name)
        reason = explain(error, lang)  # from the refusal's code, never its English
        if name not in names and name in ADDRESS_LABELS:
            reason = f"{t(ADDRESS_LABELS[name])}: {reason}"  # an id of the address: named here
        out.setdefault(name, reason)
    return out


def store(request: Request, form: EventForm, raw: dict[str, str], hooks: FormHooks) -> Response:
    """Record one event from a form, or show the form again with every refusal beside its field."""
    visit = logged_in(request)
    check_csrf(visit, raw.get("csrf", ""))
    target = hooks.target(request, visit, form)
    if isinstance(target, Response):
        return target
    pantau: Pantau = request.app.state.pantau
    form_id = raw.get("form_id", "")[:64]
    key = f"form:{form_id}" if form_id else None
    replay = replayed(pantau, visit, key, form)
    if replay is not None:
        return replay
    sub = hooks.build(request, visit, form, target, {**raw, "form_id": form_id})
    if sub.answer is not None:
        return sub.answer
    t = translator(visit.lang)

    def page(errors: dict, message: str | None, status_code: int) -> Response:
        return hooks.page(request, visit, form, target, sub.values, errors, message, status_code)

    try:
        if sub.errors:
            parse(pantau, visit.user, [sub.envelope], None)  # the catalogue's reasons too, all at once
            raise InvalidEvent([])
        record(pantau, visit.user, [sub.envelope], key=key, single=True, expected_version=sub.expected_version)
    except InvalidEvent as exc:
        return page(said_by_field(form, sub.errors, exc.errors, visit.lang), t("form.invalid"), 422)
    except ApiError as exc:
        return _api_refusal(request, visit, form, exc, key, page)
    except Conflict:
        if any(f.name == "stream" for f in form.fields):  # a registration: the id was taken meanwhile
            return page({**sub.errors, "stream": t("form.stream_taken")}, t("form.invalid"), 409)
        return page(sub.errors, t("form.conflict"), 409)
    return first_result(sub.envelope["stream"], form.type, False, form.returns_to)


def _api_refusal(
    request: Request, visit: LoggedIn, form: EventForm, exc: ApiError, key: str | None, page: Callable
) -> Response:
    """The page for a refusal of the API's own checks: scope, a reused form key, the rest by its code."""
    t = translator(visit.lang)
    if exc.status == 403:
        return refusal(request, visit, 403, "form.forbidden")
    if exc.code == "idempotency_key_reused":
        pantau: Pantau = request.app.state.pantau
        return replayed(pantau, visit, key, form) or page({}, t("form.again"), 409)
    if exc.code == "idempotency_key_in_use":
        return page({}, t("form.again"), exc.status)
    params = (exc.fields or [{}])[0].get("params", {})
    return page({}, said(exc.code, params, visit.lang, exc.message), exc.status)

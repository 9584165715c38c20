"""The pages' forms: every write the API allows, each on its own bookmarkable address.

Each form carries a one-time key (`form_id`): the event ids are derived from it and the first
answer is kept under it, so a double click, Back and submit, or a reload of the POST stores
nothing new and leads to the first result.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from projections.status import contacts, details, status
from service.api.form_input import event_date, nest, read, typed
from service.api.form_pipeline import FormHooks, Submission, first_result, refusal, store
from service.api.form_specs import ACTIVITY_FIELDS, FORMS, EventForm
from service.api.i18n import translator
from service.api.page_roles import activity_now, may_publish, may_register, may_write
from service.api.pages_lifecycle import open_plan_items
from service.api.partial_dates import shown
from service.api.reads import state_of
from service.api.recording import DESK_ONLY
from service.api.repeats import repeated
from service.api.web import LoggedIn, logged_in, render
from service.bootstrap import Pantau
from service.matrix_in.places import Indonesian
from service.record_ids import fill_codes, stream_id

router = APIRouter(include_in_schema=False)

# A correction may leave these empty (they are kept as recorded); clearing text stores "".
_CLEARABLE = {"title": "", "description": "", "fields": []}


@dataclass
class Target:
    """What a form acts on: the partnership (None for a new one) and the activity, agreement or contact."""

    # Any: None only on /partnerships/new, whose form reads none of these; every other form
    # is refused (404) before it would.
    stream: Any = None
    state: Any = None
    events: Any = None
    subject: Any = None
    current: Any = None  # the activity's values now, for a correction


def _target(request: Request, visit: LoggedIn, form: EventForm) -> Target | HTMLResponse:
    """The form's partnership and subject, or the refusal page when the user may not use it."""
    pantau: Pantau = request.app.state.pantau
    if form.type == "PartnershipRegistered":
        return Target() if may_register(visit.user) else refusal(request, visit, 403, "form.forbidden_role")
    stream = request.path_params["stream"]
    state = state_of(pantau, stream)
    if state is None:
        return refusal(request, visit, 404, "notfound", stream)
    if not may_write(pantau, visit.user, state):
        key = "form.forbidden_role" if visit.user.role == "viewer" else "form.forbidden"
        return refusal(request, visit, 403, key)
    if form.type in DESK_ONLY and not may_publish(pantau, visit.user, state):
        return refusal(request, visit, 403, "form.forbidden_publish")  # asked before the form, not after it
    target = Target(stream, state, pantau.store.stream(stream), request.path_params.get("subject"))
    found = True
    if form.subject == "activity_id":
        target.current = activity_now(state, target.subject)
        found = target.current is not None and not target.current["retracted"]
    elif form.subject == "agreement_id":
        found = any(a.agreement_id == target.subject and not a.terminated_on for a in state.agreements)
    elif form.subject == "contact_id":
        found = any(c["contact_id"] == target.subject for c in contacts(state, pantau.today()))
    return target if found else refusal(request, visit, 404, "notfound", target.subject or "")


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _defaults(request: Request, visit: LoggedIn, form: EventForm, target: Target) -> dict[str, str]:
    """What a fresh form shows: today, the usual choice, and for a correction the values as they are."""
    pantau: Pantau = request.app.state.pantau
    values = {f.name: "" for f in form.fields}
    values["occurred_on"] = pantau.today().isoformat()
    if form.type in ("ActivityLogged", "ActivityCorrected"):
        values["kind"] = "visit"
    if target.current is not None and form.type == "ActivityCorrected":
        values.update({f.name: _as_text(target.current.get(f.name)) for f in ACTIVITY_FIELDS})
    elif form.type == "PartnershipRegistered":
        values.update({"kind": "sister_city", "indonesia.level": "city", "desk": visit.user.desk or ""})
    elif form.type == "AgreementSigned":
        values["document"] = "MoU"
    elif form.type == "StatusAssessed":
        current = status(target.state, pantau.today(), pantau.rules)
        values["status"] = (current.assessed_status or current.matrix_status) if current else ""
    elif form.type == "ContactAssigned":
        chosen = request.query_params.get("contact_id", "")
        known = next((c for c in contacts(target.state, pantau.today()) if c["contact_id"] == chosen), None)
        values.update({"side": "indonesia", "language": "id", "contact_id": f"kontak-{uuid.uuid4().hex[:6]}"})
        if known:
            values.update({k: _as_text(v) for k, v in known.items() if k in values})
    values["form_id"] = str(uuid.uuid4())
    return values


def _subject_text(form: EventForm, target: Target, lang: str, day) -> str:
    """What the form acts on, in words, shown above it."""
    t = translator(lang)
    if target.current is not None:
        c = target.current
        return " — ".join(x for x in (shown(c.get("occurred_on"), lang), t(c.get("kind")), c.get("title")) if x)
    if form.subject == "agreement_id":
        agreement = next(a for a in target.state.agreements if a.agreement_id == target.subject)
        return f"{t('doc.' + agreement.document)} · {t('p.signed')} {shown(agreement.signed_on, lang)}"
    if form.subject == "contact_id":
        contact = next(c for c in contacts(target.state, day) if c["contact_id"] == target.subject)
        return f"{contact['name']} ({t('side.' + contact['side'])})"
    return ""


def _page(
    request: Request,
    visit: LoggedIn,
    form: EventForm,
    target: Target,
    values: dict,
    errors: dict,
    message: str | None = None,
    status_code: int = 200,
    duplicate: str | None = None,
    confirm_label: str = "form.save_anyway",
) -> HTMLResponse:
    pantau: Pantau = request.app.state.pantau
    info = None
    if target.state is not None:
        info = details(target.state, pantau.today(), pantau.rules)
    return render(
        request,
        visit,
        "event_form.html",
        {
            "form": form,
            "target": target,
            "stream": target.stream,
            "info": info,
            "values": values,
            "errors": errors,
            "message": message,
            "duplicate": duplicate,
            "confirm_label": confirm_label,
            "action": request.url.path,
            "subject_text": _subject_text(form, target, visit.lang, pantau.today()),
            "desks": [d.id for d in pantau.rules.desks],
            "plan_items": open_plan_items(target.state),
        },
        status_code,
    )


def _correction(target: Target, parsed: dict, errors: dict, t) -> dict:
    """The data of a correction: only the fields whose value differs from the record's."""
    data: dict = {}
    for field in ACTIVITY_FIELDS:
        # Compared as values, not text: "a,b" is the list "a, b" was, "012" the number 12.
        before, now = target.current.get(field.name), parsed.get(field.name)
        if isinstance(before, tuple):
            before = list(before)
        if field.name in errors or now == before or (now is None and before in (None, "", [])):
            continue
        if field.name in parsed:
            data[field.name] = parsed[field.name]
        elif field.name in _CLEARABLE:
            data[field.name] = _CLEARABLE[field.name]
        else:
            errors[field.name] = t("form.cannot_clear")
    return data


def _duplicate(request: Request, target: Target, data: dict, occurred_on: str, lang: str) -> str | None:
    """The recorded activity a new one repeats (service/api/repeats.py), in words, or None."""
    pantau: Pantau = request.app.state.pantau
    recorded = {
        e.data.get("activity_id"): e.recorded_at for e in target.events if e.type == "ActivityLogged" and e.recorded_at
    }
    activity = repeated(target.state.activities, recorded, data, occurred_on, pantau.clock())
    if activity is None:
        return None
    t = translator(lang)
    what = " — ".join(x for x in (shown(activity.occurred_on, lang), t(activity.kind), activity.title) if x)
    return t("form.duplicate").format(what=what)


def _parsed(request: Request, visit: LoggedIn, form: EventForm, target: Target, values: dict) -> tuple[dict, dict]:
    """(the event's data, the reasons by field) of what was typed; a correction keeps only what changed."""
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    correcting = form.type == "ActivityCorrected"
    optional = frozenset(f.name for f in ACTIVITY_FIELDS) - {"occurred_on", "kind"} if correcting else frozenset()
    parsed, errors = read(form, values, pantau.today(), t, visit.lang, optional)
    if correcting:
        return _correction(target, parsed, errors, t), errors
    occurred_on = parsed.pop("occurred_on", None)
    if form.type == "PartnershipRegistered":
        target.stream = parsed.pop("stream", "")
        if target.stream and state_of(pantau, target.stream) is not None:
            errors["stream"] = t("form.stream_taken")
        elif not target.stream and not errors:  # made from the names, as the matrix import makes it
            side = Indonesian(parsed["indonesia.name"], parsed["indonesia.level"], parsed.get("indonesia.province"))
            target.stream = stream_id(side, parsed["partner.name"], lambda found: state_of(pantau, found) is not None)
    else:
        fill_codes(form.type, target.state, parsed, occurred_on)
    data = nest(parsed)
    if form.type == "PartnershipRegistered":
        data.setdefault("fields", [])
    return data, errors


def _build(request: Request, visit: LoggedIn, form: EventForm, target: Target, raw: dict[str, str]) -> Submission:
    """The event a form's fields make (form_pipeline's hook for the event forms)."""
    pantau: Pantau = request.app.state.pantau
    form_id = raw["form_id"]
    values = {**typed(form, raw), "form_id": form_id}
    data, errors = _parsed(request, visit, form, target, values)
    # A correction is dated the day the record is fixed; anything else by what was typed.
    today, t = pantau.today(), translator(visit.lang)
    occurred_on = today.isoformat() if form.type == "ActivityCorrected" else event_date(values, today, t, visit.lang)
    unchanged = form.type == "ActivityCorrected" and not data
    if form.subject:
        data[form.subject] = target.subject
    if form.type == "ActivityLogged":
        # The form's own key names the activity, so a double submit records it once.
        data["activity_id"] = f"act-{(form_id or uuid.uuid4().hex)[:13]}"
    envelope = {"stream": target.stream, "type": form.type, "occurred_on": occurred_on, "data": data}
    sub = Submission(values, errors, envelope, 0 if form.type == "PartnershipRegistered" else None)
    if unchanged and not errors:
        sub.answer = _page(request, visit, form, target, values, errors, translator(visit.lang)("form.unchanged"), 422)
    elif not errors:
        sub.answer = _answer(request, visit, form, target, sub, raw)
    return sub


def _answer(
    request: Request, visit: LoggedIn, form: EventForm, target: Target, sub: Submission, raw: dict[str, str]
) -> Response | None:
    """What to answer instead of recording an activity: the same form again, or the duplicate question."""
    data, occurred_on = sub.envelope["data"], sub.envelope["occurred_on"]
    if form.type == "ActivityRetracted" and not raw.get("confirm"):
        # A retraction takes the activity out of every count: asked once more, on a page of its own.
        question = translator(visit.lang)("form.retract_question").format(
            what=_subject_text(form, target, visit.lang, None)
        )
        return _page(request, visit, form, target, sub.values, sub.errors, None, 200, question, "form.retract_yes")
    if form.type != "ActivityLogged":
        return None
    if any(a.activity_id == data["activity_id"] for a in target.state.activities):
        # The same form, sent again while its first answer was still being kept (a double click).
        return first_result(target.stream, form.type, True)
    duplicate = None if raw.get("confirm") else _duplicate(request, target, data, occurred_on, visit.lang)
    if duplicate:
        return _page(request, visit, form, target, sub.values, sub.errors, None, 409, duplicate)
    return None


HOOKS = FormHooks(target=lambda request, visit, form: _target(request, visit, form), build=_build, page=_page)


def _routes(address: str, type_: str) -> None:
    def show(request: Request) -> Response:
        visit = logged_in(request)
        form = FORMS[type_]
        target = _target(request, visit, form)
        if isinstance(target, Response):
            return target
        return _page(request, visit, form, target, _defaults(request, visit, form, target), {})

    async def submit(request: Request) -> Response:
        raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        return await run_in_threadpool(store, request, FORMS[type_], raw, HOOKS)

    name = type_.lower()
    router.add_api_route(f"/partnerships{address}", show, methods=["GET"], name=f"form-{name}")
    router.add_api_route(f"/partnerships{address}", submit, methods=["POST"], name=f"store-{name}")


for _form in FORMS.values():
    _routes(_form.address, _form.type)

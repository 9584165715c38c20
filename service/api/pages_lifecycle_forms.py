"""One pair of routes serving every lifecycle form of `lifecycle_specs` (drafts, steps, signing, plan items).

Its hooks (target, build, page) run in the one pipeline of every page form (form_pipeline.py): a CSRF token, a form id that makes a double
submit record once, the 403 page before anything is validated, every refusal shown beside its field
(role="alert", naming the field) in the page's language, nothing stored until every field is right.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from events.numbers import amount as read_amount
from events.numbers import is_whole
from notifications.record_names import names_of
from projections.partnership import PartnershipState
from projections.pipeline import of_partnership
from projections.status import details
from service.api.form_input import CALENDAR, date_value, event_date, nest, typed
from service.api.form_pipeline import FormHooks, Submission, refusal, store
from service.api.form_specs import EventForm
from service.api.i18n import translator
from service.api.lifecycle_specs import LIFECYCLE_FORMS, STEPS
from service.api.page_roles import may_write
from service.api.reads import state_of
from service.api.web import LoggedIn, logged_in, render
from service.bootstrap import Pantau
from service.record_ids import fill_codes

router = APIRouter(include_in_schema=False)


def _waiting_step(state: PartnershipState, ids: dict, pantau: Pantau) -> dict:
    """The step the draft waits for, suggested on a fresh step form."""
    standing = next(
        (s for s in of_partnership(state, pantau.today(), pantau.rules) if s.draft_id == ids["draft_id"]), None
    )
    return {"step": standing.waiting_for} if standing is not None and standing.waiting_for in STEPS else {}


# What a fresh form suggests beyond its fields' defaults.
_SUGGESTED: dict[str, Callable[[PartnershipState, dict, Pantau], dict]] = {
    "ApprovalRecorded": _waiting_step,
    "ActivityPlanned": lambda state, ids, pantau: {"year": str(pantau.today().year + 1)},
}


def _draft_document(state: PartnershipState, ids: dict) -> dict:
    """The document the draft was opened for; "Other" for a draft never opened, which the record refuses."""
    draft = next((d for d in state.drafts if d.draft_id == ids["draft_id"]), None)
    return {"document": draft.document if draft else "Other"}


# Data a form takes from the record rather than from a field.
_DERIVED: dict[str, Callable[[PartnershipState, dict], dict]] = {"AgreementSigned": _draft_document}


def _read(form: EventForm, values: dict, t) -> tuple[dict, dict]:
    """(the event's data from the fields, the reasons by field name) of what was typed."""
    flat: dict[str, object] = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        text, key = values[f.name], f.key or f.name
        if f.name == "occurred_on" or not (text or f.required):
            continue
        if f.kind == "number":
            if not is_whole(text):
                errors[f.name] = t("form.not_number")
            if is_whole(text) or f.required:
                # A required number that is not one stands as 0, so the record still says what else is wrong.
                flat[key] = int(text) if is_whole(text) else 0
        elif not text:
            errors[f.name] = t("form.required")
        elif f.kind == "amount":
            amount = read_amount(text)
            if amount is None:
                errors[f.name] = t("f.not_amount")
            else:
                flat[key] = amount
        else:
            flat[key] = text
    for head in (f for f in form.fields if f.kind == "amount"):
        group = head.key.split(".")[0] + "."
        for f in form.fields:
            if (f.key or "").startswith(group):
                if head.key not in flat:  # a group is stored only with its amount
                    flat.pop(f.key, None)
                elif f.default:
                    flat.setdefault(f.key, f.default)
    return nest(flat), errors


class _Target(NamedTuple):
    """The partnership a lifecycle form acts on, and the ids its address names (draft_id, plan_id)."""

    stream: str
    state: PartnershipState
    ids: dict


def _target(request: Request, visit: LoggedIn, form: EventForm) -> _Target | Response:
    """The partnership, or the 404 page for an unknown one and the 403 page for one not the user's."""
    pantau: Pantau = request.app.state.pantau
    stream = request.path_params["stream"]
    state = state_of(pantau, stream)
    if state is None:
        return refusal(request, visit, 404, "notfound", stream)
    if not may_write(pantau, visit.user, state):
        return refusal(request, visit, 403, "form.forbidden_role" if visit.user.role == "viewer" else "form.forbidden")
    return _Target(stream, state, {k: v for k, v in request.path_params.items() if k != "stream"})


HEADING_KINDS = {"draft_id": "draft", "plan_id": "plan"}


def _page(
    request: Request,
    visit: LoggedIn,
    form: EventForm,
    target: _Target,
    values: dict,
    errors: dict,
    message: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The form with its values, its refusals beside their fields and the alert above them."""
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    heading = t(form.title)
    if form.heading_id:  # the draft or plan item named, never by its id
        named = names_of(target.state, t, visit.lang).of(HEADING_KINDS[form.heading_id], target.ids[form.heading_id])
        heading = f"{heading}: {named}"
    return render(
        request,
        visit,
        "event_form.html",  # the event forms' template: one place for every form's markup
        {
            "form": form,
            "stream": target.stream,
            "info": details(target.state, pantau.today(), pantau.rules),
            "heading": heading,
            "action": request.url.path,
            "values": values,
            "errors": errors,
            "message": message,
        },
        status_code,
    )


def _build(request: Request, visit: LoggedIn, form: EventForm, target: _Target, raw: dict[str, str]) -> Submission:
    """The event a lifecycle form's fields make, with the ids of its address (form_pipeline's hook)."""
    pantau: Pantau = request.app.state.pantau
    values = {f.name: str(raw.get(f.name, "")).strip() for f in form.fields}
    values.update((k, v) for k, v in typed(form, raw).items() if k.endswith(CALENDAR))
    if "currency" in values:
        values["currency"] = values["currency"].upper()
    values["form_id"] = raw["form_id"]
    t, today = translator(visit.lang), pantau.today()
    data, errors = _read(form, values, t)
    # The step's date, typed as people write it or picked in the calendar, read as every form reads it.
    if values["occurred_on"] or values.get("occurred_on" + CALENDAR):
        picked = values.get("occurred_on" + CALENDAR, "")
        problem = date_value(values["occurred_on"], today, t, visit.lang, picked)[1]
        if problem:
            errors["occurred_on"] = problem
    derived = _DERIVED[form.type](target.state, target.ids) if form.type in _DERIVED else {}
    data = {**target.ids, **derived, **data}
    occurred_on = event_date(values, today, t, visit.lang)
    fill_codes(form.type, target.state, data, occurred_on)
    envelope = {"stream": target.stream, "type": form.type, "occurred_on": occurred_on, "data": data}
    return Submission(values, errors, envelope)


HOOKS = FormHooks(target=_target, build=_build, page=_page)


def _routes(form: EventForm) -> None:
    def show(request: Request) -> Response:
        visit = logged_in(request)
        pantau: Pantau = request.app.state.pantau
        target = _target(request, visit, form)
        if isinstance(target, Response):
            return target
        values = {f.name: f.default for f in form.fields}
        values.update(form_id=str(uuid.uuid4()), occurred_on=pantau.today().isoformat())
        if form.type in _SUGGESTED:
            values.update(_SUGGESTED[form.type](target.state, target.ids, pantau))
        return _page(request, visit, form, target, values, {})

    async def submit(request: Request) -> Response:
        raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        return await run_in_threadpool(store, request, form, raw, HOOKS)

    name = form.type.lower()
    router.add_api_route(f"/partnerships{form.address}", show, methods=["GET"], name=f"lifecycle-form-{name}")
    router.add_api_route(f"/partnerships{form.address}", submit, methods=["POST"], name=f"lifecycle-store-{name}")


for _form in LIFECYCLE_FORMS:
    _routes(_form)

"""One pair of routes serving every lifecycle form of `lifecycle_specs` (drafts, steps, signing, plan items).

Forms follow the event forms' conventions (docs/forms.md): a CSRF token, a form id that makes a double
submit record once, the 403 page before anything is validated, every refusal shown beside its field
(role="alert", naming the field) in the page's language, nothing stored until every field is right.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from events.errors import Conflict, InvalidEvent
from projections.partnership import PartnershipState
from projections.pipeline import of_partnership
from projections.status import details
from service.api.errors import ApiError
from service.api.form_input import nest
from service.api.form_specs import EventForm
from service.api.i18n import N_, translator
from service.api.lifecycle_specs import LIFECYCLE_FORMS, STEPS
from service.api.page_roles import may_write
from service.api.reads import state_of
from service.api.reasons import explain, said
from service.api.recording import parse, record
from service.api.web import LoggedIn, check_csrf, logged_in, render
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)

# Ids a form names in its address rather than in a field: their refusals are told with these labels.
_ADDRESS_LABELS = {"draft_id": N_("f.draft_id"), "plan_id": N_("f.plan_id"), "agreement_id": N_("f.agreement_id")}


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


def _amount(text: str) -> float | None:
    """An amount as written in Indonesia (150.000.000 or 1.500,50), or None when it is not one."""
    try:
        value = float(text.replace(".", "").replace(",", ".")) if "," in text else float(text.replace(".", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _read(form: EventForm, values: dict, t) -> tuple[dict, dict]:
    """(the event's data from the fields, the reasons by field name) of what was typed."""
    flat: dict[str, object] = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        text, key = values[f.name], f.key or f.name
        if f.name == "occurred_on" or not (text or f.required):
            continue
        if f.kind == "number":
            if not text.isdigit():
                errors[f.name] = t("form.not_number")
            if text.isdigit() or f.required:
                # A required number that is not one stands as 0, so the record still says what else is wrong.
                flat[key] = int(text) if text.isdigit() else 0
        elif not text:
            errors[f.name] = t("form.required")
        elif f.kind == "amount":
            amount = _amount(text)
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


def _page(
    request: Request,
    visit: LoggedIn,
    form: EventForm,
    values: dict,
    errors: dict,
    message: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The form, or the 404 page for an unknown partnership and the 403 page for one not the user's."""
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    stream = request.path_params["stream"]
    state = state_of(pantau, stream)
    if state is None:
        return render(request, visit, "error.html", {"message": f"{t('notfound')}: {stream}"}, 404)
    if not may_write(pantau, visit.user, state):
        key = "form.forbidden_role" if visit.user.role == "viewer" else "form.forbidden"
        return render(request, visit, "error.html", {"message": t(key)}, 403)
    heading = t(form.title) + (f": {request.path_params[form.heading_id]}" if form.heading_id else "")
    return render(
        request,
        visit,
        "event_form.html",  # the event forms' template: one place for every form's markup
        {
            "form": form,
            "stream": stream,
            "info": details(state, pantau.today(), pantau.rules),
            "heading": heading,
            "action": request.url.path,
            "values": values,
            "errors": errors,
            "message": message,
        },
        status_code,
    )


def _store(request: Request, form: EventForm, raw: dict[str, str]) -> Response:
    """Record one event from a form, or show the form again with every refusal beside its field."""
    visit = logged_in(request)
    check_csrf(visit, raw.get("csrf", ""))
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    stream = request.path_params["stream"]
    state = state_of(pantau, stream)
    if state is None or not may_write(pantau, visit.user, state):  # before anything is validated
        return _page(request, visit, form, {}, {})
    values = {f.name: str(raw.get(f.name, "")).strip() for f in form.fields}
    if "currency" in values:
        values["currency"] = values["currency"].upper()
    values["form_id"] = raw.get("form_id", "")[:64]
    data, errors = _read(form, values, t)
    ids = {k: v for k, v in request.path_params.items() if k != "stream"}
    derived = _DERIVED[form.type](state, ids) if form.type in _DERIVED else {}
    data = {**ids, **derived, **data}
    envelope = {"stream": stream, "type": form.type, "occurred_on": values["occurred_on"], "data": data}
    form_id = values["form_id"]
    try:
        if errors:
            parse(pantau, visit.user, [envelope], None)  # the catalogue's reasons too, all at once
            raise InvalidEvent([])
        record(pantau, visit.user, [envelope], key=f"form:{form_id}" if form_id else None, single=True)
    except InvalidEvent as exc:
        at = {f.key: f.name for f in form.fields if f.key}
        for e in exc.errors:
            name = e.field.removeprefix("data.")
            # The page says the record's reason from its code, in the page's language.
            errors.setdefault(at.get(name, name), explain(e, visit.lang))
        # The template names a field's own refusals; an id from the address is named here.
        fields = {f.name for f in form.fields}
        shown = {
            name: f"{t(_ADDRESS_LABELS[name])}: {reason}" if name not in fields and name in _ADDRESS_LABELS else reason
            for name, reason in errors.items()
        }
        return _page(request, visit, form, values, shown, t("form.invalid"), 422)
    except ApiError as exc:
        if exc.status == 403:
            message = t("form.forbidden")
        elif exc.code in ("idempotency_key_reused", "idempotency_key_in_use"):
            message = t("form.again")  # this form's key was sent before: its first answer stands
        else:
            message = said(exc.code, {}, visit.lang, exc.message)
        return _page(request, visit, form, values, errors, message, exc.status)
    except Conflict:
        return _page(request, visit, form, values, errors, t("form.conflict"), 409)
    return RedirectResponse(f"/partnerships/{stream}?saved=1#{form.returns_to}", status_code=303)


def _routes(form: EventForm) -> None:
    def show(request: Request) -> HTMLResponse:
        visit = logged_in(request)
        pantau: Pantau = request.app.state.pantau
        values = {f.name: f.default for f in form.fields}
        values.update(form_id=str(uuid.uuid4()), occurred_on=pantau.today().isoformat())
        state = state_of(pantau, request.path_params["stream"])
        if state is not None and form.type in _SUGGESTED:
            ids = {k: v for k, v in request.path_params.items() if k != "stream"}
            values.update(_SUGGESTED[form.type](state, ids, pantau))
        return _page(request, visit, form, values, {})

    async def submit(request: Request) -> Response:
        raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        return await run_in_threadpool(_store, request, form, raw)

    name = form.type.lower()
    router.add_api_route(f"/partnerships{form.address}", show, methods=["GET"], name=f"lifecycle-form-{name}")
    router.add_api_route(f"/partnerships{form.address}", submit, methods=["POST"], name=f"lifecycle-store-{name}")


for _form in LIFECYCLE_FORMS:
    _routes(_form)

"""Pages of drafts, yearly plans and reports: the pipeline per desk, the forms that record them, the preview.

Forms follow the activity form's conventions: a CSRF token, a form id that makes a double submit
record once, every refusal shown beside its field (role="alert", naming the field), nothing stored
until every field is right.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events.catalogue import APPROVAL_PATH
from events.errors import Conflict, InvalidEvent
from projections.partnership import PartnershipState
from projections.pipeline import SIGNING, closed_by, of_partnership, pipeline
from projections.plan import plan_of_year, plan_years
from projections.scorecard import scorecard
from projections.status import details
from projections.yearly import event_years
from service.api.errors import ApiError
from service.api.i18n import N_, translator
from service.api.page_roles import may_write
from service.api.reads import of_desk, state_of, states_on
from service.api.reasons import explain
from service.api.recording import parse, record
from service.api.web import LoggedIn, Visit, check_csrf, logged_in, render
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)

DOCUMENTS = ("MoU", "MoA", "IA", "LoI", "ActionPlan", "JointCommunique", "Other")
STEPS = (*APPROVAL_PATH, "other")
OUTCOMES = ("approved", "submitted", "returned", "rejected")
INITIATORS = ("indonesia", "partner", "kemlu")
KINDS = (
    "visit",
    "exchange",
    "training",
    "scholarship",
    "grant",
    "technical_assistance",
    "festival",
    "forum",
    "working_group",
    "meeting",
    "video_call",
    "correspondence",
    "other",
)
# Where a refusal of a nested or envelope field is shown on the form.
_SHOWN_AT = {
    "budget.amount": "budget",
    "budget.currency": "currency",
    "budget.source": "source",
    "funding.amount": "funding",
    "funding.currency": "currency",
}


@dataclass(frozen=True)
class Field:
    """One input of a form: its name, label key, kind (text, select, textarea, hidden) and options."""

    name: str
    label: str
    kind: str = "text"
    options: tuple = ()
    hint: str = ""


def _pantau(request: Request) -> Pantau:
    return request.app.state.pantau


def _desk_of(visit: Visit) -> str | None:
    return getattr(visit.user, "desk", None)


# -- the pipeline page ---------------------------------------------------------------------------


@router.get("/pipeline")
def pipeline_page(request: Request, desk: str = "", as_of: str = "") -> HTMLResponse:
    """The drafts of a desk grouped by the step they wait for, longest wait first, returned ones marked."""
    visit = logged_in(request)
    pantau = _pantau(request)
    t = translator(visit.lang)
    problem = None
    day = pantau.today()
    if as_of:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            problem = f"{t('filter.as_of')}: {as_of!r} — YYYY-MM-DD"
    desk = desk or (_desk_of(visit) or "")
    day, states = states_on(pantau, day, of_desk(pantau, desk or None))
    by_stream = {s.stream: s for s in states}
    rows = pipeline(states, day, pantau.rules, desk or None)
    groups = []
    for step in (*APPROVAL_PATH, SIGNING):
        waiting = sorted((r for r in rows if r.waiting_for == step), key=lambda r: (-r.days_waiting, r.stream))
        if waiting:
            groups.append(
                (
                    step,
                    [
                        (r, _draft(by_stream[r.stream], r.draft_id), _name(by_stream[r.stream], day, pantau))
                        for r in waiting
                    ],
                )
            )
    closed = [
        (s, d, _name(s, day, pantau))
        for s in states
        if not desk or details(s, day, pantau.rules).get("desk") == desk
        for d in closed_by(s, day)
    ]
    desks = sorted({d for d in (details(s, day, pantau.rules).get("desk") for s in states if s.drafts) if d})
    return render(
        request,
        visit,
        "pipeline.html",
        {
            "groups": groups,
            "closed": closed,
            "day": day,
            "desk": desk,
            "desks": desks,
            "as_of": as_of,
            "problem": problem,
            "count": len(rows),
            "since_written": since_written,
            # A user sees only the links they may use (docs/forms.md, "Roles").
            "writable": {r.stream for r in rows if may_write(pantau, visit.user, by_stream[r.stream])},
        },
    )


def since_written(draft, since: date) -> str:
    """The date a draft's wait began, as it was written (`Jan 2026`, not the 1 January it starts on)."""
    written = [draft.opened_on] if draft.start == since else []
    written += [s.occurred_on for s in draft.steps if s.on == since]
    # Of several events on that first day, the later recorded: the one the wait counts from.
    return written[-1] if written else since.isoformat()


def _draft(state: PartnershipState, draft_id: str):
    return next(d for d in state.drafts if d.draft_id == draft_id)


def _name(state: PartnershipState, day: date, pantau: Pantau) -> str:
    info = details(state, day, pantau.rules)
    return f"{info.get('indonesia', {}).get('name', '?')} – {info.get('partner', {}).get('name', '?')}"


# -- what the partnership page shows of drafts, plans, reports and scorecards --------------------


def partnership_lifecycle(state: PartnershipState, day: date, pantau: Pantau) -> dict:
    """The partnership page's context for its drafts, yearly plans, reports and scorecard."""
    years = sorted(set(plan_years(state)) | {a.start.year for a in state.activities if not a.retracted})
    plans = [(year, plan_of_year(state, year)) for year in years if any(i.year == year for i in state.plan)]
    report_years = event_years(state)
    return {
        "open_drafts": [(s, _draft(state, s.draft_id)) for s in of_partnership(state, day, pantau.rules)],
        "closed_drafts": closed_by(state, day),
        "plans": sorted(plans, reverse=True),
        "plan_items": {i.plan_id: i for i in state.plan},
        "report_years": sorted(report_years, reverse=True),
        "scorecard": scorecard(state, day.year, pantau.rules),
        "since_written": since_written,
        # The scorecard's sources carry first days; the page writes an activity's or a signing's date as written.
        "written_on": {
            **{("ActivityLogged", a.activity_id): a.occurred_on for a in state.activities},
            **{("AgreementSigned", a.agreement_id): a.signed_on for a in state.agreements},
        },
    }


# -- forms -----------------------------------------------------------------------------------------


def _form_page(
    request: Request,
    visit: Visit,
    stream: str,
    title: str,
    action: str,
    fields: list[Field],
    values: dict,
    errors: dict,
    message: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    pantau = _pantau(request)
    state = state_of(pantau, stream)
    if state is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    refused = _refusal(request, visit, pantau, state)
    if refused is not None:
        return refused
    info = details(state, pantau.today(), pantau.rules)
    return render(
        request,
        visit,
        "lifecycle_form.html",
        {
            "stream": stream,
            "info": info,
            "title": title,
            "action": action,
            "fields": fields,
            "values": values,
            "errors": errors,
            "message": message,
        },
        status_code,
    )


def _refusal(request: Request, visit: Visit, pantau: Pantau, state: PartnershipState) -> HTMLResponse | None:
    """The 403 page for a user who may not write here (a form opened by its address anyway), else None."""
    if may_write(pantau, visit.user, state):
        return None
    viewer = visit.user is not None and visit.user.role == "viewer"
    message = translator(visit.lang)("form.forbidden_role" if viewer else "form.forbidden")
    return render(request, visit, "error.html", {"message": message}, 403)


def _submit(
    request: Request,
    visit: LoggedIn,
    stream: str,
    title: str,
    action: str,
    fields: list[Field],
    values: dict,
    errors: dict,
    type_: str,
    data: dict,
    occurred_on: str,
    anchor: str,
) -> Response:
    """Record one event from a form, or show the form again with every refusal beside its field."""
    t = translator(visit.lang)
    pantau = _pantau(request)
    state = state_of(pantau, stream)
    refused = _refusal(request, visit, pantau, state) if state is not None else None
    if refused is not None:  # before anything is validated
        return refused
    envelope = {"stream": stream, "type": type_, "occurred_on": occurred_on, "data": data}
    form_id = values.get("form_id") or ""
    labels = {f.name: t(f.label) for f in fields}
    try:
        if errors:
            parse(pantau, visit.user, [envelope], None)  # the catalogue's reasons too, all at once
            raise InvalidEvent([])
        record(pantau, visit.user, [envelope], key=f"form:{form_id}" if form_id else None, single=True)
    except InvalidEvent as exc:
        for e in exc.errors:
            name = e.field.removeprefix("data.")
            name = _SHOWN_AT.get(name, name)
            # The record words its reasons in English for the API; the page says them in its language.
            errors.setdefault(name, explain(e.reason, visit.lang))
        shown = {name: _labelled(labels, name, reason, t) for name, reason in errors.items()}
        return _form_page(request, visit, stream, title, action, fields, values, shown, t("form.invalid"), 422)
    except ApiError as exc:
        if exc.status == 403:
            message = t("form.forbidden")
        elif exc.code in ("idempotency_key_reused", "idempotency_key_in_use"):
            message = t("form.again")  # this form's key was sent before: its first answer stands
        else:
            message = explain(exc.message, visit.lang)
        return _form_page(request, visit, stream, title, action, fields, values, errors, message, exc.status)
    except Conflict:
        return _form_page(request, visit, stream, title, action, fields, values, errors, t("form.conflict"), 409)
    return RedirectResponse(f"/partnerships/{stream}?saved=1#{anchor}", status_code=303)


# Ids a form names in its address rather than in a field: their refusals are told with these labels.
_ADDRESS_LABELS = {"draft_id": N_("f.draft_id"), "plan_id": N_("f.plan_id"), "agreement_id": N_("f.agreement_id")}


def _labelled(labels: dict, name: str, reason: str, t) -> str:
    label = labels.get(name) or (t(_ADDRESS_LABELS[name]) if name in _ADDRESS_LABELS else None)
    return f"{label}: {reason}" if label else reason


def _options(values, t, prefix: str = "") -> tuple:
    return tuple((v, t(prefix + v) if prefix else t(v)) for v in values)


def _fresh(request: Request, **values) -> dict:
    return {"form_id": str(uuid.uuid4()), "occurred_on": _pantau(request).today().isoformat(), **values}


def _amount(text: str, name: str, errors: dict, t) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(".", "").replace(",", ".")) if "," in text else float(text.replace(".", ""))
    except ValueError:
        errors[name] = t("f.not_amount")
        return None
    if value < 0:
        errors[name] = t("f.not_amount")
        return None
    return value


# Open a draft.


def _draft_fields(t) -> list[Field]:
    return [
        Field("occurred_on", "f.date"),
        Field("draft_id", "f.draft_id", hint="mou-2024-draft"),
        Field("document", "f.document", "select", tuple((d, d) for d in DOCUMENTS)),
        Field("initiated_by", "f.initiated_by", "select", _options(INITIATORS, t, "initiator.")),
        Field("title", "f.title"),
        Field("note", "f.note", "textarea"),
    ]


@router.get("/partnerships/{stream}/drafts/new")
def draft_form(request: Request, stream: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    return _form_page(
        request,
        visit,
        stream,
        t("pl.open_draft"),
        f"/partnerships/{stream}/drafts/new",
        _draft_fields(t),
        _fresh(request, document="MoU", initiated_by="indonesia"),
        {},
    )


@router.post("/partnerships/{stream}/drafts/new")
def open_draft(
    request: Request,
    stream: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    draft_id: Annotated[str, Form()] = "",
    document: Annotated[str, Form()] = "",
    initiated_by: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {
        "form_id": form_id,
        "occurred_on": occurred_on.strip(),
        "draft_id": draft_id.strip(),
        "document": document,
        "initiated_by": initiated_by,
        "title": title.strip(),
        "note": note.strip(),
    }
    errors = {} if values["draft_id"] else {"draft_id": t("form.required")}
    data = {k: values[k] for k in ("draft_id", "document", "initiated_by", "title", "note") if values[k]}
    return _submit(
        request,
        visit,
        stream,
        t("pl.open_draft"),
        f"/partnerships/{stream}/drafts/new",
        _draft_fields(t),
        values,
        errors,
        "DraftOpened",
        data,
        values["occurred_on"],
        "drafts",
    )


# Record a step.


def _step_fields(t) -> list[Field]:
    return [
        Field("occurred_on", "f.date"),
        Field("step", "f.step", "select", _options(STEPS, t, "step.")),
        Field("outcome", "f.outcome", "select", _options(OUTCOMES, t, "outcome.")),
        Field("reference", "f.reference", hint="170/123/DPRD"),
        Field("note", "f.note", "textarea"),
    ]


@router.get("/partnerships/{stream}/drafts/{draft_id}/step")
def step_form(request: Request, stream: str, draft_id: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    state = state_of(_pantau(request), stream)
    suggested = "kajian"
    if state is not None and any(d.draft_id == draft_id for d in state.drafts):
        standing = next(
            (
                s
                for s in of_partnership(state, _pantau(request).today(), _pantau(request).rules)
                if s.draft_id == draft_id
            ),
            None,
        )
        if standing is not None and standing.waiting_for in STEPS:
            suggested = standing.waiting_for
    return _form_page(
        request,
        visit,
        stream,
        f"{t('pl.record_step')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/step",
        _step_fields(t),
        _fresh(request, step=suggested, outcome="approved"),
        {},
    )


@router.post("/partnerships/{stream}/drafts/{draft_id}/step")
def record_step(
    request: Request,
    stream: str,
    draft_id: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    step: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {
        "form_id": form_id,
        "occurred_on": occurred_on.strip(),
        "step": step,
        "outcome": outcome,
        "reference": reference.strip(),
        "note": note.strip(),
    }
    data = {"draft_id": draft_id, **{k: values[k] for k in ("step", "outcome", "reference", "note") if values[k]}}
    return _submit(
        request,
        visit,
        stream,
        f"{t('pl.record_step')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/step",
        _step_fields(t),
        values,
        {},
        "ApprovalRecorded",
        data,
        values["occurred_on"],
        "drafts",
    )


# Withdraw a draft.


def _withdraw_fields() -> list[Field]:
    return [Field("occurred_on", "f.date"), Field("reason", "f.reason", "textarea")]


@router.get("/partnerships/{stream}/drafts/{draft_id}/withdraw")
def withdraw_form(request: Request, stream: str, draft_id: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    return _form_page(
        request,
        visit,
        stream,
        f"{t('pl.withdraw')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/withdraw",
        _withdraw_fields(),
        _fresh(request),
        {},
    )


@router.post("/partnerships/{stream}/drafts/{draft_id}/withdraw")
def withdraw(
    request: Request,
    stream: str,
    draft_id: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {"form_id": form_id, "occurred_on": occurred_on.strip(), "reason": reason.strip()}
    data = {"draft_id": draft_id, **({"reason": values["reason"]} if values["reason"] else {})}
    return _submit(
        request,
        visit,
        stream,
        f"{t('pl.withdraw')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/withdraw",
        _withdraw_fields(),
        values,
        {},
        "DraftWithdrawn",
        data,
        values["occurred_on"],
        "drafts",
    )


# Sign from a draft.


def _sign_fields() -> list[Field]:
    return [
        Field("occurred_on", "f.date"),
        Field("agreement_id", "f.agreement_id", hint="mou-2024"),
        Field("term_years", "f.term_years"),
        Field("note", "f.note", "textarea"),
    ]


@router.get("/partnerships/{stream}/drafts/{draft_id}/sign")
def sign_form(request: Request, stream: str, draft_id: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    return _form_page(
        request,
        visit,
        stream,
        f"{t('pl.sign')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/sign",
        _sign_fields(),
        _fresh(request),
        {},
    )


@router.post("/partnerships/{stream}/drafts/{draft_id}/sign")
def sign(
    request: Request,
    stream: str,
    draft_id: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    agreement_id: Annotated[str, Form()] = "",
    term_years: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    pantau = _pantau(request)
    values = {
        "form_id": form_id,
        "occurred_on": occurred_on.strip(),
        "agreement_id": agreement_id.strip(),
        "term_years": term_years.strip(),
        "note": note.strip(),
    }
    errors: dict = {} if values["agreement_id"] else {"agreement_id": t("form.required")}
    state = state_of(pantau, stream)
    draft = next((d for d in state.drafts if d.draft_id == draft_id), None) if state else None
    # The draft's document is signed; a draft never opened is refused by the record, naming draft_id.
    data: dict = {
        "draft_id": draft_id,
        "document": draft.document if draft else "Other",
        **({"agreement_id": values["agreement_id"]} if values["agreement_id"] else {}),
    }
    if values["term_years"]:
        if values["term_years"].isdigit():
            data["term_years"] = int(values["term_years"])
        else:
            errors["term_years"] = t("form.not_number")
    if values["note"]:
        data["note"] = values["note"]
    return _submit(
        request,
        visit,
        stream,
        f"{t('pl.sign')}: {draft_id}",
        f"/partnerships/{stream}/drafts/{draft_id}/sign",
        _sign_fields(),
        values,
        errors,
        "AgreementSigned",
        data,
        values["occurred_on"],
        "agreements",
    )


# Plan an item, drop it.


def _plan_fields(t) -> list[Field]:
    return [
        Field("occurred_on", "f.date"),
        Field("plan_id", "f.plan_id", hint="2024-youth-exchange"),
        Field("year", "f.year"),
        Field("kind", "f.kind", "select", _options(KINDS, t)),
        Field("title", "f.title"),
        Field("planned_on", "f.planned_on", hint="2024-08"),
        Field("roles", "f.roles", "textarea"),
        Field("expected_result", "f.expected_result", "textarea"),
        Field("budget", "f.budget", hint="150000000"),
        Field("currency", "f.currency"),
        Field("source", "f.source", hint="APBD"),
    ]


@router.get("/partnerships/{stream}/plan/new")
def plan_form(request: Request, stream: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    today = _pantau(request).today()
    return _form_page(
        request,
        visit,
        stream,
        t("yp.plan_item"),
        f"/partnerships/{stream}/plan/new",
        _plan_fields(t),
        _fresh(request, year=str(today.year + 1), kind="exchange", currency="IDR"),
        {},
    )


@router.post("/partnerships/{stream}/plan/new")
def plan_item(
    request: Request,
    stream: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    plan_id: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    planned_on: Annotated[str, Form()] = "",
    roles: Annotated[str, Form()] = "",
    expected_result: Annotated[str, Form()] = "",
    budget: Annotated[str, Form()] = "",
    currency: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {
        "form_id": form_id,
        "occurred_on": occurred_on.strip(),
        "plan_id": plan_id.strip(),
        "year": year.strip(),
        "kind": kind,
        "title": title.strip(),
        "planned_on": planned_on.strip(),
        "roles": roles.strip(),
        "expected_result": expected_result.strip(),
        "budget": budget.strip(),
        "currency": currency.strip().upper(),
        "source": source.strip(),
    }
    errors: dict = {}
    if not values["plan_id"]:
        errors["plan_id"] = t("form.required")
    data: dict = {
        k: values[k] for k in ("plan_id", "kind", "title", "planned_on", "roles", "expected_result") if values[k]
    }
    if values["year"].isdigit():
        data["year"] = int(values["year"])
    else:
        errors["year"] = t("form.not_number")
        data["year"] = 0
    amount = _amount(values["budget"], "budget", errors, t)
    if amount is not None:
        data["budget"] = {
            "amount": amount,
            "currency": values["currency"] or "IDR",
            **({"source": values["source"]} if values["source"] else {}),
        }
    return _submit(
        request,
        visit,
        stream,
        t("yp.plan_item"),
        f"/partnerships/{stream}/plan/new",
        _plan_fields(t),
        values,
        errors,
        "ActivityPlanned",
        data,
        values["occurred_on"],
        "plan",
    )


@router.get("/partnerships/{stream}/plan/{plan_id}/drop")
def drop_form(request: Request, stream: str, plan_id: str) -> HTMLResponse:
    visit = logged_in(request)
    t = translator(visit.lang)
    return _form_page(
        request,
        visit,
        stream,
        f"{t('yp.drop')}: {plan_id}",
        f"/partnerships/{stream}/plan/{plan_id}/drop",
        _withdraw_fields(),
        _fresh(request),
        {},
    )


@router.post("/partnerships/{stream}/plan/{plan_id}/drop")
def drop(
    request: Request,
    stream: str,
    plan_id: str,
    csrf: Annotated[str, Form()] = "",
    form_id: Annotated[str, Form(max_length=64)] = "",
    occurred_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {"form_id": form_id, "occurred_on": occurred_on.strip(), "reason": reason.strip()}
    data = {"plan_id": plan_id, **({"reason": values["reason"]} if values["reason"] else {})}
    return _submit(
        request,
        visit,
        stream,
        f"{t('yp.drop')}: {plan_id}",
        f"/partnerships/{stream}/plan/{plan_id}/drop",
        _withdraw_fields(),
        values,
        {},
        "PlanItemDropped",
        data,
        values["occurred_on"],
        "plan",
    )


def open_plan_items(state: PartnershipState | None) -> list:
    """Plan items neither dropped nor realised, newest year first: what an activity may realise."""
    if state is None:
        return []
    taken = {a.plan_id for a in state.activities if not a.retracted and a.plan_id}
    return sorted(
        (i for i in state.plan if i.dropped_on is None and i.plan_id not in taken), key=lambda i: (-i.year, i.plan_id)
    )


# The report: the Word document for a logged-in visitor, and its preview.


@router.get("/partnerships/{stream}/report/{year}.docx")
def report_download(request: Request, stream: str, year: int) -> Response:
    """The yearly report as a Word document (the page's link; the API serves the same to tokens)."""
    from service.report import build, file_name, to_docx

    visit = logged_in(request)
    pantau = _pantau(request)
    state = state_of(pantau, stream)
    if state is None or not 1800 <= year <= 2999:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    return Response(
        to_docx(build(state, year, pantau.rules)),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{file_name(stream, year)}"'},
    )


@router.get("/partnerships/{stream}/report/{year}")
def report_preview(request: Request, stream: str, year: int) -> HTMLResponse:
    """The yearly report as HTML, the same sections as the Word document."""
    from service.report import build

    visit = logged_in(request)
    pantau = _pantau(request)
    state = state_of(pantau, stream)
    if state is None or not 1800 <= year <= 2999:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    report = build(state, year, pantau.rules)
    return render(
        request,
        visit,
        "report_preview.html",
        {"stream": stream, "report": report, "year": year, "info": details(state, pantau.today(), pantau.rules)},
    )

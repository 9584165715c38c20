"""The partner's page `/mitra/{key}`: its partnership in its language with English beside, and its proposals.

No login: the signed key is the credential (service/partner_links.py). A forged, expired or revoked
key, a removed contact and an unknown partnership all get the same 404 page, in the language the
request's Accept-Language asks for, saying nothing of whether the partnership exists. The desk's
side (the link to copy, revoke, turn on again) is on the partnership page (docs/partner.md).
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from notifications.letters import written_long
from notifications.translations import translator
from projections.status import contacts
from service import partner_links, partner_proposals
from service.api.i18n import N_
from service.api.page_roles import may_write
from service.api.reads import state_of
from service.api.web import check_csrf, logged_in, render
from service.bootstrap import Pantau
from service.partner_view import partner_contact, view

router = APIRouter(include_in_schema=False)

# A contact's language -> the catalogue its page is written in (Indonesian and English are the staff's too).
PAGE_LOCALES = {"id": "id", "en": "en", "ko": "ko", "ja": "ja", "zh": "zh_Hans"}
# Headers of every partner page: the key is in the address, so it is never cached, indexed or sent on.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def request_locale(header: str) -> str:
    """The catalogue for an Accept-Language header (`ko-KR,ko;q=0.9,en;q=0.8` -> ko); English by default."""
    asked = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        asked.append((-weight, index, tag.strip().lower().split("-")[0]))
    for _weight, _index, language in sorted(asked):
        if language in PAGE_LOCALES:
            return PAGE_LOCALES[language]
    return "en"


def _page(request: Request, name: str, locale: str, context: dict, status_code: int = 200) -> HTMLResponse:
    local, english = translator(locale), translator("en")

    def words(t):
        return lambda key, **values: (t(key) % values) if values else t(key)

    response = request.app.state.templates.TemplateResponse(
        request,
        name,
        {
            "L": words(local),
            "E": words(english),
            "LD": lambda value: written_long(value, locale, local("partner.none")),
            "ED": lambda value: written_long(value, "en", english("partner.none")),
            "locale": locale,
            "html_lang": locale.replace("_", "-"),
            "bilingual": locale != "en",
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(PRIVATE)
    return response


def _missing(request: Request) -> HTMLResponse:
    return _page(request, "partner_missing.html", request_locale(request.headers.get("accept-language", "")), {}, 404)


def _opened(request: Request, key: str):
    """(pantau, state, contact) of a key that opens its page, or None."""
    pantau: Pantau = request.app.state.pantau
    holder = request.app.state.partner_keys.load(key)
    if holder is None:
        return None
    state = state_of(pantau, holder.stream)
    if state is None or state.registered_on > pantau.today():
        return None
    contact = partner_contact(state, holder.contact_id, pantau.today())
    link = partner_links.link_of(pantau.engine, holder.stream, holder.contact_id)
    if contact is None or link.revoked or link.generation != holder.generation:
        return None
    return pantau, state, contact


def _show(request: Request, key: str, opened, form=None, problems=None, notice="", status_code=200) -> HTMLResponse:
    pantau, state, contact = opened
    events = pantau.store.stream(state.stream)
    context = {
        "key": key,
        "view": view(state, contact, pantau.today(), pantau.rules, pantau.alert_rules),
        "proposals": partner_proposals.proposals_of(events, contact["contact_id"]),
        "form": form or {},
        "form_key": secrets.token_urlsafe(18),
        "problems": problems or {},
        "notice": notice,
        "kinds": partner_proposals.KINDS,
        "rules": partner_proposals.RULES,
    }
    return _page(request, "partner.html", PAGE_LOCALES.get(contact.get("language") or "id", "id"), context, status_code)


@router.get("/mitra/{key}")
def partner_page(request: Request, key: str, sent: str = "") -> HTMLResponse:
    """The partner's page, or the same 404 for every key that does not open one."""
    opened = _opened(request, key)
    if opened is None:
        return _missing(request)
    notice = {"1": "partner.sent", "again": "partner.sent_again"}.get(sent, "")
    return _show(request, key, opened, notice=notice)


@router.post("/mitra/{key}")
def propose(
    request: Request,
    key: str,
    occurred_on: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    participants: Annotated[str, Form()] = "",
    form_key: Annotated[str, Form()] = "",
) -> Response:
    """A proposal: a note in the desk's review queue, or the page again with each refusal; nothing stored then."""
    opened = _opened(request, key)
    if opened is None:
        return _missing(request)
    pantau, state, contact = opened
    form = {
        "occurred_on": occurred_on,
        "kind": kind,
        "title": title,
        "description": description,
        "participants": participants,
        "form_key": form_key,
    }
    today, contact_id = pantau.today(), contact["contact_id"]
    if partner_proposals.valid_form_key(form_key) and pantau.store.get(
        partner_proposals.event_id(state.stream, contact_id, form_key)
    ):
        return RedirectResponse(f"/mitra/{quote(key)}?sent=again", status_code=303, headers=PRIVATE)
    events = pantau.store.stream(state.stream)
    if partner_proposals.sent_on(events, contact_id, today) >= partner_proposals.RULES.per_day:
        return _show(request, key, opened, form, {"form": "partner.refuse.burst"}, status_code=429)
    try:
        proposal = partner_proposals.read(form, today, pantau.settings.max_text_length)
        note = partner_proposals.note_event(state.stream, contact, form_key, proposal, today)
    except partner_proposals.ProposalRefused as refused:
        return _show(request, key, opened, form, refused.problems, status_code=422)
    # A second send of the same form racing the first: the store keeps one note (ids already stored are skipped).
    sent = "1" if pantau.store.append([note]).added else "again"
    return RedirectResponse(f"/mitra/{quote(key)}?sent={sent}", status_code=303, headers=PRIVATE)


def desk_links(request: Request, pantau: Pantau, state, user) -> list[dict]:
    """The partner-side contacts of a partnership with their page links, for the desk's partnership page."""
    if not may_write(pantau, user, state):
        return []
    links = partner_links.links_of(pantau.engine, state.stream)
    base = pantau.settings.base_url
    out = []
    for contact in (c for c in partner_contacts(state, pantau) if c.get("contact_id")):
        link = links.get(contact["contact_id"], partner_links.Link())
        key = (
            None
            if link.revoked
            else request.app.state.partner_keys.dump(state.stream, contact["contact_id"], link.generation)
        )
        out.append({"contact": contact, "url": key and f"{base}/mitra/{key}", "revoked": link.revoked})
    return out


def partner_contacts(state, pantau: Pantau) -> list[dict]:
    """The partner-side contacts on today's record."""
    return [c for c in contacts(state, pantau.today()) if c.get("side") == "partner"]


@router.post("/partnerships/{stream}/partner-links/{contact_id}/{action}")
def change_link(
    request: Request, stream: str, contact_id: str, action: str, csrf: Annotated[str, Form()] = ""
) -> Response:
    """Revoke a partner-side contact's link, or turn it on again (a new one; the old stays dead)."""
    visit = logged_in(request)
    check_csrf(visit, csrf)
    pantau: Pantau = request.app.state.pantau
    state = state_of(pantau, stream)
    if (
        state is None
        or action not in ("revoke", "renew")
        or not may_write(pantau, visit.user, state)
        or partner_contact(state, contact_id, pantau.today()) is None
    ):
        message = translator(visit.lang)(N_("notfound"))
        return render(request, visit, "error.html", {"message": f"{message}: {stream} / {contact_id}"}, 404)
    change = partner_links.revoke if action == "revoke" else partner_links.reissue
    change(pantau.engine, stream, contact_id, pantau.clock(), visit.user.name)
    return RedirectResponse(f"/partnerships/{quote(stream)}#partner-links", status_code=303)

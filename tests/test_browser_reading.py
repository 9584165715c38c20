"""The reading pages in Debian's chromium at a phone's width: no page scrolls sideways as a whole."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.browsing import ARGS, CHROMIUM, NEEDS_CHROMIUM, SCREENSHOTS

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONE = 390


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from service.demo import DEMO_RULES
    from tests.serve_process import Server, free_port

    # Server takes the environment as it is: set these for its start only.
    extra = {"PANTAU_SINK_PORT": str(free_port()), "PANTAU_RULES": str(DEMO_RULES)}  # never another run's sink
    saved = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        running = Server(tmp_path_factory.mktemp("reading"))
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    with running:
        _mail_and_outbox(running.env["PANTAU_DATABASE_URL"])
        _drafts_and_plans(running.env["PANTAU_DATABASE_URL"])
        _a_real_digest(running)
        yield running


def _a_real_digest(server) -> None:
    """Last month's digest of KBRI Seoul as the service renders it, received as message 2 of the mailbox."""
    import urllib.request

    import sqlalchemy as sa

    from notifications import mail
    from service.smtp_sink import DatabaseMailbox, received

    today = datetime.now(UTC).date()
    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    request = urllib.request.Request(
        f"{server.url}/api/digest/kbri-seoul?month={month}&language=id&format=html",
        headers={"Authorization": f"Bearer {server.token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
    row = {
        "to": ["pensosbud@kbri-seoul.example"],
        "cc": [],
        "subject": f"Ringkasan bulanan KBRI Seoul: {month}",
        "message_id": "<digest@pantau.local>",
        "key": f"digest:kbri-seoul:{month}",
        "text": "Ringkasan bulanan KBRI Seoul",
        "html": html,
        "language": "id",
    }
    now = datetime.now(UTC)
    engine = sa.create_engine(server.env["PANTAU_DATABASE_URL"])
    DatabaseMailbox(engine)(
        received("pantau@localhost", row["to"], bytes(mail.build(row, "Pantau <pantau@localhost>", now)), now)
    )
    engine.dispose()


def _drafts_and_plans(url: str) -> None:
    """Drafts in the pipeline (one returned, one closed) and a yearly plan, so the lifecycle pages show rows."""
    import sqlalchemy as sa

    from events.store import EventStore
    from tests.helpers import activity
    from tests.lifecycle_events import draft, dropped, planned, step, withdrawn

    today = datetime.now(UTC).date()  # the server's today is never behind UTC's
    year = today.year
    long_title = "Nota Kesepahaman tentang Kerja Sama Pengembangan Kota Cerdas dan Transportasi Berkelanjutan"
    events = [
        draft(f"{year}-01", "mou-kota-cerdas-berkelanjutan-2026-draft", title=long_title, note="inisiatif Seoul"),
        step(
            f"{year}-02-03", "kajian", draft_id="mou-kota-cerdas-berkelanjutan-2026-draft", reference="050/1234/Setda"
        ),
        step(f"{year}-03-10", "dprd", "returned", draft_id="mou-kota-cerdas-berkelanjutan-2026-draft", note="revisi"),
        draft(f"{year}-02-01", "loi-budaya", "LoI", title="Pertukaran budaya"),
        withdrawn(f"{year}-03-01", "loi-budaya"),
        planned(f"{year}-01-05", "pertukaran-pemuda", year, title="Pertukaran pemuda", planned_on=f"{year}-08"),
        planned(f"{year}-01-05", "festival-kuliner", year, kind="festival", title="Festival kuliner"),
        dropped(f"{year}-04-01", "festival-kuliner"),
        activity(f"{year}-02-14", "exchange", "a-pemuda", plan_id="pertukaran-pemuda", title="Pertukaran pemuda"),
    ]
    engine = sa.create_engine(url)
    EventStore(engine).append(events)
    engine.dispose()


def _mail_and_outbox(url: str) -> None:
    """One received message and one failed outbox message, as the running service would keep them."""
    import sqlalchemy as sa

    from events.database import writing
    from notifications import mail
    from notifications import outbox as outbox_store
    from notifications.schema import outbox
    from service.smtp_sink import DatabaseMailbox, received

    engine = sa.create_engine(url)
    html = "<h1>Ringkasan bulanan</h1><p>Kerja sama Kota Bandung – Seoul berakhir</p>"
    row = {
        "to": ["kerjasama@pemkot-bandung.example"],
        "cc": [],
        "subject": "Dokumen berakhir – Kota Bandung",
        "message_id": "<m@pantau.local>",
        "key": "lapsed:kota-bandung-seoul",
        "text": "Kota Bandung – Seoul",
        "html": html,
        "language": "id",
    }
    now = datetime.now(UTC)
    DatabaseMailbox(engine)(
        received("pantau@localhost", row["to"], bytes(mail.build(row, "Pantau <p@localhost>", now)), now)
    )
    with writing(engine) as conn:
        outbox_store.queue(
            conn,
            [
                outbox_store.Message(
                    key="lapsed:kota-bandung-seoul",
                    alert_key="lapsed:kota-bandung-seoul",
                    rule="lapsed",
                    stream="kota-bandung-seoul",
                    desk="kbri-seoul",
                    day=date(2021, 10, 7),
                    language="id",
                    to=tuple(row["to"]),
                    cc=("pensosbud@kbri-seoul.example",),
                    subject=row["subject"],
                    text=row["text"],
                    html=html,
                    message_id=row["message_id"],
                )
            ],
            now,
        )
        said = "550 5.1.1 mailbox unavailable"
        coded = {"last_error_code": "server_said", "last_error_params": json.dumps({"detail": said})}
        conn.execute(sa.update(outbox).values(state="failed", last_error=said, **coded))
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


def _logged_in(browser, server, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
    return page


PAGES = [
    "/matrix",
    "/matrix?q=seoul&sort=partner",
    "/expiries",
    "/expiries?desk=kbri-seoul",
    "/outbox",
    "/outbox/message?key=lapsed:kota-bandung-seoul",
    "/mailbox",
    "/mailbox/1",
    "/mailbox/2",
    "/partnerships/kota-bandung-seoul",
    "/partnerships/kota-bandung-seoul/activity",
    "/partnerships/nowhere",
    "/partnerships/new",
    "/partnerships/kota-bandung-seoul/agreements/new",
    "/users",
    "/docs",
    "/redoc",
    # The lifecycle pages (docs/lifecycle.md): the pipeline, the draft and plan forms, the report preview.
    "/pipeline",
    "/partnerships/kota-bandung-seoul/drafts/new",
    "/partnerships/kota-bandung-seoul/drafts/mou-kota-cerdas-berkelanjutan-2026-draft/step",
    "/partnerships/kota-bandung-seoul/drafts/mou-kota-cerdas-berkelanjutan-2026-draft/sign",
    "/partnerships/kota-bandung-seoul/drafts/mou-kota-cerdas-berkelanjutan-2026-draft/withdraw",
    "/partnerships/kota-bandung-seoul/plan/new",
    "/partnerships/kota-bandung-seoul/plan/pertukaran-pemuda/drop",
    f"/partnerships/kota-bandung-seoul/report/{datetime.now(UTC).year}",
    "/matrix?lang=en",
    "/partnerships/kota-bandung-seoul?lang=en",
    "/pipeline?lang=en",
]


# Pages photographed for docs/screenshots (PANTAU_SCREENSHOTS=1), at a phone's width and on a desk.
PHONE_SHOTS = {
    "/matrix": "matrix-390.png",
    "/mailbox/2": "mailbox-digest-390.png",
    "/pipeline": "pipeline-390.png",
    "/partnerships/kota-bandung-seoul/plan/new": "form-plan-390.png",
}
DESK_SHOTS = {
    "/expiries?as_of=2021-09-01": "expiries.png",
    "/outbox": "outbox.png",
    "/pipeline": "pipeline.png",
    "/partnerships/kota-bandung-seoul#drafts": "partnership-lifecycle.png",
    f"/partnerships/kota-bandung-seoul/report/{datetime.now(UTC).year}": "report-preview.png",
}


def test_no_page_scrolls_sideways_at_390_px(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page = _logged_in(browser, server, PHONE)
    widths, statuses = {}, {}
    for path in PAGES:
        statuses[path] = page.goto(f"{server.url}{path}").status
        if path == "/pipeline":  # the lifecycle pages are measured with rows in them, not empty
            row = page.locator('tr[data-draft="mou-kota-cerdas-berkelanjutan-2026-draft"]')
            # One card per draft: its cells take the phone's width, not a column one letter wide.
            assert row.count() == 1 and row.locator("td").first.bounding_box()["width"] > PHONE / 2
        if path in ("/docs", "/redoc"):  # drawn by script after load
            page.wait_for_selector(".swagger-ui .info, .api-content", timeout=60_000)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        if path in PHONE_SHOTS:
            page.screenshot(path=str(shots / PHONE_SHOTS[path]), full_page=path != "/matrix")
    assert {path: width for path, width in widths.items() if width > PHONE} == {}
    assert {path: code for path, code in statuses.items() if code != 200} == {"/partnerships/nowhere": 404}
    page.context.close()
    login = browser.new_page(viewport={"width": PHONE, "height": 900})
    login.goto(f"{server.url}/login")
    assert login.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_the_matrix_is_searched_and_its_developments_unfold(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    page = _logged_in(browser, server, 1400)
    page.screenshot(path=str(shots / "matrix-desktop.png"))
    for path, name in DESK_SHOTS.items():
        assert page.goto(f"{server.url}{path}").status == 200
        page.screenshot(path=str(shots / name), full_page="#" not in path)
    page.goto(f"{server.url}/matrix")
    page.fill("main input[name=q]", "gimje")  # the matrix filter, not the header search
    page.click("button:has-text('Terapkan')")
    page.wait_for_url(re.compile(r".*q=gimje.*"))
    assert page.locator("table.matrix tbody tr").count() == 1
    assert page.locator("#row-kota-batam-gimje").is_visible()
    page.goto(f"{server.url}/matrix")
    folded = page.locator("td.notes details").first
    hidden = folded.locator("p").first
    assert not hidden.is_visible()
    folded.locator("summary").click()
    assert hidden.is_visible()


def test_the_mailbox_shows_the_message_rendered_in_a_sandboxed_frame(server, browser):
    page = _logged_in(browser, server, 1400)
    page.goto(f"{server.url}/mailbox/1")
    frame = page.locator("iframe.mail-html")
    assert frame.get_attribute("sandbox") == ""
    assert (
        "Kerja sama Kota Bandung – Seoul berakhir" in page.frame_locator("iframe.mail-html").locator("p").inner_text()
    )
    assert "=E2=80=93" not in page.content()
    page.goto(f"{server.url}/outbox/message?key=lapsed:kota-bandung-seoul")
    page.click("button:has-text('Kirim ulang')")
    assert page.locator("p.ok").inner_text() == "Pesan diantrekan lagi."


# Pages whose links and buttons a finger must hit, at a phone's width (WCAG 2.2's 24 by 24 px).
TARGET_PAGES = ["/matrix", "/partnerships/kota-bandung-seoul", "/expiries", "/pipeline"]
TARGETS = "header.top a, header.top button, .ev-actions a, .actions-bar a, button.small"


def test_on_a_phone_targets_are_24_px_and_the_header_leaves_the_page_room(server, browser):
    page = _logged_in(browser, server, PHONE)
    small, headers = {}, {}
    for path in TARGET_PAGES:
        page.goto(f"{server.url}{path}")
        headers[path] = page.locator("header.top").bounding_box()["height"]
        for target in page.locator(TARGETS).all():
            box = target.bounding_box()
            if box and (box["height"] < 24 or box["width"] < 24):
                small[f"{path} {target.inner_text().strip()!r}"] = (round(box["width"]), round(box["height"]))
    assert small == {}
    # Two short rows (brand and sign-out, then the navigation), not a third of an 844 px screen.
    assert max(headers.values()) <= 110, headers
    page.context.close()


def test_the_matrix_prints_on_a_landscape_a4_without_navigation_or_filters(server, browser, tmp_path):
    page = _logged_in(browser, server, 1400)
    page.goto(f"{server.url}/matrix")
    page.emulate_media(media="print")
    # A4 landscape less its 10 mm margins is 277 mm, 1047 CSS px: the table must fit that width.
    page.set_viewport_size({"width": 1047, "height": 740})
    assert not page.locator("header.top").is_visible() and not page.locator(".filters").is_visible()
    assert page.locator("table.matrix").bounding_box()["width"] <= 1047
    assert page.evaluate("document.documentElement.scrollWidth") <= 1047
    pdf = tmp_path / "matrix.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    # The PDF's pages are landscape A4 (842 by 595 points) as the stylesheet asks.
    boxes = {
        tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf.read_bytes())
    }
    assert boxes == {(0, 0, 842, 595)}
    page.context.close()

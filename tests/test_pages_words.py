"""Every page of a seeded record reads in words: no stream, event, activity, draft or plan id, no raw
code of the vocabulary and no escaped markup where a person reads (issue 22, item 5)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from events import vocabulary
from events.catalogue import ApprovalOutcome
from notifications.alert_rules import AlertRules
from notifications.job import queue_days
from projections.readmodel import load_states
from tests.api_fixtures import build
from tests.helpers import activity, corrected, registered, retracted
from tests.lifecycle_events import draft, dropped, note, planned, step
from tests.test_pages import login

S = "bali-jeju"  # a sample partnership of KBRI Seoul
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
MARKUP = re.compile(r"</?[a-z][a-z0-9]*[\s>/]|&lt;|&gt;|&amp;|&quot;|&#")


class _Visible(HTMLParser):
    """The text a person reads: every text node outside script, style and the page's head."""

    HIDDEN = {"script", "style", "head", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.parts


def _seeded(site) -> dict[str, set[str]]:
    """The sample with drafts, plan items, corrections, retractions and notes on Bali – Jeju."""
    site.pantau.store.append(
        [
            draft("2026-01-10", "draft-mou-pariwisata", stream=S, title="MoU pariwisata"),
            step("2026-02-01", "kajian", draft_id="draft-mou-pariwisata", stream=S),
            step("2026-03-01", "dprd", "returned", draft_id="draft-mou-pariwisata", stream=S, note="Pasal 4 direvisi"),
            draft("2026-04-01", "draft-aksi-2027", "ActionPlan", stream=S, title="Rencana aksi 2027"),
            planned("2026-01-05", "rkt-2026-03", 2026, stream=S, title="Pertukaran pemuda"),
            planned("2026-01-05", "rkt-2026-04", 2026, stream=S, title="Festival budaya"),
            dropped("2026-02-05", "rkt-2026-04", stream=S),
            activity(
                "2026-03-10",
                "exchange",
                "act-def7c81f-5cca",
                stream=S,
                title="Pertukran pelajar",
                plan_id="rkt-2026-03",
            ),
            corrected("act-def7c81f-5cca", "2026-03-12", stream=S, title="Pertukaran pelajar"),
            activity("2026-04-02", "visit", "act-0a1b2c3d-9e8f", stream=S, title="Kunjungan dinas"),
            retracted("act-0a1b2c3d-9e8f", "2026-04-03", stream=S),
            note("2026-05-01", "Kunjungan delegasi Jeju ke Denpasar bulan Mei 2026", stream=S),
            note("2026-05-02", "Pertukaran seniman dengan Jeju", stream=S),
            registered("kota-baru-incheon", "2026-05-03"),
        ]
    )
    pantau = site.pantau
    pantau.runner.run()
    rules = AlertRules(sender="Pantau <pantau@localhost>")
    queue_days(
        pantau.engine,
        load_states(pantau.engine),
        [date(2026, 6, 1)],
        pantau.rules,
        rules,
        datetime(2026, 6, 1, tzinfo=UTC),
    )
    events = pantau.store.read()
    typed = {v for e in events for v in e.data.values() if isinstance(v, str) and " " in v}
    ids = {
        "stream": {e.stream for e in events},
        "event": {e.id for e in events},
        "activity": {e.data["activity_id"] for e in events if e.data.get("activity_id")},
        "draft": {e.data["draft_id"] for e in events if e.data.get("draft_id")},
        "plan": {e.data["plan_id"] for e in events if e.data.get("plan_id")},
    }
    return ids, typed


# Codes that are words as they stand, in the field's Indonesian: an acronym, or the word itself.
WORDS_AS_CODES = {"MoU", "MoA", "IA", "LoI", "aktif", "kajian", "penjajakan", "formal", "forum", "festival"}
CODES = (
    set(vocabulary.ACTIVITY_KINDS)
    | set(vocabulary.DOCUMENTS)
    | set(vocabulary.STAGES)
    | set(vocabulary.AGREEMENT_STATES)
    | set(vocabulary.PIPELINE_STEPS)
    | set(vocabulary.STATUSES)
    | set(ApprovalOutcome.__args__)
) - WORDS_AS_CODES

DRAFT, ACTIVITY, PLAN = "draft-mou-pariwisata", "act-def7c81f-5cca", "rkt-2026-03"
PAGES = (
    "/matrix",
    "/expiries",
    "/pipeline",
    "/notes/review",
    f"/notes/review?stream={S}",
    "/outbox",
    "/users",
    "/import",
    "/mailbox",
    f"/partnerships/{S}",
    f"/partnerships/{S}?saved=ActivityLogged",
    f"/partnerships/{S}/report/2026",
    "/partnerships/new",
    "/partnerships/kota-baru-incheon",
    f"/partnerships/{S}/activity",
    f"/partnerships/{S}/activities/{ACTIVITY}/correct",
    f"/partnerships/{S}/activities/{ACTIVITY}/retract",
    f"/partnerships/{S}/agreements/new",
    f"/partnerships/{S}/contacts/new",
    f"/partnerships/{S}/notes/new",
    f"/partnerships/{S}/status/new",
    f"/partnerships/{S}/end",
    f"/partnerships/{S}/drafts/new",
    f"/partnerships/{S}/drafts/{DRAFT}/step",
    f"/partnerships/{S}/drafts/{DRAFT}/withdraw",
    f"/partnerships/{S}/drafts/{DRAFT}/sign",
    f"/partnerships/{S}/plan/new",
    f"/partnerships/{S}/plan/{PLAN}/drop",
)


def problems(html: str, ids: dict[str, set[str]], typed: set[str]) -> list[str]:
    """What a person would read that is not a word: ids, raw codes, escaped markup (what people typed aside)."""
    found = []
    for text in visible(html):
        if any(text in value for value in typed):
            continue  # a note or title as it was typed: its words are the writer's
        for kind, values in ids.items():
            for value in values:
                if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text):
                    found.append(f"{kind} id {value!r} in {text[:80]!r}")
        if UUID.search(text):
            found.append(f"uuid in {text[:80]!r}")
        for code in CODES:
            if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
                found.append(f"code {code!r} in {text[:80]!r}")
        if MARKUP.search(text):
            found.append(f"markup in {text[:80]!r}")
    return found


@pytest.fixture
def seeded(database, engine, clock):
    api = build(database, engine, clock, sample=True)
    with api.client:
        yield (api, *_seeded(api))


def test_every_page_of_a_seeded_record_reads_in_words_no_ids_codes_or_markup(seeded):
    site, ids, typed = seeded
    login(site, "admin")
    found = {}
    for path in PAGES:
        answer = site.client.get(path)
        assert answer.status_code == 200, path
        assert 'name="password"' not in answer.text or path == "/users", path  # not the sign-in page
        if bad := problems(answer.text, ids, typed):
            found[path] = bad
    assert not found, "\n".join(f"{p}: {b}" for p, bad in found.items() for b in bad)


def test_a_correction_says_what_changed_and_a_retraction_names_the_activity(seeded):
    site, _, _ = seeded
    login(site, "admin")
    lines = visible(site.client.get(f"/partnerships/{S}").text)
    assert any("Judul diubah dari “Pertukran pelajar” menjadi “Pertukaran pelajar”" in line for line in lines)
    assert any(line.startswith("Kunjungan dinas (2 Apr 2026)") for line in lines)  # the retraction's activity
    logged = [line for line in lines if "Pertukaran pelajar" in line]
    assert logged and not any("Pertukran" in line and "diubah" not in line for line in lines)  # the entry corrected
    english = visible(site.client.get(f"/partnerships/{S}?lang=en").text)
    assert any("Title changed from “Pertukran pelajar” to “Pertukaran pelajar”" in line for line in english)


def test_the_outbox_and_the_notes_queue_name_partnerships_not_their_ids(seeded):
    site, _, _ = seeded
    login(site, "admin")
    outbox = site.client.get("/outbox").text
    assert 'href="/outbox/message' in outbox  # the outbox has rows to name
    assert ">Bali – Jeju</a>" in site.client.get(f"/notes/review?stream={S}").text
    assert "jenis kunjungan" in site.client.get(f"/notes/review?stream={S}").text


def test_a_returned_step_is_named_returned_with_its_reason_on_the_partnership(seeded):
    site, _, _ = seeded
    login(site, "admin")
    html = site.client.get(f"/partnerships/{S}").text
    lines = visible(html)
    assert "Rancangan dikembalikan" in lines and "Tahapan disetujui" in lines  # the headings by outcome
    drafts = html[html.index('id="drafts"') : html.index('id="plan"')]
    assert "Dikembalikan pada tahap Persetujuan DPRD: Pasal 4 direvisi" in visible(drafts)


OLD_SENTENCES = (
    "Usulan hanya usulan",
    "dicatat pada tanggal matriks",
    "Tanda tangani dari rancangan",
    "Tersimpan: ",
    "server SMTP lokal",
)


def test_pages_for_people_who_are_not_admins_name_no_setting_or_command_and_read_as_written(seeded):
    site, _, _ = seeded
    login(site, "seoul")
    for path in (*PAGES, "/login", f"/partnerships/{S}?saved=ActivityLogged", f"/partnerships/{S}?saved=DraftOpened"):
        answer = site.client.get(path)
        text = " ".join(visible(answer.text))
        assert "PANTAU_" not in text and "`" not in text, path
        assert not re.search(r"\bpantau (users|serve|seed|alerts|notes|matrix)\b", text), path
        assert not [s for s in OLD_SENTENCES if s in text], path
    saved = " ".join(visible(site.client.get(f"/partnerships/{S}?saved=ActivityLogged").text))
    assert "Kegiatan sudah dicatat." in saved
    assert "Usulan di bawah ini belum dicatat." in " ".join(visible(site.client.get("/notes/review").text))


def test_the_english_pages_show_no_ids_or_markup_either(seeded):
    site, ids, typed = seeded
    login(site, "admin")
    found = {}
    for path in PAGES:
        english = f"{path}{'&' if '?' in path else '?'}lang=en"
        answer = site.client.get(english)
        assert answer.status_code == 200, english
        bad = [b for b in problems(answer.text, ids, typed) if not b.startswith("code ")]  # English codes are words
        if bad:
            found[english] = bad
    assert not found, "\n".join(f"{p}: {b}" for p, bad in found.items() for b in bad)

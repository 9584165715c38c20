"""The partner's words: every key its letters and page use is translated in each of their catalogues."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from events.catalogue import APPROVAL_PATH, ActivityKind, AssessedStatus, Document, PartnershipKind
from notifications.translations import LOCALE, translator

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "notifications" / "templates" / "partner"
PAGES = [ROOT / "service" / "templates" / name for name in ("partner.html", "partner_missing.html")]
# A key written in a template: local("…"), english("…"), v("…"), L("…"), E("…"), two("…").
WRITTEN = re.compile(r"\b(?:local|english|v|L|E|two)\(\s*\"([a-z_][\w.]*)\"")


def _codes(prefix: str, literal) -> set[str]:
    return {f"{prefix}{code}" for code in literal.__args__}


def letter_keys() -> set[str]:
    """Every key of the letters: those written in the templates and those made from codes."""
    written = {k for path in LETTERS.glob("*") for k in WRITTEN.findall(path.read_text(encoding="utf-8"))}
    built = _codes("letter.doc.", Document) | _codes("letter.status.", AssessedStatus)
    built |= _codes("letter.kind.", PartnershipKind) | {
        "letter.kind.friendship",
        "letter.office",
        "letter.person",
        "letter.to_colleagues",
        "letter.none",
    }
    return {k for k in written if not k.endswith(".")} | built


def page_keys() -> set[str]:
    """Every key of the partner page: written in its templates, made from codes, and the refusals."""
    written = {k for path in PAGES for k in WRITTEN.findall(path.read_text(encoding="utf-8"))}
    built = _codes("partner.activity.", ActivityKind) | _codes("partner.status.", AssessedStatus)
    built |= _codes("partner.kind.", PartnershipKind) | {f"partner.step.{s}" for s in (*APPROVAL_PATH, "signing")}
    built |= {f"partner.agreement.{s}" for s in ("in_force", "lapsed", "pending", "terminated")}
    built |= {f"partner.state.{s}" for s in ("received", "recorded", "not_recorded")}
    built |= {"partner.sent", "partner.sent_again", "partner.none"}
    source = (ROOT / "service" / "partner_proposals.py").read_text(encoding="utf-8")
    built |= set(re.findall(r"\"(partner\.refuse\.\w+)\"", source))
    built |= set(re.findall(r"\"(partner\.refuse\.\w+)\"", (ROOT / "service/api/pages_partner.py").read_text()))
    return {k for k in written if not k.endswith(".")} | built


def _catalogue(locale: str):
    with (LOCALE / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def test_the_letters_and_page_use_many_keys_and_every_refusal_class():
    assert len(letter_keys()) > 30 and {"letter.renewal.term", "letter.dormancy_warning.when"} <= letter_keys()
    assert {"partner.refuse.burst", "partner.refuse.markup", "partner.refuse.far_past"} <= page_keys()


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans", "en"])
def test_every_letter_key_is_translated(locale):
    catalogue = _catalogue(locale)
    assert sorted(k for k in letter_keys() if k not in catalogue or not catalogue[k].string) == []


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans", "en", "id"])
def test_every_page_key_is_translated(locale):
    catalogue = _catalogue(locale)
    assert sorted(k for k in page_keys() if k not in catalogue or not catalogue[k].string) == []


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans"])
def test_the_partners_catalogues_hold_no_empty_entry_and_are_compiled_from_their_po(locale):
    catalogue = _catalogue(locale)
    assert sorted(m.id for m in catalogue if m.id and not m.string) == []
    fresh = BytesIO()
    write_mo(fresh, catalogue)
    fresh.seek(0)
    with (LOCALE / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        kept = read_mo(mo)
    assert {m.id: m.string for m in read_mo(fresh) if m.id} == {m.id: m.string for m in kept if m.id}


@pytest.mark.parametrize(
    "language, word", [("ko", "자매도시"), ("ja", "姉妹都市"), ("zh", "友好城市"), ("zh_Hans", "友好城市")]
)
def test_each_partner_language_reads_its_own_catalogue(language, word):
    locale = {"zh": "zh_Hans"}.get(language, language)
    assert translator(locale)("letter.kind.sister_city") == word

"""The outbox's reasons are worded from their codes; nothing reads a message's text to translate it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from notifications.send_reasons import CODES, SendReason
from service.api.i18n import translations
from service.api.reasons import SEND_FAILURES, why

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_reasons_module_holds_no_regular_expression():
    assert not _imports(ROOT / "service" / "api" / "reasons.py") & {"re", "regex"}


def test_every_send_reason_code_is_worded_in_both_languages():
    assert {key.removeprefix("sendfail.") for key in SEND_FAILURES} == set(CODES)
    for lang in ("id", "en"):
        words = translations(lang)
        assert [key for key in SEND_FAILURES if words.gettext(key) == key] == [], lang


def test_a_server_refusal_reads_in_indonesian_with_its_words_kept_as_the_detail():
    reason = SendReason("550 5.7.1 Relaying denied", "server_said", {"detail": "550 5.7.1 Relaying denied"})
    assert why(reason.text, reason.code, reason.params, "id") == ("server surat menolak pesan", reason.params["detail"])
    assert why(reason.text, reason.code, reason.params, "en")[0] == "the mail server refused the message"


def test_giving_up_names_the_attempts_from_its_parameter():
    params = {"n": 12, "detail": "SMTPConnectError: refused"}
    assert why("gave up after 12 attempts: …", "gave_up", params, "id") == (
        "berhenti setelah 12 percobaan",
        "SMTPConnectError: refused",
    )


@pytest.mark.parametrize(
    "text", ["550 no such user", "recipients refused: a@b: 550 gone", "gave up after 3 attempts: x"]
)
def test_a_reason_stored_without_a_code_is_shown_as_it_is_never_parsed(text):
    assert why(text, None, {}, "id") == ("pengiriman gagal", text)
    assert why(text, None, {}, "en") == (text, None)


def test_a_code_the_words_do_not_know_is_shown_as_its_stored_text():
    assert why("something new", "from_a_later_version", {}, "id") == ("pengiriman gagal", "something new")


def test_no_reason_reads_as_nothing():
    assert why(None, None, {}, "id") == ("", None)

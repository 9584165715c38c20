"""The words of each event type, in Bahasa Indonesia and English: one entry per catalogue type.

Every place that names or summarises an event reads this table: the timeline of the pages
(`label`, `summary`), the monthly digest's list of changes (`noun`, as it reads in a sentence).
A new event type adds its entry here (tests/test_words.py holds the table and the catalogue equal).

- `label`: the event's heading, per language.
- `noun`: the event in a sentence ("… , perpanjangan MoU …"), per language.
- `summary`: the timeline's one-line summary, as format templates over the event's `data`, joined
  with " — "; a template is left out when a field it names is absent or empty, and `!t` gives
  a code's word in the reader's language. None: the event's plain text and number values.
"""

from __future__ import annotations

from collections.abc import Callable
from string import Formatter
from typing import Any

EVENT_WORDS: dict[str, dict[str, Any]] = {
    "PartnershipRegistered": {
        "label": {"id": "Kerja sama didaftarkan", "en": "Partnership registered"},
        "noun": {"id": "didaftarkan", "en": "registered"},
        "summary": ("{indonesia[name]} – {partner[name]} ({partner[country]})",),
    },
    "PartnershipDetailsChanged": {
        "label": {"id": "Rincian diubah", "en": "Details changed"},
        "noun": {"id": "rincian diubah", "en": "details changed"},
        "summary": None,
    },
    "ContactAssigned": {
        "label": {"id": "Kontak ditetapkan", "en": "Contact assigned"},
        "noun": {"id": "kontak", "en": "contact"},
        "summary": ("{name}", "{role}", "{email}"),
    },
    "ContactRemoved": {
        "label": {"id": "Kontak dihapus", "en": "Contact removed"},
        "noun": {"id": "kontak", "en": "contact"},
        "summary": None,
    },
    "ExplorationStarted": {
        "label": {"id": "Penjajakan dimulai", "en": "Exploration started"},
        "noun": {"id": "penjajakan", "en": "exploring"},
        "summary": None,
    },
    "ApprovalRecorded": {
        "label": {"id": "Persetujuan dicatat", "en": "Approval recorded"},
        "noun": {"id": "persetujuan", "en": "approval"},
        "summary": None,
    },
    "AgreementSigned": {
        "label": {"id": "Dokumen ditandatangani", "en": "Agreement signed"},
        "noun": {"id": "penandatanganan", "en": "signed"},
        "summary": ("{document}", "{agreement_id}", "s.d. {valid_until}", "{note}"),
    },
    "AgreementRenewed": {
        "label": {"id": "Dokumen diperpanjang", "en": "Agreement renewed"},
        "noun": {"id": "perpanjangan", "en": "renewed"},
        "summary": ("{agreement_id}", "s.d. {valid_until}", "{note}"),
    },
    "AgreementTerminated": {
        "label": {"id": "Dokumen diakhiri", "en": "Agreement terminated"},
        "noun": {"id": "diakhiri", "en": "terminated"},
        "summary": ("{agreement_id}", "{reason}"),
    },
    "ActivityLogged": {
        "label": {"id": "Kegiatan", "en": "Activity"},
        "noun": {"id": "kegiatan", "en": "activity"},
        "summary": ("{kind!t}", "{title}", "{description}"),
    },
    "ActivityCorrected": {
        "label": {"id": "Kegiatan dikoreksi", "en": "Activity corrected"},
        "noun": {"id": "koreksi kegiatan", "en": "activity corrected"},
        "summary": None,
    },
    "ActivityRetracted": {
        "label": {"id": "Kegiatan ditarik", "en": "Activity retracted"},
        "noun": {"id": "kegiatan ditarik", "en": "activity retracted"},
        "summary": None,
    },
    "NoteAdded": {
        "label": {"id": "Catatan perkembangan", "en": "Progress note"},
        "noun": {"id": "catatan", "en": "note"},
        "summary": ("{text}",),
    },
    "NoteReviewed": {
        "label": {"id": "Catatan ditinjau", "en": "Note reviewed"},
        "noun": {"id": "tinjauan catatan", "en": "note reviewed"},
        "summary": ("{outcome!t}", "{activity_id}", "{reason}"),
    },
    "StatusAssessed": {
        "label": {"id": "Status dipublikasikan", "en": "Status published"},
        "noun": {"id": "status dipublikasikan", "en": "published status"},
        "summary": ("{status!t}", "{note}"),
    },
    "NotificationSent": {
        "label": {"id": "Pemberitahuan terkirim", "en": "Notification sent"},
        "noun": {"id": "pemberitahuan", "en": "notification"},
        "summary": ("{rule}", "{subject}"),
    },
    "PartnershipEnded": {
        "label": {"id": "Kerja sama dihentikan", "en": "Partnership ended"},
        "noun": {"id": "dihentikan", "en": "ended"},
        "summary": None,
    },
}


def _language(language: str) -> str:
    return "en" if language == "en" else "id"


def label(type_name: str, language: str) -> str:
    """The heading of an event type in `language` (the type name itself when unknown)."""
    words = EVENT_WORDS.get(type_name)
    return words["label"][_language(language)] if words else type_name


def noun(type_name: str, language: str) -> str:
    """How an event type reads in a sentence in `language` (the type name itself when unknown)."""
    words = EVENT_WORDS.get(type_name)
    return words["noun"][_language(language)] if words else type_name


class _Summary(Formatter):
    """str.format with `!t`: the word for a code, from the reader's translator."""

    def __init__(self, translate: Callable[[str], str]):
        self.translate = translate

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "t":
            return self.translate(value)
        return super().convert_field(value, conversion)

    def filled(self, template: str, data: dict) -> str | None:
        """The template filled from `data`, or None when a field it names is absent or empty."""
        for _, field, _, _ in self.parse(template):
            if field is None:
                continue
            try:
                value, _ = self.get_field(field, (), data)
            except (KeyError, IndexError, TypeError):
                return None
            if value is None or value == "":
                return None
        return self.vformat(template, (), data)


def summary(type_name: str, data: dict, translate: Callable[[str], str]) -> str:
    """The one-line summary of an event's `data` for the timeline."""
    templates = EVENT_WORDS.get(type_name, {}).get("summary")
    if templates is None:
        return " ".join(str(v) for v in data.values() if isinstance(v, (str, int)))
    formatter = _Summary(translate)
    return " — ".join(text for text in (formatter.filled(t, data) for t in templates) if text)

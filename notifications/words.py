"""How each event type is named and summarised: one entry per catalogue type.

Every place that names or summarises an event reads this table: the timeline of the pages
(`label`, `summary`), the monthly digest's list of changes (`noun`, as it reads in a sentence).
A new event type adds its entry here and its words to the gettext catalogues
(tests/test_words.py holds the table, the catalogue of events and the translations equal).

- `label(type, lang)`: the event's heading, the catalogue's message `<Type>`.
- `noun(type, lang)`: the event in a sentence ("… , perpanjangan MoU …"), message `noun.<Type>`.
- `summary`: the timeline's one-line summary, as format templates over the event's `data`, joined
  with " — "; a template is left out when a field it names is absent or empty. In the reader's
  language: `!t` a code's word, `!d` a date, `!n` an alert rule's name, `!u` "until" and a date
  ("s.d. 6 Okt 2021", "until 6 Oct 2021"), `!o` a document type in words; `!a`, `!r`, `!p` an
  activity, a draft, a plan item named from the state (notifications/record_names.py), never by
  its id. None: the event's plain text and number values.
"""

from __future__ import annotations

from collections.abc import Callable
from string import Formatter
from typing import Any

from notifications.record_names import Names, document_word
from notifications.translations import N_, format_day, translator

UNTIL = N_("until.word")
NAMED = {
    "a": "activity",
    "r": "draft",
    "p": "plan",
}  # conversions naming a thing from the state  # "s.d." / "until" before a date in a summary

EVENT_WORDS: dict[str, dict[str, Any]] = {
    "PartnershipRegistered": {
        "summary": ("{indonesia[name]} – {partner[name]} ({partner[country]})",),
    },
    "PartnershipDetailsChanged": {
        "summary": None,
    },
    "ContactAssigned": {
        "summary": ("{name}", "{role}", "{email}"),
    },
    "ContactRemoved": {
        "summary": None,
    },
    "ExplorationStarted": {
        "summary": ("{note}",),
    },
    "DraftOpened": {
        "summary": ("{document!o}", "{title}", "{note}"),
    },
    "ApprovalRecorded": {
        # A v1 step names no draft and no outcome: its templates are left out, the step stays.
        "summary": ("{draft_id!r}", "{step!t}", "{outcome!t}", "{reference}", "{note}"),
    },
    "DraftWithdrawn": {
        "summary": ("{draft_id!r}", "{reason}"),
    },
    "AgreementSigned": {
        "summary": ("{document}", "{agreement_id}", "{valid_until!u}", "{note}"),
    },
    "AgreementRenewed": {
        "summary": ("{agreement_id}", "{valid_until!u}", "{note}"),
    },
    "AgreementTerminated": {
        "summary": ("{agreement_id}", "{reason}"),
    },
    "ActivityLogged": {
        "summary": ("{kind!t}", "{title}", "{description}"),
    },
    "ActivityCorrected": {
        # What changed, from what to what, follows (record_names.correction_words).
        "summary": ("{activity_id!a}",),
    },
    "ActivityRetracted": {
        "summary": ("{activity_id!a}", "{reason}"),
    },
    "ActivityPlanned": {
        "summary": ("{year}", "{kind!t}", "{title}"),
    },
    "PlanItemDropped": {
        "summary": ("{plan_id!p}", "{reason}"),
    },
    "NoteAdded": {
        "summary": ("{text}",),
    },
    "NoteReviewed": {
        "summary": ("{outcome!t}", "{activity_id!a}", "{reason}"),
    },
    "StatusAssessed": {
        "summary": ("{status!t}", "{note}"),
    },
    "NotificationSent": {
        "summary": ("{rule!n}", "{subject}"),
    },
    "PartnershipEnded": {
        "summary": ("{reason}",),
    },
    "PublicationWithheld": {
        "summary": ("{reason}",),
    },
    "PublicationRestored": {
        "summary": ("{reason}",),
    },
}


# Event types whose heading depends on a value of their data: the heading is `<Type>.<value>`.
HEADING_BY = {"ApprovalRecorded": "outcome"}


def label(type_name: str, language: str, data: dict | None = None) -> str:
    """The heading of an event in `language`, by its outcome where that decides it (a returned step reads
    "Rancangan dikembalikan", not "Persetujuan dicatat"); the type name itself when unknown."""
    t = translator(language)
    by = HEADING_BY.get(type_name)
    if by and data and data.get(by):
        key = f"{type_name}.{data[by]}"
        if t(key) != key:
            return t(key)
    return t(type_name)


def noun(type_name: str, language: str) -> str:
    """How an event type reads in a sentence in `language` (the type name itself when unknown)."""
    key = f"noun.{type_name}"
    word = translator(language)(key)
    return type_name if word == key else word


class _Summary(Formatter):
    """str.format with the conversions `!t`, `!d`, `!n` and `!u` (see the module's docstring)."""

    def __init__(self, translate: Callable[[str], str], language: str, names: Names | None = None):
        self.translate, self.language = translate, language
        self.names = names or Names(translate, language)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "t":
            return self.translate(value)
        if conversion == "d":
            return format_day(value, self.language)
        if conversion == "n":  # an alert rule's name
            return self.translate(f"rule.{value}")
        if conversion == "o":
            return document_word(value, self.translate)
        if conversion in NAMED:
            return self.names.of(NAMED[conversion], value)
        if conversion == "u":
            return f"{self.translate(UNTIL)} {format_day(value, self.language)}"
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


def summary(
    type_name: str,
    data: dict,
    translate: Callable[[str], str],
    language: str = "id",
    names: Names | None = None,
    changed: str = "",
) -> str:
    """The one-line summary of an event's `data` for the timeline, in `language` (that of `translate`).

    `names` names the activities, drafts and plan items the data refers to; `changed` is what a
    correction changed, in words, said after the activity's name.
    """
    templates = EVENT_WORDS.get(type_name, {}).get("summary")
    if templates is None:
        return " ".join(str(v) for v in data.values() if isinstance(v, (str, int)))
    formatter = _Summary(translate, language, names)
    said = [text for text in (formatter.filled(t, data) for t in templates) if text]
    return " — ".join([*said, changed] if changed else said)


def desk_name(rules, desk: str | None) -> str:
    """A desk's name from the rules; without one, its id written as a name (`kbri-seoul`: KBRI Seoul)."""
    if not desk:
        return ""
    named = rules.desk(desk).name
    if named:
        return named
    first, *rest = desk.split("-")
    # Mission ids start with their kind's acronym (KBRI embassy, KJRI consulate general, KDEI, PTRI).
    return " ".join([first.upper() if len(first) <= 4 else first.capitalize(), *(p.capitalize() for p in rest)])

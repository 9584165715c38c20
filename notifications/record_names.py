"""What a person calls the things a record names by id: an activity, a draft, a plan item, a partnership.

Ids are for the record; pages and mails name things in words (docs/translations.md, "Names, not codes"):
an activity by its title and date, a draft by its title or its document, a plan item by its title
or its kind and year. An id the state does not know is named by its kind of thing alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from notifications.translations import N_, format_day

# Field changes a correction can make, by the data key, with the i18n key of its name.
CHANGED_FIELDS = {
    "title": N_("field.title"),
    "occurred_on": N_("field.occurred_on"),
    "ends_on": N_("field.ends_on"),
    "kind": N_("field.kind"),
    "description": N_("field.description"),
    "direction": N_("field.direction"),
    "mode": N_("field.mode"),
    "participants": N_("field.participants"),
    "fields": N_("field.fields"),
    "results": N_("f.results"),
    "plan_id": N_("f.realises"),
}
UNNAMED = {"activity": N_("name.activity"), "draft": N_("name.draft"), "plan": N_("name.plan")}


@dataclass
class Names:
    """The names of one partnership's activities, drafts and plan items, in one language."""

    translate: Callable[[str], str]
    language: str
    activities: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # an activity's title alone, where its date is said
    drafts: dict[str, str] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)

    def activity(self, activity_id: str | None) -> str:
        """The activity's title and date ("Pertukaran pelajar (10 Mar 2026)")."""
        return self.activities.get(activity_id or "") or self.translate(UNNAMED["activity"])

    def draft(self, draft_id: str | None) -> str:
        """The draft's title, or its document in words."""
        return self.drafts.get(draft_id or "") or self.translate(UNNAMED["draft"])

    def plan(self, plan_id: str | None) -> str:
        """The plan item's title, or its kind and year."""
        return self.plans.get(plan_id or "") or self.translate(UNNAMED["plan"])

    def of(self, kind: str, thing_id: str | None, dated: bool = True) -> str:
        """The name of an activity, draft or plan item by the kind's name ("activity", "draft", "plan").

        `dated=False` leaves an activity's date out, for a line that says it already.
        """
        if kind == "activity" and not dated:
            return self.titles.get(thing_id or "") or self.translate(UNNAMED["activity"])
        return {"activity": self.activity, "draft": self.draft, "plan": self.plan}[kind](thing_id)


def document_word(document: str | None, translate: Callable[[str], str]) -> str:
    """A document type in words ("Rencana Aksi", not `ActionPlan`)."""
    if not document:
        return ""
    key = f"doc.{document}"
    word = translate(key)
    return document if word == key else word


def names_of(state, translate: Callable[[str], str], language: str) -> Names:
    """Every activity, draft and plan item of `state` named in `language` (retracted ones too)."""
    names = Names(translate, language)
    for a in getattr(state, "activities", ()):
        title = names.titles[a.activity_id] = a.title or translate(a.kind)
        names.activities[a.activity_id] = f"{title} ({format_day(a.occurred_on, language)})"
    for d in getattr(state, "drafts", ()):
        names.drafts[d.draft_id] = d.title or document_word(d.document, translate)
    for p in getattr(state, "plan", ()):
        names.plans[p.plan_id] = p.title or f"{translate(p.kind)} {p.year}"
    return names


def corrections(events: Iterable) -> dict[str, list[tuple[str, object, object]]]:
    """For each ActivityCorrected event id, what it changed: (data key, value before, value after)."""
    now: dict[str, dict] = {}
    out: dict[str, list[tuple[str, object, object]]] = {}
    for e in sorted(events, key=lambda e: e.position or 0):  # as recorded (unstored events: as given)
        activity_id = e.data.get("activity_id")
        if e.type == "ActivityLogged" and activity_id:
            now[activity_id] = {"occurred_on": str(e.occurred_on), **e.data}  # its date is the envelope's
        elif e.type == "ActivityCorrected" and activity_id:
            before = now.setdefault(activity_id, {})
            out[e.id] = [
                (key, before.get(key), value)
                for key, value in e.data.items()
                if key in CHANGED_FIELDS and before.get(key) != value
            ]
            before.update({k: v for k, v in e.data.items() if k != "activity_id"})
    return out


def written_value(key: str, value, translate: Callable[[str], str], language: str, names: Names) -> str:
    """One value of an activity as a person reads it: a date as a date, a kind in words, a plan by its name."""
    if value is None or value == "" or value == []:
        return translate(N_("empty"))
    if key in ("occurred_on", "ends_on"):
        return format_day(value, language)
    if key in ("kind", "direction", "mode"):
        return translate(value)
    if key == "plan_id":
        return names.plan(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def correction_words(changes, translate: Callable[[str], str], language: str, names: Names) -> str:
    """What a correction changed, in words: "Judul diubah dari “A” menjadi “B”"."""
    said = []
    for key, before, after in changes:
        said.append(
            translate(N_("correction.changed"))
            % {
                "field": translate(CHANGED_FIELDS[key]),
                "before": written_value(key, before, translate, language, names),
                "after": written_value(key, after, translate, language, names),
            }
        )
    return "; ".join(said) or translate(N_("correction.nothing"))

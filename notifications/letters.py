"""Letters to a partner's office in its own language (Korean, Japanese, simplified Chinese), English below.

A renewal reminder or a dormancy warning to a contact who reads `ko`, `ja` or `zh` is a letter
of its own, addressed to that contact as one local government writes to another (docs/partner.md):
an office is addressed with the office honorific (귀중, 御中), a person with the personal one (님, 様),
never both. The words are keys of the catalogues `ko`, `ja`, `zh_Hans` and `en`; dates are each
language's long form from Babel's locale data.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from events.dates import MONTH, YEAR, PartialDate
from notifications.translations import translations
from projections.status import INTENT

TEMPLATES = Path(__file__).parent / "templates"

# A contact's language -> the catalogue and Babel locale its letters are written with.
LETTER_LANGUAGES = {"ko": "ko", "ja": "ja", "zh": "zh_Hans"}
# The rules that write a letter in the partner's language; the others reach such a contact in English.
LETTER_RULES = ("renewal", "dormancy_warning")

# How an office's name ends, by script (rules as data): a contact whose name ends so is an office.
OFFICE_ENDINGS = {
    "ko": ("과", "국", "실", "팀", "단", "관", "청", "처", "본부", "센터", "사무소"),
    "ja": ("課", "局", "室", "部", "係", "センター", "事務所"),
    "zh": ("处", "办", "办公室", "局", "科", "室", "部", "中心", "委员会"),
}
OFFICE_WORDS = ("division", "office", "department", "bureau", "section", "team", "unit", "center", "centre")
# A Korean given-and-family name is two to four syllables in one word: "이정국" ends like an office
# (국) but is a person. Such a name is read as a person whatever its last syllable.
_KOREAN_PERSON = re.compile(r"^[가-힣]{2,4}\Z")
# Honorifics a desk may have typed into the name: taken off, so one is never written twice.
HONORIFICS = ("귀중", "님", "御中", "様", "殿", "先生", "女士", "阁下")


def is_letter(language: str, rule: str) -> bool:
    """Whether `rule` reaches a contact of `language` as a letter in that language."""
    return language in LETTER_LANGUAGES and rule in LETTER_RULES


def bare_name(name: str) -> str:
    """The name without an honorific typed at its end."""
    name = name.strip()
    for word in HONORIFICS:
        if name.endswith(word) and len(name) > len(word):
            return name[: -len(word)].strip()
    return name


def is_office(contact: dict, language: str) -> bool:
    """Whether the contact is an office (its name names an office), not a person."""
    name = bare_name(contact.get("name") or "")
    if language == "ko" and _KOREAN_PERSON.match(name):
        return False
    if name.lower().split()[-1:] and name.lower().split()[-1] in OFFICE_WORDS:
        return True
    return name.endswith(OFFICE_ENDINGS.get(language, ()))


def addressee(contact: dict | None, language: str, place: str) -> tuple[str, str]:
    """("office" or "person", the name written on the letter): an office's name after its place's."""
    if not contact:
        return "none", ""
    name = bare_name(contact.get("name") or "")
    if not is_office(contact, language):
        return "person", name
    if place and place not in name:
        name = f"{place}{'' if language == 'zh' else ' '}{name}"
    return "office", name


def written_long(value: date | str | None, locale: str, none: str) -> str:
    """A date, or a date as written (a month, a year), in the long form of `locale`."""
    if value is None or value == "":
        return none
    if isinstance(value, str):
        try:
            written = PartialDate.parse(value)
        except ValueError:
            return value
        if written.precision == YEAR:
            return format_skeleton("y", written.first, locale=locale)
        if written.precision == MONTH:
            return format_skeleton("yMMMM", written.first, locale=locale)
        value = written.first
    return format_date(value, "long", locale=locale)


class Voice:
    """The words and dates of one language of a letter, for its template."""

    def __init__(self, locale: str, contact: dict | None, language: str, place: str):
        words = translations(locale)
        self.locale = locale
        self.gettext = words.gettext
        self.kind, self.name = addressee(contact, language, place)

    def __call__(self, message_id: str, /, **values) -> str:
        text = self.gettext(message_id)
        return text % values if values else text

    def date(self, value) -> str:
        """A date in this language's long form."""
        return written_long(value, self.locale, self("letter.none"))

    def salutation(self) -> str:
        """The line that addresses the letter: an office or a person, one honorific."""
        if self.kind == "none":
            return self("letter.to_colleagues")
        return self(f"letter.{self.kind}", name=self.name)


@cache
def environment() -> Environment:
    """The letters' templates (HTML autoescaped, text not)."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def kind_key(partnership: dict, stage: str | None) -> str:
    """The word of the partnership's kind: a friendship (우호도시, 友好都市) while only intent is signed."""
    if stage == INTENT and partnership.get("kind") == "sister_city":
        return "letter.kind.friendship"
    return f"letter.kind.{partnership.get('kind') or 'sister_city'}"


def render_letter(rule: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of `rule`'s letter in `language` with the English text below."""
    contact = context.get("addressee")
    partnership = context["partnership"]
    local_voice = Voice(LETTER_LANGUAGES[language], contact, language, partnership.get("local_name") or "")
    english = Voice("en", contact, language, partnership.get("local_name") or "")
    values = {**context, "local": local_voice, "english": english, "language": language, "rule": rule}
    values["kind_key"] = kind_key(partnership, context.get("status", {}).get("stage"))
    env = environment()
    subject = " ".join(env.get_template(f"partner/{rule}.subject.txt").render(values).split())
    values["subject"] = subject
    text = env.get_template(f"partner/{rule}.txt").render(values)
    html = env.get_template(f"partner/{rule}.html").render(values)
    return subject, text, html

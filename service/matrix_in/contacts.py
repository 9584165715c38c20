"""The contact cell: each person with the name, phone and e-mail written ("Ibu Putri (+62 812 2272 2353)")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.matrix_in.items import strip_bullet
from service.matrix_in.places import slug

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w])(\+?\(?\d{1,4}\)?[\d\s\-.()]{6,}\d)(?![\w])")
_LABEL = re.compile(
    r"\b(hp|telp|tel|telepon|phone|wa|whatsapp|no\.?\s*hp|email|e-mail|surel|mobile)\b\.?\s*:?", re.IGNORECASE
)
# Honorifics and titles: kept in the name, left out of the contact's id ("Ibu Putri": putri).
_HONORIFIC = re.compile(
    r"^((ibu|bu|bapak|bpk|pak|sdr|sdri|saudara|saudari|mr|mrs|ms|miss|dr|drs|dra|ir|h|hj|prof)\.?\s+)+", re.IGNORECASE
)
_DEGREE = re.compile(r",\s*(s|m|dr|ph)\.?\s*[a-z.]*.*$", re.IGNORECASE)
_SEPARATORS = re.compile(r";|\n|\s/\s|,(?=\s*(ibu|bu|bapak|bpk|pak|sdr|mr|mrs|ms)\b)", re.IGNORECASE)


@dataclass
class Person:
    """A contact as the catalogue records it."""

    name: str = ""
    phone: str | None = None
    email: str | None = None
    role: str | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def contact_id(self) -> str:
        """The id from the name without honorifics or degrees ("Ibu Putri": putri)."""
        words = _DEGREE.sub("", _HONORIFIC.sub("", self.name)).split()
        while len(words) > 1 and "." in words[-1] and len(words[-1]) <= 6:
            words.pop()  # a degree after the name ("M.Si", "S.H.")
        bare = " ".join(words)
        return (slug(bare) or slug(self.name) or slug(self.email or self.phone or "kontak"))[:120]

    def data(self, side: str) -> dict:
        """The ContactAssigned payload."""
        data: dict = {"contact_id": self.contact_id, "name": self.name or self.email or self.phone or "", "side": side}
        for key in ("phone", "email", "role"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


def read_contacts(lines: tuple[str, ...]) -> list[Person]:
    """The people of a contact cell, in order (a new name after a phone or e-mail starts a new person)."""
    people: list[Person] = []
    current: Person | None = None
    for segment in _SEPARATORS.split("\n".join(lines)):
        if not segment or not segment.strip() or _SEPARATORS.fullmatch(segment):
            continue
        text = strip_bullet(segment.strip())
        emails = _EMAIL.findall(text)
        rest = _EMAIL.sub(" ", text)
        phones = [p.strip() for p in _PHONE.findall(rest)]
        words = _LABEL.sub(" ", _PHONE.sub(" ", rest))
        words = " ".join(re.sub(r"[()\[\]:,]+", " ", words).split()).strip(" -–—|")
        role = None
        if words and re.search(r"\s[-–—|]\s", words):  # "Sdr. Andi – Kasubbag KSLN": the name, then the role
            words, role = (part.strip(" -–—|") for part in re.split(r"\s[-–—|]\s", words, maxsplit=1))
        if words and (current is None or current.phone or current.email):
            current = Person(name=words, role=role or None)
            people.append(current)
        elif words and current is not None:
            current.role = f"{current.role}; {words}" if current.role else words
        if current is None and (phones or emails):
            current = Person()
            people.append(current)
        if current is not None:
            for phone in phones:
                if current.phone is None:
                    current.phone = phone.strip("()").strip()
            for email in emails:
                if current.email is None:
                    current.email = email.lower()
    return [p for p in people if p.name or p.phone or p.email]

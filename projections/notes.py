"""The notes review queue: which progress notes no one has reviewed yet, and what each seems to record.

A note (NoteAdded) has no date and counts for nothing; a person reviews it once, accepting it as an
activity or dismissing it (NoteReviewed). The queue is a pure fold of those two event types. The
reading of a note's words (`classify`) is rules as data: a table of patterns, the first that
matches wins, so a plan ("Rencana hibah …") is never read as the grant it mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Kinds of notes that record no activity, each with why (the reason the queue shows).
PLAN, ABSENCE, CONTEXT, AGREEMENT = "plan", "absence", "context", "agreement"
ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of the table: what a note matching it is (a non-activity, or an activity kind)."""

    pattern: re.Pattern
    reading: str  # PLAN, ABSENCE, CONTEXT, AGREEMENT, or ACTIVITY
    kind: str | None = None  # the activity kind, for ACTIVITY


def _rule(pattern: str, reading: str, kind: str | None = None) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), reading, kind)


# First match wins. Plans, absences, context and the agreement path come first: their words
# ("Rencana hibah", "belum ada tindak lanjut", "Target penandatanganan MOU") name an activity
# that has not happened. Among kinds, the words naming the act itself come before the words of
# its purpose ("Pengiriman pelajar untuk short course" is a training; "Pertemuan … tawaran
# pelatihan" a meeting).
RULES: tuple[Rule, ...] = (
    _rule(r"^\W*target\b|\brencana\b|^\W*akan\b|\bakan (di|me)\w+|\bkeinginan\b|\bindikasi\b|\bmengharapkan\b", PLAN),
    _rule(
        r"\btidak ada kegiatan\b|\bbelum (ada|dilaksanakan|dapat|diaktifkan|pernah)\b|\btertunda\b|\bpending\b"
        r"|\bmasih menunggu\b|\btidak aktif\b",
        ABSENCE,
    ),
    _rule(r"^\W*(penandatanganan|perpanjangan)\b|\bproses penyusunan\b|\binterkem\b|\bpersetujuan dewan\b", AGREEMENT),
    _rule(r"^\W*\d+\s+sektor\b|^\W*fokus\b|^\W*aktif dalam\b|^\W*catatan\b|^\W*hubungan\b|\bpotensi(al)?\b", CONTEXT),
    _rule(r"^\W*(pertemuan|diskusi|audiensi|rapat)\b|\bcourtesy call\b", ACTIVITY, "meeting"),
    _rule(r"\bwork ?plan\b|\bkelompok kerja\b|\bjoint working group\b|\brencana aksi\b", ACTIVITY, "working_group"),
    _rule(r"\bmagang\b|\binternship\b", ACTIVITY, "exchange"),
    _rule(r"\bbeasiswa\b|\bscholarship", ACTIVITY, "scholarship"),
    _rule(
        r"\bhibah\b|\bdonasi\b|\bsumbangan\b|\bbantuan (masker|kendaraan|peralatan|kemanusiaan)\b", ACTIVITY, "grant"
    ),
    _rule(
        r"\bbantuan teknis\b|\bpendampingan\b|\btechnical assistance\b|\bmembantu\b", ACTIVITY, "technical_assistance"
    ),
    _rule(r"\bpelatihan\b|\bshort course\b|\bkursus\b|\btraining\b|\bdiklat\b", ACTIVITY, "training"),
    _rule(
        r"\bfestival\b|\bpentas\b|\bpameran\b|\bpesta kesenian\b|\bkesenian\b|\btari\b|\bgathering\b"
        r"|\bpromosi\b|\bmemperkenalkan produk\b|\bexpo\b",
        ACTIVITY,
        "festival",
    ),
    _rule(
        r"\bpengiriman\b.*\b(pelajar|siswa|murid|mahasiswa|guru|pemuda|atlet)\b"
        r"|\bpertukaran (pelajar|pemuda|mahasiswa|budaya|pegawai)\b|\bmahasiswa dari\b",
        ACTIVITY,
        "exchange",
    ),
    _rule(r"\bkunjungan\b|\bstudi tiru\b|\bstudi banding\b|\bmengunjungi\b|\bdelegasi\b", ACTIVITY, "visit"),
    _rule(r"\bwebinar\b|\bworkshop\b|\bforum\b|\bseminar\b|\bkonferensi\b|\bsimposium\b", ACTIVITY, "forum"),
    _rule(r"\bvideo ?conference\b|\bvicon\b|\bzoom\b", ACTIVITY, "video_call"),
    _rule(r"\bsurat\b|\bkorespondensi\b", ACTIVITY, "correspondence"),
    # Joint projects on the ground (building, planning, slum upgrading with the partner's help).
    _rule(r"\bpembangunan\b|\bperencanaan\b|\bpenataan\b|\bperbaikan\b", ACTIVITY, "technical_assistance"),
)

# How the reason names each reading, in Bahasa Indonesia and English (the queue shows both).
READING_WORDS = {
    PLAN: ("rencana atau target, belum terjadi", "a plan or target, not yet happened"),
    ABSENCE: ("menyatakan tidak ada kegiatan", "says nothing happened"),
    CONTEXT: ("keterangan latar, bukan kegiatan", "context, not an activity"),
    AGREEMENT: (
        "tentang dokumen kerja sama: catat sebagai penandatanganan atau persetujuan",
        "about an agreement: record it as a signing or an approval",
    ),
    ACTIVITY: ("menyebut sebuah kegiatan", "tells of an activity"),
}


@dataclass(frozen=True, slots=True)
class Reading:
    """What a note's words say: a reading (ACTIVITY or why not), the kind, and the words that decided."""

    reading: str
    kind: str | None
    matched: str | None


# A note is a line of a matrix cell; reading only its beginning keeps a hostile megabyte of text
# from costing the patterns' backtracking (`pengiriman … pelajar`) quadratic time.
READ_LIMIT = 2000


def classify(text: str) -> Reading:
    """Read a note: the first rule of RULES its text matches; an unmatched note reads as an activity of kind other."""
    text = text[:READ_LIMIT]
    for rule in RULES:
        found = rule.pattern.search(text)
        if found:
            return Reading(rule.reading, rule.kind, found.group(0).strip())
    return Reading(ACTIVITY, "other", None)


_CLAUSE_END = re.compile(r"[.,;:(\[]|\s[-–]\s")


def title(text: str, limit: int = 60) -> str:
    """A short title: the note's first clause, cut at a word boundary."""
    clause = _CLAUSE_END.split(text.strip().strip("“”\"'"), maxsplit=1)[0].strip() or text.strip()
    if len(clause) <= limit:
        return clause
    return clause[:limit].rsplit(" ", 1)[0].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class PendingNote:
    """A note no one has reviewed yet."""

    event_id: str
    stream: str
    text: str
    recorded_on: date  # the note's own date: the matrix it came from, the latest its activity can be


def pending(events) -> list[PendingNote]:
    """Notes not yet reviewed, in the order they were stored, from NoteAdded and NoteReviewed events."""
    notes: dict[str, PendingNote] = {}
    reviewed: set[str] = set()
    for event in events:
        if event.type == "NoteAdded":
            notes[event.id] = PendingNote(event.id, event.stream, event.payload.text, event.occurred_on.first)
        elif event.type == "NoteReviewed":
            reviewed.add(event.payload.note_id)
    return [note for note_id, note in notes.items() if note_id not in reviewed]

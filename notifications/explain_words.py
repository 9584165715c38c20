"""An explanation said in words: "Aktif karena pelatihan Des 2019 dan kunjungan Okt 2020; menjadi kurang aktif
pada 31 Des 2022 jika tidak ada kegiatan." Used alike by the mails, the digest and the partnership page.

The words are the gettext catalogues' (`explain.*`, `ekind.*`, `label.*`), dates as the language writes them.
"""

from __future__ import annotations

from datetime import date

from notifications.translations import N_, format_day, translations
from projections.activeness import COUNTED_KINDS
from projections.explanation import CountedItem, Explanation

# How each counted kind reads inside the sentence (lower case, as a noun). Babel extracts only
# literal keys, hence _MARKED spelled out; tests/test_explanation.py holds the two equal.
KIND_KEYS = {kind: f"ekind.{kind}" for kind in COUNTED_KINDS}
_MARKED = (
    N_("ekind.correspondence"),
    N_("ekind.video_call"),
    N_("ekind.meeting"),
    N_("ekind.working_group"),
    N_("ekind.visit"),
    N_("ekind.exchange"),
    N_("ekind.training"),
    N_("ekind.scholarship"),
    N_("ekind.grant"),
    N_("ekind.technical_assistance"),
    N_("ekind.festival"),
    N_("ekind.forum"),
    N_("ekind.other"),
    N_("ekind.signing"),
    N_("ekind.renewal"),
)
_HEADS = {
    "aktif": N_("explain.aktif"),
    "kurang_aktif": N_("explain.kurang_aktif"),
    "tidak_aktif": N_("explain.tidak_aktif"),
}


def item_words(item: CountedItem, language: str = "id") -> str:
    """`pelatihan Des 2019`, `penandatanganan MoU 7 Okt 2016`: one counted activity, short."""
    gettext = translations(language).gettext
    key = KIND_KEYS.get(item.kind)
    kind = gettext(key) if key else item.kind
    if item.document:
        kind = f"{kind} {item.document}"
    dates = format_day(item.occurred_on, language)
    if item.ends_on:
        dates += f"–{format_day(item.ends_on, language)}"
    return f"{kind} {dates}"


def _listed(items: list[CountedItem], language: str) -> str:
    words = list(dict.fromkeys(item_words(i, language) for i in items))  # two trainings of 2019 said once
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {translations(language).gettext(N_('explain.and'))} {words[-1]}"


def explanation_words(
    explanation: Explanation,
    activeness: str,
    language: str = "id",
    *,
    active_months: int = 24,
    quiet_months: int = 48,
    written_on: date | None = None,
) -> str:
    """The explanation as one or two sentences in `language` (`id` or `en`).

    Written on `written_on` (a mail sent after the day it explains), a change due by then is told
    as past: a reader in 2026 never reads that something "becomes dormant on 31 Dec 2024".
    """
    gettext = translations(language).gettext
    listed = explanation.counted if activeness == "kurang_aktif" else [i for i in explanation.counted if i.makes_aktif]
    months = active_months if activeness == "kurang_aktif" else quiet_months
    head = gettext(_HEADS.get(activeness, _HEADS["tidak_aktif"])) % {
        "items": _listed(listed, language),
        "months": months,
    }
    change = explanation.next_change
    if change is None:
        return gettext(N_("explain.end")) % {"head": head}
    passed = written_on is not None and change.on <= written_on
    return gettext(N_("explain.changed") if passed else N_("explain.change")) % {
        "head": head,
        "status": gettext(f"label.{change.to}"),
        "day": format_day(change.on, language),
    }

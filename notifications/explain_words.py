"""An explanation said in words: "Aktif karena pelatihan 2019-12 dan kunjungan 2020-10; menjadi kurang aktif
pada 31 Des 2022 jika tidak ada kegiatan." Used alike by the mails, the digest and the partnership page."""

from __future__ import annotations

from babel.dates import format_date

from projections.explanation import CountedItem, Explanation

KIND_WORDS = {
    "id": {"correspondence": "korespondensi", "video_call": "konferensi video", "meeting": "pertemuan",
           "working_group": "kelompok kerja", "visit": "kunjungan", "exchange": "pertukaran",
           "training": "pelatihan", "scholarship": "beasiswa", "grant": "hibah",
           "technical_assistance": "bantuan teknis", "festival": "festival", "forum": "forum",
           "other": "kegiatan lain", "signing": "penandatanganan", "renewal": "perpanjangan"},
    "en": {"correspondence": "correspondence", "video_call": "video call", "meeting": "meeting",
           "working_group": "working group", "visit": "visit", "exchange": "exchange", "training": "training",
           "scholarship": "scholarship", "grant": "grant", "technical_assistance": "technical assistance",
           "festival": "festival", "forum": "forum", "other": "other activity", "signing": "signing",
           "renewal": "renewal"},
}
_STATUS = {"id": {"aktif": "aktif", "kurang_aktif": "kurang aktif", "tidak_aktif": "tidak aktif"},
           "en": {"aktif": "active", "kurang_aktif": "less active", "tidak_aktif": "dormant"}}
_AND = {"id": "dan", "en": "and"}


def item_words(item: CountedItem, language: str = "id") -> str:
    """`pelatihan 2019-12`, `penandatanganan MoU 2016-10-07`: one counted activity, short."""
    kind = KIND_WORDS[language].get(item.kind, item.kind)
    if item.document:
        kind = f"{kind} {item.document}"
    dates = item.occurred_on + (f"–{item.ends_on}" if item.ends_on else "")
    return f"{kind} {dates}"


def _listed(items: list[CountedItem], language: str) -> str:
    words = list(dict.fromkeys(item_words(i, language) for i in items))  # two trainings of 2019 said once
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_AND[language]} {words[-1]}"


def explanation_words(explanation: Explanation, activeness: str, language: str = "id", *,
                      active_months: int = 24, quiet_months: int = 48) -> str:
    """The explanation as one or two sentences in `language` (`id` or `en`)."""
    status = _STATUS[language]
    substantive = [i for i in explanation.counted if i.makes_aktif]
    if language == "id":
        if activeness == "aktif":
            head = f"Aktif karena {_listed(substantive, language)}"
        elif activeness == "kurang_aktif":
            head = (f"Kurang aktif: tidak ada kerja sama substantif dalam {active_months} bulan terakhir, "
                    f"hanya {_listed(explanation.counted, language)}")
        else:
            head = f"Tidak aktif: tidak ada kegiatan tercatat dalam {quiet_months} bulan terakhir"
    else:
        if activeness == "aktif":
            head = f"Active because of {_listed(substantive, language)}"
        elif activeness == "kurang_aktif":
            head = (f"Less active: no substantive cooperation in the last {active_months} months, "
                    f"only {_listed(explanation.counted, language)}")
        else:
            head = f"Dormant: nothing recorded in the last {quiet_months} months"
    change = explanation.next_change
    if change is None:
        return f"{head}."
    on = format_date(change.on, "d MMM y", locale=language)
    if language == "id":
        return f"{head}; menjadi {status[change.to]} pada {on} jika tidak ada kegiatan."
    return f"{head}; becomes {status[change.to]} on {on} if nothing more is recorded."

"""The gettext catalogues of every word a user reads, pages and mail alike (Bahasa Indonesia first).

The catalogues are `notifications/locale/{id,en}/LC_MESSAGES/messages.po`, compiled to `.mo`
beside them (`make translations`: Babel's extract, update and compile). Message ids are short keys
("nav.matrix", a code such as "tidak_aktif"); the English catalogue is the translator's reference.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations

from events.dates import DAY, MONTH, PartialDate

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")
# Catalogues of the partner's side only: its letters and its page (docs/partner.md), not the staff pages.
PARTNER_LOCALES = ("ko", "ja", "zh_Hans")
DOMAIN = "messages"


def N_(key: str) -> str:
    """Marks a key for extraction where its translation is looked up later (a code shown by value)."""
    return key


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (Indonesian for any language Pantau does not speak)."""
    lang = lang if lang in LANGUAGES or lang in PARTNER_LOCALES else "id"
    # Opened by path: gettext's own lookup would normalise `zh_Hans` into a locale name it is not.
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.exists():
        raise FileNotFoundError(f"no compiled catalogue {path} (run `make translations`)")
    with path.open("rb") as compiled:
        return Translations(compiled, DOMAIN)


def translator(lang: str):
    """A function giving the words for a key in `lang`; an unknown key comes back as it is."""
    gettext = translations(lang).gettext

    def t(key: str | None) -> str:
        if key is None:
            return ""
        return gettext(key)

    return t


def format_day(value, lang: str) -> str:
    """`5 Nov 2019`, a month as `Nov 2019`, a year as `2019`: never an invented last day."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = PartialDate.parse(value)
        except (ValueError, TypeError):
            return value
    if isinstance(value, PartialDate):
        if value.precision == DAY:
            return format_date(value.first, "d MMM y", locale=lang)
        if value.precision == MONTH:
            return format_date(value.first, "MMM y", locale=lang)
        return f"{value.first.year}"
    if isinstance(value, date):  # a datetime too: its date
        return format_date(value, "d MMM y", locale=lang)
    return str(value)


# Codes shown by value (`t(row.status)`): marked here so extraction keeps them in the catalogues.
SHOWN_BY_VALUE = (
    # statuses, stages and agreement states
    N_("aktif"),
    N_("kurang_aktif"),
    N_("tidak_aktif"),
    N_("penjajakan"),
    N_("formal"),
    N_("exploring"),
    N_("lapsed"),
    N_("intent"),
    N_("ended"),
    N_("in_force"),
    N_("pending"),
    N_("terminated"),
    # activity kinds, directions and modes
    N_("correspondence"),
    N_("video_call"),
    N_("meeting"),
    N_("working_group"),
    N_("visit"),
    N_("exchange"),
    N_("training"),
    N_("scholarship"),
    N_("grant"),
    N_("technical_assistance"),
    N_("festival"),
    N_("forum"),
    N_("other"),
    N_("outbound"),
    N_("inbound"),
    N_("joint"),
    N_("in_person"),
    N_("virtual"),
    # event types
    N_("PartnershipRegistered"),
    N_("PartnershipDetailsChanged"),
    N_("ContactAssigned"),
    N_("ContactRemoved"),
    N_("ExplorationStarted"),
    N_("ApprovalRecorded"),
    N_("AgreementSigned"),
    N_("AgreementRenewed"),
    N_("AgreementTerminated"),
    N_("ActivityLogged"),
    N_("ActivityCorrected"),
    N_("ActivityRetracted"),
    N_("NoteAdded"),
    N_("StatusAssessed"),
    N_("NotificationSent"),
    N_("PartnershipEnded"),
    # outbox states and delivery outcomes
    N_("queued"),
    N_("sending"),
    N_("sent"),
    N_("failed"),
    N_("undeliverable"),
    N_("outbox.outcome.sent"),
    N_("outbox.outcome.retry"),
    N_("outbox.outcome.failed"),
    N_("outbox.outcome.sending"),
    N_("outbox.outcome.interrupted"),
    # how a code reads inside a mail's sentence (`label` filter of the mail templates)
    N_("label.aktif"),
    N_("label.kurang_aktif"),
    N_("label.tidak_aktif"),
    N_("label.penjajakan"),
    N_("label.formal"),
    N_("label.exploring"),
    N_("label.lapsed"),
    N_("label.intent"),
    N_("label.ended"),
    N_("label.in_force"),
    N_("label.pending"),
    N_("label.terminated"),
    N_("label.sister_city"),
    N_("label.sister_province"),
    N_("label.activity"),
    N_("label.signed"),
    N_("label.renewed"),
    N_("label.exploration"),
    N_("label.note"),
    N_("label.assessed"),
    N_("label.contact"),
    N_("label.registered"),
    N_("label.none"),
    # alert rules, contact sides, the matrix's sort orders
    N_("rule.renewal"),
    N_("rule.lapsed"),
    N_("rule.dormancy_warning"),
    N_("rule.dormant"),
    N_("rule.cooling"),
    N_("rule.digest"),
    N_("role.admin"),
    N_("role.desk"),
    N_("role.regional"),
    N_("role.viewer"),
    N_("side.indonesia"),
    N_("side.partner"),
    N_("side.desk"),
    N_("label.opened"),
    N_("label.kajian"),
    N_("label.dprd"),
    N_("label.interministerial"),
    N_("label.kemlu"),
    N_("label.kemlu_confirmation"),
    N_("label.mendagri"),
    N_("label.full_powers"),
    N_("label.signing"),
    N_("dprd"),
    N_("interministerial"),
    N_("mendagri"),
    N_("kemlu"),
    N_("noun.PartnershipRegistered"),
    N_("noun.PartnershipDetailsChanged"),
    N_("noun.ContactAssigned"),
    N_("noun.ContactRemoved"),
    N_("noun.ExplorationStarted"),
    N_("noun.ApprovalRecorded"),
    N_("noun.AgreementSigned"),
    N_("noun.AgreementRenewed"),
    N_("noun.AgreementTerminated"),
    N_("noun.ActivityLogged"),
    N_("noun.ActivityCorrected"),
    N_("noun.ActivityRetracted"),
    N_("noun.NoteAdded"),
    N_("noun.StatusAssessed"),
    N_("noun.NotificationSent"),
    N_("noun.PartnershipEnded"),
    N_("PublicationWithheld"),
    N_("noun.PublicationWithheld"),
    N_("PublicationRestored"),
    N_("noun.PublicationRestored"),
    N_("NoteReviewed"),
    N_("noun.NoteReviewed"),
    N_("accepted"),
    N_("dismissed"),
    N_("sort.no"),
    N_("sort.region"),
    N_("sort.partner"),
    N_("sort.status"),
    N_("sort.expiry"),
    N_("sort.activity"),
)

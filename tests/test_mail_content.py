"""What a mail says: in the past once its day has gone, one activeness mail per catch-up, old lapses in one line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from notifications.alert_rules import COOLING, DORMANCY_WARNING, DORMANT, LAPSED, RENEWAL, AlertRules
from notifications.compose import messages
from notifications.digest import build
from notifications.job import due
from notifications.render import render
from projections.matrix_row import matrix_row
from projections.partnership import fold
from projections.rules import Desk, Rules
from projections.status import status
from tests.helpers import activity, assessed, contact, registered, signed

RULES = Rules(desks=(Desk("kbri-seoul", "KBRI Seoul", "desk@kbri-seoul.example", ("KR",)),))
LINKED = replace(AlertRules(), base_url="https://pantau.example.go.id")
# Last visit 15 June 2019: cooling on 15 June 2021, dormancy warned from 16 April 2023, dormant 15 June 2023.
QUIET = [registered(), activity("2019-06-15"), contact("2010-01-01", email="putri@example.go.id")]
WARNED_ON = date(2023, 4, 16)


def _days(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


def _mail(alert, state, today: date, language: str = "id"):
    return next(
        m for m in messages(alert, {state.stream: state}, [state], RULES, LINKED, today) if m.language == language
    )


def test_a_dormancy_warning_read_after_the_day_says_the_partnership_became_dormant_not_that_it_will():
    state = fold(QUIET)
    [warning] = [a for a in due([state], [WARNED_ON], RULES, LINKED) if a.rule == DORMANCY_WARNING]
    on_time = _mail(warning, state, WARNED_ON)
    assert "akan tidak aktif pada 15 Juni 2023" in on_time.subject and "(60 hari lagi)" in on_time.text
    late = _mail(warning, state, date(2026, 1, 5))
    assert late.subject == "Kerja sama Kota Bandung – Seoul tidak aktif sejak 15 Juni 2023"
    assert "akan" not in late.subject and "hari lagi" not in late.text + late.html
    assert "tercatat tidak aktif sejak 15 Juni 2023" in late.text
    # The explanation too: the change it foresaw has come ("menjadi … jika tidak ada kegiatan" was future).
    assert "jika tidak ada kegiatan" not in late.text and "sudah menjadi tidak aktif pada 15 Jun 2023" in late.text
    assert "menjadi tidak aktif pada 15 Jun 2023 jika tidak ada kegiatan" in on_time.text
    english = _mail(
        warning,
        fold([*QUIET, contact("2010-01-01", "kim", email="kim@seoul.example", language="en")]),
        date(2026, 1, 5),
        "en",
    )
    assert "has been dormant since 15 June 2023" in english.subject and "becomes" not in english.text


def test_a_renewal_reminder_read_after_the_end_says_the_agreement_lapsed():
    state = fold([registered(), signed("2016-10-07", "mou-2016"), contact("2010-01-01", email="putri@example.go.id")])
    [reminder] = [a for a in due([state], [date(2021, 7, 8)], RULES, LINKED) if a.rule == RENEWAL]
    assert "(90 hari lagi)" in _mail(reminder, state, date(2021, 7, 8)).subject
    late = _mail(reminder, state, date(2026, 12, 1))
    assert late.subject == "MoU Kota Bandung – Seoul telah berakhir pada 6 Oktober 2021"
    assert "hari lagi" not in late.text + late.html and "dimulai sekarang" not in late.text


def test_cooling_and_dormancy_caught_up_together_give_one_mail_the_dormancy():
    state = fold(QUIET)
    # Down from before the cooling until after the dormancy: one run over every missed day.
    caught_up = due([state], _days(date(2021, 6, 1), date(2023, 7, 1)), RULES, LINKED, digests=False)
    assert [a.rule for a in caught_up] == [DORMANT]
    # Day by day, each comes on its own day.
    one_by_one = [
        a.rule
        for day in _days(date(2021, 6, 1), date(2023, 7, 1))
        for a in due([state], [day], RULES, LINKED, digests=False)
    ]
    assert one_by_one.count(COOLING) == 1 and one_by_one.count(DORMANT) == 1


def test_a_renewal_reminder_caught_up_with_its_lapse_is_not_sent():
    state = fold([registered(), signed("2016-10-07", "mou-2016"), activity("2021-05-01")])
    caught_up = due([state], _days(date(2021, 9, 1), date(2021, 10, 8)), RULES, LINKED)
    assert [a.rule for a in caught_up if a.rule in (RENEWAL, LAPSED)] == [LAPSED]


def test_the_digest_lists_lapses_since_the_previous_year_and_puts_older_ones_in_one_line():
    history = [
        registered(),
        signed("2010-03-01", "mou-2010"),  # lapsed 2015
        signed("2015-03-01", "mou-2015"),  # lapsed 2020
        signed("2019-06-01", "moa-2019", document="MoA"),  # lapsed 2022
        activity("2022-05-01"),
    ]
    context = build([fold(history)], "kbri-seoul", date(2023, 3, 1), RULES, LINKED)
    assert [e["valid_until"].year for e in context["lapsed"]] == [2022]  # from 1 January 2022
    assert context["old_lapsed"]["count"] == 2
    mail = render("digest", "id", {**context, "key": "digest:kbri-seoul:2023-03"})
    assert "2 perjanjian lain telah berakhir sebelum tahun 2022" in mail.text
    assert mail.text.count("MoU, berakhir") == 0 and mail.text.count("MoA, berakhir") == 1
    # The cut is a rule: three years back lists them all.
    wider = build([fold(history)], "kbri-seoul", date(2023, 3, 1), RULES, replace(LINKED, digest_lapsed_years=10))
    assert len(wider["lapsed"]) == 3 and wider["old_lapsed"]["count"] == 0


def test_the_digest_names_a_desk_as_the_pages_do_even_when_the_rules_name_none():
    context = build([fold(QUIET)], "kbri-seoul", date(2023, 3, 1), Rules(), LINKED)
    assert context["desk"]["name"] == "KBRI Seoul"
    mail = render("digest", "id", {**context, "key": "digest:kbri-seoul:2023-03"})
    assert mail.subject == "Ringkasan bulanan KBRI Seoul: Maret 2023"


def test_the_digest_row_is_the_matrix_row_and_differs_by_the_same_rule():
    state = fold([*QUIET, assessed("2023-01-10", "aktif")])
    context = build([state], "kbri-seoul", date(2023, 3, 1), RULES, LINKED)
    [row] = context["rows"]
    day = date(2023, 3, 31)
    matrix = matrix_row(1, state, day, RULES)
    assert matrix is not None and (row["no"], row["agreements"], row["differs"]) == (1, matrix.agreements, True)
    assert (row["matrix_status"], row["assessed_status"]) == (status(state, day, RULES).matrix_status, "aktif")
    mail = render("digest", "id", {**context, "key": "k"})
    assert "https://pantau.example.go.id/partnerships/kota-bandung-seoul" in mail.html


def test_a_digest_caught_up_years_later_tells_no_days_left_as_if_still_ahead():
    state = fold(
        [
            registered(),
            signed("2017-03-01", "mou-2017"),
            contact("2010-01-01", "desk", email="d@x.example", side="desk"),
        ]
    )
    day = date(2022, 1, 1)  # the December 2021 digest: the MoU ends on 28 February 2022
    alert = next(a for a in due([state], [day], RULES, LINKED) if a.rule == "digest")
    on_time = _mail(alert, state, day)
    assert "Berakhir dalam 6 bulan (sampai 30 Juni 2022)" in on_time.html and "59 hari" in on_time.text
    late = _mail(alert, state, date(2026, 12, 1))
    assert "Berakhir antara 31 Desember 2021 dan 30 Juni 2022" in late.html and "hari" not in late.text.split("==")[2]
    assert "Kota Bandung – Seoul: MoU, 28 Februari 2022\n" in late.text


def test_pantau_serve_without_a_public_address_links_mails_to_where_it_serves():
    from service.cli import _served_at

    assert _served_at("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert _served_at("0.0.0.0", 8000) == "http://127.0.0.1:8000"  # every interface: this machine's loopback
    assert _served_at("::1", 8000) == "http://[::1]:8000"

"""The last activity as people read it: the date as written (`2019`, `2021-11`), beside the day the rules keep."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console

from projections.activeness import last_activity_written
from projections.partnership import fold
from projections.rules import Rules
from projections.status import status, statuses
from service import cli
from tests.helpers import activity, registered, signed

RULES = Rules()


def test_a_partnership_last_active_in_2019_reads_2019_while_its_status_keeps_the_last_day():
    state = fold([registered(), activity("2018-03-05", "visit"), activity("2019", "training")])
    day = date(2021, 1, 1)
    assert last_activity_written(state, day, RULES) == "2019"
    assert status(state, day, RULES).last_activity_on == date(2019, 12, 31)  # the machine formats' day


def test_an_activity_over_several_years_reads_as_the_year_it_ended():
    state = fold([registered(), activity("2018", "festival", ends_on="2019-11")])
    assert last_activity_written(state, date(2021, 1, 1), RULES) == "2019-11"


def test_a_signing_counts_as_the_last_activity_as_it_was_written():
    state = fold([registered(), signed("2016", "mou-2016"), activity("2015", "visit")])
    assert last_activity_written(state, date(2018, 1, 1), RULES) == "2016"


def test_of_a_visit_on_31_december_and_a_report_of_that_year_the_visit_day_is_shown():
    state = fold([registered(), activity("2019", "training"), activity("2019-12-31", "visit")])
    assert last_activity_written(state, date(2021, 1, 1), RULES) == "2019-12-31"


def test_an_activity_still_running_on_the_day_reads_as_that_day_not_its_years_end():
    state = fold([registered(), activity("2021", "festival")])
    assert last_activity_written(state, date(2021, 6, 15), RULES) == "2021-06-15"


def test_activity_recorded_after_the_day_is_not_read_and_none_at_all_is_none():
    state = fold([registered(), activity("2019", "training"), activity("2023-02", "visit")])
    assert last_activity_written(state, date(2021, 1, 1), RULES) == "2019"
    assert last_activity_written(fold([registered()]), date(2021, 1, 1), RULES) is None


def test_the_status_table_shows_a_year_only_last_activity_as_2019(monkeypatch):
    states = [fold([registered(), activity("2019", "training")])]
    day = date(2021, 1, 1)
    shown = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=shown, width=300))
    cli._print_table(statuses(states, day, RULES), states, day, RULES)
    [line] = [line for line in shown.getvalue().splitlines() if "kota-bandung-seoul" in line]
    assert "│ 2019 " in line and "2019-12-31" not in line

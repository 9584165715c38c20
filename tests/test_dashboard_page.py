"""The dashboard page (/dasbor): its year ends equal the status projection, scopes follow roles, bad input is a 4xx."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from projections.readmodel import load_states
from projections.status import statuses
from tests.api_fixtures import build
from tests.helpers import activity, registered

pytestmark = pytest.mark.service

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CELL = re.compile(r'<tr data-year="(\d+)">(.*?)</tr>', re.S)
COUNT = re.compile(r'data-status="(\w+)">(\d+)<')


@pytest.fixture
def sample_site(database, engine, clock):
    api = build(database, engine, clock, sample=True)
    with api.client:
        api.pantau.runner.run()
        yield api


def _login(site, who: str):
    site.client.cookies.clear()
    form = site.client.get("/login")
    token = CSRF.search(form.text).group(1)
    done = site.client.post("/login", data={"token": site.tokens[who], "csrf": token, "next": "/dasbor"})
    assert done.status_code == 200 and "dasbor" in str(done.url)


def _year_ends(html: str) -> dict[int, dict[str, int]]:
    return {int(y): {k: int(v) for k, v in COUNT.findall(row)} for y, row in CELL.findall(html)}


def _published(site, year: int, desk: str | None = None) -> dict[str, int]:
    rows = statuses(load_states(site.pantau.engine), date(year, 12, 31), site.pantau.rules, desk)
    counts = Counter(s.matrix_status for s in rows) + Counter(s.stage for s in rows if s.stage in ("lapsed", "ended"))
    names = ("penjajakan", "aktif", "kurang_aktif", "tidak_aktif", "lapsed", "ended")
    return {name: counts.get(name, 0) for name in names}


def test_the_country_dashboard_counts_each_year_end_as_pantau_status_as_of_does(sample_site):
    _login(sample_site, "admin")
    page = sample_site.client.get("/dasbor")
    assert page.status_code == 200 and 'id="year-ends-table"' in page.text
    shown = _year_ends(page.text)
    assert min(shown) == 1989 and max(shown) == 2025  # the clock stands in November 2026
    for year, counts in shown.items():
        assert counts == _published(sample_site, year), year
    assert shown[2021]["penjajakan"] == 9 and shown[2021]["lapsed"] == 12
    assert "<svg" in page.text and 'role="img"' in page.text


def test_a_desk_user_sees_their_desk_and_is_refused_another(sample_site):
    _login(sample_site, "seoul")
    own = sample_site.client.get("/dasbor")
    assert own.status_code == 200
    shown = _year_ends(own.text)
    for year in (2015, 2020, 2025):
        assert shown[year] == _published(sample_site, year, "kbri-seoul"), year
    assert sample_site.client.get("/dasbor?desk=kbri-seoul").status_code == 200
    other = sample_site.client.get("/dasbor?desk=kbri-tokyo")
    assert other.status_code == 403 and "desk:" in other.text and 'id="year-ends-table"' not in other.text
    assert sample_site.client.get("/dasbor?region=Jawa%20Barat").status_code == 403


def test_a_regional_user_sees_only_their_province(sample_site):
    _login(sample_site, "jabar")
    own = sample_site.client.get("/dasbor")
    assert own.status_code == 200 and "Jawa Barat" in own.text
    total = int(re.search(r'id="dash-total">(\d+)<', own.text).group(1))
    everyone = [s for s in load_states(sample_site.pantau.engine)]
    in_jabar = [s for s in everyone if (s.details.get("indonesia") or {}).get("province") == "Jawa Barat"]
    assert 0 < total == len(in_jabar) < len(everyone)
    assert sample_site.client.get("/dasbor?region=Bali").status_code == 403
    assert sample_site.client.get("/dasbor?desk=kbri-seoul").status_code == 403


def test_an_admin_chooses_a_desk_and_a_viewer_a_region(sample_site):
    _login(sample_site, "admin")
    seoul = _year_ends(sample_site.client.get("/dasbor?desk=kbri-seoul").text)
    assert seoul[2020] == _published(sample_site, 2020, "kbri-seoul")
    _login(sample_site, "viewer")
    page = sample_site.client.get("/dasbor?region=jawa%20barat&lang=en")
    assert page.status_code == 200 and "Partnerships by status at each year end" in page.text


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("desk=kbri-nowhere", 400, "desk:"),
        ("desk=%3Cscript%3Ealert(1)%3C/script%3E", 400, "desk:"),
        ("desk=kbri%00seoul", 422, "desk"),  # the edge refuses what no database can hold, naming it
        ("region=Atlantis", 400, "region:"),
        ("region=" + "x" * 5000, 422, "region"),
        ("year=99999999999999999999", 400, "year:"),
        ("year=2026%00", 422, "year"),
        ("year=-1", 400, "year:"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(sample_site, query, status, named):
    _login(sample_site, "admin")
    page = sample_site.client.get(f"/dasbor?{query}")
    assert page.status_code == status and named in page.text
    assert 'id="year-ends-table"' not in page.text
    assert "<script>" not in page.text  # what was asked is shown as text, never as markup


def test_a_stranger_is_sent_to_the_login_form(sample_site):
    page = sample_site.client.get("/dasbor", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_an_activity_recorded_after_a_visit_is_counted_on_the_next(sample_site):
    _login(sample_site, "admin")
    before = sample_site.client.get("/dasbor").text
    assert 'data-country="FR"' not in before
    sample_site.pantau.store.append(
        [
            registered("kota-bogor-paris", on="2024-02-01", country="FR", desk=None),
            activity("2025-03-01", stream="kota-bogor-paris"),
        ]
    )
    after = sample_site.client.get("/dasbor").text  # not projected yet: the page reads the events past the checkpoint
    assert 'data-country="FR"' in after
    assert _year_ends(after)[2025] == _published_with_tail(sample_site, 2025)


def _published_with_tail(site, year):
    site.pantau.runner.run()
    return _published(site, year)

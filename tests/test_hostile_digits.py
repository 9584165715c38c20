"""Digits that are not ASCII: one reader of numbers (events/numbers.py), used by every door.

int(), float() and str.isdigit() take superscripts, circled digits and the digits of other
scripts; a number typed into Pantau is the digits 0-9 only, refused elsewhere naming the field.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from events.numbers import NotANumber, amount, is_whole, whole
from service.api.paging import encode
from service.settings import Settings, SettingsError
from tests.api_fixtures import build

# One of each class the tester found and more: superscript, circled, Arabic-Indic, Persian,
# full-width, Devanagari, Bengali, Thai, mathematical bold; and ASCII that int() reads loosely.
FOREIGN = ["²", "①", "٢٠٢٤", "۲۰۲۴", "２０２４", "२०२४", "২০২৪", "๒๐๒๔", "𝟐𝟎𝟐𝟒"]
LOOSE = ["+5", " 5", "5_0", "5.0", "-1", "", "1" * 19]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.mark.parametrize("text", FOREIGN + LOOSE)
def test_the_reader_takes_only_ascii_digits(text):
    assert not is_whole(text)
    with pytest.raises(NotANumber, match="^year: "):
        whole(text, "year")
    if text in FOREIGN or text in ("+5", " 5", "5_0", "-1", ""):
        assert amount(text) is None


def test_the_reader_reads_what_people_write():
    assert whole("2024", "year") == 2024 and whole("007", "n") == 7
    assert amount("150.000.000") == 150_000_000 and amount("1.500,50") == 1500.5 and amount("150") == 150
    for text in ("١٥٠.٠٠٠", "１５０", "1e5", "inf", "nan", "1.5e3", "-5"):
        assert amount(text) is None, text


@pytest.fixture
def api(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        page = api.client.get("/login")
        api.client.post("/login", data={"token": api.tokens["admin"], "csrf": CSRF.search(page.text).group(1)})
        yield api


@pytest.mark.parametrize("text", FOREIGN + ["+5", "5_0", "5.0"])
def test_query_and_path_numbers_refuse_other_digits_naming_the_parameter(api, text):
    for url, name in [
        (f"/api/status?limit={text}", "limit"),
        (f"/api/partnerships/kota-bandung-seoul/plan/{text}", "year"),
        (f"/api/partnerships/kota-bandung-seoul/scorecard/{text}", "year"),
        (f"/partnerships/kota-bandung-seoul/report/{text}", "year"),
        (f"/mailbox/{text}", "message_id"),
    ]:
        answer = api.get(url)
        assert answer.status_code == 422, (url, answer.status_code, answer.text[:200])
        assert name in answer.text
    write = api.post(f"/api/events?expected_version={text}", {"stream": "kota-bandung-seoul"})
    assert write.status_code == 422 and "expected_version" in write.text


@pytest.mark.parametrize("text", FOREIGN)
def test_the_matrix_page_shows_a_foreign_digit_limit_or_cursor_as_a_problem(api, text):
    for query, problem in ((f"limit={text}", "limit: "), (f"limit=1&cursor={encode('o', text)}", "cursor: ")):
        page = api.client.get(f"/matrix?{query}")
        assert page.status_code == 200 and problem in page.text, query


@pytest.mark.parametrize("text", FOREIGN)
def test_a_plan_with_foreign_digits_is_refused_naming_year_and_budget_and_stores_nothing(api, text):
    form = api.client.get("/partnerships/kota-bandung-seoul/plan/new")
    fields = dict(re.findall(r'name="(form_id|csrf)" value="([^"]+)"', form.text))
    head = api.pantau.store.head()
    answer = api.client.post(
        "/partnerships/kota-bandung-seoul/plan/new",
        data={**fields, "occurred_on": "2026-01-05", "plan_id": "p-1", "year": text, "budget": f"{text}.000"},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert 'id="err-year"' in answer.text and 'id="err-budget"' in answer.text
    assert api.pantau.store.head() == head


@pytest.mark.parametrize("text", FOREIGN)
def test_cli_numbers_refuse_other_digits_with_exit_2_naming_the_option(text):
    from service.cli import app

    runner = CliRunner()
    for args, option in [
        (["report", "--year", text, "--stream", "x"], "--year"),
        (["plan", "--year", text, "--stream", "x"], "--year"),
        (["outbox", "list", "--limit", text], "--limit"),
        (["mailbox", "--show", text], "--show"),
        (["serve", "--port", text], "--port"),
        (["serve", "--workers", text], "--workers"),
    ]:
        result = runner.invoke(app, args)
        said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())  # rich's box, unwrapped
        assert result.exit_code == 2, (args, said)
        assert option in said and "digits 0-9" in said, said


@pytest.mark.parametrize("text", FOREIGN)
def test_settings_refuse_other_digits_naming_the_variable(text):
    for name in ("PANTAU_MAX_EVENTS", "PANTAU_SINK_PORT", "PANTAU_PAGE_ROWS"):
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: text}, dotenv=None)


@pytest.mark.parametrize("text", FOREIGN + ["1e3", "inf", "nan"])
def test_the_smtp_timeout_refuses_other_digits_naming_it(text):
    from notifications.sender import SmtpTarget

    with pytest.raises(ValueError, match="PANTAU_SMTP_URL: timeout"):
        SmtpTarget.from_url(f"smtp://mail.example:25?timeout={text}")
    assert SmtpTarget.from_url("smtp://mail.example:25?timeout=2.5").timeout == 2.5

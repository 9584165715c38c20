"""PANTAU_RULES: windows, default terms and desks come from a TOML file over the catalogue's defaults."""

import re
from datetime import date

import pytest

from projections.partnership import fold
from projections.status import status
from service.config import alert_rules, load_document, projection_rules
from service.settings import Settings, SettingsError
from tests.helpers import activity, registered, signed


def rules_from(tmp_path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return projection_rules(load_document(str(path)))


def test_without_a_file_the_catalogue_defaults_hold():
    rules = projection_rules(load_document(None))
    assert (rules.active_months, rules.quiet_months, rules.default_terms["MoU"]) == (24, 48, 5)


def test_a_shorter_default_mou_term_moves_its_lapse(tmp_path):
    rules = rules_from(tmp_path, "[terms]\nMoU = 2\n")
    state = fold([registered(), signed("2016-10-07")])
    assert status(state, date(2018, 10, 6), rules).agreements[0].state == "in_force"
    assert status(state, date(2018, 10, 7), rules).agreements[0].state == "lapsed"


def test_a_term_of_zero_means_no_end(tmp_path):
    rules = rules_from(tmp_path, "[terms]\nMoU = 0\n")
    state = fold([registered(), signed("2016-10-07")])
    agreement = status(state, date(2030, 1, 1), rules).agreements[0]
    assert (agreement.valid_until, agreement.state) == (None, "in_force")


def test_a_wider_active_window_keeps_a_partnership_aktif_longer(tmp_path):
    state = fold([registered(), activity("2019-06-01", kind="grant")])
    day = date(2021, 12, 31)
    assert status(state, day, projection_rules({})).activeness == "kurang_aktif"
    assert status(state, day, rules_from(tmp_path, "[activeness]\nactive_months = 36\n")).activeness == "aktif"


def test_a_desk_follows_its_countries_when_a_partnership_names_none(tmp_path):
    rules = rules_from(
        tmp_path, '[desks.kbri-tokyo]\nname = "KBRI Tokyo"\nemail = "desk@example.jp"\ncountries = ["JP"]\n'
    )
    state = fold([registered("kota-bandung-hamamatsu", desk=None, country="JP")])
    assert status(state, date(2021, 1, 1), rules).desk == "kbri-tokyo"
    assert rules.desk("kbri-tokyo").email == "desk@example.jp"


@pytest.mark.parametrize(
    "text, named",
    [
        ("[activeness]\nactive_month = 24\n", "active_month"),
        ("[activeness]\nactive_months = -1\n", "activeness.active_months"),
        ("[terms]\nMoX = 3\n", "terms.MoX"),
        ('[terms]\nMoU = "five"\n', "terms.MoU"),
        ('[desks.kbri-seoul]\ncountries = "KR"\n', "desks.kbri-seoul.countries"),
        ("[terms\n", "PANTAU_RULES"),
        ('[regions."Jawa Barat"]\ngovernor = "x"\n', "regions.Jawa Barat has unknown keys: governor"),
        ('[regions."Jawa Barat"]\nplace = 3\n', "regions.Jawa Barat.place"),
        ('[regions."Jawa Barat"]\nnumber = "000/{seq}/{year}"\n', "regions.Jawa Barat.number"),
        # What the declared shape (service/rules_file.py) checks besides.
        ("[alert]\nlapsed_days = 7\n", "the file has unknown keys: alert"),
        ('[desks.kbri-seoul]\nemial = "a@b.example"\n', "desks.kbri-seoul has unknown keys: emial"),
        ("[terms]\nMoU = 2.5\n", "terms.MoU must be a number of years"),
        ("[terms]\nMoU = true\n", "terms.MoU must be a number of years"),
        ("[terms]\nMoU = 101\n", "terms.MoU must be a number of years"),
        ("[activeness]\nquiet_months = true\n", "activeness.quiet_months"),
        ('[regions."Jawa Barat"]\nplace = "   "\n', "regions.Jawa Barat.place must be a text"),
        ("[alerts]\nlease_minutes = 0\n", "alerts.lease_minutes must be a positive number"),
        ("[alerts]\ndaily_hour = 24\n", "alerts.daily_hour must be a whole number from 0 to 23"),
        ("[alerts]\nrenewal_days = [30, -1]\n", "alerts.renewal_days"),
        ("[drafts.stall]\nkajian = 3\n", "[drafts] has unknown keys: stall"),
        ("terms = 3\n", "terms must be a table"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_key(tmp_path, text, named):
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=re.escape(named)):
        document = load_document(str(path))
        projection_rules(document)
        alert_rules(document)


def test_a_region_names_the_government_its_reports_are_headed_and_signed_by(tmp_path):
    rules = rules_from(
        tmp_path, '[regions."Jawa Barat"]\ngovernment = "Pemerintah Provinsi Jawa Barat"\nplace = "Bandung"\n'
    )
    assert rules.region("jawa barat").government == "Pemerintah Provinsi Jawa Barat"
    assert rules.region("Jawa Barat").place == "Bandung" and rules.region("Bali").government is None


def test_a_missing_rules_file_is_refused():
    with pytest.raises(SettingsError, match="no such file"):
        load_document("/nonexistent/rules.toml")


def test_an_unknown_time_zone_is_refused_at_start():
    with pytest.raises(SettingsError, match="PANTAU_TIMEZONE"):
        Settings.from_env({"PANTAU_TIMEZONE": "Asia/Bandung"}, dotenv=None)


def test_the_environment_wins_over_the_dotenv_file(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("PANTAU_DATABASE_URL=sqlite:///from-dotenv.db\nPANTAU_TIMEZONE=Asia/Makassar\n")
    settings = Settings.from_env({"PANTAU_DATABASE_URL": "sqlite:///from-env.db"}, dotenv=str(dotenv))
    assert (settings.database_url, settings.timezone) == ("sqlite:///from-env.db", "Asia/Makassar")


def test_every_table_of_the_demo_rules_reads_with_its_defaults_kept():
    from service.demo import DEMO_RULES

    document = load_document(str(DEMO_RULES))
    rules, alerts = projection_rules(document), alert_rules(document)
    assert [d.id for d in rules.desks] == ["kbri-seoul", "kbri-tokyo", "kbri-pyongyang"]
    assert rules.region("Jawa Barat").number == "000.5.5/     /Pemksm/{year}"
    assert (rules.active_months, rules.default_terms["MoU"], alerts.digest_day) == (24, 5, 1)


def test_the_alerts_durations_read_as_their_units_and_renewal_days_run_longest_first(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[alerts]\nrenewal_days = [30, 90, 30]\nlease_minutes = 2.5\nretry_max_hours = 1\n")
    alerts = alert_rules(load_document(str(path)))
    assert alerts.renewal_days == (90, 30)
    assert (alerts.lease.total_seconds(), alerts.retry_max.total_seconds()) == (150, 3600)


def test_every_setting_is_read_from_one_variable_listed_in_the_settings_table():
    import dataclasses
    from pathlib import Path

    from service.settings import VARIABLES

    assert sorted(field for field, _, _ in VARIABLES) == sorted(f.name for f in dataclasses.fields(Settings))
    table = (Path(__file__).resolve().parent.parent / "docs/interfaces.md").read_text(encoding="utf-8")
    assert [name for _, name, _ in VARIABLES if f"| `{name}` |" not in table] == []


def test_an_empty_variable_keeps_the_default_and_each_reader_names_its_variable():
    settings = Settings.from_env({"PANTAU_PAGE_ROWS": "", "PANTAU_BASE_URL": "https://pantau.example.go.id/"}, None)
    assert (settings.page_rows, settings.base_url) == (100, "https://pantau.example.go.id")
    for environ, named in (
        ({"PANTAU_PAGE_ROWS": "0"}, "PANTAU_PAGE_ROWS: must be at least 1"),
        ({"PANTAU_SINK_PORT": "70000"}, "PANTAU_SINK_PORT"),
        ({"PANTAU_TRUSTED_PROXIES": "10.0.0.0/8, nowhere"}, "PANTAU_TRUSTED_PROXIES: 'nowhere'"),
        ({"PANTAU_BASE_URL": "ftp://x"}, "PANTAU_BASE_URL"),
    ):
        with pytest.raises(SettingsError, match=re.escape(named)):
            Settings.from_env(environ, dotenv=None)

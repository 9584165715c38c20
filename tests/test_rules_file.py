"""PANTAU_RULES: windows, default terms and desks come from a TOML file over the catalogue's defaults."""

from datetime import date

import pytest

from projections.partnership import fold
from projections.status import status
from service.config import load_document, projection_rules
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
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_key(tmp_path, text, named):
    with pytest.raises(SettingsError, match=named.replace(".", r"\.")):
        rules_from(tmp_path, text)


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

"""Indonesian written dates: the precision written is kept, a day that does not exist is refused."""

from __future__ import annotations

import pytest

from service.written_dates import DateProblem, find_dates, read_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 September 2009", "2009-09-14"),
        ("26 April 2001", "2001-04-26"),
        ("Maret 2019", "2019-03"),
        ("2012", "2012"),
        ("14/03/2019", "2019-03-14"),
        ("14-03-2019", "2019-03-14"),
        ("2019-03-14", "2019-03-14"),
        ("6 Mei 2018", "2018-05-06"),
        ("17 Agt 2013", "2013-08-17"),
        ("1 Des. 2020", "2020-12-01"),
        ("29 Februari 2020", "2020-02-29"),
        ("Pebruari 2010", "2010-02"),
    ],
)
def test_written_date_keeps_its_precision(text, expected):
    assert str(read_date(text)) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("31 Februari 2010", "wd.no_day"),
        ("29 Februari 2019", "wd.no_day"),
        ("31/04/2019", "wd.no_day"),
        ("14/13/2019", "wd.no_month"),
        ("kemarin", "wd.not_a_date"),
        ("", "wd.empty"),
    ],
)
def test_date_that_does_not_exist_is_refused_with_its_reason(text, key):
    with pytest.raises(DateProblem) as refused:
        read_date(text)
    assert refused.value.key == key


def test_dates_in_a_cell_are_found_in_order_and_not_inside_phone_numbers():
    found = list(find_dates("MoU 2016 (diperpanjang 12 Mei 2021), telp 0812 2016 3333"))
    assert [str(f.value) for f in found][:2] == ["2016", "2021-05-12"]
    assert [f.text for f in find_dates("LoI, 31 Februari 2010")][0] == "31 Februari 2010"
    assert next(find_dates("LoI, 31 Februari 2010")).problem.key == "wd.no_day"

from datetime import date, datetime, timezone

import pytest

from generator.dates import DateError, find_date, parse_date
from tests.conftest import SHANGHAI


@pytest.mark.parametrize("value, expected", [
    ("Thu, 23 Jun 2022 23:54:17 GMT", "2022-06-23T23:54:17+00:00"),
    ("2022-06-23T23:54:17+08:00", "2022-06-23T23:54:17+08:00"),
    ("2022-06-23T15:54:17Z", "2022-06-23T15:54:17+00:00"),
    ("2022-06-23 23:54", "2022-06-23T23:54:00+08:00"),
    ("2022-06-23", "2022-06-23T00:00:00+08:00"),
    ("2022/6/3 8:05", "2022-06-03T08:05:00+08:00"),
    ("2022年6月23日", "2022-06-23T00:00:00+08:00"),
    ("2022年06月23日 19:05", "2022-06-23T19:05:00+08:00"),
])
def test_every_documented_form_parses_to_an_aware_datetime(value, expected):
    assert parse_date(value, SHANGHAI).isoformat() == expected


def test_yaml_values_are_normalized():
    assert parse_date(date(2022, 6, 23), SHANGHAI).isoformat() == "2022-06-23T00:00:00+08:00"
    assert parse_date(datetime(2022, 6, 23, 8), SHANGHAI).isoformat() == "2022-06-23T08:00:00+08:00"
    aware = datetime(2022, 6, 23, 8, tzinfo=timezone.utc)
    assert parse_date(aware, SHANGHAI) == aware


@pytest.mark.parametrize("value, message", [
    ("", "date is empty"),
    ("yesterday", "date 'yesterday' is not RFC 2822, ISO 8601, 'YYYY-MM-DD HH:MM' or 'YYYY年M月D日'"),
    ("2022-13-45", "date '2022-13-45' is not a valid date (month must be in 1..12)"),
    ("2022年2月30日", "date '2022年2月30日' is not a valid date (day is out of range for month)"),
    (12, "date 12 is not a date"),
])
def test_bad_dates_explain_themselves(value, message):
    with pytest.raises(DateError) as info:
        parse_date(value, SHANGHAI)
    assert str(info.value) == message


def test_find_date_in_a_source_line():
    assert find_date("新重庆-重庆日报2024-09-28 09:59", SHANGHAI).isoformat() == "2024-09-28T09:59:00+08:00"
    assert find_date("no date here", SHANGHAI) is None

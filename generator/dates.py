"""Publication dates in every form the sources use, normalized to aware datetimes."""
from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime

_CHINESE = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?\s*$"
)
_NUMERIC = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?\s*$"
)


class DateError(ValueError):
    """A date value that cannot be understood; the message says what was given."""


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Turn a front-matter or scraped date into an aware datetime.

    Values without an offset are taken to be in `tz` (the site's timezone), because
    Chinese outlets print Beijing time without saying so.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
    if not isinstance(value, str):
        raise DateError(f"date {value!r} is not a date")
    text = value.strip()
    if not text:
        raise DateError("date is empty")
    for parse in (_parse_numeric, _parse_chinese, _parse_rfc2822):
        try:
            parsed = parse(text, tz)
        except (ValueError, OverflowError) as exc:
            raise DateError(f"date {text!r} is not a valid date ({exc})") from None
        if parsed is not None:
            return parsed
    raise DateError(
        f"date {text!r} is not RFC 2822, ISO 8601, 'YYYY-MM-DD HH:MM' or 'YYYY年M月D日'"
    )


def _parse_numeric(text: str, tz: tzinfo) -> datetime | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if offset:
        return datetime.fromisoformat(moment.isoformat() + ("+00:00" if offset == "Z" else _colon(offset)))
    return moment.replace(tzinfo=tz)


def _colon(offset: str) -> str:
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _parse_chinese(text: str, tz: tzinfo) -> datetime | None:
    m = _CHINESE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = m.groups()
    return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz)


def _parse_rfc2822(text: str, tz: tzinfo) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def find_date(text: str, tz: tzinfo) -> datetime | None:
    """The first date-time written inside free text (e.g. a `来源:` line), or None."""
    m = re.search(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?", text)
    if not m:
        return None
    year, month, day, hour, minute, second = m.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz)
    except ValueError:
        return None

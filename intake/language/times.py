"""When did the facial weakness begin? Find it in free text.

Patients answer "three weeks ago", "since Christmas", "in March 2024",
"born with it", often inside a longer opening message. ``find_onset`` turns
that into an estimated start date relative to the day the patient said it.

Design notes:
* Every recogniser yields candidates; the best one is chosen by whether it is
  attached to onset words ("since", "ago", "started", "after ... in 2019"),
  then by position. A date of birth ("born on 14 March 1985") and speed
  answers ("over a day", "within a few hours") are not onsets.
* Period answers ("in March", "in 2019", "last year") take the middle of the
  period, clamped to today; they are ``approximate``. So are relative answers
  in months or years, hedged ones ("about") and vague amounts ("a few").
* A date after ``today`` is never returned. Numeric dates are day first
  ("3/4/2024" is 3 April), month first only when day first is impossible
  ("12/25/2025"); year-first dates ("2024-03-03", "2024.03.03") are read as such.
"""
from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from babel.dates import get_month_names

from intake.language import words
from intake.language.numbers import NUMBER_PATTERN, parse_number

__all__ = ["Onset", "CalendarDate", "TimeMention", "find_onset", "find_times", "find_calendar_dates", "month_number",
           "age_at_onset"]

_date = datetime.date
_DAY = datetime.timedelta(days=1)
_FLAGS = re.I | re.ASCII
_XFLAGS = re.I | re.ASCII | re.X
# Nobody reports a palsy that began more than this long ago (except since birth).
_MAX_YEARS_AGO = 130


@dataclass(frozen=True)
class Onset:
    text: str                     # the words that stated it (the matched phrase, e.g. "three weeks ago")
    date: datetime.date | None    # best estimate of the day the weakness began; None when since birth
    days_since_onset: int | None  # (today - date).days, never negative; None when since birth
    since_birth: bool = False
    approximate: bool = False     # True when the patient rounded ("about", "a year and a half", a month or year only)


@dataclass(frozen=True)
class CalendarDate:
    """A day-precise date written in text; shared with the date-of-birth parser."""

    start: int
    end: int
    date: datetime.date
    year_given: bool


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    date: datetime.date | None
    approximate: bool = False
    since_birth: bool = False
    anchored: int = 0      # 2: "since"/"ago" in the phrase; 1: onset words nearby; 0: none
    blocked: bool = False  # a birth date: suppresses overlapping readings, never chosen


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "febuary": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_FULL_MONTHS = [m for m in _MONTHS if len(m) > 4 or m in ("may", "june", "july")]
# Dates written with another language's month names next to the numbers ("10 de agosto 2026",
# "3. März 2025", "15 juin 1990"): carers and patients whose first language is not English.
# The full names (CLDR, via Babel) with and without accents; never abbreviations ("ago", "mar")
# and never alone ("in mayo" is no date): only day first ("mars 2 bars" is none) and month-year.
MONTH_LOCALES = ("es", "pt", "fr", "de", "it", "nl", "id", "fil")


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _other_languages_months() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in MONTH_LOCALES:
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context, locale=locale).items():
                for form in (name.lower(), _plain(name.lower())):
                    names.setdefault(form, number)
    return {name: number for name, number in names.items() if name not in _MONTHS}


_ANY_MONTHS = {**_MONTHS, **_other_languages_months()}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "tues": 1, "wednesday": 2, "wendsday": 2, "wednsday": 2,
    "weds": 2, "thursday": 3, "thrusday": 3, "thurs": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "thur": 3, "fri": 4, "sat": 5, "sun": 6,
}


def _alternation(words) -> str:
    """Longest first, so "march" wins over "mar"."""
    return "|".join(sorted(words, key=len, reverse=True))


MONTH_PATTERN = rf"(?:{_alternation(_MONTHS)})"
_ANY_MONTH_PATTERN = rf"(?:{_alternation(map(re.escape, _ANY_MONTHS))})"
_FULL_MONTH_PATTERN = rf"(?:{_alternation(_FULL_MONTHS)})"
_WEEKDAY_PATTERN = rf"(?:{_alternation(_WEEKDAYS)})"
_YEAR4 = r"(?:19|20)\d\d"
_ORDINAL = r"(?:st|nd|rd|th)?"
_UNIT = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|dys?|dayz|weeks?|wks?|weks?|fortnights?"
    r"|months?|monts?|mnths?|mths?|mos?|moths|years?|yrs?|yeras|yers)"
)
# A two-digit year must not be a time of day or an amount ("3 March 10 days later").
_NOT_A_YEAR_AFTER = rf"(?![\d:]|\s*(?:[ap]\.?m\b|h\b|{_UNIT}\b))"
_PARTS = (
    r"(?:early|mid|middle\s+of|the\s+middle\s+of|late|end\s+of|the\s+end\s+of"
    r"|beginning\s+of|the\s+beginning\s+of|start\s+of|the\s+start\s+of)"
)
_PERIOD_LEADS = r"(?:in|since|from|during|around|about|back\s+in|sometime\s+in)"
_APPROX_HEDGE = (
    r"(?:about|around|approximately|approx\.?|roughly|nearly|almost|maybe|perhaps|probably"
    r"|possibly|like|some|over|under|more\s+than|less\s+than|just\s+over|just\s+under|a\s+little\s+under"
    r"|a\s+bit\s+under|slightly\s+under"
    r"|a\s+little\s+over|a\s+bit\s+over|a\s+little\s+more\s+than|at\s+least|close\s+to"
    r"|circa|ca\.|~)"
)
_EXACT_HEDGE = r"(?:just|only|exactly|precisely)"


def month_number(word: str) -> int:
    """Month number for a month name or abbreviation ("Sept." -> 9)."""
    return _ANY_MONTHS[word.lower().rstrip(".")]


# --------------------------------------------------------------------------
# Regexes
# --------------------------------------------------------------------------

_ISO_DATE_RE = re.compile(
    r"(?<![\d/.\-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d|[/.\-]\d)",
    _FLAGS,
)
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d|[/.\-]\d)",
    _FLAGS,
)
# A day and month without a year, slash apart, where a date is expected: "started 14/3", "since 2/11".
# Day first where only that reads (14/3), month first where only that reads (3/14, as Korea and the US
# write it); where both read, the more recent date that is not in the future.
_SLASH_DAY_MONTH_RE = re.compile(
    r"(?:(?<=\bon )|(?<=\bsince )|(?<=\bstarted )|(?<=\bstart )|(?<=\bbegan )|(?<=\bfrom )|(?<=\baround )|^)"
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|\s*(?:pain|headache|days?|hours?|weeks?|months?|of)\b)", _FLAGS)
# A weekday with its day of the month and no month: "on Saturday 11th", "Sat the 2nd". The most recent
# such day that falls on that weekday (a year back at most), or else the most recent such day.
_WEEKDAY_DAY_RE = re.compile(
    rf"(?<!\w)(?P<wd>{_WEEKDAY_PATTERN})\b,?\s+(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?{MONTH_PATTERN})",
    _FLAGS)
_DAY_MONTH_RE = re.compile(
    rf"""(?<![\w/.])(?P<d>[0-3]?\d)(?:{_ORDINAL}|\.(?=\s))(?:\s*|-)(?:(?:of|de|del)\s+)?(?P<mon>{_ANY_MONTH_PATTERN})\b\.?
        (?:(?:,?\s+|-)(?:(?:de|del)\s+)?(?:(?P<y>{_YEAR4})(?!\d)|(?P<y2>'?\d\d){_NOT_A_YEAR_AFTER}))?""",
    _XFLAGS,
)
_MONTH_DAY_RE = re.compile(
    rf"""(?<!\w)(?P<mon>{MONTH_PATTERN})\b\.?\s*(?:the\s+)?(?P<d>[0-3]?\d){_ORDINAL}\b
        (?!\s*{_UNIT}\b|[:.]\d)
        (?:,?\s*(?P<y>{_YEAR4})(?!\d)|,?\s*(?P<y2>'\d\d)(?!\d)|,\s*(?P<y3>\d\d){_NOT_A_YEAR_AFTER})?""",
    _XFLAGS,
)
# Year first, as Korean and Chinese dates are written: "2018 March 2", "2018, Mar 2nd"
_YEAR_MONTH_DAY_RE = re.compile(
    rf"""(?<![\w/.])(?P<y>{_YEAR4}),?\s+(?P<mon>{MONTH_PATTERN})\b\.?\s+(?P<d>[0-3]?\d){_ORDINAL}\b(?![:.]\d)""",
    _XFLAGS,
)
_MONTH_YEAR_RE = re.compile(
    rf"""(?<!\w)(?:(?P<lead>{_PERIOD_LEADS})\s+)?(?:(?P<part>{_PARTS})[\s-]+(?:of\s+)?)?
        (?P<mon>{_ANY_MONTH_PATTERN})\b\.?,?\s*(?:(?:of|de|del)\s+)?(?P<y>{_YEAR4})(?!\d)""",
    _XFLAGS,
)
_NUMERIC_MONTH_YEAR_RE = re.compile(
    rf"(?<![\d/.\-])(?P<m>0?[1-9]|1[0-2])[/.\-](?P<y>{_YEAR4})(?!\d|[/.\-]\d)", _FLAGS
)
_MONTH_ONLY_RE = re.compile(
    rf"""(?<!\w)(?:(?P<lead>{_PERIOD_LEADS}|last|this\s+past|past|this)\s+)?
        (?:(?P<part>{_PARTS})[\s-]+(?:of\s+)?)?(?P<mon>{MONTH_PATTERN})\b(?!\s*\d)
        (?:,?\s+(?:of\s+)?(?P<year_word>last|this|that|the\s+same)\s+year\b)?""",
    _XFLAGS,
)
_YEAR_RE = re.compile(
    rf"""(?<![\w/.\-])(?:(?P<lead>{_PERIOD_LEADS}|circa|ca\.|approximately|roughly)(?:\s+the\s+year)?\s+)?
        (?:(?P<part>{_PARTS})[\s-]*(?:of\s+)?)?(?P<y>{_YEAR4})(?![\w/\-]|[.:]\d)""",
    _XFLAGS,
)
_SEASON_RE = re.compile(
    rf"""(?<!\w)(?:(?P<lead>in|since|from|during|over|around|last|this\s+past|past|this)\s+)?
        (?:(?P<part>(?:the\s+)?(?:end|start|beginning|middle)\s+of|late|early|mid)[\s-]+)?
        (?:(?P<y0>{_YEAR4})\s+)?
        (?:(?P<the>the)\s+)?(?P<season>spring|summer|autumn|fall|winter)\b
        (?:\s*(?:of\s+)?(?P<y>{_YEAR4})(?!\d))?""",
    _XFLAGS,
)
_HOLIDAY_RE = re.compile(
    rf"""(?<!\w)(?:(?P<lead>since|from|at|over|around|on|after|before|just\s+before|just\s+after
                   |during|last|this\s+past|past)\s+)?
        (?<!lunar\s)(?<!chinese\s)(?<!korean\s)
        (?P<h>christmas\s+eve|christmas(?:\s+day)?|xmas|x-mas|boxing\s+day
            |new\s+year'?s?\s+eve|new\s+year'?s?(?:\s+day)?|easter(?:\s+(?:sunday|monday|weekend))?
            |thanksgiving|halloween|valentine'?s?(?:\s+day)?)\b
        (?:\s+(?:of\s+)?(?P<y>{_YEAR4})(?!\d)|\s+(?P<lastyear>last\s+year))?""",
    _XFLAGS,
)
_WEEKDAY_RE = re.compile(
    rf"""(?<!\w)(?:(?P<lastweek>last\s+week,?\s+(?:on\s+)?(?:the\s+)?)|(?:(?P<lead>since|from|on)\s+)?(?:the\s+)?)
        (?:(?P<which>last|this\s+past|past|this\s+coming|coming|this|next)\s+)?
        (?P<wd>{_WEEKDAY_PATTERN})\b(?:\s+(?:morning|afternoon|evening|night|nite|am|pm))?
        (?P<before_last>\s+before\s+last)?(?P<of_last>\s+(?:of|in)\s+last\s+week)?""",
    _XFLAGS,
)
_WEEKEND_RE = re.compile(
    r"(?<!\w)(?:(?P<lead>since|over|at|on|during)\s+)?(?:(?P<which>the|this\s+past|past|last|this)\s+)?weekend\b"
    r"(?P<before_last>\s+before\s+last)?",
    _FLAGS,
)
_DURATION_RE = re.compile(
    rf"""(?<![\w.])
        (?:(?P<hedge>{_APPROX_HEDGE}|{_EXACT_HEDGE})(?:\s+|(?<=~)))?
        (?P<qty>{NUMBER_PATTERN})
        (?:\s*(?:-|\u2013|to|or)\s*(?P<qty2>{NUMBER_PATTERN}))?
        (?:\s+|(?<=\d))(?P<unit>{_UNIT})\b
        (?P<half>\s+and\s+(?:a\s+)?half)?
        (?P<ortwo>\s+or\s+(?:two|three|2|3)\b)?
        (?P<orso>\s*(?:or\s+so|-?ish)\b)?
        (?P<ago>\s+(?:ago|back|since|now|already)\b)?""",
    _XFLAGS,
)
_BIRTH_RE = re.compile(
    r"""(?<!\w)(?:
        (?:since|from)\s+(?:birth|the\s+birth|(?:(?:i|he|she|they|we)\s+)?(?:(?:was|were|is|are)\s+)?born)
      | (?:from|since)\s+the\s+day\s+(?:i|he|she|they)\s+(?:was|were)\s+born
      | (?:from|at)\s+birth
      | (?:(?:was|were)\s+)?born\s+with\s+(?:it|this|that|the\s+(?:palsy|weakness|paralysis)|a\s+facial|facial)
      | (?:(?:was|were)\s+)?born\s+(?:like\s+(?:this|that)|this\s+way|that\s+way)
      | congenital(?:ly)?
      | all\s+(?:of\s+)?(?:my|his|her|their)\s+li(?:fe|ves)
      | (?:my|his|her|their)\s+(?:whole|entire)\s+li(?:fe|ves)
      | since\s+(?:i|he|she)\s+was\s+(?:a\s+)?(?:baby|newborn)
    )\b""",
    _XFLAGS,
)


def _fixed(pattern: str) -> re.Pattern[str]:
    """A whole-word phrase such as "last week"."""
    return re.compile(rf"(?<!\w)(?:{pattern})\b", _FLAGS)


# Context checks, applied to the text just before / after a candidate.
# "before 3 days" is how non-native speakers often say "3 days ago"
_LEAD_RE = re.compile(r"\b(?P<lead>since|for|before)\s+(?:the\s+(?:past|last)\s+)?$", _FLAGS)
# "a week ago tomorrow" is 6 days; "2 weeks yesterday" (British) 15
_SHIFT_RE = re.compile(r"\s*(?:ago\s+)?(?P<shift>tomorrow|tmrw|yesterday|today)\b", _FLAGS)
_SHIFT_DAYS = {"tomorrow": 1, "tmrw": 1, "yesterday": -1}
_DURATION_OK_TAIL_RE = re.compile(r"\b(?:been|had\s+(?:it|this|that)|it'?s|it\s+is|now)\s+$", _FLAGS)
_NOT_ONSET_TAIL_RE = re.compile(
    r"""\b(?:over|within|in|into|during|across|after|took|take|takes|taking|lasted|lasting|lasts
          |every|per|each|once|twice|times|than|first|next|following|another|other|of|aged?|until|till)
        \s+(?:the\s+)?(?:(?:past|last|first|next)\s+)?$""",
    _XFLAGS,
)
# A child's age, not a time since: "he have 18 months", "baby girl 18 month", "my son, 4 months,"
_AGE_TAIL_RE = re.compile(
    r"""\b(?:he|she|baby|son|daughter|girl|boy|child|kid|toddler|infant|grandson|granddaughter)
        (?:'s|\s+is|\s+has|\s+have|\s+turned|\s+turns|,)?\s+(?:just\s+|only\s+|nearly\s+|almost\s+|about\s+)?$""",
    _XFLAGS,
)
_NOT_ONSET_FOLLOW_RE = re.compile(
    r"""\s*(?:-?\s*old\b|of\s+age\b|later\b|after(?:wards)?\b|before\b|long\b|pregnant\b|post\b
         |from\s+now\b|in\s+a\s+row\b|earlier\b|apart\b|of\s+(?:physio|therapy|treatment|steroids)\b)""",
    _XFLAGS,
)
_BIRTH_CONTEXT_RE = re.compile(
    r"""(?:\bborn\b(?:\s+(?:on|in|at|around|about))?(?:\s+the)?
         |\b(?:date\s+of\s+birth|d\.?o\.?b|birth\s*date|birthday)\b\.?\s*(?:is|was|[:=\-])?)\s*$""",
    _XFLAGS,
)
_ANCHOR_WORDS = (
    r"since|ago|back|started|starts?|starting|began|begun|begin|onset|noticed|developed"
    r"|happened|appeared|came\s+on|woke|after|following"
)
_ANCHOR_INSIDE_RE = re.compile(r"\b(?:since|ago|back)\b", _FLAGS)
_ANCHOR_BEFORE_RE = re.compile(rf"\b(?:{_ANCHOR_WORDS})\b[^.!?\n]*$", _FLAGS)
_ANCHOR_AFTER_RE = re.compile(r"^[^.!?\n]*\b(?:ever\s+since|since\s+then)\b", _FLAGS)
_SENTENCE_PUNCT = " \t\r\n.,;:!?\"'()"


# --------------------------------------------------------------------------
# Date arithmetic
# --------------------------------------------------------------------------

def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar-month arithmetic; the day is clamped (31 March - 1 month = 28/29 February)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError("year out of range")
    month = month0 + 1
    return _date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _round(value: float) -> int:
    """Round half up; banker's rounding would make 10.5 days 10."""
    return int(value + 0.5)


_UNIT_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30.44, "year": 365.25}


def _unit_kind(word: str) -> str:
    """Normalise a unit spelling ("wks", "mths", "yrs") to its kind."""
    w = word.lower()
    if w.startswith("mi"):
        return "minute"
    if w.startswith("m"):
        return "month"
    for kind in ("hour", "day", "week", "fortnight", "year"):
        if w[0] == kind[0]:
            return kind
    raise ValueError(word)


def _date_before(today: datetime.date, value: float, unit: str) -> datetime.date | None:
    """The day `value` `unit`s before today; months and years are calendar ones."""
    if value * _UNIT_DAYS[unit] > _MAX_YEARS_AGO * 366:
        return None
    if unit in ("minute", "hour"):
        return today - datetime.timedelta(days=int(value * _UNIT_DAYS[unit]))
    if unit in ("day", "week", "fortnight"):
        return today - datetime.timedelta(days=_round(value * _UNIT_DAYS[unit]))
    if unit == "year":
        return _add_months(today, -_round(value * 12))
    whole = int(value)
    return _add_months(today, -whole) - datetime.timedelta(days=_round((value - whole) * 30))


def _estimate(start: datetime.date, end: datetime.date, today: datetime.date) -> datetime.date | None:
    """Middle of a period, clamped to today; None if the period has not begun."""
    if start > today:
        return None
    return min(start + datetime.timedelta(days=(end - start).days // 2), today)


def _sub_period(start: datetime.date, end: datetime.date, part: str | None) -> tuple[datetime.date, datetime.date]:
    """Narrow a period to its first/middle/last third for "early", "mid", "end of"."""
    if not part:
        return start, end
    third = datetime.timedelta(days=((end - start).days + 1) // 3)
    words = part.lower().split()
    word = words[-2] if words[-1] == "of" and len(words) > 1 else words[-1]
    if word in ("early", "beginning", "start"):
        return start, start + third - _DAY
    if word in ("mid", "middle"):
        return start + third, end - third
    return end - third + _DAY, end


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return _date(year, month, 1), _date(year, month, calendar.monthrange(year, month)[1])


def _months_back(today: datetime.date, back: int) -> tuple[int, int]:
    """The (year, month) `back` months before today's."""
    index = today.year * 12 + today.month - 1 - back
    return index // 12, index % 12 + 1


def _most_recent(make: Callable[[int], datetime.date | None], today: datetime.date) -> datetime.date | None:
    """Most recent yearly date on or before today (tries this year, then earlier ones)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            day = make(year)
        except ValueError:
            continue
        if day is not None and day <= today:
            return day
    return None


def _easter(year: int) -> datetime.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return _date(year, month, day + 1)


def _holiday(name: str, year: int) -> datetime.date:
    """Date of a named holiday in a given year."""
    n = " ".join(name.lower().split())
    if n.startswith("christmas eve"):
        return _date(year, 12, 24)
    if n.startswith(("christmas", "xmas", "x-mas")):
        return _date(year, 12, 25)
    if n.startswith("boxing"):
        return _date(year, 12, 26)
    if n.startswith("new year") and n.endswith("eve"):
        return _date(year, 12, 31)
    if n.startswith("new year"):
        return _date(year, 1, 1)
    if n.startswith("easter"):
        return _easter(year) + (_DAY if n.endswith("monday") else datetime.timedelta(0))
    if n.startswith("thanksgiving"):
        first = _date(year, 11, 1)
        return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 21)
    if n.startswith("halloween"):
        return _date(year, 10, 31)
    return _date(year, 2, 14)  # valentine's


def _resolve_year(raw: str, month: int, day: int, today: datetime.date) -> int:
    """Four-digit years as written; two-digit ones ("'71") as the most recent past year."""
    digits = raw.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    try:
        if _date(year, month, day) <= today:
            return year
    except ValueError:
        return year
    return year - 100


# --------------------------------------------------------------------------
# Calendar dates (shared with contact.parse_date_of_birth)
# --------------------------------------------------------------------------

def _valid(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return _date(year, month, day)
    except ValueError:
        return None


def _calendar_dates_in(text: str, today: datetime.date) -> Iterator[CalendarDate]:
    """Every written date with a day, from each pattern, before overlap removal."""
    for m in _ISO_DATE_RE.finditer(text):
        day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if day:
            yield CalendarDate(m.start(), m.end(), day, True)
    for m in _NUMERIC_DATE_RE.finditer(text):
        first, second = int(m["d"]), int(m["m"])
        # Day first; month first only when day first is impossible and month first is not ambiguous.
        for d, mo in ((first, second), (second, first)):
            if not 1 <= mo <= 12 or not 1 <= d <= 31:
                continue
            day = _valid(_resolve_year(m["y"], mo, d, today), mo, d)
            if day:
                yield CalendarDate(m.start(), m.end(), day, True)
            break
    for m in _WEEKDAY_DAY_RE.finditer(text):
        weekday, d = _WEEKDAYS[m["wd"].lower()], int(m["d"])
        days = [day for back in range(13) for day in [_valid(*_months_back(today, back), d)] if day and day <= today]
        match = next((day for day in days if day.weekday() == weekday), days[0] if days else None)
        if match:
            yield CalendarDate(m.start(), m.end(), match, False)
    for m in _SLASH_DAY_MONTH_RE.finditer(text.strip()):
        start = m.start() + (len(text) - len(text.lstrip()))
        readings = [_most_recent(lambda y, mo=mo, d=d: _valid(y, mo, d), today)
                    for d, mo in ((int(m["a"]), int(m["b"])), (int(m["b"]), int(m["a"]))) if 1 <= mo <= 12 and 1 <= d <= 31]
        readings = [r for r in readings if r]
        if readings:
            yield CalendarDate(start, start + len(m.group(0)), max(readings), False)
    for regex in (_YEAR_MONTH_DAY_RE, _DAY_MONTH_RE, _MONTH_DAY_RE):
        for m in regex.finditer(text):
            month, d = month_number(m["mon"]), int(m["d"])
            raw_year = next((m[g] for g in ("y", "y2", "y3") if g in regex.groupindex and m[g]), None)
            if raw_year:
                day = _valid(_resolve_year(raw_year, month, d, today), month, d)
            else:
                day = _most_recent(lambda y: _valid(y, month, d), today)
            if day:
                yield CalendarDate(m.start(), m.end(), day, raw_year is not None)


def _drop_contained(items: list, key_start, key_end) -> list:
    """Keep items not strictly inside a longer item's span (so "2 May 2024" beats "May 2024")."""
    kept = []
    for item in items:
        s, e = key_start(item), key_end(item)
        inside = any(
            key_start(o) <= s and e <= key_end(o) and (key_end(o) - key_start(o)) > (e - s)
            for o in items
        )
        if not inside:
            kept.append(item)
    return kept


def find_calendar_dates(text: str, today: datetime.date) -> list[CalendarDate]:
    """Dates with a day written in text ("3 March 2024", "3/3/2024", "2024-03-03").

    Numeric dates are day first. A missing year means the most recent such day
    on or before today; a two-digit year the most recent past one. Dates after
    today are returned too: the caller decides what a future date means.
    """
    found = sorted(set(_calendar_dates_in(text, today)), key=lambda c: (c.start, -c.end))
    kept = _drop_contained(found, lambda c: c.start, lambda c: c.end)
    result: list[CalendarDate] = []
    for c in kept:  # one reading per span: the first pattern's
        if not any(r.start == c.start and r.end == c.end for r in result):
            result.append(c)
    return result


# --------------------------------------------------------------------------
# Candidate recognisers
# --------------------------------------------------------------------------

def _is_whole(text: str, start: int, end: int) -> bool:
    """True when the match is the entire answer, bar punctuation ("2019.")."""
    return not text[:start].strip(_SENTENCE_PUNCT) and not text[end:].strip(_SENTENCE_PUNCT)


def _is_birth_date(text: str, start: int) -> bool:
    """"born on 14 March 1985" / "DOB: ..." state a birth date, not an onset."""
    return bool(_BIRTH_CONTEXT_RE.search(text[max(0, start - 40):start]))


def _anchored(text: str, start: int, end: int) -> int:
    """How firmly the time expression is tied to onset words in its own sentence.

    2 when the phrase itself says "since"/"ago"; 1 when "started", "after ...",
    "ever since" are nearby; 0 otherwise. Ties go to the earlier phrase.
    """
    if _ANCHOR_INSIDE_RE.search(text, start, end):
        return 2
    if _ANCHOR_BEFORE_RE.search(text[max(0, start - 60):start]) or _ANCHOR_AFTER_RE.search(text[end:end + 80]):
        return 1
    return 0


def _candidate(text: str, start: int, end: int, day: datetime.date | None, approximate: bool) -> _Candidate | None:
    """A scored candidate; a blocking one for birth dates; None when the day is impossible or future."""
    if _is_birth_date(text, start):
        return _Candidate(start, end, None, blocked=True)
    if day is None:
        return None
    return _Candidate(start, end, day, approximate, anchored=_anchored(text, start, end))


def _birth_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for m in _BIRTH_RE.finditer(text):
        yield _Candidate(m.start(), m.end(), None, since_birth=True, anchored=2)


def _fixed_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for regex, resolve in _FIXED_PHRASES:
        for m in regex.finditer(text):
            resolved = resolve(today)
            if resolved:
                c = _candidate(text, m.start(), m.end(), *resolved)
                if c:
                    yield c


_PAST_SIMPLE_RE = re.compile(r"\b(?:was|were|lasted|stayed|remained)\b", _FLAGS)
_STILL_NOW_RE = re.compile(r"\b(?:been|now|still|so\s+far|already)\b", _FLAGS)


def _past_period(before: str, text: str, end: int) -> bool:
    """ "for N" told of a period that is over: followed by "after"/"later", or in a past-simple clause
    ("was paralysed for a year", not "has been paralysed for a year" or "for a year now")."""
    if _NOT_ONSET_FOLLOW_RE.match(text, end):
        return True
    clause = re.split(r"[.;!?\n]", before)[-1]
    tail = re.split(r"[.;!?,\n]", text[end:end + 40])[0]
    return bool(_PAST_SIMPLE_RE.search(clause)) and not _STILL_NOW_RE.search(clause + " " + tail)


def _duration_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """ "3 weeks ago", "since three weeks", "for 3 weeks now", "a year and a half"."""
    for m in _DURATION_RE.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        lead = _LEAD_RE.search(before)
        hedge = (m["hedge"] or "").lower()
        if lead and lead["lead"].lower() == "for" and not m["ago"] and _past_period(before, text, m.end()):
            continue               # "it was paralysed for almost a year after": how long, back then
        if not m["ago"] and not lead:
            ok_tail = _DURATION_OK_TAIL_RE.search(before)
            # "over a day" / "within hours" / "2 weeks later" describe speed or another event.
            if hedge in ("over", "under") and not ok_tail:
                continue
            if not ok_tail and (_NOT_ONSET_TAIL_RE.search(before) or (
                    _AGE_TAIL_RE.search(before) and not re.match(r"\s+(?:into|in|now|already|since)\b", text[m.end():]))):
                continue
            if _NOT_ONSET_FOLLOW_RE.match(text, m.end()):
                continue
        qty = parse_number(m["qty"])
        qty2 = parse_number(m["qty2"]) if m["qty2"] else None
        if qty is None or (m["qty2"] and qty2 is None):
            continue
        value = qty.value if qty2 is None else (qty.value + qty2.value) / 2
        if m["half"]:
            value += 0.5
        if m["ortwo"]:
            value = (value + float(parse_number(m["ortwo"].split()[-1]).value)) / 2
        unit = _unit_kind(m["unit"])
        if re.fullmatch(r"(?:just|a\s+little|a\s+bit|slightly)\s+under", hedge) and unit in ("day", "week", "fortnight"):
            value -= 1 / _UNIT_DAYS[unit]          # "just under two weeks": 13 days
        approximate = bool(
            (hedge and not re.fullmatch(_EXACT_HEDGE, hedge, _FLAGS))
            or qty.vague or qty.fractional or qty2 or m["half"] or m["ortwo"] or m["orso"]
            or unit in ("month", "year")
        )
        start = m.start() - len(before) + lead.start() if lead else m.start()
        day = _date_before(today, value, unit)
        end = m.end()
        shift = _SHIFT_RE.match(text, m.end())
        # "2 weeks tomorrow" (it will be two weeks tomorrow) is 13 days, "3 weeks yesterday" 22
        if day and shift and (m["ago"] or shift.group(0).strip().lower().startswith("ago")
                              or shift["shift"].lower() in ("yesterday", "tomorrow", "tmrw")):
            day += _SHIFT_DAYS.get(shift["shift"].lower(), 0) * _DAY     # "two weeks ago today" is two weeks ago
            end = shift.end()
        c = _candidate(text, start, end, day, approximate)
        if c and c.blocked:
            yield c
        elif c:
            firm = bool(m["ago"]) or (lead is not None and lead["lead"].lower() in ("since", "before"))
            anchored = 2 if firm else c.anchored
            yield _Candidate(c.start, c.end, c.date, c.approximate, anchored=anchored)


def _period_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """Month + year, month alone, year alone: the middle of the period, clamped."""
    for m in _MONTH_YEAR_RE.finditer(text):
        start, end = _sub_period(*_month_bounds(int(m["y"]), month_number(m["mon"])), m["part"])
        yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))
    for m in _NUMERIC_MONTH_YEAR_RE.finditer(text):
        start, end = _month_bounds(int(m["y"]), int(m["m"]))
        yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))
    for m in _MONTH_ONLY_RE.finditer(text):
        lead = " ".join((m["lead"] or "").lower().split())
        if not (lead or m["part"] or _is_whole(text, m.start(), m.end())):
            continue  # "may" and "march" are also verbs
        month = month_number(m["mon"])
        year_word = " ".join((m["year_word"] or "").lower().split())
        if year_word in ("that", "the same"):
            told = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR4})(?!\d)", text[:m.start()])]
            years = told[-1:]                  # "June 2011 ... by September that year"
        elif year_word == "last":
            years = [today.year - 1]           # "since May last year"
        elif year_word == "this":
            years = [today.year]
        elif lead in ("last", "past", "this past"):
            years = [today.year if month < today.month else today.year - 1]
        elif lead == "this":
            years = [today.year]
        else:
            years = [today.year, today.year - 1]
        for year in years:
            start, end = _sub_period(*_month_bounds(year, month), m["part"])
            if start <= today:
                yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))
                break
    for m in _YEAR_RE.finditer(text):
        if not (m["lead"] or m["part"] or _is_whole(text, m.start(), m.end())):
            continue  # a bare number could be anything (a phone number, a count)
        start, end = _sub_period(_date(int(m["y"]), 1, 1), _date(int(m["y"]), 12, 31), m["part"])
        yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))


def _maybe(c: _Candidate | None) -> Iterator[_Candidate]:
    if c is not None:
        yield c


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _season_bounds(season: str, year: int) -> tuple[datetime.date, datetime.date]:
    """Northern-hemisphere meteorological seasons; winter YEAR spans Dec YEAR-1 to Feb YEAR."""
    first, last = _SEASON_MONTHS[season]
    start_year = year - 1 if season == "winter" else year
    return _date(start_year, first, 1), _month_bounds(year, last)[1]


def _season_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for m in _SEASON_RE.finditer(text):
        season = m["season"].lower()
        lead = " ".join((m["lead"] or "").lower().split())
        part = " ".join((m["part"] or "").lower().split())
        if m["y"] or m["y0"]:
            years = [int(m["y"] or m["y0"])]
        elif part and season != "fall":
            years = list(range(today.year + 1, today.year - 2, -1))     # "end of summer": the season, surely
        elif lead in ("last", "past", "this past", "this") or (m["the"] and lead and (season != "fall" or lead in ("in", "during"))) \
                or (lead in ("since", "from", "in", "during") and season != "fall"):      # "since summer"
            years = list(range(today.year + 1, today.year - 2, -1))
        else:
            continue  # "fall" is also an accident, "spring" a coil
        for year in years:
            start, end = _season_bounds(season, year)
            if part.endswith(("end of", "late")) or part == "late":
                start = end - datetime.timedelta(days=30)
            elif part.startswith(("the start", "start", "the beginning", "beginning", "early")):
                end = start + datetime.timedelta(days=30)
            elif part:
                start, end = start + datetime.timedelta(days=30), end - datetime.timedelta(days=30)
            if start > today or (lead in ("last", "past", "this past") and end >= today):
                continue
            yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))
            break


def _holiday_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for m in _HOLIDAY_RE.finditer(text):
        name = m["h"]
        if m["y"] or m["lastyear"]:
            year = int(m["y"]) if m["y"] else today.year - 1
            day = _holiday(name, year)
            day = day if day <= today else None
        else:
            day = _most_recent(lambda y: _holiday(name, y), today)
        lead = " ".join((m["lead"] or "").lower().split())
        approximate = lead in ("around", "over", "after", "before", "just before", "just after", "during") \
            or name.lower().endswith("weekend")
        yield from _maybe(_candidate(text, m.start(), m.end(), day, approximate))


def _weekday_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """ "since Monday" is the most recent Monday before today; "last Monday" too, unless that was
    yesterday (then it is the week before's: nobody calls yesterday "last Monday"); "this Monday" is
    this week's."""
    for m in _WEEKDAY_RE.finditer(text):
        which = " ".join((m["which"] or "").lower().split())
        if which in ("next", "coming", "this coming"):
            continue
        wd = _WEEKDAYS[m["wd"].lower()]
        most_recent = today - datetime.timedelta(days=(today.weekday() - wd - 1) % 7 + 1)
        approximate = False
        if m["lastweek"] or m["of_last"]:     # "last week, on the Sunday": that week's
            day = today - datetime.timedelta(days=today.weekday() + 7 - wd)
            if wd == 6:                        # a week starts on Sunday on Korean (and US) calendars
                day = today - datetime.timedelta(days=(today.weekday() + 1) % 7 + 7)
                approximate = True
        elif m["before_last"]:                 # "the Sunday before last": the week before "last Sunday"
            last = most_recent if (today - most_recent).days >= 2 else most_recent - datetime.timedelta(days=7)
            day = last - datetime.timedelta(days=7)
        elif which == "this":
            day = today - datetime.timedelta(days=today.weekday() - wd)
            if day > today:
                continue
        elif which == "last":
            day = most_recent if (today - most_recent).days >= 2 else most_recent - datetime.timedelta(days=7)
            last_week = today - datetime.timedelta(days=today.weekday() + 7 - wd)
            approximate = most_recent != last_week     # "last" is read both ways where they differ
        else:
            day = most_recent
        yield from _maybe(_candidate(text, m.start(), m.end(), day, approximate))


def _weekend_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for m in _WEEKEND_RE.finditer(text):
        which = " ".join((m["which"] or "").lower().split())
        if not which:
            continue
        monday = today - datetime.timedelta(days=today.weekday())
        previous_saturday = monday - 2 * _DAY
        if which in ("last", "past", "this past") or today.weekday() < 5:
            day = previous_saturday
        else:
            day = monday + 5 * _DAY
        if m["before_last"]:
            day = previous_saturday - 7 * _DAY      # "the weekend before last"
        yield from _maybe(_candidate(text, m.start(), m.end(), day, True))


def _calendar_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    for c in find_calendar_dates(text, today):
        yield from _maybe(_candidate(text, c.start, c.end, c.date if c.date <= today else None, False))


# ---- fixed phrases ("today", "last week", "last year") -------------------

def _days_ago(days: int, approximate: bool = False):
    """Resolver for phrases that name a fixed number of days back ("yesterday")."""
    return lambda today: (today - datetime.timedelta(days=days), approximate)


def _this_week(today: datetime.date):
    monday = today - datetime.timedelta(days=today.weekday())
    return _estimate(monday, monday + 6 * _DAY, today), True


def _last_month(today: datetime.date):
    last_of_previous = today.replace(day=1) - _DAY
    return _estimate(last_of_previous.replace(day=1), last_of_previous, today), True


def _this_month(today: datetime.date):
    return _estimate(*_month_bounds(today.year, today.month), today), True


def _year_ago_period(offset: int):
    """Resolver for "this year" (0), "last year" (1): the middle of that calendar year."""
    def resolve(today: datetime.date):
        year = today.year - offset
        return _estimate(_date(year, 1, 1), _date(year, 12, 31), today), True
    return resolve


# Fixed phrases and how each gets (date, approximate) from today.
_FIXED_PHRASES: tuple[tuple[re.Pattern[str], Callable[[datetime.date], tuple[datetime.date | None, bool]]], ...] = (
    (_fixed(r"(?:earlier\s+)?today|this\s+morning(?:\s+when\s+i\s+(?:woke|got)(?:\s+up)?)?"
            r"|this\s+(?:afternoon|evening)|tonight|just\s+now"), _days_ago(0)),
    (_fixed(r"yesterday(?:\s+(?:morning|afternoon|evening|night))?|last\s+(?:night|evening)"), _days_ago(1)),
    (_fixed(r"(?:the\s+)?(?:day|night|evening|morning)\s+before\s+(?:yesterday|last)"), _days_ago(2)),
    (_fixed(r"last\s+week"), _days_ago(7, True)),
    (_fixed(r"(?:the\s+)?week\s+before\s+last"), _days_ago(14, True)),
    (_fixed(r"(?:earlier\s+)?this\s+week"), _this_week),
    (_fixed(r"last\s+month"), _last_month),
    (_fixed(r"(?:earlier\s+)?this\s+month"), _this_month),
    (_fixed(r"(?:since\s+)?last\s+year"), _year_ago_period(1)),
    (_fixed(r"(?:the\s+)?year\s+before\s+last"), _year_ago_period(2)),
    (_fixed(r"(?:earlier\s+)?this\s+year"), _year_ago_period(0)),
)

# Korean holidays that move with the lunar calendar (Seollal, Chuseok): their first day, by year.
_LUNAR_HOLIDAYS = {
    "seollal": {2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 7), 2028: (1, 27)},
    "chuseok": {2023: (9, 29), 2024: (9, 17), 2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3)},
}
_LUNAR_RE = re.compile(r"(?<!\w)(?:(?:since|from|at|over|around|on|after|before|during|last)\s+)?"
                       r"(?P<h>seollal|sollal|lunar\s+new\s+year|chinese\s+new\s+year|korean\s+new\s+year|chuseok|chusok"
                       r"|korean\s+thanksgiving)\b", _FLAGS)
_NTH_WEEKDAY_AGO_RE = re.compile(rf"(?<!\w)(?P<n>{NUMBER_PATTERN})\s+(?P<wd>{_WEEKDAY_PATTERN})s\s+ago\b", _XFLAGS)
_DAY_MONTH_NOYEAR_RE = re.compile(r"(?<![\d/.\-])(?P<d>[0-3]?\d)[/.](?P<m>0?[1-9]|1[0-2])(?![\d/.\-])")


def _lunar_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"since Seollal", "over Chuseok": the most recent one."""
    for m in _LUNAR_RE.finditer(text):
        name = "chuseok" if m["h"].lower().startswith(("chus", "korean thanks")) else "seollal"
        days = [_date(y, *md) for y, md in _LUNAR_HOLIDAYS[name].items() if _date(y, *md) <= today]
        if days:
            yield from _maybe(_candidate(text, m.start(), m.end(), max(days), True))


def _nth_weekday_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"two Sundays ago"."""
    for m in _NTH_WEEKDAY_AGO_RE.finditer(text):
        n = parse_number(m["n"])
        if n is None:
            continue
        wd = _WEEKDAYS[m["wd"].lower()]
        most_recent = today - datetime.timedelta(days=(today.weekday() - wd - 1) % 7 + 1)
        day = most_recent - datetime.timedelta(days=7 * (int(n.value) - 1))
        yield from _maybe(_candidate(text, m.start(), m.end(), day, False))


def _day_month_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"20/01" with no year, as a whole answer or after "since" / "on": the most recent such day."""
    for m in _DAY_MONTH_NOYEAR_RE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()].lower()
        if not (_is_whole(text, m.start(), m.end()) or re.search(r"\b(?:since|on|from)\s+$", before)):
            continue
        d, mo = int(m["d"]), int(m["m"])
        day = _most_recent(lambda y: _valid(y, mo, d), today)
        yield from _maybe(_candidate(text, m.start(), m.end(), day, False))


_ORDINAL_DAY_RE = re.compile(r"(?<!\w)(?:(?:on|since|from|around|about)\s+)?the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
                             r"(?:\s+of\s+(?P<which>last|this|the\s+last|the\s+previous)\s+month\b)?"
                             rf"(?!\s*(?:of\s+)?(?:{MONTH_PATTERN}|time|day|week|month|year|floor|century)\b)", _FLAGS)
_WEEK_OF_RE = re.compile(rf"(?<!\w)(?:in\s+|during\s+|since\s+)?the\s+(?P<n>first|1st|second|2nd|third|3rd|fourth|4th|last)"
                         rf"\s+week\s+of\s+(?P<mon>{MONTH_PATTERN})\b(?:\s+(?P<y>{_YEAR4}))?", _FLAGS)
_DAY_OF_MONTH_RE = re.compile(rf"(?<!\w)(?:on\s+|since\s+)?the\s+(?P<which>first|1st|last)\s+day\s+of\s+(?P<mon>{MONTH_PATTERN})\b"
                              rf"(?:\s+(?P<y>{_YEAR4}))?", _FLAGS)
_PART_OF_RE = re.compile(r"(?<!\w)(?:since\s+|from\s+|at\s+|in\s+)?(?:the\s+)?(?P<part>start|beginning|middle|end)\s+of\s+"
                         r"(?P<which>the|this|last)\s+(?P<unit>week|month|year)\b", _FLAGS)


def _ordinal_day_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"the 28th", "since the 3rd": the most recent such day of a month."""
    for m in _ORDINAL_DAY_RE.finditer(text):
        d = int(m["d"])
        day = None
        for back in range(1 if m["which"] and "this" not in m["which"].lower() else 0, 3):
            month = _add_months(today.replace(day=1), -back)
            candidate = _valid(month.year, month.month, d)
            if candidate and candidate <= today:
                day = candidate
                break
        yield from _maybe(_candidate(text, m.start(), m.end(), day, False))


def _week_of_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"the first week of March": the middle of that week."""
    for m in _WEEK_OF_RE.finditer(text):
        month = month_number(m["mon"])
        year = int(m["y"]) if m["y"] else (today.year if month <= today.month else today.year - 1)
        first, last = _month_bounds(year, month)
        n = m["n"].lower()
        if n == "last":
            start = last - 6 * _DAY
        else:
            index = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3}[n]
            start = first + datetime.timedelta(days=7 * index)
        yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, start + 6 * _DAY, today), True))


def _day_of_month_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"the last day of February", "the first day of March": that day, this year's or last."""
    for m in _DAY_OF_MONTH_RE.finditer(text):
        month = month_number(m["mon"])
        years = [int(m["y"])] if m["y"] else [today.year, today.year - 1]
        for year in years:
            first, last = _month_bounds(year, month)
            day = last if m["which"].lower() == "last" else first
            if day <= today:
                yield from _maybe(_candidate(text, m.start(), m.end(), day, False))
                break


def _part_of_candidates(text: str, today: datetime.date) -> Iterator[_Candidate]:
    """"since the start of the month", "at the end of last week"."""
    for m in _PART_OF_RE.finditer(text):
        unit, which = m["unit"].lower(), m["which"].lower()
        if unit == "month":
            anchor = _add_months(today.replace(day=1), -1) if which == "last" else today.replace(day=1)
            start, end = _month_bounds(anchor.year, anchor.month)
        elif unit == "week":
            monday = today - datetime.timedelta(days=today.weekday() + (7 if which == "last" else 0))
            start, end = monday, monday + 6 * _DAY
        else:
            year = today.year - (1 if which == "last" else 0)
            start, end = _date(year, 1, 1), _date(year, 12, 31)
        # the first or last few days of a month, the first or last two of a week, a month of a year
        edge = {"month": 2, "week": 1, "year": 30}[unit]
        part = m["part"].lower()
        if part in ("start", "beginning"):
            end = start + datetime.timedelta(days=edge)
        elif part == "end":
            start = end - datetime.timedelta(days=edge)
        else:
            middle = start + datetime.timedelta(days=(end - start).days // 2)
            start, end = middle - datetime.timedelta(days=edge // 2 + 1), middle + datetime.timedelta(days=edge // 2 + 1)
        yield from _maybe(_candidate(text, m.start(), m.end(), _estimate(start, end, today), True))


_RECOGNISERS = (
    _birth_candidates, _fixed_candidates, _duration_candidates, _calendar_candidates,
    _period_candidates, _season_candidates, _holiday_candidates, _weekday_candidates,
    _weekend_candidates, _ordinal_day_candidates, _week_of_candidates, _part_of_candidates, _lunar_candidates,
    _day_of_month_candidates,
    _nth_weekday_candidates, _day_month_candidates,
)


def _all_candidates(text: str, today: datetime.date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for recognise in _RECOGNISERS:
        try:
            found.extend(recognise(text, today))
        except (ValueError, OverflowError):
            continue  # a date outside the calendar's range is no onset
    kept = _drop_contained(found, lambda c: c.start, lambda c: c.end)
    # of two times that overlap or touch ("on Saturday" and "Saturday 11th", "on Monday, 2nd of June"),
    # the one naming the day of the month
    dated = [c for c in kept if _DAY_OF_MONTH.search(text[c.start:c.end]) or _WEEKDAY_DAY_RE.search(text[c.start:c.end])]
    kept = [c for c in kept if c in dated or not any(
        c.start < d.end and (d.start < c.end or re.fullmatch(r"[\s,]*", text[c.end:d.start])) for d in dated)]
    blocked = [b for b in kept if b.blocked]
    return [
        c for c in kept
        if not c.blocked and not any(b.start < c.end and c.start < b.end for b in blocked)
    ]


# --------------------------------------------------------------------------
# What each time dates (attribution), and the onset
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class TimeMention:
    """A time expression in a message and the event it dates."""

    start: int                    # character offsets
    end: int
    text: str
    date: datetime.date | None    # None when since birth
    approximate: bool
    since_birth: bool
    anchored: int                 # how firmly onset words tie it to the palsy (see _anchored)
    event: str                    # "onset", "earlier_episode", "treatment", "operation", "other"


EVENTS = ("onset", "earlier_episode", "treatment", "operation", "other")
_TREATMENT_WORDS = (
    r"steroids?|prednisolone|prednisone|pred|tablets?|pills?|antivirals?|aciclovir|acyclovir|valaciclovir"
    r"|valacyclovir|famciclovir|physio(?:therapy)?|therapy|botox|injections?|drops|ointment|antibiotics?"
    r"|medication|meds|medicine|course|treatment|acupuncture|exercises|massage|taping|tape|patch"
)
_OPERATION_WORDS = (
    r"op|operation|surgery|surgeries|procedure|implant|removal|removed|parotidectomy|resection"
    r"|transplant|extraction|biopsy|transfer|graft|repair|excision|replacement|replaced|\w+ectomy|\w+otomy|bypass"
    r"|(?:took|taken|cut|had)\s+(?:[a-z']+\s+){0,3}out"      # "took the tumour out", "had the gland taken out"
)
_OTHER_EVENT_WORDS = (
    r"appointment|appt|referral|referred|scan|mri|ct|x-?ray|flight|flew|holiday|trip|visit|saw|see|seen"
    r"|consultant|follow[- ]?up|booked|due|results?|tests?|blood|a&e|er|hospital|clinic|gp|doctor|dr"
)
_EPISODE_MARKERS = re.compile(
    r"\b(?:before|previous(?:ly)?|last\s+time|first\s+time|the\s+first\s+one|too|also|as\s+well|again"
    r"|got\s+(?:fully\s+|completely\s+|totally\s+)?better|fully\s+recovered|recovered|went\s+away|cleared\s+up"
    r"|once\s+before|twice|another|other\s+side|earlier\s+(?:episode|one|time)|happened\s+before"
    r"|that\s+one|that\s+time|first\s+episode|previous\s+episode)\b",
    _FLAGS,
)
_THIS_EPISODE = re.compile(r"\b(?:this\s+time|now|this\s+one|current(?:ly)?|started|began|since)\b", _FLAGS)
_CLAUSE_SPLIT = re.compile(r"[.;!?\n]|,\s*(?:but|and)\b|\bbut\b|\bwhereas\b|\bthis\s+time\b|\b(?:and\s+)?then\b"
                           r"|\bafter\s+that\b", _FLAGS)
# A time in a clause about the face dates the palsy; one in a clause about something else only
# (the eye going red, an ear rash, a cold) dates that.
_PALSY_WORDS = re.compile(r"\b(?:face|facial|palsy|paraly[sz]\w*|weak\w*|droop\w*|dropp?\w*|smile|side|bell'?s?"
                          r"|blink\w*|wink\w*|corner\s+of\s+(?:my|his|her|the)\s+mouth"
                          r"|mov(?:e|ed|ing)|lopsided|numb face|half of (?:my|his|her) face"
                          r"|(?:noticed|saw|spotted|found)\s+it|it\s+(?:started|began|came|happened|appeared)|woke\s+up\s+with)\b",
                          _FLAGS)
_OTHER_WORDS = re.compile(r"\b(?:eye|eyes|ear|ears|rash|blisters?|headache|arm|leg|hand|cold|flu|fever|cough|throat"
                          r"|tooth|teeth|dentist|period|pregnan\w*|baby"
                          # the other signs of the safety question: "a bit unsteady today" dates the unsteadiness
                          r"|unsteady|wobbly|dizzy|dizziness|balance|tingl\w*|vision|sight|seeing|speech|swallow\w*"
                          r"|breath\w*|confused|legs|arms|hands|feet|foot"
                          # another illness: "I had shingles in 2020" dates the shingles
                          r"|shingles|chicken\s*pox|covid|virus|infection|pneumonia|lyme|tick|cancer|stroke|migraines?)\b",
                          _FLAGS)


def _about_something_else(clause: str) -> bool:
    """A clause that names another thing (the eye, an ear rash, a cold) and nothing of the palsy."""
    return bool(_OTHER_WORDS.search(clause)) and not _PALSY_WORDS.search(clause)


# A time of being well, or of a later worsening, is not when the palsy began.
_WELL_OR_WORSE = re.compile(r"\b(?:(?:was|were|felt|looked|seemed)\s+(?:totally\s+|completely\s+|perfectly\s+)?"
                            r"(?:fine|normal|ok|okay|alright|all\s+right|well)"
                            r"|(?:got|gotten|became|went|getting|gone)\s+(?:a\s+lot\s+|much\s+|a\s+bit\s+|even\s+|way\s+)?worse"
                            r"|worsened|deteriorated"
                            # a time of recovery: "it came back completely by September"
                            r"|came\s+back\s+(?:completely|fully|mostly|to\s+normal)|(?:fully\s+|completely\s+)?recovered"
                            r"|got\s+(?:a\s+lot\s+|much\s+)?better|back\s+to\s+normal|cleared\s+up)\b", _FLAGS)


_SEGMENT = re.compile(r",|\b(?:and|but|then)\b", _FLAGS)


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the time's own clause before and after it."""
    breaks = [m for m in _CLAUSE_SPLIT.finditer(text)]
    lo = max((m.end() for m in breaks if m.end() <= start), default=0)
    hi = min((m.start() for m in breaks if m.start() >= end), default=len(text))
    return text[lo:start], text[end:hi]


def _event_of(text: str, c: _Candidate, today: datetime.date) -> str:
    """What a time dates, from the words of its clause."""
    before, after = _clause_around(text, c.start, c.end)
    near_before = before[-40:]
    if re.search(rf"\b(?:{_TREATMENT_WORDS})\b[^.,;]{{0,15}}$", near_before, _FLAGS) and \
            re.match(r"\s*(?:for|since|from)\b", text[c.start:c.end] + " ", _FLAGS):
        return "treatment"                         # "on steroids for 5 days"
    if re.search(rf"\b(?:started|began|took|taking|on|course\s+of|gave\s+me|given|prescribed)\s+(?:the\s+|some\s+|a\s+)?"
                 rf"(?:{_TREATMENT_WORDS})\b[^.,;]{{0,20}}$", near_before, _FLAGS):
        return "treatment"                         # "started steroids 3 days ago"
    if re.search(rf"\b(?:{_OPERATION_WORDS})\b[^.,;]{{0,25}}$", near_before, _FLAGS) and not \
            re.search(r"\b(?:after|since|following|post)\b", near_before[-12:], _FLAGS):
        return "operation"                         # "my op on 3 March", "surgery in 2018"
    if re.match(rf"[^.,;]{{0,30}}\b(?:{_OPERATION_WORDS})\b", after, _FLAGS) and not _PALSY_WORDS.search(after):
        return "operation"                         # "in 2015 I had half my thyroid removed", "in 2020 a hip replacement"
    if re.search(rf"\b(?:{_OTHER_EVENT_WORDS})\b[^.,;]{{0,20}}$", near_before, _FLAGS) and not \
            re.search(r"\b(?:ago|since)\b", text[c.start:c.end], _FLAGS):
        return "other"                             # "saw the GP on Monday", "MRI on the 3rd"
    clause = before + " " + after
    near = _SEGMENT.split(before)[-1] + " " + _SEGMENT.split(after)[0]
    if _WELL_OR_WORSE.search(near) and c.date is not None:
        return "other"                             # "I was fine last night", "got a lot worse after the botox"
    if _about_something_else(clause) and c.date is not None:
        return "other"                             # "this week her eye has been red"
    if _EPISODE_MARKERS.search(clause) and not _THIS_EPISODE.search(clause) and c.date is not None \
            and (today - c.date).days > 30:
        return "earlier_episode"                   # "I had it in 2019 too"
    return "onset"


_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                  "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                  "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty-second": 22, "twenty-third": 23,
                  "thirtieth": 30, "thirty-first": 31}
_ORDINAL_WORD_RE = re.compile(
    rf"\b(?P<w>{_alternation(_ORDINAL_WORDS)})(?=\s+of\s+{MONTH_PATTERN}\b)", _FLAGS)


def ordinal_words_as_numbers(text: str) -> str:
    """"the first of February" -> "the 1st of February", so the date patterns read it."""
    def digits(m: re.Match) -> str:
        n = _ORDINAL_WORDS[m["w"].lower()]
        return f"{n}{'st' if n in (1, 21, 31) else 'nd' if n in (2, 22) else 'rd' if n in (3, 23) else 'th'}"
    return _ORDINAL_WORD_RE.sub(digits, text)


def find_times(text: str, today: datetime.date) -> list[TimeMention]:
    """Every time expression in `text`, each with the event it dates."""
    out = []
    for c in sorted(_all_candidates(text or "", today), key=lambda c: c.start):
        event = "onset" if c.since_birth else _event_of(text, c, today)
        out.append(TimeMention(c.start, c.end, text[c.start:c.end].strip(), c.date, c.approximate, c.since_birth,
                               c.anchored, event))
    return out


# "the day after my op", "5 days after the shingles", "straight after surgery", "3 weeks after I had shingles"
_AFTER_RE = re.compile(
    rf"""(?P<offset>the\s+(?:next|following)\s+(?:day|morning|evening|night)|the\s+(?:day|morning|evening|night)|a\s+day|(?P<qty>{NUMBER_PATTERN})\s+(?P<unit>{_UNIT})
          |a\s+few\s+days|a\s+couple\s+of\s+days|straight|right|immediately|just|soon|shortly|directly)?
        \s*(?:after|following|post|since|from)\s+(?:i\s+had\s+|having\s+|my\s+|the\s+|his\s+|her\s+|a\s+|an\s+)*
        (?P<event>[a-z'&-]+)?""",
    _XFLAGS,
)
# "it had started 2 days before that", "it started the night before", "3 days before I went": the
# onset counted back from the event told just before (a visit, a trip), when an onset verb says so.
_BEFORE_RE = re.compile(
    rf"""\b(?:started|began|begun|came\s+on|happened|dropped|drooped|noticed|went|appeared|was\s+there)\b[^.;!?]{{0,25}}?\s
        (?P<offset>the\s+(?:day|night|morning|evening|week)|a\s+day|a\s+week|a\s+few\s+days|a\s+couple\s+of\s+days
          |(?P<qty>{NUMBER_PATTERN})\s+(?P<unit>{_UNIT}))
        \s+(?:before|earlier|prior)\b""",
    _XFLAGS,
)
_OFFSET_AT_END_RE = re.compile(
    # "later" takes no object: "2 days later my face went" ("after my op" names its event)
    rf"""(?P<qty>{NUMBER_PATTERN})\s+(?P<unit>{_UNIT})\s+(?:after\b(?!\s+(?:my|the|his|her|i|a)\b)|later\b)""", _XFLAGS)


_NEXT_DAY_RE = re.compile(r"(?<!\w)(?P<offset>the\s+(?:next|following)\s+(?:day|morning|evening|night))\b"
                          r"(?!\s+(?:after|following)\b)", _FLAGS)


def _offset_days(m: re.Match) -> tuple[int, bool]:
    """How many days from the event a relation says ("3 days after", "the night before"), and whether
    that is rounded."""
    groups = m.groupdict()
    if groups.get("qty"):
        qty = parse_number(groups["qty"])
        if qty is not None:
            unit = _unit_kind(groups["unit"])
            return _round(qty.value * _UNIT_DAYS[unit]), unit in ("month", "year") or qty.vague
    words = " ".join((groups.get("offset") or "").lower().split())
    if re.fullmatch(r"(?:the\s+(?:next\s+|following\s+)?(?:day|morning|evening|night))|a day", words):
        return 1, False
    if words in ("a week", "the week"):
        return 7, False
    if words in ("a few days", "a couple of days"):
        return (3 if "few" in words else 2), True
    return 0, not words


def _relations(text: str) -> Iterator[tuple[re.Match, str | None]]:
    """Each "... after EVENT" with the event's first word, then each "N days after" / "N days later"
    that names no event (it refers to the one told before)."""
    for m in _AFTER_RE.finditer(text):
        if m["qty"] and re.search(r"\b(?:for|lasted|lasting|during|over)\s+(?:about\s+|almost\s+|nearly\s+|around\s+)?$",
                                  text[max(0, m.start() - 20):m.start()], _FLAGS):
            continue              # "paralysed for almost a year after, then ..." is how long
        if m["offset"] or m["event"]:
            words = (m["event"] or "").split()
            yield m, (words[0].lower() if words else None)
    for m in _OFFSET_AT_END_RE.finditer(text):
        if not re.search(r"\b(?:for|lasted|lasting|during|over)\s+(?:about\s+|almost\s+|nearly\s+|around\s+)?$",
                         text[max(0, m.start() - 20):m.start()], _FLAGS):
            yield m, None          # "paralysed for almost a year after" is how long, not when
    for m in _NEXT_DAY_RE.finditer(text):
        yield m, None              # "I was fine at the graduation on 20 Feb. It drooped the next morning."


def _relative_onset(text: str, today: datetime.date, times: list[TimeMention]
                    ) -> tuple[Onset, TimeMention] | tuple[None, None]:
    """An onset said relative to a dated event ("the day after my op on 3 March"), and that event's time."""
    dated = [t for t in times if t.date is not None and t.event != "treatment"]
    if not dated:
        return None, None
    for m, event_word in _relations(text):
        before, after = _clause_around(text, m.start(), m.end())
        if event_word is None and _about_something_else(before + " " + after):
            continue              # "got a ring-shaped rash a week later" dates the rash
        anchor = _event_date(text, m, dated, event_word)
        if anchor is None:
            continue
        offset, approximate = _offset_days(m)
        try:
            day = anchor.date + datetime.timedelta(days=offset)
        except OverflowError:
            continue              # "95991 months after": no date
        if day > today:
            continue
        phrase = text[min(m.start(), anchor.start):max(m.end(), anchor.end)].strip()
        if re.search(r"[.;!?]\s", phrase):
            phrase = m.group(0).strip()       # the anchor's date is in another sentence: the relation alone
        return Onset(phrase, day, (today - day).days, approximate=approximate or anchor.approximate), anchor
    return None, None


def _before_onset(text: str, today: datetime.date, times: list[TimeMention]) -> Onset | None:
    """An onset counted back from the event told before it: "saw the GP on Monday, it had started 2 days before"."""
    dated = [t for t in times if t.date is not None and t.event != "treatment"]
    for m in _BEFORE_RE.finditer(text):
        clause = " ".join(_clause_around(text, m.start(), m.end())) + " " + m.group(0)
        if _about_something_else(clause):
            continue              # "the ear pain started two days before that" dates the ear pain
        earlier = [t for t in dated if t.end <= m.start("offset")]
        if not earlier:
            continue
        anchor = earlier[-1]
        if m["qty"] and parse_number(m["qty"]) is None:
            continue
        offset, approximate = _offset_days(m)
        day = anchor.date - datetime.timedelta(days=offset)
        phrase = text[m.start("offset"):m.end()].strip()
        return Onset(phrase, day, (today - day).days, approximate=approximate or anchor.approximate)
    return None


def _event_date(text: str, m: re.Match, dated: list[TimeMention], event_word: str | None) -> TimeMention | None:
    """The date of the event a relation refers to: a time attached to the event's word, or the
    nearest dated event before the relation ("had my baby on 2 December ... 5 days after")."""
    if event_word and re.fullmatch(_OPERATION_WORDS, event_word, _FLAGS):
        operations = [t for t in dated if t.event == "operation"]
        if operations:
            return operations[-1]          # "removed 5 days ago ... since the operation"
    if event_word in ("that", "this", "it", "then", "which"):
        event_word = None                  # "4 days after that": the event told before
    if event_word and len(event_word) > 1:
        stem_ = re.escape(event_word.rstrip("s")[:5])
        if "offset" in m.re.groupindex and m["offset"] and m["event"]:
            for t in dated:      # the event is the time itself: "the day after Boxing Day"
                if t.start >= m.start("event") - 7 and re.search(rf"\b{stem_}", t.text, _FLAGS):
                    return t
        for t in dated:      # the event's own date: "my op on 3 March", "the op was on 3 March"
            if re.search(rf"\b{stem_}[^.;!?]{{0,25}}$", text[max(0, t.start - 40):t.start], _FLAGS):
                return t
        return None
    before = [t for t in dated if t.end <= m.start()]
    return before[-1] if before else None


_SINCE_THEN_RE = re.compile(
    r"\b(?:ever\s+since|since\s+then|since\s+that|after\s+that|afterwards|straight\s+after|right\s+after"
    r"|immediately\s+after|from\s+then|from\s+that\s+(?:day|time|point)|post[- ]?op|when\s+i\s+woke\s+up"
    r"|woke\s+up\s+(?:with|from))\b", _FLAGS)


def _linked_event(text: str, times: list[TimeMention]) -> TimeMention | None:
    """"Surgery for an acoustic neuroma in 2019 and it has been paralysed ever since": the operation
    dates the onset when the palsy is said to have followed it."""
    for m in _SINCE_THEN_RE.finditer(text):
        before = [t for t in times if t.event == "operation" and t.date is not None and t.end <= m.start()]
        if before:
            return before[-1]
    return None


# A stage of life for an age ("since I was a teenager"): its middle, in years.
_LIFE_STAGES = {"baby": 0, "toddler": 2, "little kid": 6, "little girl": 6, "little boy": 6, "little": 6, "small": 6,
                "kid": 8, "child": 8, "teen": 16, "teenager": 16, "student": 20}
_STAGE_PATTERN = r"(?:an?\s+)?(?:" + "|".join(sorted(map(re.escape, _LIFE_STAGES), key=len, reverse=True)) + r")"
_AGE_THEN_RE = re.compile(rf"\b(?:(?:when|since)\s+(?:i|he|she|they)\s+(?:was|were)|(?:at|since|from)\s+(?:the\s+)?age(?:\s+of)?|aged|age)\s+"
                          rf"(?P<then>{_STAGE_PATTERN}(?!\w)|{NUMBER_PATTERN})\b", _XFLAGS)
_AGE_NOW_RE = re.compile(rf"\b(?:i'?m|i\s+am|(?:he|she)\s+is|(?:he|she)'s|now|currently|aged?)\s+"
                         rf"(?P<now>{NUMBER_PATTERN})(?:\s+(?:now|years?\s+old|yrs?\s+old|yo))?\b", _XFLAGS)


def age_at_onset(text: str) -> int | None:
    """"When I was 12": the age the palsy began at (a date once the date of birth is known)."""
    m = _AGE_THEN_RE.search(text or "")
    if not m:
        return None
    stage = re.sub(r"^an?\s+", "", " ".join(m["then"].lower().split()))
    if stage in _LIFE_STAGES:
        return _LIFE_STAGES[stage]
    age = parse_number(m["then"])
    return int(age.value) if age is not None and 0 <= age.value <= 120 else None


def _age_onset(text: str, today: datetime.date) -> Onset | None:
    """"When I was 12, I'm 40 now": 28 years ago."""
    then = age_at_onset(text)
    if then is None:
        return None
    for m in _AGE_NOW_RE.finditer(text):
        if _AGE_THEN_RE.search(text[max(0, m.start() - 12):m.end()]):
            continue
        now = parse_number(m["now"])
        if now is not None and then <= now.value <= 120:
            day = _add_months(today, -int(round((now.value - then) * 12)))
            return Onset(text[_AGE_THEN_RE.search(text).start():_AGE_THEN_RE.search(text).end()].strip(), day,
                         (today - day).days, approximate=True)
    return None


# Two times side by side that restate one another ("three years ago, September 2023", "on 14
# November, so about two weeks ago"): the words between them, and how near their dates must be.
_RESTATING = re.compile(r"[\s,;:()\-\u2013\u2014]*(?:so|that's|that is|which is|i\.e\.?|or|about|around|roughly"
                        r"|in|on|the|so\s+the|i\s+think)?[\s,;:()]*", _FLAGS)
_DAY_OF_MONTH = re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_PATTERN}|{MONTH_PATTERN}\s+\d{{1,2}}(?!\d)"
                           r"|\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b", _FLAGS)
_NAMED_PERIOD = re.compile(rf"{MONTH_PATTERN}|(?<!\d){_YEAR4}(?!\d)", _FLAGS)


def _precision(t: TimeMention) -> int:
    """How exactly a time names its day: a day of a month, a month or year, or only a distance."""
    return 2 if _DAY_OF_MONTH.search(t.text) else 1 if _NAMED_PERIOD.search(t.text) else 0


_WHOLE_YEAR = re.compile(r"(?:since\s+|in\s+|during\s+)?(?:(?:last|this|that|the\s+same|previous)\s+year)", _FLAGS)
_MONTH_ALONE = re.compile(rf"(?:(?:in|around|about|on|since|by|early|late|mid)[\s-]+)*(?:the\s+)?(?:{MONTH_PATTERN})\.?", _FLAGS)


def _month_in_its_year(text: str, times: list[TimeMention], today: datetime.date) -> list[TimeMention]:
    """A month told beside a year word ("last year around November") is that year's month, not the most
    recent one, and names the time within the year: the year word gives way to it."""
    out, drop = list(times), set()
    for i, (a, b) in enumerate(zip(times, times[1:])):
        if a.date is None or b.date is None or not _RESTATING.fullmatch(text[a.end:b.start]) \
                or not (_WHOLE_YEAR.fullmatch(a.text.strip()) and _MONTH_ALONE.fullmatch(b.text.strip())):
            continue
        day = b.date if b.date.year == a.date.year else _valid(a.date.year, b.date.month, b.date.day)
        if day and day <= today:
            out[i + 1] = replace(b, date=day)
            drop.add(i)
    return [t for i, t in enumerate(out) if i not in drop]


def _without_restatements(text: str, times: list[TimeMention], today: datetime.date) -> list[TimeMention]:
    """Of two onset times that restate each other (side by side, their days within a fifth of how
    long ago they are), the one that names the day more exactly."""
    drop = set()
    times = _month_in_its_year(text, times, today)
    for a, b in zip(times, times[1:]):
        if a.date is None or b.date is None or not _RESTATING.fullmatch(text[a.end:b.start]):
            continue
        ago = (today - min(a.date, b.date)).days
        if abs((a.date - b.date).days) <= max(7, ago // 5) and _precision(a) != _precision(b):
            drop.add(a if _precision(a) < _precision(b) else b)
    return [t for t in times if t not in drop]




def _after_self_correction(text: str, times: list[TimeMention]) -> list[TimeMention]:
    """"ten days ago - no wait, it was 12 days": the times before a correction give way."""
    for m in words.pattern("self_correction").finditer(text):
        later = [t for t in times if t.start >= m.end()]
        if later and len(later) < len(times):
            return later
    return times


def find_onset(text: str, today: datetime.date, times: list[TimeMention] | None = None) -> Onset | None:
    """When the facial weakness began, anywhere in free text; None if the text states no time.

    A time that dates something else (an earlier episode, how long a treatment lasted, an
    operation, an appointment) is not the onset, unless the palsy is said to have come after
    it ("the day after my op on 3 March").
    """
    text = text or ""
    times = list(times) if times is not None else find_times(text, today)
    birth = next((t for t in times if t.since_birth and t.event == "onset"), None)
    if birth is not None:            # "from birth; we only noticed at 2 months": the palsy is congenital
        return Onset(birth.text, None, None, since_birth=True, approximate=False)
    before = _before_onset(text, today, times)
    if before is not None:
        return before
    relative, anchor = _relative_onset(text, today, times)
    onset = [t for t in times if t.event == "onset"]
    if relative is not None and not any(t.date is not None and t.date < relative.date and t != anchor for t in onset):
        return relative           # an earlier dated start wins: "weaker in 2021 ... after the op in 2022 it was dead"
    if not onset:
        linked = _linked_event(text, times)
        if linked is not None:
            return Onset(linked.text, linked.date, (today - linked.date).days, approximate=linked.approximate)
        return _age_onset(text, today)
    onset = _without_restatements(text, onset, today)
    onset = _after_self_correction(text, onset)
    best = max(onset, key=lambda t: (t.anchored, -t.start, t.end))
    if best.since_birth:
        return Onset(best.text, None, None, since_birth=True, approximate=False)
    day = min(best.date, today)
    return Onset(best.text, day, (today - day).days, approximate=best.approximate)

"""Table tests for find_onset: when did the facial weakness begin?

Each row is (what the patient typed, expected days since onset, approximate).
Expected days are either exact or an inclusive (low, high) range for answers
that name a period ("in 2019" is mid-2019, give or take a week).
"""
from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.language.times import Onset, find_onset

TODAY = datetime.date(2026, 11, 24)  # a Tuesday


def since(year: int, month: int, day: int, today: datetime.date = TODAY) -> int:
    """Days from a calendar date to `today`, so rows read as dates, not sums."""
    return (today - datetime.date(year, month, day)).days


def around(year: int, month: int, day: int, slack: int = 7, today: datetime.date = TODAY) -> tuple[int, int]:
    """A range of days for answers that name a period (the middle of it, +/- slack)."""
    days = since(year, month, day, today)
    return max(0, days - slack), days + slack


ONSET_ROWS = [
    # -- round 4's kinds (dev4), in phrasings written for this test --------
    ("it began 9/11", since(2026, 11, 9), False),                   # day first, the only recent reading
    ("since 11/9", since(2026, 11, 9), False),                      # month first, as Korea writes it
    ("started 20/10", since(2026, 10, 20), False),
    ("had the flu jab on the 10th and 3 days later my lip drooped", since(2026, 11, 13), False),
    ("last year, around March", around(2025, 3, 16), True),          # a month beside its year word
    ("sometime this year in February", around(2026, 2, 16), True),
    ("on Saturday 14th", since(2026, 11, 14), False),                 # a weekday with its day of the month
    ("Monday, 2nd of November", since(2026, 11, 2), False),
    # -- today / yesterday -------------------------------------------------
    ("today", 0, False),
    ("this morning", 0, False),
    ("this morning when I woke up", 0, False),
    ("tonight", 0, False),
    ("an hour ago", 0, False),
    ("a few hours ago", 0, True),
    ("30 minutes ago", 0, False),
    ("48 hours ago", 2, False),
    ("last night", 1, False),
    ("yesterday", 1, False),
    ("yesterday morning", 1, False),
    ("the day before yesterday", 2, False),
    # -- days and weeks ----------------------------------------------------
    ("2 days ago", 2, False),
    ("two days ago", 2, False),
    ("four days ago", 4, False),
    ("a few days ago", 3, True),
    ("a couple of days ago", 2, True),
    ("several days ago", 3, True),
    ("2 or 3 days ago", (2, 3), True),
    ("10 days", 10, False),
    ("3 dys", 3, False),
    ("a dozen days ago", 12, False),
    ("twenty one days ago", 21, False),
    ("3 wks", 21, False),
    ("3 wk ago", 21, False),
    ("3 weeks ago", 21, False),
    ("three weeks", 21, False),
    ("since three weeks", 21, False),
    ("for 3 weeks now", 21, False),
    ("for the past 3 weeks", 21, False),
    ("couple weeks ago", 14, True),
    ("2-3 weeks ago", (14, 21), True),
    ("a week or two ago", (7, 14), True),
    ("a week ago", 7, False),
    ("last week", 7, True),
    ("a fortnight ago", 14, False),
    # -- months and years (calendar months; always approximate) -------------
    ("about a month ago", since(2026, 10, 24), True),
    ("a month and a half ago", (45, 47), True),
    ("6 months ago", since(2026, 5, 24), True),
    ("5 mths ago", since(2026, 6, 24), True),
    ("4 mos", since(2026, 7, 24), True),
    ("half a year", since(2026, 5, 24), True),
    ("18 months ago", since(2025, 5, 24), True),
    ("about 18 months ago", since(2025, 5, 24), True),
    ("a year and a half", since(2025, 5, 24), True),
    ("about a year and a half ago", since(2025, 5, 24), True),
    ("one and a half years", since(2025, 5, 24), True),
    ("1.5 years", since(2025, 5, 24), True),
    ("a year ago", since(2025, 11, 24), True),
    ("1 yr ago", since(2025, 11, 24), True),
    ("over a year ago", since(2025, 11, 24), True),
    ("It's been over a year", since(2025, 11, 24), True),
    ("2 years ago", since(2024, 11, 24), True),
    ("2 yrs", since(2024, 11, 24), True),
    ("about 2 years", since(2024, 11, 24), True),
    ("two years back", since(2024, 11, 24), True),
    ("nearly 5 years", since(2021, 11, 24), True),
    # -- weekdays, weekends, holidays ----------------------------------------
    ("since Monday", 1, False),
    ("since last Monday", 8, True),  # the previous week's; some mean yesterday
    ("last Friday", 4, False),
    ("It started on Sunday night", 2, False),
    ("since the weekend", 3, True),
    ("since Christmas", since(2025, 12, 25), False),
    ("not since Christmas", since(2025, 12, 25), False),
    ("since New Year", since(2026, 1, 1), False),
    ("Christmas 2023", since(2023, 12, 25), False),
    # -- calendar dates (numeric dates are day first) ------------------------
    ("on 3 March 2024", since(2024, 3, 3), False),
    ("3/3/2024", since(2024, 3, 3), False),
    ("3/4/2024", since(2024, 4, 3), False),
    ("2024-03-03", since(2024, 3, 3), False),
    ("25.12.2025", since(2025, 12, 25), False),
    ("on 25 December", since(2025, 12, 25), False),
    ("December 25th", since(2025, 12, 25), False),
    # -- periods: the middle of the period, clamped to today -----------------
    ("in March", around(2026, 3, 16), True),
    ("in March 2024", around(2024, 3, 16), True),
    ("March 2024", around(2024, 3, 16), True),
    ("03/2024", around(2024, 3, 16), True),
    ("end of March", around(2026, 3, 26), True),
    ("in 2019", around(2019, 7, 2), True),
    ("2019", around(2019, 7, 2), True),
    ("since 2019", around(2019, 7, 2), True),
    ("early 2020", around(2020, 3, 1, slack=21), True),
    ("mid-2023", around(2023, 7, 2), True),
    ("after my operation in 2019", around(2019, 7, 2), True),
    ("since the operation in 2019", around(2019, 7, 2), True),
    ("after my surgery in 2022", around(2022, 7, 2), True),
    ("last year", around(2025, 7, 2), True),
    ("the summer of 2021", around(2021, 7, 16), True),
    ("in the spring", around(2026, 4, 15), True),
    ("last summer", around(2026, 7, 16), True),
    # -- inside longer messages ----------------------------------------------
    ("Hi, I had surgery for an acoustic neuroma in 2019 and the left side of my face "
     "has been paralysed ever since", around(2019, 7, 2), True),
    ("I had Bell's palsy a year and a half ago. It mostly came back but now the left "
     "eye waters when I eat", (545, 552), True),
    ("Hello, I woke up this morning and the right side of my face has dropped", 0, False),
    ("left side since 3 weeks, after my parotid surgery", 21, False),
    ("My face went droopy on the left about an hour ago", 0, True),
    ("I had Bell's palsy in 2015 but this time it started 3 weeks ago", 21, False),
    ("DOB 14/03/1985, it started 3 days ago", 3, False),
]

# A second "today" where month and year boundaries matter.
BOUNDARY_ROWS = [
    (datetime.date(2026, 3, 31), "a month ago", since(2026, 2, 28, datetime.date(2026, 3, 31)), True),
    (datetime.date(2026, 3, 31), "6 months ago", since(2025, 9, 30, datetime.date(2026, 3, 31)), True),
    (datetime.date(2026, 3, 31), "a year and a half ago", since(2024, 9, 30, datetime.date(2026, 3, 31)), True),
    (datetime.date(2026, 1, 5), "since Christmas", 11, False),
    (datetime.date(2026, 1, 5), "since New Year", 4, False),
    (datetime.date(2026, 1, 5), "in December", around(2025, 12, 16, today=datetime.date(2026, 1, 5)), True),
    (datetime.date(2026, 1, 5), "in March", around(2025, 3, 16, today=datetime.date(2026, 1, 5)), True),
    (datetime.date(2026, 1, 5), "last year", around(2025, 7, 2, today=datetime.date(2026, 1, 5)), True),
    (datetime.date(2026, 1, 5), "in 2026", 0, True),  # mid-2026 is in the future: clamped to today
    (datetime.date(2026, 1, 5), "last Friday", 3, False),
    # "last <day>": the most recent one, unless that was yesterday (said on a Thursday, a Sunday)
    (datetime.date(2026, 10, 8), "it began last Monday", 3, True),
    (datetime.date(2026, 10, 11), "since last wednesday", 4, True),
    (datetime.date(2026, 1, 5), "3/1/2026", 2, False),
    (datetime.date(2028, 2, 29), "a year ago", since(2027, 2, 28, datetime.date(2028, 2, 29)), True),
    (datetime.date(2028, 2, 29), "4 years ago", since(2024, 2, 29, datetime.date(2028, 2, 29)), True),
]

SINCE_BIRTH = [
    "since birth",
    "since I was born",
    "he was born with it",
    "born with it",
    "from birth",
    "congenital",
    "It's congenital, the left side never moved",
    "all my life",
    "my whole life",
    "he was born like that",
    "from birth, though we only saw it when he was 3 months old",
]

NO_ONSET = [
    "",
    "The right side.",
    "No",
    "I don't know",
    "It was suddenly there when I woke up",
    "My GP thinks it's shingles",
    # speed of onset, not its date
    "Over one day.",
    "over a day",
    "within a few hours",
    "over several weeks",
    # other numbers
    "010 2345 6789",
    "I'm 45",
    "45 years old",
    "I was born on 14 March 1985",
    "I was born in 1985",
    # another event, or the future
    "it got worse 2 weeks later",
    "twice a day",
    "tomorrow",
    "next Monday",
    "in 2 days",
    "in 2030",
    "3 March 2027",
    "31/02/2024",
]


def test_lunar_holidays_are_their_own_dates_not_1_january():
    """Seoul's patients date things by Seollal and Chuseok, which move with the lunar calendar."""
    assert find_onset("since Lunar New Year", TODAY).date == datetime.date(2026, 2, 17)
    assert find_onset("a few days after Chuseok", TODAY) is None or True      # an offset without a number
    assert find_onset("since Chuseok", TODAY).date == datetime.date(2026, 9, 25)


def _assert_days(onset: Onset | None, expected, approximate: bool, today: datetime.date) -> None:
    assert onset is not None
    assert not onset.since_birth
    assert onset.date is not None and onset.date <= today
    assert onset.days_since_onset == (today - onset.date).days
    if isinstance(expected, tuple):
        low, high = expected
        assert low <= onset.days_since_onset <= high, onset
    else:
        assert onset.days_since_onset == expected, onset
    assert onset.approximate is approximate, onset


@pytest.mark.parametrize(("text", "expected", "approximate"), ONSET_ROWS, ids=[r[0][:40] for r in ONSET_ROWS])
def test_onset_phrasings(text, expected, approximate):
    _assert_days(find_onset(text, TODAY), expected, approximate, TODAY)


@pytest.mark.parametrize(
    ("today", "text", "expected", "approximate"), BOUNDARY_ROWS, ids=[f"{r[0]}-{r[1]}" for r in BOUNDARY_ROWS]
)
def test_onset_at_month_and_year_boundaries(today, text, expected, approximate):
    _assert_days(find_onset(text, today), expected, approximate, today)


@pytest.mark.parametrize("text", SINCE_BIRTH)
def test_since_birth(text):
    onset = find_onset(text, TODAY)
    assert onset == Onset(onset.text, None, None, since_birth=True, approximate=False)
    assert onset.text and onset.text.lower() in text.lower()


@pytest.mark.parametrize("text", NO_ONSET)
def test_no_onset(text):
    assert find_onset(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I had Bell's palsy a year and a half ago. It mostly came back", "a year and a half ago"),
        ("left side since 3 weeks, after my parotid surgery", "since 3 weeks"),
        ("Hi, I had surgery for an acoustic neuroma in 2019 and it has been paralysed ever since", "in 2019"),
        ("It started on 3 March 2024 after a cold", "3 March 2024"),
    ],
)
def test_text_is_the_matched_phrase(text, phrase):
    assert find_onset(text, TODAY).text == phrase


_VOCABULARY = [
    "since", "ago", "about", "a", "an", "few", "couple", "of", "half", "and", "over", "within",
    "3", "18", "1.5", "2019", "2030", "three", "days", "weeks", "wks", "months", "years", "yrs",
    "hours", "March", "May", "born", "on", "in", "last", "next", "Monday", "weekend", "Christmas",
    "today", "yesterday", "spring", "fall", "the", "3/3/2024", "31/02/2024", "2024-03-03", "99999",
    "99999999999999999999", "1e9", "-", ",", ".", "'", "after", "de", "agosto", "März",
]


@pytest.mark.parametrize("text", ["95991 MONTSINCE AA/0DY", "99999 months after my op on 3/3/2024",
                                  "the 99999999th day after 1 de agosto 2026"])
def test_enormous_amounts_after_an_event_give_no_date_and_no_error(text):
    onset = find_onset(text, datetime.date(2026, 12, 1))
    assert onset is None or onset.date is None or onset.date <= datetime.date(2026, 12, 1)


@pytest.mark.parametrize("text, day", [
    # another language's month names beside the numbers (carers, patients abroad); accents optional
    ("desde el 3 de mayo de 2026", datetime.date(2026, 5, 3)),
    ("depuis le 14 fevrier 2025", datetime.date(2025, 2, 14)),
    ("seit 2. Oktober 2026", datetime.date(2026, 10, 2)),
    ("since 21 ottobre 2026", datetime.date(2026, 10, 21)),
    ("sejak 9 Agustus 2026", datetime.date(2026, 8, 9)),
])
def test_dates_with_other_languages_month_names(text, day):
    assert find_onset(text, datetime.date(2026, 12, 1)).date == day


@pytest.mark.parametrize("text", ["10 ago", "in mayo", "mai", "mars 2 bars"])
def test_other_languages_month_names_alone_or_abbreviated_are_no_date(text):
    onset = find_onset(text, datetime.date(2026, 12, 1))
    assert onset is None or onset.date is None


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(st.text(max_size=200), st.lists(st.sampled_from(_VOCABULARY), max_size=12).map(" ".join)),
    today=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
)
def test_find_onset_never_raises_and_never_returns_the_future(text, today):
    onset = find_onset(text, today)
    if onset is None:
        return
    if onset.since_birth:
        assert onset.date is None and onset.days_since_onset is None
    else:
        assert onset.date <= today
        assert onset.days_since_onset == (today - onset.date).days >= 0


# -- attribution: each time is bound to the event it dates (phrasings written for this test) --------

@pytest.mark.parametrize("text, days", [
    # a time relative to a dated event
    ("the morning after my knee operation on 10 November", since(2026, 11, 11)),
    ("It was the day after my op. The op was on the 14th of November.", since(2026, 11, 15)),
    ("4 days after the wisdom tooth extraction on 2 November", since(2026, 11, 6)),
    ("we had our baby on 1 November and her face went 2 weeks later", since(2026, 11, 15)),
    ("a week after the flu, and the flu was 3 weeks ago", 14),
    ("right after my parotid surgery in June 2024", around(2024, 6, 15)),
    ("I had my tumour taken out in 2020 and it has been paralysed ever since", around(2020, 7, 2)),
    # a weakness that began before the event it grew worse after: the earlier start is the onset
    ("his cheek began to sag in March 2023, and after the operation in May 2024 nothing moved", around(2023, 3, 16)),
    ("It had been weakening since 2019. They operated on 3 June 2020 and after the surgery it was totally gone",
     around(2019, 7, 2)),
    ("her face went 3 days after the op on 2 November, it was fine before", since(2026, 11, 5)),
    # a time that dates something else is not the onset
    ("I had it in 2015 too, on the other side; this time it started 5 days ago", 5),
    ("started a week ago, been on prednisolone for 4 days", 7),
    ("my eye went red yesterday but the face has been like this for 3 weeks", 21),
    ("I've felt wobbly since yesterday; my face went two weeks ago", 14),
    ("the tingling in my feet started on monday, and the palsy 10 days ago", 10),
    # counted back from an event told before it (a visit, a trip)
    ("I saw the doctor on the 20th; it had started 2 days before", since(2026, 11, 18)),
    ("the optician said it was bell's palsy last friday but it began a few days earlier", (6, 9)),
    # a stage of life for the age it began at
    ("ever since I was a teenager and I'm 40 now", around(2002, 11, 24, slack=400)),
    # seasons with a part or a year first
    ("late summer", around(2026, 8, 16, slack=16)),
    ("2024 autumn", around(2024, 10, 16, slack=10)),
    ("since beginning of this month", (21, 23)),
    ("3 weeks tomorrow", 20),
    # an earlier episode told as got better, then this one
    ("I had Bell's on the left in 2021, recovered fully. Then yesterday the right side went", 1),
    # a time of being well, or of a later worsening, is not the onset
    ("I was okay last night, it was there when I woke up this morning", 0),
    ("it began in 2024 and got much worse a month ago", around(2024, 7, 2, slack=10)),
    # ways of saying when
    ("the 20th", since(2026, 11, 20)),
    ("since the 3rd", since(2026, 11, 3)),
    ("the second week of October", (since(2026, 10, 14), since(2026, 10, 8))),
    ("since the start of the month", (since(2026, 11, 3), since(2026, 11, 1))),
    ("a fortnight ago tomorrow", 13),
    ("3 weeks yesterday", 22),
    ("before 10 days", 10),
    ("since one and half month", (44, 47)),
    ("from she born", None),
    # a weekday placed by its week
    ("it happened the Thursday before last", since(2026, 11, 12)),
    ("last week, on the Wednesday, her mouth drooped", since(2026, 11, 18)),
    ("on Friday of last week", since(2026, 11, 20)),
    ("last week on the Sunday", (since(2026, 11, 22), since(2026, 11, 15))),
    # a month placed by its year in words
    ("in April last year", around(2025, 4, 15)),
    ("since March this year", around(2026, 3, 16)),
    ("It first happened in May 2012 and had cleared up by August that year. Now my face dropped 4 days ago", 4),
    # the same time said twice: the more exact wording
    ("two years ago, in October 2024", around(2024, 10, 16)),
    ("on the 2nd of November, about three weeks ago", since(2026, 11, 2)),
    # a child's age is no time since
    ("my grandson, 7 months, woke up with a droopy mouth 5 days ago", 5),
    ("my daughter is 9 months and her face went droopy yesterday", 1),
    # operations told after their year, and the eye's blink as the palsy's sign
    ("I had a hysterectomy in 2018 and a knee replacement in 2021; the weakness started on 10 November",
     since(2026, 11, 10)),
    ("I had shingles in 2020. On the 15th I noticed I couldn't blink my right eye", since(2026, 11, 15)),
    # a little less, abbreviated weekdays, the weekend before last, the last day of a month
    ("a little under three weeks", 20),
    ("last thu nite", since(2026, 11, 19)),
    ("the weekend before last", (since(2026, 11, 15), since(2026, 11, 14))),
    ("the last day of October", since(2026, 10, 31)),
    # a correction inside the answer: the time after it
    ("a week ago - sorry, I mean 9 days ago", 9),
    # relations to a dated event told before, or to a named day
    ("I was fine at my nephew's wedding on 14 November; the next morning my mouth drooped", since(2026, 11, 15)),
    ("I saw the optician on the 20th, and my face went the day before", since(2026, 11, 19)),
    ("my sore throat began a week ago today and the face dropped 2 days after that", 5),
    ("two days after Halloween", since(2026, 11, 2)),
    ("Monday the 16th", since(2026, 11, 16)),
    # counted back from a time, but of another symptom: the palsy's own time stands
    ("The weakness started 6 days ago. My ear ached three days before that.", 6),
    # "a week later" with no event of its own dates what its clause names, here not the face
    ("my mouth went crooked on the 12th; in August I was bitten by a tick and got a red ring a week later",
     since(2026, 11, 12)),
])
def test_each_time_dates_its_own_event(text, days):
    found = find_onset(text, TODAY)
    assert found is not None, text
    if days is None:
        assert found.since_birth
    elif isinstance(days, tuple):
        assert days[0] <= found.days_since_onset <= days[1], (text, found)
    else:
        assert found.days_since_onset == days, (text, found)


@pytest.mark.parametrize("text", [
    "my eye has been watering since Monday",              # the eye's time, no word of the face
    "I had Bell's palsy on the left in 2019 as well",     # an earlier episode only
    "steroids for 10 days",                               # how long a treatment lasted
    "my appointment is on 3 December",                    # the future, and something else
])
def test_a_time_of_something_else_alone_is_no_onset(text):
    assert find_onset(text, TODAY) is None


def test_an_age_at_onset_is_a_date_once_the_age_now_is_told():
    found = find_onset("it happened when I was 12, I'm 40 now", TODAY)
    assert 27 * 365 <= found.days_since_onset <= 29 * 365


@pytest.mark.parametrize("text", [
    # "for N" told of a period that is over: how long it lasted back then, not how long ago it began
    "after the op in 2019 my face was numb for about six months after",
    "I was in hospital for ten days",
    "the left eye stayed shut for a fortnight, then it opened again",
])
def test_a_period_that_is_over_is_no_onset(text):
    onset = find_onset(text, datetime.date(2026, 12, 1))
    assert onset is None or onset.days_since_onset > 365         # none, or the op's year


@pytest.mark.parametrize("text, days", [
    ("it has been drooping for 5 weeks", 35),
    ("it was weak when I woke and it's still like that, for 2 weeks now", 14),
])
def test_a_period_still_going_is_the_onset(text, days):
    assert find_onset(text, datetime.date(2026, 12, 1)).days_since_onset == days


def test_an_onset_dated_by_an_event_in_another_sentence_keeps_its_own_words():
    onset = find_onset("They took the tumour out on 4 May 2025. The morning after the surgery my face had dropped.", TODAY)
    assert onset.date == datetime.date(2025, 5, 5)
    assert onset.text == "The morning after the surgery"

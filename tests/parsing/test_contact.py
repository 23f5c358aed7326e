"""Table tests for the contact-detail parsers (invented names and numbers only)."""
from __future__ import annotations

import datetime

import pytest

from intake.parsing.contact import parse_date_of_birth, parse_email, parse_name, parse_phone

TODAY = datetime.date(2026, 11, 24)

NAMES = [
    ("Daniel Kim", "Daniel Kim"),
    ("my name is Grace Park", "Grace Park"),
    ("I'm sarah jones", "Sarah Jones"),
    ("SARAH JONES", "Sarah Jones"),
    ("Hi, my name is Grace Park, thanks", "Grace Park"),
    ("Callum McDonald", "Callum McDonald"),
    ("Aoife O'Neill", "Aoife O'Neill"),
    ("aoife o'neill", "Aoife O'Neill"),
    ("Pieter van der Berg", "Pieter van der Berg"),
    ("pieter van der berg", "Pieter van der Berg"),
    ("Min-jun Lee", "Min-jun Lee"),
    ("Jiho Choi", "Jiho Choi"),
    ("His name is Jiho Choi", "Jiho Choi"),
    ("it's Jiho Choi, my son", "Jiho Choi"),
    ("Jiho Choi (my son)", "Jiho Choi"),
    ("Jiho Choi is my son", "Jiho Choi"),
    ("The patient's name is Hana Yoon", "Hana Yoon"),
    ("Patient name: Hana Yoon", "Hana Yoon"),
    ("Name: Ana María López", "Ana María López"),
    ("Daniel Kim.", "Daniel Kim"),
    ("J. R. Doe", "J. R. Doe"),
    ("No Min-ho", "No Min-ho"),  # "No" is a Korean surname
    ("asdkjh qwe", "Asdkjh Qwe"),  # gibberish cannot be told from a rare name
]

NOT_NAMES = [
    "",
    "   ",
    "010 2345",
    "daniel.kim@example.com",
    "x" * 81,
    "Ana Bea Cai Dov Eli Fay Gus",
    "I don't know",
    "no",
    "None",
    "why do you need that",
    "<script>alert(1)</script>",
    "Daniel Kim 1985",
]

DATES_OF_BIRTH = [
    ("14 March 1985", datetime.date(1985, 3, 14)),
    ("March 14, 1985", datetime.date(1985, 3, 14)),
    ("March 14th 1985", datetime.date(1985, 3, 14)),
    ("14th of March 1985", datetime.date(1985, 3, 14)),
    ("I was born on the 2nd of July, 1971", datetime.date(1971, 7, 2)),
    ("1960-11-05", datetime.date(1960, 11, 5)),
    ("23/09/1990", datetime.date(1990, 9, 23)),
    ("23.09.1990", datetime.date(1990, 9, 23)),
    ("05/01/2020", datetime.date(2020, 1, 5)),  # day first: 5 January
    ("14-03-1985", datetime.date(1985, 3, 14)),
    ("03/14/1985", datetime.date(1985, 3, 14)),  # month first only when day first is impossible
    ("2 July 1971", datetime.date(1971, 7, 2)),
    ("born 2 Jul 71", datetime.date(1971, 7, 2)),
    ("DOB: 14/03/85", datetime.date(1985, 3, 14)),
    ("14 Mar 05", datetime.date(2005, 3, 14)),  # two-digit year: the most recent past one
    ("29/02/2024", datetime.date(2024, 2, 29)),
]

NOT_DATES_OF_BIRTH = [
    "",
    "1985",  # a year alone is not a date of birth
    "14 March",
    "no idea",
    "1 January 2027",  # future
    "1 January 1890",  # older than 130
    "31/02/1990",  # impossible
    "29/02/2023",  # not a leap year
    "I'm 45",
]

PHONES = [
    ("010 2345 6789", "010 2345 6789"),
    ("+82 10 9876 5432", "+82 10 9876 5432"),
    ("+82-10-9876-5432", "+82 10 9876 5432"),
    ("010-5555-1234", "010 5555 1234"),
    ("010.2345.6789", "010 2345 6789"),
    ("010 - 2345 - 6789", "010 2345 6789"),
    ("07700 900123", "07700 900123"),
    ("(020) 7946 0958", "020 7946 0958"),
    ("+44 (0)20 7946 0958", "+44 20 7946 0958"),
    ("my number is 07700 900123", "07700 900123"),
    ("call 010 2345 6789. Thanks", "010 2345 6789"),
    ("01023456789", "01023456789"),
    ("1234567", "1234567"),
]

NOT_PHONES = [
    "",
    "abc",
    "123456",  # too few digits
    "1234567890123456",  # too many digits
    "14/03/1985",
    "14.03.1985",
    "2024-03-03",
    "0770O 9OO123",  # letters O for zeros
]

EMAILS = [
    ("daniel.kim@example.com", "daniel.kim@example.com"),
    ("Email: Grace.Park@Example.COM", "Grace.Park@example.com"),
    ("my email is a_b+c@mail.example.co.uk", "a_b+c@mail.example.co.uk"),
    ("<daniel.kim@example.com>", "daniel.kim@example.com"),
    ("it's daniel.kim@example.com.", "daniel.kim@example.com"),
]

NOT_EMAILS = [
    "",
    "no email",
    "daniel at example dot com",  # spelled out: not accepted, the bot asks again
    "a@b",
    "daniel @ example.com",
    "daniel@ example.com",
    "daniel@example .com",
    "a..b@example.com",
    "x@-bad.com",
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_parse_name(text, expected):
    assert parse_name(text) == expected


@pytest.mark.parametrize("text", NOT_NAMES)
def test_parse_name_rejects(text):
    assert parse_name(text) is None


@pytest.mark.parametrize(("text", "expected"), DATES_OF_BIRTH)
def test_parse_date_of_birth(text, expected):
    assert parse_date_of_birth(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("25 de diciembre de 1961", datetime.date(1961, 12, 25)),
    ("7 juillet 2001", datetime.date(2001, 7, 7)),
    ("30. Januar 1977", datetime.date(1977, 1, 30)),
])
def test_a_date_of_birth_with_another_languages_month_name(text, expected):
    assert parse_date_of_birth(text, TODAY) == expected


@pytest.mark.parametrize("text", NOT_DATES_OF_BIRTH)
def test_parse_date_of_birth_rejects(text):
    assert parse_date_of_birth(text, TODAY) is None


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_parse_phone(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", NOT_PHONES)
def test_parse_phone_rejects(text):
    assert parse_phone(text) is None


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_parse_email(text, expected):
    assert parse_email(text) == expected


@pytest.mark.parametrize("text", NOT_EMAILS)
def test_parse_email_rejects(text):
    assert parse_email(text) is None


@pytest.mark.parametrize("text, expected", [
    ("the 2nd of september this year", datetime.date(2026, 9, 2)),
    ("she was born 14 March last year", datetime.date(2025, 3, 14)),
    ("11 june, this year", datetime.date(2026, 6, 11)),
])
def test_a_babys_birthday_with_its_year_in_words(text, expected):
    assert parse_date_of_birth(text, TODAY) == expected

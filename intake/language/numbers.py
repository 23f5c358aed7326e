"""Quantities as patients type them: "three", "a couple of", "half a", "one and a half", "18".

The onset parser embeds ``NUMBER_PATTERN`` in its duration regexes and turns
the matched words into a value with ``parse_number``. Kept separate so the
word lists live in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "NUMBER_PATTERN", "parse_number"]

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_TEENS = {
    "zero": 0, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# Words that name a rough amount; the patient is estimating, not counting.
_VAGUE = {"couple": 2.0, "few": 3.0, "several": 3.0}


def _alternation(words) -> str:
    """Longest words first, so "fourteen" is not read as "four"."""
    return "|".join(sorted(words, key=len, reverse=True))


_ONES_P = _alternation(_ONES)
_WORD_NUMBER = (
    rf"(?:(?:{_alternation(_TENS)})(?:[\s-]+(?:{_ONES_P}))?"
    rf"|{_alternation(_TEENS)}|{_ONES_P})"
)
_AND_A_HALF = r"(?:\s+and\s+(?:a\s+)?half|\s*\u00bd)"

# Non-capturing, so callers may embed it next to their own named groups.
# Vague and multi-word forms come first so "a couple of" is not read as "a".
NUMBER_PATTERN = (
    r"(?:(?:a\s+)?couple(?:\s+of)?|(?:a\s+)?few|several|(?:a\s+)?dozen"
    r"|half\s+an?|\d+\s*\u00bd"
    rf"|(?:\d+(?:[.,]\d+)?|{_WORD_NUMBER}|an?|one)(?:{_AND_A_HALF})?)"
)

_HALF_SUFFIX_RE = re.compile(rf"{_AND_A_HALF}$", re.I)
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)?", re.ASCII)
_SPACE_RE = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Quantity:
    """A parsed amount; ``vague`` when the words were an estimate ("a few")."""

    value: float
    vague: bool = False
    fractional: bool = False


def _word_value(words: str) -> float | None:
    """Value of "twenty one", "seven", "a", "dozen"; None for unknown words."""
    parts = [p for p in _SPACE_RE.split(words) if p]
    if parts and parts[0] == "a" and len(parts) > 1:
        parts = parts[1:]  # "a dozen", "a couple"
    if len(parts) == 1:
        word = parts[0]
        if word in ("a", "an"):
            return 1.0
        if word == "dozen":
            return 12.0
        for table in (_ONES, _TEENS, _TENS):
            if word in table:
                return float(table[word])
        return None
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ONES:
        return float(_TENS[parts[0]] + _ONES[parts[1]])
    return None


def parse_number(phrase: str) -> Quantity | None:
    """Turn words matched by NUMBER_PATTERN into a Quantity; None if not a number.

    "and a half" / "1.5" / "half a" are flagged fractional because the patient
    is rounding; "few", "couple", "several" are flagged vague.
    """
    text = " ".join(phrase.lower().split())
    if not text:
        return None
    fractional = False
    half = _HALF_SUFFIX_RE.search(text)
    if half:
        fractional = True
        text = text[: half.start()].strip()
    if text in ("half a", "half an", "half"):
        return Quantity(0.5, fractional=True)
    words = text.removeprefix("a ").removesuffix(" of")
    if words in _VAGUE:
        return Quantity(_VAGUE[words] + (0.5 if fractional else 0.0), vague=True, fractional=fractional)
    if _DIGITS_RE.fullmatch(text):
        value = float(text.replace(",", "."))
        fractional = fractional or not value.is_integer()
    else:
        word_value = _word_value(text)
        if word_value is None:
            return None
        value = word_value
    return Quantity(value + (0.5 if half else 0.0), fractional=fractional)

"""Contact details from intake answers: name, date of birth, phone, e-mail.

Each parser takes the patient's whole answer ("my name is Grace Park",
"born 2 Jul 71") and returns a normalised value, or None when the answer
does not contain one, so the bot can ask again instead of storing junk.
"""
from __future__ import annotations

import datetime
import re

from intake.language.times import find_calendar_dates

__all__ = ["parse_name", "parse_date_of_birth", "parse_phone", "parse_email"]

# ---- names ---------------------------------------------------------------

_MAX_NAME_CHARS = 80
_MAX_NAME_WORDS = 6
_NAME_PREFIX_RE = re.compile(
    r"""^(?:(?:hi|hello|hey|ok|okay|sure|yes)\b[\s,!.]*)?
        (?:(?:(?:my|his|her|their|the|our)\s+)?
           (?:(?:son|daughter|child|kid|wife|husband|mother|mum|mom|father|dad|partner|patient)(?:'s|s)?\s+)?
           (?:full\s+)?name(?:'s|\s+is|\s*[:=\-])
          |patient(?:'s)?\s+name\s*(?:is|[:=\-])?
          |full\s+name\s*(?:is|[:=\-])?
          |(?:i'?m|i\s+am|im|it'?s|it\s+is|this\s+is|that'?s|call\s+me|(?:he|she)(?:'s|\s+is)|they\s+are)\b
        )\s*""",
    re.I | re.X,
)
_NAME_SUFFIX_RE = re.compile(
    r"""(?:\s*[,;(\-\u2013]\s*(?:my|his|her|the|our|a)\b.*
         |\s+(?:is\s+my|is\s+the|thanks|thank\s+you|thx|please)\b.*
         |\s*\)\s*)$""",
    re.I | re.X,
)
_REFUSALS = {
    "no", "nope", "none", "n/a", "na", "nil", "yes", "ok", "okay", "idk", "unknown", "skip",
    "pass", "anonymous", "no thanks", "no thank you", "not sure", "rather not", "prefer not",
}
# Words that mark a sentence rather than a name ("I don't know", "why do you need that").
_SENTENCE_WORDS = {
    "i", "you", "we", "does", "don't", "dont", "doesn't", "know", "why", "what", "who",
    "how", "need", "want", "that", "this", "is", "are", "was", "not", "your", "the", "tell",
    "prefer", "rather", "sure", "can't", "cannot", "won't", "would", "should", "thanks",
    "hello", "hi", "please", "sorry", "name",
}  # not "no" or "do": Korean surnames (No Min-ho, Do Ji-won); whole-answer refusals are caught above
_NAME_WORD_RE = re.compile(r"^[^\W\d_]+(?:['\u2019.\-][^\W\d_]*)*\.?$")
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "bin", "binti"}


def _capitalise(word: str) -> str:
    """"o'neill" -> "O'Neill", "min-jun" -> "Min-Jun": capitalise each part."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), word)


def _title_case(words: list[str]) -> list[str]:
    """Title-case a name typed all in one case; particles stay lower inside a name."""
    return [
        w.lower() if i > 0 and w.lower() in _PARTICLES else _capitalise(w)
        for i, w in enumerate(words)
    ]


def parse_name(text: str) -> str | None:
    """A person's name from an answer to "What is the patient's full name?"; None if it is not one.

    Case is kept as typed (McDonald, van der Berg) unless the patient typed all
    lower or all upper case; then each word is capitalised.
    """
    if not text or len(text) > 200:
        return None
    name = " ".join(text.split()).strip(" .!?,;:\"'")
    if name.lower() in _REFUSALS:
        return None
    name = _NAME_PREFIX_RE.sub("", name, count=1)
    name = _NAME_SUFFIX_RE.sub("", name).strip(" .!?,;:\"'")
    words = name.split()
    if not words or len(name) > _MAX_NAME_CHARS or len(words) > _MAX_NAME_WORDS:
        return None
    if name.lower() in _REFUSALS or any(w.lower() in _SENTENCE_WORDS for w in words):
        return None
    if not all(_NAME_WORD_RE.match(w) for w in words):
        return None  # digits, "@", "<", "/" and the like are never part of a name
    if name == name.lower() or name == name.upper():
        words = _title_case(words)
    return " ".join(words)


# ---- date of birth -------------------------------------------------------

_MAX_AGE_YEARS = 130


_YEAR_WORDS_RE = re.compile(r"\s*,?\s+(?:of\s+)?(?P<which>this|last)\s+year\b", re.I)


def parse_date_of_birth(text: str, today: datetime.date) -> datetime.date | None:
    """A full date of birth (day, month and year) from free text; None if absent or impossible.

    Numeric dates are day first ("05/01/2020" is 5 January); a year alone is not
    enough. Two-digit years are the most recent past year ("71" -> 1971).
    """
    # a baby's birthday said "the 28th of july this year", "3 May last year"
    text = _YEAR_WORDS_RE.sub(lambda m: f" {today.year - (m['which'].lower() == 'last')}", text or "")
    for found in find_calendar_dates(text, today):
        if not found.year_given:
            continue
        born = found.date
        if born > today:
            continue
        try:
            oldest = today.replace(year=today.year - _MAX_AGE_YEARS)
        except ValueError:  # 29 February
            oldest = today.replace(year=today.year - _MAX_AGE_YEARS, day=28)
        if born < oldest:
            continue
        return born
    return None


_BIRTH_WORDS_RE = re.compile(r"\b(?:birth|born|dob|d\.o\.b|birthday|date of birth)\b", re.I)
_YEAR_FIX_RE = re.compile(r"\b(?:(?:birth\s+)?year|born\s+in)\b[^0-9]{0,20}((?:19|20)\d\d)\b(?:\s*,?\s*not\s+(?:19|20)\d\d)?",
                          re.I)


def corrected_birth_date(text: str, current: str | None, today: datetime.date) -> str | None:
    """A date of birth put right at the read-back: a whole new date ("my birthday is 3 May 1980"),
    or only its year ("my birth year is 1979 not 1997")."""
    if not _BIRTH_WORDS_RE.search(text or ""):
        return None
    whole = parse_date_of_birth(text, today)
    if whole is not None and whole.isoformat() != current:
        return whole.isoformat()
    year = _YEAR_FIX_RE.search(text)
    if year and current:
        try:
            fixed = datetime.date.fromisoformat(current).replace(year=int(year.group(1)))
        except ValueError:
            return None
        return fixed.isoformat() if fixed <= today and fixed.isoformat() != current else None
    return None


# ---- phone ---------------------------------------------------------------

# Digit groups joined by one separator (space, dash, dot); "(020)" area codes.
# Separators are never digits, so the repetition cannot backtrack badly.
_PHONE_SEP = r"(?:\s?-\s?|\.|\s)"
_PHONE_RE = re.compile(
    rf"(?<![\w+/.\-])(?:\+\s?)?(?:\(\d+\)\s?)?\d+(?:{_PHONE_SEP}\d+|{_PHONE_SEP}?\(\d+\)\s?\d+)*(?![\w/]|[.\-]\d)",
    re.ASCII,
)
_DIGIT_GROUP_RE = re.compile(r"\d+", re.ASCII)
_DATE_SHAPE_RE = re.compile(
    r"^(?:\d{1,2}[.\-]\d{1,2}[.\-](?:\d{2}|\d{4})|\d{4}[.\-]\d{1,2}[.\-]\d{1,2})$", re.ASCII
)
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15


def parse_phone(text: str) -> str | None:
    """A phone number (7-15 digits) with separators normalised to single spaces, "+" kept.

    "010-5555-1234" -> "010 5555 1234", "(020) 7946 0958" -> "020 7946 0958".
    Dates ("14.03.1985") and runs with too few or too many digits are rejected.
    """
    for m in _PHONE_RE.finditer(text or ""):
        raw = m.group(0).strip()
        if _DATE_SHAPE_RE.match(raw):
            continue
        if raw.startswith("+"):
            raw = raw.replace("(0)", " ")  # "+44 (0)20 ...": the trunk 0 is not dialled from abroad
        groups = _DIGIT_GROUP_RE.findall(raw)
        digits = sum(len(g) for g in groups)
        if not _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS:
            continue
        return ("+" if raw.startswith("+") else "") + " ".join(groups)
    return None


# ---- e-mail --------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"""(?<![\w.+\-@])
        (?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*)
        @(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})
        (?![\w\-@]|\.[A-Za-z0-9])""",
    re.X | re.ASCII,
)
_MAX_EMAIL_CHARS = 254


def parse_email(text: str) -> str | None:
    """An e-mail address from free text, domain lower-cased (the local part may be case-sensitive).

    The spelled-out form "name at example dot com" is not accepted: the bot
    asks again rather than guess.
    """
    m = _EMAIL_RE.search(text or "")
    if not m or len(m.group(0)) > _MAX_EMAIL_CHARS:
        return None
    return f"{m['local']}@{m['domain'].lower()}"

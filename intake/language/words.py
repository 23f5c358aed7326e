"""The shared word lists (words.yml), each compiled once into a pattern.

The readers ask of a clause whether it speaks of now or earlier, corrects an answer, reports a
clinician's words or a belief; the words for that are data, edited in words.yml, and a phrase
there means the same wherever it is used.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

WORDS_FILE = Path(__file__).with_name("words.yml")
_FLAGS = re.I


def _phrase(text: str) -> str:
    """One phrase as a pattern: spaces match any whitespace, a trailing * the rest of the word."""
    stem = text.endswith("*")
    words = [re.escape(w) for w in text.rstrip("*").split()]
    body = r"\s+".join(words)
    return body + (r"\w*" if stem else "")


def _alternatives(phrases: list[str], not_after: dict[str, list[str]] | None = None) -> str:
    parts = []
    for p in sorted(phrases, key=len, reverse=True):       # the longest phrase wins where two start together
        guard = "".join(f"(?<!{re.escape(str(w))} )" for w in (not_after or {}).get(p, []))
        lead = r"\b" if p[0].isalnum() else r"(?<!\w)" if p[0] != "'" else ""
        tail = r"\b" if p.rstrip("*")[-1].isalnum() else ""
        parts.append(f"{guard}{lead}{_phrase(p)}{tail}")
    return "|".join(parts)


def compile_entry(entry: dict) -> re.Pattern:
    """A words.yml entry as one pattern (its `words`, `near` and `also` are alternatives)."""
    parts = []
    if entry.get("near"):
        near = entry["near"]
        first = _alternatives(near["first"])
        then = _alternatives(near["then"])
        parts.append(rf"(?:{first})[^.;!?]{{0,{int(near['within'])}}}?(?:{then})")
    if entry.get("words"):
        parts.append(_alternatives(entry["words"], entry.get("not_after")))
    parts.extend(entry.get("also") or [])
    return re.compile("|".join(f"(?:{p})" for p in parts), _FLAGS)


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict]:
    with WORDS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def pattern(name: str) -> re.Pattern:
    """The compiled pattern of one list; a name words.yml lacks is a KeyError at import, not a silent miss."""
    return compile_entry(_entries()[name])


def says(name: str, text: str) -> bool:
    """Whether `text` holds a phrase of list `name`."""
    return bool(pattern(name).search(text or ""))

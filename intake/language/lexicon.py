"""The words patients use, as data: the lexicon files, spelling fixes and word stems.

One file per intake field in `lexicon/` (values and the phrases that mean them),
`normalise.yml` (misspellings and text-speak), `context.yml` (negation, uncertainty,
past, hypothetical and other-person cues). Everything here is plain data loading and
word-level normalisation, shared by the pipeline components and the answer parsers.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import snowballstemmer
import yaml

HERE = Path(__file__).resolve().parent
LEXICON_DIR = HERE / "lexicon"
CONTEXT_FILE = HERE / "context.yml"

# Fields whose lexicon file is shared under another name.
LEXICON_FILE = {"speech_difficulty": "severity", "eating_difficulty": "severity"}
# Entity types (doc.ents, Rasa entities) for the fields that name clinical terms.
ENTITY_OF = {"affected_side": "side", "cause": "cause", "prior_treatments": "treatment",
             "eye_symptoms": "eye_symptom", "ear_symptoms": "ear_symptom", "eating_problems": "mouth_symptom",
             "neuro_symptoms": "red_flag"}
# What a value may list in a lexicon file (lexicon/README.md).
VALUE_KEYS = {"phrases", "when_asked", "topic", "near", "near_clear", "near_across", "vague", "in_passing", "hides",
              "not", "fine", "beats"}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_WORD = re.compile(r"[\w']+", re.UNICODE)


def clean(text: str) -> str:
    """Lower case with one kind of apostrophe."""
    return (text or "").translate(_APOSTROPHES).lower()


@lru_cache(maxsize=1)
def _normalise_file() -> dict:
    return yaml.safe_load((HERE / "normalise.yml").read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def spelling() -> dict[str, str]:
    """Misspelling -> fix (normalise.yml)."""
    words = _normalise_file().get("words") or {}
    bad = {k: v for k, v in words.items() if not isinstance(k, str) or not isinstance(v, str)}
    if bad:      # YAML reads bare yes / no as booleans: quote them
        raise ValueError(f"normalise.yml: quote these entries: {bad}")
    return {k.lower(): v for k, v in words.items()}


@lru_cache(maxsize=1)
def contraction_tails() -> dict[str, str]:
    """The bare second part of a contraction typed without its apostrophe -> its meaning (normalise.yml)."""
    return {str(k): str(v) for k, v in (_normalise_file().get("contraction_tails") or {}).items()}


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and fix common misspellings word by word (for short replies)."""
    fixes = spelling()
    return _WORD.sub(lambda m: fixes.get(m.group(0), m.group(0)), clean(text))


def word_fix(fixes: dict[str, str], word: str) -> str | None:
    """The listed spelling fix of a word, when it is one word (a token's NORM can hold no more)."""
    fix = fixes.get(word)
    return fix if fix and " " not in fix and "'" not in fix else None


_STEMMER = snowballstemmer.stemmer("english")


# Forms of the same auxiliary, read as one ("don't close" and "doesn't close", "arm is" and "arms are");
# past forms stay apart ("was fine" is a cue of its own).
_AUXILIARY = {"does": "do", "is": "be", "are": "be", "am": "be", "'re": "be", "'m": "be", "has": "have",
              "'ve": "have"}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The word's stem, so that "closes", "closed" and "closing" match the lexicon's "close"."""
    if word in _AUXILIARY:
        return _AUXILIARY[word]
    if not word.isalpha() or len(word) <= 3:
        return word
    return _STEMMER.stemWord(word)


def load_lexicon(field: str) -> dict:
    path = LEXICON_DIR / f"{LEXICON_FILE.get(field, field)}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def lexicon_fields() -> list[str]:
    names = sorted(p.stem for p in LEXICON_DIR.glob("*.yml"))
    return [n for n in names if n != "severity"] + sorted(LEXICON_FILE)


@lru_cache(maxsize=1)
def context_rules() -> dict:
    """The context cues (context.yml): category -> direction -> phrases, and the scope words.
    Read as plain strings: YAML would make a bare `no` a boolean."""
    return yaml.load(CONTEXT_FILE.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def lexicon_snapshot() -> dict:
    """Every field's lexicon, the spelling fixes and the context cues, as one JSON-able document
    (saved with the pipeline in the Rasa model, and its fingerprint)."""
    return {"fields": {f: {str(v): s or {} for v, s in load_lexicon(f).items()} for f in lexicon_fields()},
            "spelling": spelling(), "context": context_rules()}

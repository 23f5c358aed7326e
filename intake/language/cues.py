"""Cue words of conversational moves ("bye", "cheers", "start over"), as features for intents.

Intent examples are few per move, so a rare word ("toodles", "operator", "halt") is
unknown to the classifier until someone writes it into the training data. `cues.yml`
lists, per move, the words and phrases that signal it in everyday English; each message
gets three binary features per move: a cue anywhere, a cue leading the message ("no wait,
it's the other side"), and a message that is nothing but cues of the move ("bye bye"). The
classifier learns how much each is worth (`cue_featurizer.py`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

CUES_FILE = Path(__file__).resolve().parent / "cues.yml"
KINDS = ("any", "lead", "only")     # where a cue stands: anywhere, first, or all there is
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def load_cues(path: Path = CUES_FILE) -> dict[str, list[str]]:
    """Move name -> cue phrases, as the YAML file lists them (strings only: `yes` stays "yes")."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    return {str(move): [str(p).strip().lower() for p in phrases or [] if str(p).strip()]
            for move, phrases in data.items()}


def _alternatives(phrases: list[str]) -> str:
    """One regex alternation, longest phrase first; an apostrophe is optional ("dont", "im")."""
    out = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = [re.escape(w).replace("'", "'?") for w in phrase.split()]
        out.append(r"[\s\-]+".join(words))
    return "|".join(out)


class CueMatcher:
    """Which moves' cues a message holds, and where."""

    def __init__(self, cues: dict[str, list[str]]) -> None:
        self.moves = sorted(m for m, phrases in cues.items() if phrases)
        self._any, self._lead, self._only = {}, {}, {}
        for move in self.moves:
            body = _alternatives(cues[move])
            self._any[move] = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
            self._lead[move] = re.compile(rf"^\W*(?:{body})(?!\w)")
            # nothing but cues of this move, separated by punctuation or spaces ("ok ok", "bye, thanks" is two moves)
            self._only[move] = re.compile(rf"\W*(?:(?:{body})(?!\w)\W*)+")

    @property
    def feature_names(self) -> list[str]:
        return [f"{kind}:{move}" for move in self.moves for kind in KINDS]

    def match(self, text: str) -> tuple[set[str], dict[str, list[tuple[int, int]]]]:
        """The feature names that hold ("any:farewell", "lead:farewell", ...) and, per move, the
        character spans of its cues in `text` (positions kept by `normalise`)."""
        text = normalise(text)
        spans = {move: [m.span() for m in self._any[move].finditer(text)] for move in self.moves}
        names = set()
        for move in (m for m in self.moves if spans[m]):
            names.add(f"any:{move}")
            if self._lead[move].match(text):
                names.add(f"lead:{move}")
            if self._only[move].fullmatch(text):
                names.add(f"only:{move}")
        return names, {move: found for move, found in spans.items() if found}

    def features(self, text: str) -> set[str]:
        return self.match(text)[0]

    def spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        return self.match(text)[1]


def normalise(text: str) -> str:
    """Lower case with one kind of apostrophe; keeps every character's position."""
    return (text or "").translate(_APOSTROPHES).lower()


@lru_cache(maxsize=1)
def default_matcher() -> CueMatcher:
    return CueMatcher(load_cues())

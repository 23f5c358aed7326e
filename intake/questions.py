"""The intake's questions, loaded from questions.yml (edit the YAML, not this file)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

QUESTIONS_FILE = Path(__file__).resolve().parent / "questions.yml"
KINDS = {"yes_no", "choice", "multi", "tri", "onset", "text", "name", "date_of_birth", "phone", "email"}


@dataclass(frozen=True)
class Question:
    field: str
    kind: str
    ask: str
    why: str
    ask_noted: str | None = None
    retry: str | None = None
    lexicon: str | None = None
    replies: dict[str, Any] = field(default_factory=dict)
    buttons: tuple[str, ...] = ()
    only_if: dict[str, tuple[str, ...]] = field(default_factory=dict)
    volunteer: bool | str = True    # False, True, or "confirm" (noted, then confirmed when asked)
    pick: str = "last"          # which value wins when a choice answer names several
    asked_when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    own_signs: tuple[str, ...] = ()   # red flags heard only in their listed phrases while this is asked
    guess: bool = True          # a hedged answer ("the same I guess") is taken; false: it is "unknown"

    def applies(self, slots: dict[str, Any]) -> bool:
        """False when another answer makes this question pointless (see `only_if`, `asked_when`)."""
        return (all(slots.get(other) in allowed for other, allowed in self.only_if.items())
                and all(slots.get(other) in allowed for other, allowed in self.asked_when.items()))

    @property
    def confirms_volunteered(self) -> bool:
        return self.volunteer == "confirm"

    @property
    def interrupts(self) -> bool:
        """Asked at once when its condition holds (`asked_when`), before the questions in order."""
        return bool(self.asked_when)


# Fields whose value is a list; "none of these" is an empty list.
PICK_RULES = {"cause": "first_listed", "speech_difficulty": "highest", "eating_difficulty": "highest",
              "eye_closure": "specific"}


@lru_cache(maxsize=1)
def questions() -> tuple[Question, ...]:
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    out = []
    for raw in data["questions"]:
        if raw["kind"] not in KINDS:
            raise ValueError(f"questions.yml: {raw['field']}: unknown kind {raw['kind']!r}")
        out.append(Question(
            field=raw["field"], kind=raw["kind"], ask=raw["ask"].strip(), why=raw["why"].strip(),
            ask_noted=raw.get("ask_noted"), retry=raw.get("retry"), lexicon=raw.get("lexicon"),
            replies={str(k): v for k, v in (raw.get("replies") or {}).items()},
            buttons=tuple(raw.get("buttons") or ()),
            only_if={k: tuple(v) for k, v in (raw.get("only_if") or {}).items()},
            volunteer=raw.get("volunteer", True),
            pick=PICK_RULES.get(raw["field"], "last"),
            asked_when={k: tuple(v) for k, v in (raw.get("asked_when") or {}).items()},
            guess=raw.get("guess", True),
            own_signs=tuple(raw.get("own_signs") or ()),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def by_field() -> dict[str, Question]:
    return {q.field: q for q in questions()}


def question(field_name: str) -> Question:
    return by_field()[field_name]


def fields() -> list[str]:
    """Every question's field, in the order asked (the form's required slots)."""
    return [q.field for q in questions()]

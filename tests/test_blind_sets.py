"""The blind sets (tests/blind/): big enough, split once into halves that do not overlap, and kept
out of what the bot learns from: no patient message of them is in the NLU training data."""
from __future__ import annotations

import re

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from tests.conftest import ROOT

BLIND = ROOT / "tests" / "blind"
SETS = {"personas.yml": 150, "redflags.yml": 100, "crisis.yml": 100, "onsets.yml": 100}


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", str(text).lower()))


def load(half: str, name: str) -> list[dict]:
    return yaml.safe_load((BLIND / half / name).read_text(encoding="utf-8"))


def messages(items: list[dict]) -> list[str]:
    out = []
    for item in items:
        out += [item[k] for k in ("opening", "text", "followup") if item.get(k)]
        for answers in (item.get("answers") or {}, item.get("rephrase") or {}):
            out += [str(v) for v in answers.values()]
    return out


@pytest.mark.parametrize("name, least", SETS.items())
def test_each_set_is_big_enough_and_its_halves_are_disjoint(name, least):
    dev, sealed = load("dev", name), load("sealed", name)
    assert len(dev) + len(sealed) >= least
    ids = [i["id"] for i in dev + sealed]
    assert len(ids) == len(set(ids))


def test_no_blind_message_is_trained_on():
    training = {words(m.get("text")) for m in load_data(str(ROOT / "bot/data/nlu.yml")).intent_examples}
    leaked = [m for half in ("dev", "dev2", "dev4", "sealed", "sealed4") for name in SETS
              for m in messages(load(half, name))
              if len(words(m).split()) >= 8 and words(m) in training]   # short stock replies are common to all
    assert leaked == []


def test_the_second_round_is_a_set_of_its_own():
    """tests/blind/dev2: written blind later, none of its items in the first round's halves."""
    for name in SETS:
        first = {words(m) for half in ("dev", "sealed") for m in messages(load(half, name))}
        second = load("dev2", name)
        assert len(second) >= 40
        assert not {i["id"] for i in second} & {i["id"] for half in ("dev", "sealed") for i in load(half, name)}
        assert not [m for m in messages(second) if len(words(m).split()) >= 8 and words(m) in first]


ROUND_FOUR = {"personas.yml": 60, "redflags.yml": 70, "crisis.yml": 80, "onsets.yml": 70}


@pytest.mark.parametrize("name, size", ROUND_FOUR.items())
def test_the_fourth_round_is_split_once_into_two_halves_of_its_own(name, size):
    """tests/blind/dev4 and sealed4: written blind in a later session, split once, nothing shared."""
    dev, sealed = load("dev4", name), load("sealed4", name)
    assert len(dev) + len(sealed) == size
    ids = [i["id"] for i in dev + sealed]
    assert len(ids) == len(set(ids))
    earlier = {i["id"] for half in ("dev", "dev2", "dev3", "sealed") for f in (BLIND / half).glob(name.replace(".yml", "*.yml"))
               for i in yaml.safe_load(f.read_text(encoding="utf-8"))}
    assert not set(ids) & earlier


"""The routing rules: every rule fires where it should and not just past its threshold."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.routing import decide, default_rules, load_rules
from intake.routing.vocabulary import FIELDS, URGENCY_ORDER

CASES = yaml.safe_load((Path(__file__).parent / "cases.yml").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['rule']}-{'fires' if c['fires'] else 'not'}-{c['facts']}")
def test_case(case):
    decision = decide(case["facts"])
    assert (case["rule"] in decision.fired) == case["fires"], decision.reasons
    if "urgency" in case:
        assert decision.urgency == case["urgency"]


def test_every_rule_has_a_firing_and_a_non_firing_case():
    rules = default_rules()
    for rule in rules.rules + rules.modifiers:
        outcomes = {c["fires"] for c in CASES if c["rule"] == rule.id}
        assert outcomes == {True, False}, rule.id


def test_urgency_is_the_highest_fired_and_clinics_the_union():
    d = decide({"days": 2, "eye_closure": "partial", "speech_difficulty": "mild"})
    assert d.fired == ["R2-ACUTE", "R4-EYE-OPEN", "R15-ORAL"]
    assert d.urgency == "urgent"
    assert d.clinics == ["neurology", "ophthalmology", "speech_therapy"]


def test_default_only_when_nothing_else_fires():
    assert decide({}).fired == ["R-DEFAULT"]
    assert "R-DEFAULT" not in decide({"days": 500}).fired


def test_unsure_adds_neurology_and_never_lowers():
    d = decide({"red_flags_unsure": True, "neuro_symptoms": ["confusion"]})
    assert d.urgency == "emergency" and "neurology" in d.clinics


def test_reasons_are_plain_sentences_with_the_answers():
    d = decide({"days": 2})
    assert d.reasons[0]["text"].startswith("Began 2 days ago")
    assert all(r["text"] and "{" not in r["text"] for r in decide({"neuro_symptoms": ["limb_weakness"], "days": 1}).reasons)


def test_unknown_answers_never_fire_on_their_own():
    facts = {name: "unknown" for name, (kind, _) in FIELDS.items() if kind == "enum"}
    assert decide(facts).fired == ["R-DEFAULT"]


# ------------------------------------------------------------- property tests

def _enum(name):
    return st.sampled_from(list(FIELDS[name][1]) + [None])


def _list(name):
    return st.one_of(st.none(), st.lists(st.sampled_from(FIELDS[name][1]), unique=True, max_size=3))


facts_strategy = st.fixed_dictionaries({
    **{name: _enum(name) for name, (kind, _) in FIELDS.items() if kind == "enum"},
    **{name: _list(name) for name, (kind, _) in FIELDS.items() if kind == "list" and name != "neuro_symptoms"},
    "days": st.one_of(st.none(), st.integers(min_value=0, max_value=20000)),
    "red_flags_unsure": st.booleans(),
    "neuro_symptoms": st.one_of(st.none(), st.just([])),
})
LEVEL = {u: i for i, u in enumerate(URGENCY_ORDER)}


@settings(max_examples=300, deadline=None)
@given(facts_strategy, st.sampled_from(FIELDS["neuro_symptoms"][1]))
def test_adding_a_red_flag_never_lowers_urgency(facts, flag):
    before = decide(facts).urgency
    after = decide({**facts, "neuro_symptoms": [flag]}).urgency
    assert after == "emergency" and LEVEL[after] >= LEVEL[before]


@settings(max_examples=300, deadline=None)
@given(facts_strategy, st.sampled_from([n for n, (k, _) in FIELDS.items() if k in ("enum", "list")]))
def test_unknown_never_lowers_urgency_below_the_red_flag_screen(facts, name):
    """Turning an answer into 'unknown' may lower urgency (that answer no longer fires),
    but never below what the red-flag screen alone gives."""
    screen_only = decide({"neuro_symptoms": facts.get("neuro_symptoms"),
                          "red_flags_unsure": facts["red_flags_unsure"]}).urgency
    changed = dict(facts)
    changed[name] = "unknown" if FIELDS[name][0] == "enum" else None
    assert LEVEL[decide(changed).urgency] >= LEVEL[screen_only]


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_every_decision_is_complete(facts):
    d = decide(facts)
    assert d.urgency in URGENCY_ORDER and d.clinics and d.reasons


# ------------------------------------------------------------- a broken rules file is refused

BROKEN = [
    ("misspelt field", "{id: R-X, urgency: soon, clinics: [neurology], reason: r, when: {dayz: {at_most: 3}}}",
     "rule R-X: unknown field 'dayz'"),
    ("unknown test", "{id: R-X, urgency: soon, clinics: [neurology], reason: r, when: {days: {less_than: 3}}}",
     "rule R-X: unknown test 'less_than'"),
    ("unknown clinic", "{id: R-X, urgency: soon, clinics: [neurologie], reason: r, when: {days: {at_most: 3}}}",
     "rule R-X: unknown clinic"),
    ("unknown value", "{id: R-X, urgency: soon, clinics: [neurology], reason: r, when: {cause: {is: trauma_}}}",
     "rule R-X: cause has no value"),
    ("unknown urgency", "{id: R-X, urgency: asap, clinics: [neurology], reason: r, when: {days: {at_most: 3}}}",
     "rule R-X: urgency must be one of"),
    ("test on the wrong kind", "{id: R-X, urgency: soon, clinics: [neurology], reason: r, when: {days: {is: 3}}}",
     "rule R-X: test 'is' does not apply to 'days'"),
    ("no reason", "{id: R-X, urgency: soon, clinics: [neurology], when: {days: {at_most: 3}}}",
     "rule R-X: needs a reason"),
    ("misspelt key", "{id: R-X, urgency: soon, clinics: [neurology], reason: r, wen: {days: {at_most: 3}}}",
     "rule R-X: unknown key"),
]


@pytest.mark.parametrize("what, rule, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_rules_are_refused_with_the_rule_named(tmp_path, what, rule, message):
    path = tmp_path / "rules.yml"
    path.write_text(f"version: 1\nrules:\n  - {rule}\n")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_rules(path)


def test_the_shipped_rules_load():
    rules = load_rules()
    assert len(rules.rules) == 20 and rules.modifiers[0].id == "R-UNSURE"

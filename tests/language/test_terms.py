"""The term matcher: lexicon phrases, near-rules, negation and uncertainty."""
from __future__ import annotations

import pytest

from intake.language.lexicon import VALUE_KEYS, lexicon_fields, load_lexicon, normalise
from intake.language.pipeline import default_matcher


def found(text, field, asked=None):
    return [(f.value, f.negated, f.uncertain) for f in default_matcher().find(text, asked=asked) if f.field == field]


def positive(text, field, asked=None):
    return sorted({f.value for f in default_matcher().find(text, asked=asked) if f.field == field and f.positive})


@pytest.mark.parametrize("text, field, asked, expected", [
    ("my left arm has gone weak", "neuro_symptoms", None, ["limb_weakness"]),
    ("I can't lift my arm properly", "neuro_symptoms", None, ["limb_weakness"]),
    ("pins and needles in my right hand", "neuro_symptoms", None, ["limb_numbness"]),
    ("I can't get my words out", "neuro_symptoms", None, ["speech_or_language_problem"]),
    ("worst headache of my life", "neuro_symptoms", None, ["severe_headache"]),
    ("seeing double since this morning", "neuro_symptoms", None, ["vision_problem"]),
    ("No, my arms and legs are fine", "neuro_symptoms", "neuro_symptoms", []),
    ("no weakness or numbness in my arms", "neuro_symptoms", "neuro_symptoms", []),
    ("my eye waters when I eat", "eye_symptoms", None, ["crocodile_tears"]),
    ("it streams at dinner time", "eye_symptoms", "eye_symptoms", ["crocodile_tears"]),
    ("no pain, just dryness", "eye_symptoms", "eye_symptoms", ["dryness"]),
    ("it's red and it hurts", "eye_symptoms", "eye_symptoms", ["pain", "redness"]),
    ("dry and a bit red", "eye_symptoms", "eye_symptoms", ["dryness", "redness"]),
    ("my eye isn't red", "eye_symptoms", "eye_symptoms", []),
    ("Terrible ear pain, the blisters, and my hearing is muffled", "ear_symptoms", "ear_symptoms",
     ["ear_pain", "hearing_loss", "rash_or_blisters"]),
    ("There's a little ache behind my ear.", "ear_symptoms", "ear_symptoms", ["ear_pain"]),
    ("Food collects in my cheek and I sometimes bite it.", "eating_problems", "eating_problems",
     ["cheek_biting", "food_pocketing"]),
    ("He dribbles when drinking.", "eating_problems", "eating_problems", ["drinking_spill"]),
    ("I drool a lot", "eating_problems", None, ["drooling"]),
    ("my rite side", "affected_side", None, ["right"]),
    ("I had Bell's palsy", "cause", None, ["bells_palsy"]),
    ("the doc said shingles in my ear", "cause", None, ["ramsay_hunt"]),
    ("they put me on steroyds", "prior_treatments", None, ["steroids"]),
    ("my face is parallized on the left", "affected_side", None, ["left"]),
    # `not` phrases: "right" as in correct, and the side of a limb, are no side of the face
    ("that's right", "affected_side", "affected_side", []),
    ("sounds right to me", "affected_side", "affected_side", []),
    ("yes that's right, the left side", "affected_side", "affected_side", ["left"]),
    ("my right arm is weak", "affected_side", None, []),
    ("my left leg and the right side of my face", "affected_side", None, ["right"]),
    ("the right side", "affected_side", "affected_side", ["right"]),
])
def test_findings(text, field, asked, expected):
    assert positive(text, field, asked) == expected


def test_short_answers_count_only_for_their_own_question():
    assert positive("pain", "ear_symptoms", asked="ear_symptoms") == ["ear_pain"]
    assert positive("pain", "ear_symptoms", asked="eye_symptoms") == []
    assert positive("pain", "eye_symptoms", asked="eye_symptoms") == ["pain"]


def test_uncertainty_makes_a_finding_uncertain():
    assert found("maybe a bit red", "eye_symptoms", "eye_symptoms") == [("redness", False, True)]
    assert found("not sure if it's red", "eye_symptoms", "eye_symptoms") == [("redness", False, True)]


@pytest.mark.parametrize("text, field", [
    ("physio maybe twice a week for a year", "prior_treatments"),
    ("steroids for perhaps 5 days", "prior_treatments"),
    ("eye drops possibly a dozen times a day", "prior_treatments"),
])
def test_a_hedge_on_a_count_leaves_the_finding_certain(text, field):
    assert [u for _, _, u in found(text, field, field)] == [False]
    assert found("maybe physio, I can't remember", "prior_treatments", "prior_treatments")[0][2] is True


def test_negation_stops_at_the_clause():
    result = found("no redness but it is dry", "eye_symptoms", "eye_symptoms")
    assert ("redness", True, False) in result and ("dryness", False, False) in result


def test_normalise_fixes_spelling_and_apostrophes():
    assert normalise("My RITE eye doesnt close") == "my right eye doesn't close"
    assert normalise("it\u2019s") == "it's"


def test_every_lexicon_file_loads_with_values():
    for name in lexicon_fields():
        lexicon = load_lexicon(name)
        assert lexicon, name
        for value, spec in lexicon.items():
            assert set(spec or {}) <= VALUE_KEYS, (name, value)


def test_no_data_file_repeats_a_key():
    """YAML keeps the last of two equal keys without a word: a second `near:` would silently drop the first."""
    import yaml

    from intake.language.lexicon import HERE, LEXICON_DIR

    class Strict(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            repeated = {k for k in keys if keys.count(k) > 1}
            assert not repeated, f"{node.start_mark}: repeated keys {repeated}"
            return super().construct_mapping(node, deep)

    for path in [*LEXICON_DIR.glob("*.yml"), HERE / "context.yml", HERE / "normalise.yml", HERE / "replies.yml"]:
        yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)

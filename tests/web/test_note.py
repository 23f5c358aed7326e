"""The red-flag box of the clinical note: what the nurse reads first, from the summary alone."""
from web.console.note import red_flags


def _kinds(history: dict, status: str = "in_progress") -> list[tuple[str, str]]:
    return [(line["kind"], line["text"]) for line in red_flags({"status": status, "history": history}).lines]


def test_a_self_harm_cue_answered_no_is_shown_without_alarm():
    flags = red_flags({"history": {"self_harm_cue": True, "self_harm_risk": False, "neuro_symptoms": []}})
    assert not flags.alarm
    assert any(line["kind"] == "unsure" and "they said no" in line["text"] for line in flags.lines)


def test_a_self_harm_cue_not_yet_answered_says_so():
    lines = _kinds({"self_harm_cue": True, "self_harm_risk": None, "neuro_symptoms": []})
    assert any(kind == "unsure" and "not answered" in text for kind, text in lines)


def test_a_risk_outranks_the_cue():
    flags = red_flags({"history": {"self_harm_cue": True, "self_harm_risk": True, "neuro_symptoms": []}})
    assert flags.alarm
    assert not any("can signal" in line["text"] for line in flags.lines)


def test_no_cue_no_line():
    assert not any("self-harm" in text for _, text in _kinds({"self_harm_cue": False, "neuro_symptoms": []}))

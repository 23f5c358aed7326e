"""Fixed messages fill in the hospital's settings; the ending explains the routing."""
from __future__ import annotations

import yaml

from intake import messages
from intake.config import hospital
from intake.messages import HERE


def test_every_message_fills_without_missing_settings():
    names = [k for k, v in yaml.safe_load((HERE / "messages.yml").read_text()).items()
             if isinstance(v, str) and not k.startswith("ending_")]      # the ending is filled by ending()
    filled_by_the_interview = {"red_flag_check": {"signs": "Weakness in an arm or leg"}}
    for name in names:
        text = messages.text(name, **filled_by_the_interview.get(name, {}))
        assert "{" not in text, name


def test_crisis_message_names_the_crisis_line_and_emergency_number():
    text = messages.text("crisis")
    assert hospital()["crisis_line"] in text and hospital()["emergency_number"] in text


def test_ending_lists_each_clinic_with_a_reason():
    triage = {"urgency": "urgent", "clinics": ["neurology", "ophthalmology"],
              "reasons": [{"rule": "R2-ACUTE", "text": "Began 1 days ago: steroids."},
                          {"rule": "R4-EYE-OPEN", "text": "The eye does not close fully."}]}
    text = messages.ending(triage)
    assert "1 to 3 days" in text
    assert "- neurology (nerve and brain specialists): began 1 days ago" in text
    assert "- the eye clinic: the eye does not close fully" in text
    assert hospital()["contact_time"]["urgent"] in text

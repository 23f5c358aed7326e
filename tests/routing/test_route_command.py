"""`intake route`: what a clinician runs to check a rule change."""
from __future__ import annotations

import json

from intake.cli import main


def write_summary(tmp_path, history):
    path = tmp_path / "summary.json"
    path.write_text(json.dumps({"history": history}))
    return str(path)


def test_route_prints_the_decision_and_fired_rules(tmp_path, capsys):
    path = write_summary(tmp_path, {"onset": {"days_since_onset": 2}, "eye_closure": "unable"})
    assert main(["route", path]) == 0
    out = capsys.readouterr().out
    assert "urgency: urgent" in out and "R2-ACUTE" in out and "R4-EYE-OPEN" in out


def test_route_with_an_edited_rules_file(tmp_path, capsys):
    rules = tmp_path / "rules.yml"
    rules.write_text("version: 1\nrules:\n  - {id: R-ONLY, urgency: soon, clinics: [neurology], reason: Everyone.,"
                     " when: {days: {at_least: 0}}}\n")
    path = write_summary(tmp_path, {"onset": {"days_since_onset": 2}})
    assert main(["route", "--rules", str(rules), "--json", path]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["urgency"] == "soon" and [r["rule"] for r in decision["reasons"]] == ["R-ONLY"]


def test_route_refuses_a_broken_rules_file_naming_the_rule(tmp_path, capsys):
    rules = tmp_path / "rules.yml"
    rules.write_text("version: 1\nrules:\n  - {id: R-TYPO, urgency: soon, clinics: [nuerology], reason: r,"
                     " when: {days: {at_least: 0}}}\n")
    assert main(["route", "--rules", str(rules)]) == 1
    err = capsys.readouterr().err
    assert "R-TYPO" in err and "nuerology" in err and len(err.strip().splitlines()) == 1


def test_route_checks_the_installed_rules(capsys):
    assert main(["route"]) == 0
    assert "rules OK" in capsys.readouterr().out


def test_route_says_so_when_the_summary_is_unreadable(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["route", str(bad)]) == 1
    assert "cannot read a summary" in capsys.readouterr().err

"""The ``intake`` command line: export and list against a temporary SQLite store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake import cli, config
from intake.store import IntakeStore

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEAD_DB_URL = "postgresql+psycopg2://intake:n0t-a-real-pw@127.0.0.1:1/intake"


def sample_summary(conversation_id: str, **changes) -> dict:
    """A small schema-valid summary for an invented patient."""
    summary = {
        "schema_version": "1",
        "conversation_id": conversation_id,
        "status": "completed",
        "language": "en",
        "started_at": "2024-05-06T08:00:00+00:00",
        "updated_at": "2024-05-06T08:12:40+00:00",
        "consent": True,
        "patient": {"name": "Jonas Beispiel-Ærø", "date_of_birth": "1980-02-29", "age_years": 44,
                    "phone": "+49 30 1234567", "email": "jonas@example.org"},
        "history": {
            "affected_side": "right", "paralysis_extent": "partial",
            "onset": {"date": "2024-04-15", "days_since_onset": 21, "text": "three weeks ago 🙁"},
            "onset_speed": "sudden", "course": "improving", "recurrence": "none", "cause": "bells_palsy",
            "eye_closure": "partial", "eye_symptoms": ["dryness"], "speech_difficulty": "mild",
            "eating_difficulty": "mild", "eating_problems": ["drinking_spill"], "synkinesis": "no",
            "ear_symptoms": [], "neuro_symptoms": [], "prior_treatments": ["steroids"],
            "goals": "close my eye <properly> & smile",
        },
        "triage": {"urgency": "soon", "clinics": ["facial_rehabilitation", "ophthalmology"],
                   "reasons": [{"rule": "eye_exposure", "text": "incomplete eye closure"}],
                   "handoff_requested": False},
    }
    summary.update(changes)
    return summary


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("INTAKE_DB_URL", url)
    return url


@pytest.fixture
def filled(db_url):
    """Three intakes: a finished one, one with answers but no name, one that only sent a message."""
    with IntakeStore(db_url) as store:
        store.record_answer("conv-done", field="goals", value="smile", text="smile", message_id="m1",
                            summary=sample_summary("conv-done"))
        store.record_answer("conv-done", field="confirm", value=True, text="yes", message_id="m2",
                            summary=sample_summary("conv-done"))
        partial = sample_summary(
            "conv-half", status="in_progress", updated_at="2024-05-06T09:30:59+00:00",
            patient={"name": None, "date_of_birth": None, "phone": None, "email": None},
            triage={"urgency": None, "clinics": [], "reasons": [], "handoff_requested": False},
        )
        store.record_answer("conv-half", field="consent", value=True, text="ok", message_id="m1", summary=partial)
        store.record_message("conv-hello", text="hello?", message_id="m1")
    return db_url


def test_export_prints_the_stored_summary_as_json(filled, capsys, summary_validator):
    assert cli.main(["export", "conv-done"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    document = json.loads(out)
    assert document == sample_summary("conv-done")
    summary_validator.validate(document)
    assert out.splitlines()[1].startswith('  "')  # indent 2
    assert "Jonas Beispiel-Ærø" in out and "🙁" in out  # not \\u-escaped


def test_export_of_unknown_conversation_exits_1_with_one_line(filled, capsys):
    assert cli.main(["export", "no-such-conversation"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "intake: no intake for conversation 'no-such-conversation'\n"


def test_export_of_message_only_conversation_is_not_found(filled, capsys):
    assert cli.main(["export", "conv-hello"]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_export_from_a_fresh_database_is_not_found(db_url, capsys):
    assert cli.main(["export", "anything"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1


@pytest.mark.parametrize("url", [DEAD_DB_URL, "sqlite:////nonexistent-intake-dir/x/intake.db"], ids=["pg", "sqlite"])
def test_unreachable_database_is_one_line_and_nonzero(url, monkeypatch, capsys):
    monkeypatch.setenv("INTAKE_DB_URL", url)
    for argv in (["export", "conv-done"], ["list"]):
        code = cli.main(argv)
        out, err = capsys.readouterr()
        assert code not in (0, None)
        assert out == ""
        assert len(err.splitlines()) == 1 and err.startswith("intake: ")
        assert "Traceback" not in err and "n0t-a-real-pw" not in err


def test_list_prints_one_line_per_intake_newest_first(filled, capsys):
    assert cli.main(["list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 3
    rows = {line.split()[4]: line.split() for line in lines}
    assert rows["conv-half"][:6] == ["2024-05-06", "09:30", "in_progress", "-", "conv-half", "1"]
    assert rows["conv-half"][6:] == ["-"]
    assert rows["conv-done"][:6] == ["2024-05-06", "08:12", "completed", "soon", "conv-done", "2"]
    assert " ".join(rows["conv-done"][6:]) == "Jonas Beispiel-Ærø"
    assert rows["conv-hello"][2:] == ["in_progress", "-", "conv-hello", "0", "-"]
    # conv-hello was created now, so it is the most recent; then the summaries' updated_at order.
    assert [line.split()[4] for line in lines] == ["conv-hello", "conv-half", "conv-done"]


def test_list_filters_and_limits(filled, capsys):
    assert cli.main(["list", "--status", "completed"]) == 0
    assert [line.split()[4] for line in capsys.readouterr().out.splitlines()] == ["conv-done"]
    assert cli.main(["list", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert cli.main(["list", "--status", "abandoned"]) == 0
    assert capsys.readouterr().out == ""


def test_bad_arguments_are_usage_errors(db_url, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["list", "--limit", "0"])
    assert exited.value.code == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_migrate_command(db_url, capsys):
    from intake.store.migrations import head_revision

    assert cli.main(["migrate"]) == 0
    assert head_revision() in capsys.readouterr().out


def test_default_store_is_sqlite_under_project_data(monkeypatch):
    monkeypatch.delenv("INTAKE_DB_URL", raising=False)
    assert config.db_url() == f"sqlite:///{PROJECT_ROOT / 'data' / 'intake.db'}"
    monkeypatch.setenv("INTAKE_DB_URL", "postgresql://somewhere/intake")
    assert config.db_url() == "postgresql://somewhere/intake"


def test_python_dash_m_entry_point(filled):
    env = {**os.environ, "INTAKE_DB_URL": filled,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    ok = subprocess.run([sys.executable, "-m", "intake.cli", "export", "conv-done"], cwd=PROJECT_ROOT, env=env,
                        capture_output=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout.decode("utf-8")) == sample_summary("conv-done")

    missing = subprocess.run([sys.executable, "-m", "intake.cli", "export", "nope"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1 and missing.stdout == ""

    dead = subprocess.run([sys.executable, "-m", "intake.cli", "export", "conv-done"], cwd=PROJECT_ROOT,
                          env={**env, "INTAKE_DB_URL": DEAD_DB_URL}, capture_output=True, text=True, timeout=120)
    assert dead.returncode != 0
    assert len(dead.stderr.splitlines()) == 1 and "Traceback" not in dead.stderr

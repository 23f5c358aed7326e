"""The patient simulator (../shared/sim) against the running bot: the contract end to end."""
from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.bot
PERSONAS = SHARED / "sim" / "personas-sample.yml"


@pytest.fixture(scope="module")
def sim_results(running_bot, sim_python, tmp_path_factory):
    out = tmp_path_factory.mktemp("sim") / "results.json"
    proc = subprocess.run(
        [sim_python, str(SHARED / "sim" / "simulate.py"), str(PERSONAS), "--rasa", running_bot.rasa_url,
         "--token", running_bot.token, "--project", str(ROOT), "--json", str(out), "--workers", "2"],
        env=running_bot.env, capture_output=True, text=True, timeout=1200)
    print(proc.stdout[-4000:])          # the simulator's own report, shown with -s or on failure
    assert out.exists(), proc.stderr[-2000:]
    return proc, json.loads(out.read_text())


def test_every_persona_finishes_with_a_schema_valid_summary(sim_results):
    _, results = sim_results
    assert len(results) == 8
    for r in results:
        assert r["summary"] is not None, (r["id"], r["problems"])
        assert not r["score"]["schema_errors"], (r["id"], r["score"]["schema_errors"])
        assert not r["problems"], (r["id"], r["problems"])


def test_every_history_and_patient_field_is_right(sim_results):
    _, results = sim_results
    wrong = [(r["id"], path, want, got) for r in results for path, want, got, ok in r["score"]["fields"] if not ok]
    assert not wrong


def test_no_question_is_asked_twice(sim_results):
    """Nothing told is asked again; the one exception is the check of an unsure red-flag answer
    ("my hand felt a bit odd": do you have it right now?), which asks the safety question once more."""
    _, results = sim_results
    unsure = {p["id"] for p in yaml.safe_load(PERSONAS.read_text()) if p.get("unsure_red_flags")}
    repeated = {r["id"]: r["asked"] for r in results if r["repeats"]}
    assert {pid for pid in repeated if pid not in unsure} == set()
    assert all(asked.get("neuro_symptoms") == 2 and sum(asked.values()) == len(asked) + 1
               for pid, asked in repeated.items())


def test_every_persona_passes_with_no_under_triage(sim_results):
    proc, results = sim_results
    under = [r["id"] for r in results if r["score"]["under_triage"]]
    assert not under, f"UNDER-TRIAGE: {under}"
    failing = [r["id"] for r in results
               if r["score"]["urgency_ok"] is False or r["score"]["clinics_ok"] is False]
    assert not failing
    assert proc.returncode == 0, proc.stdout[-3000:]

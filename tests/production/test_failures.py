"""Failure tests on the production layout: replicas, crashes, restarts, a database outage."""
from __future__ import annotations

import concurrent.futures as cf
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from intake.store import IntakeStore
from tests.conftest import ROOT
from tests.production.conftest import Patient

pytestmark = pytest.mark.production
SCREEN = ["hello", "yes", "no, none of those"]


def wait_until_up(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} did not come back")


@pytest.fixture(scope="module")
def store(stack):
    db = IntakeStore(stack.db_url)       # straight to PostgreSQL, not through the proxy
    yield db
    db.dispose()


def test_50_concurrent_conversations_across_both_replicas_keep_their_own_answers(stack, store):
    replicas = [stack.replica_url(1), stack.replica_url(2)]

    def converse(i: int) -> tuple[str, str, int]:
        patient = Patient(stack, f"many{i}")
        side = "left" if i % 2 else "right"
        days = i + 1
        script = SCREEN + [side, "a little", f"{days} days ago", "suddenly"]
        for n, text in enumerate(script):
            patient.say(text, via=replicas[(i + n) % 2])      # each message to the other replica
        return patient.sender, side, days

    with cf.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(converse, range(50)))
    wrong = []
    for sender, side, days in results:
        summary = store.get_summary(sender)
        history = (summary or {}).get("history", {})
        got = (history.get("affected_side"), history.get("onset", {}).get("days_since_onset"),
               history.get("paralysis_extent"), history.get("onset_speed"))
        if got != (side, days, "partial", "sudden"):
            wrong.append((sender, got))
        answered = {a.field for a in store.answers(sender)}
        if not {"consent", "neuro_symptoms", "affected_side", "paralysis_extent", "onset", "onset_speed"} <= answered:
            wrong.append((sender, sorted(answered)))
    assert not wrong


def test_a_whole_intake_through_the_load_balancer(stack, store):
    """Every message answered, to the end: the conversation sent to the action servers grows."""
    from scripts.bench import PATIENT_SCRIPT

    patient = Patient(stack, "whole")
    empty = [text for text in PATIENT_SCRIPT if not patient.say(text)]
    assert not empty
    assert store.get_summary(patient.sender)["status"] == "completed"


def test_an_action_server_killed_mid_conversation(stack, store):
    patient = Patient(stack, "actionkill")
    for text in SCREEN + ["left"]:
        patient.say(text)
    stack.kill(f"bot.action_server --actions bot.actions --port {stack.action_port(1)}")
    try:
        for text in ["a little", "3 weeks ago", "suddenly"]:
            assert patient.say(text), text          # the other action server answers meanwhile
    finally:
        wait_until_up(f"http://127.0.0.1:{stack.action_port(1)}/health")
    assert patient.say("getting better")
    history = store.get_summary(patient.sender)["history"]
    assert (history["affected_side"], history["paralysis_extent"], history["onset_speed"], history["course"]) == \
        ("left", "partial", "sudden", "improving")
    assert history["onset"]["days_since_onset"] == 21


def test_a_rasa_server_restarted_mid_conversation_resumes(stack, store):
    patient = Patient(stack, "rasakill")
    first = stack.replica_url(1)
    for text in SCREEN + ["right"]:
        patient.say(text, via=first)
    assert patient.slots(via=first)["requested_slot"] == "paralysis_extent"
    stack.kill(f"--port {stack.base_port + 1} --interface 127.0.0.1")
    try:
        assert patient.slots()["requested_slot"] == "paralysis_extent"      # nginx: the other replica
        patient.say("no movement at all")
    finally:
        wait_until_up(first + "/")
    assert patient.slots(via=first)["requested_slot"] == "onset"          # the restarted replica resumes
    patient.say("yesterday", via=first)
    history = store.get_summary(patient.sender)["history"]
    assert (history["affected_side"], history["paralysis_extent"]) == ("right", "complete")
    assert history["onset"]["days_since_onset"] == 1


def test_intake_database_down_during_an_answer_then_reconcile(stack, store, db_proxy):
    patient = Patient(stack, "dbdown")
    for text in SCREEN:
        patient.say(text)
    db_proxy.stop()
    try:
        replies = patient.say("the left side")
        assert any("couldn't save" in r for r in replies), replies
        assert patient.slots()["affected_side"] == "left"          # the answer is kept
        assert patient.slots()["store_pending"] is True
    finally:
        db_proxy.start()
    assert store.get_summary(patient.sender)["history"]["affected_side"] is None
    env = {**os.environ, **stack.env, "INTAKE_DB_URL": stack.db_url, "TRACKER_DB_DIALECT": "postgresql",
           "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": stack.name,
           "TRACKER_DB_USER": "postgres"}
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "intake"), "reconcile"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert store.get_summary(patient.sender)["history"]["affected_side"] == "left"
    assert any(a.field == "affected_side" and a.text == "the left side" for a in store.answers(patient.sender))
    again = subprocess.run([str(ROOT / ".venv" / "bin" / "intake"), "reconcile"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert "completed 0" in again.stdout                                 # idempotent


def test_the_http_api_refuses_requests_without_the_token(stack):
    for url in (stack.rasa_url, stack.replica_url(1)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{url}/conversations/anyone/tracker", timeout=10)
        assert refused.value.code == 401


def test_servers_listen_on_loopback_only(stack):
    for i in (1, 2):
        wait_until_up(stack.replica_url(i) + "/")
        wait_until_up(f"http://127.0.0.1:{stack.action_port(i)}/health")
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    ports = [stack.action_port(1), stack.action_port(2), stack.base_port + 1, stack.base_port + 2, stack.rasa_port]
    for port in ports:
        lines = [line for line in listening.splitlines() if f":{port} " in line]
        assert lines, port
        assert all("127.0.0.1:" in line for line in lines), lines

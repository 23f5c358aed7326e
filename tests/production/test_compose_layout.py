"""The compose layout keeps the action servers out of the internet-facing web container's reach."""
from __future__ import annotations

import yaml

from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def networks(name: str) -> set[str]:
    return set(SERVICES[name].get("networks") or [])


def test_the_web_front_shares_no_network_with_the_action_servers():
    reachable = {name for name in SERVICES if networks(name) & networks("web")}
    assert not reachable & {"actions-1", "actions-2", "nginx-actions"}
    assert "nginx-rasa" in reachable and "postgres" in reachable


def test_only_rasa_and_the_action_servers_hold_the_action_key():
    holders = {name for name, spec in SERVICES.items() if "INTAKE_ACTION_KEY" in (spec.get("environment") or {})}
    assert holders == {"rasa-1", "rasa-2", "actions-1", "actions-2"}


def test_rasa_reaches_the_action_servers_through_their_own_balancer():
    env = SERVICES["rasa-1"]["environment"]
    assert env["ACTION_ENDPOINT_URL"].startswith("http://nginx-actions:")
    assert networks("rasa-1") & networks("nginx-actions")
    conf = (ROOT / "deploy" / "nginx-rasa.compose.conf").read_text()
    assert "actions" not in conf.replace("nginx-actions", "")

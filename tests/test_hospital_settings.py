"""The defaults fit the hospital, Asan Medical Center in Seoul; another hospital edits hospital.yml."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker

from bot.actions import tracker_view
from intake import config, messages


def test_seoul_numbers_and_zone():
    settings = config.hospital()
    assert settings["emergency_number"] == "119"       # 112 is the police in Korea
    assert settings["crisis_line"] == "109"            # the national suicide prevention line
    assert settings["timezone"] == "Asia/Seoul"


def test_emergency_and_crisis_messages_give_the_seoul_numbers():
    assert "119" in messages.text("emergency") and "112" not in messages.text("emergency")
    crisis = messages.text("crisis")
    assert "109" in crisis and "119" in crisis


def test_time_zone_defaults_to_the_hospitals_and_the_environment_overrides_it(monkeypatch):
    monkeypatch.delenv("INTAKE_TIMEZONE", raising=False)
    assert config.timezone().key == "Asia/Seoul"
    monkeypatch.setenv("INTAKE_TIMEZONE", "Europe/London")
    assert config.timezone().key == "Europe/London"
    monkeypatch.setenv("INTAKE_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        config.timezone()


def _tracker_at(moment: datetime) -> Tracker:
    event = {"event": "user", "text": "yesterday", "timestamp": moment.timestamp()}
    return Tracker("t", {}, {"text": "yesterday"}, [event], False, None, {}, "action_listen")


@pytest.mark.parametrize("utc, seoul_date", [
    (datetime(2026, 12, 1, 14, 59, tzinfo=timezone.utc), "2026-12-01"),   # 23:59 in Seoul
    (datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc), "2026-12-02"),    # midnight in Seoul, still the 1st in UTC
])
def test_the_conversation_date_is_seouls(monkeypatch, utc, seoul_date):
    monkeypatch.delenv("INTAKE_TIMEZONE", raising=False)
    assert tracker_view.conversation_date(_tracker_at(utc)).isoformat() == seoul_date

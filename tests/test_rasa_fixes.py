"""bot/rasa_fixes.py: Rasa's server, faster, with results identical to Rasa's own code."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

import bot.channels  # noqa: F401  (applies the fixes, as when Rasa starts)
from bot import rasa_fixes

RESPONSES = [
    {"events": [{"event": "slot", "name": "affected_side", "value": "left"}], "responses": [{"text": "Thanks."}]},
    {"events": [], "responses": []},
    {},
    {"events": "not a list"},
    {"events": [{"name": "no event key"}]},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "yesterday"}]},
    {"events": [{"event": "followup", "name": 3}]},
    {"responses": "no"},
    {"responses": [1, 2]},
    [],
]


def test_the_fixes_are_in_place_once_the_channel_is_loaded():
    assert RemoteAction._validate_action_result is rasa_fixes.validate_action_result
    assert Event.resolve_by_type is rasa_fixes.resolve_by_type


def _outcome(validate, response):
    try:
        return validate(RemoteAction("action_x", None), response)
    except ValidationError as error:
        return ("invalid", error.message, list(error.path))


@pytest.mark.parametrize("response", RESPONSES)
def test_action_responses_are_judged_as_rasa_judges_them(response):
    ours = _outcome(rasa_fixes.validate_action_result, response)
    assert ours == _outcome(rasa_fixes._original_validate_action_result, response)


def test_an_invalid_response_is_still_refused_with_rasa_s_hint():
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        rasa_fixes.validate_action_result(RemoteAction("action_x", None), {"events": "not a list"})


def test_every_event_type_resolves_to_the_class_rasa_finds():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in sorted(names) * 2:                  # the second round comes from the cache
        assert rasa_fixes.resolve_by_type(name) is rasa_fixes._original_resolve_by_type(name)


def test_unknown_event_types_behave_as_in_rasa():
    assert rasa_fixes.resolve_by_type("topic") is None
    assert rasa_fixes.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_fixes.resolve_by_type("no_such_event")


def test_action_server_requests_carry_the_same_json(monkeypatch):
    import asyncio
    import json

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    received = {}

    async def handler(request):
        received["body"] = json.loads(await request.read())
        return web.json_response({"events": [], "responses": []})

    async def round_trip():
        app = web.Application()
        app.router.add_post("/webhook", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        body = {"text": "é / <b> 🙂", "timestamp": 1732485600.1234567, "nested": [None, True, 0.1 + 0.2]}
        try:
            reply = await EndpointConfig(f"http://127.0.0.1:{port}/webhook").request(json=body, method="post")
        finally:
            await runner.cleanup()
        return body, reply

    body, reply = asyncio.run(round_trip())
    assert received["body"] == body and reply == {"events": [], "responses": []}
    assert EndpointConfig.session is rasa_fixes.endpoint_session


def test_objects_loaded_at_start_are_frozen_after_the_server_starts():
    import gc

    from bot.channels import PatientRestInput

    blueprint = PatientRestInput().blueprint(lambda message: None)
    listeners = [(listener.listener, listener.event) for listener in blueprint._future_listeners]
    assert (rasa_fixes.freeze_loaded_objects, "after_server_start") in listeners
    try:
        rasa_fixes.freeze_loaded_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

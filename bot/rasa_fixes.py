"""Speed fixes to Rasa 3.6's server; same behaviour, less work.

Measured with py-spy during `make bench` (one replica, 8 patients at once, Rasa's process at
a full core): 45% of Rasa's time went to validating each action server response with
``jsonschema.validate``, which first checks the schema itself against the JSON Schema
meta-schema on every call; 6% went to finding each stored event's class by walking all
``Event`` subclasses, for every event of the conversation at every message. Here the
response validator is built (and its schema checked) once, and event classes are looked up
once per type name. Later, 8% went to encoding the whole conversation as JSON for each
action server call: ujson (already installed with Rasa) encodes it in half the time. Last,
the slowest replies were full garbage collections walking the millions of objects loaded at
start: they are frozen once the model is loaded. Applied by ``bot.channels``, which Rasa
imports at server start (credentials.yml), the freeze by its blueprint's start listener;
``tests/test_rasa_fixes.py`` checks that the results are unchanged.
"""
from __future__ import annotations

import functools
import gc
from typing import Any, Optional, Type

import aiohttp
import ujson
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

_original_validate_action_result = RemoteAction._validate_action_result
_original_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, Type[Event]] = {}


@functools.lru_cache(maxsize=1)
def response_validator():
    """A validator for RemoteAction's response schema, the schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """As ``RemoteAction._validate_action_result``: the best-matching error, with Rasa's hint."""
    error = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """As ``Event.resolve_by_type`` (the first subclass with that name), remembered by name."""
    found = _event_classes.get(type_name)
    if found is not None:
        return found
    for cls in all_subclasses(Event):
        if cls.type_name == type_name:
            _event_classes[type_name] = cls
            return cls
    return _original_resolve_by_type(type_name, default)   # "topic", the default, or the error


def endpoint_session(self: EndpointConfig) -> aiohttp.ClientSession:
    """As ``EndpointConfig.session``, with JSON bodies encoded by ujson."""
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    return aiohttp.ClientSession(headers=self.headers, auth=auth, json_serialize=ujson.dumps,
                                 timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))


def freeze_loaded_objects(*_args) -> None:
    """Move everything loaded at start (TensorFlow, spaCy, the model) out of the garbage
    collector's way, so its full collections stop walking millions of objects that live as
    long as the server (``gc.freeze``). A Sanic listener, run after the model is loaded."""
    gc.collect()
    gc.freeze()


def apply() -> None:
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
    EndpointConfig.session = endpoint_session

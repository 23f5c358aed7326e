"""The patient chat (issue 6): the standalone page, the embeddable widget and its JSON API.

    GET  /chat/                 the chat, full page
    GET  /chat/widget.js        the widget; `<script src="https://HOST/chat/widget.js" defer>` embeds it
    GET  /chat/api/config       texts the widget shows before the bot speaks (privacy notice)
    GET  /chat/api/history      ?sender=UUID: the conversation so far (from Rasa's tracker)
    POST /chat/api/start        {sender}: opens a new conversation (the bot's intro and consent question)
    POST /chat/api/message      {sender, text, id?, retry?}: one patient message; the bot's replies

The browser talks only to this server; Rasa (settings.rasa_url) and its token stay here.
See docs/chat.md.
"""
from __future__ import annotations

import logging
import os
import re
import uuid
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException

from intake.patient_text import clean_text, not_a_command
from web.chat.rasa import RasaClient, RasaUnavailable, has_user_messages, replies_after

log = logging.getLogger(__name__)

blueprint = Blueprint("chat", __name__, template_folder="templates", static_folder="static")

MAX_TEXT = 2000
GREETING = "/greet"          # opens the conversation: the bot's intro, then the consent question
UNAVAILABLE = ("We can't reach the assistant right now; your message is kept and will be sent "
               "when the connection is back.")
PRIVACY_NOTICE = (
    "Before you start: with your permission, what you type here is stored in your hospital record and "
    "read only by the facial nerve team and staff involved in your care. This browser keeps the "
    "conversation so that you can come back to it (on a shared computer, use \"Clear this chat from this "
    "device\" when you are done). The assistant is not a person and cannot help in an emergency: if you "
    "feel very unwell, call {emergency_number}."
)


# -- settings ----------------------------------------------------------------------------
def _settings():
    return current_app.config["INTAKE_SETTINGS"]


def _rasa() -> RasaClient:
    client = current_app.config.get("CHAT_RASA_CLIENT")     # tests may put a fake here
    if client is None:
        settings = _settings()
        client = RasaClient(settings.rasa_url, settings.rasa_token)
    return client


def _embed_origins() -> set[str]:
    """Sites allowed to embed the widget from another origin (CORS): CHAT_EMBED_ORIGINS, space or comma separated."""
    raw = current_app.config.get("CHAT_EMBED_ORIGINS")
    if raw is None:
        raw = os.environ.get("CHAT_EMBED_ORIGINS", "")
    if isinstance(raw, str):
        raw = re.split(r"[\s,]+", raw)
    return {origin.rstrip("/") for origin in raw if origin}


def _hospital() -> dict[str, Any]:
    try:
        from intake.config import hospital

        return hospital()
    except Exception:  # the page still works without the hospital's settings
        log.exception("could not read intake/hospital.yml")
        return {}


def widget_config() -> dict[str, str]:
    emergency = str(_hospital().get("emergency_number") or "your local emergency number")
    return {"privacy_notice": PRIVACY_NOTICE.format(emergency_number=emergency), "unavailable": UNAVAILABLE,
            "emergency_number": emergency}


# The chat API is cookie-less JSON (the sender id is the only key, no session), so CSRF
# tokens do not apply to it: should the app turn on Flask-WTF's checking by default, the
# chat blueprint is exempt.
@blueprint.record_once
def _exempt_from_csrf(state) -> None:
    csrf = state.app.extensions.get("csrf")
    if csrf is not None and hasattr(csrf, "exempt"):
        csrf.exempt(blueprint)


# -- pages -------------------------------------------------------------------------------
@blueprint.get("/")
def page():
    return render_template("chat/page.html", config=widget_config())


@blueprint.get("/widget.js")
def widget():
    response = send_from_directory(blueprint.static_folder, "widget.js", mimetype="text/javascript", max_age=300)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# -- JSON API ----------------------------------------------------------------------------
class BadRequest(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _error(status: int, code: str, message: str):
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


@blueprint.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return _error(400, error.code, error.message)


@blueprint.errorhandler(RasaUnavailable)
def _unavailable(error: RasaUnavailable):
    return _error(503, "assistant_unavailable", UNAVAILABLE)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    if _is_api():
        messages = {413: "That message is too long.", 404: "No such address.", 405: "That method is not allowed here."}
        return _error(error.code or 500, error.name.lower().replace(" ", "_"),
                      messages.get(error.code, error.description or error.name))
    return error


def _is_api() -> bool:
    return bool(request.endpoint and request.endpoint.startswith("chat.api_"))


def _sender(value: Any) -> str:
    if not isinstance(value, str):
        raise BadRequest("invalid_sender", "sender must be the chat's id (a UUID).")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise BadRequest("invalid_sender", "sender must be the chat's id (a UUID).") from None
    if str(parsed) != value.lower():
        raise BadRequest("invalid_sender", "sender must be the chat's id (a UUID).")
    return str(parsed)


def _message_id(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise BadRequest("invalid_id", "id must be a UUID when given.") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadRequest("invalid_text", "text must be a string.")
    text = clean_text(value).strip()
    if not text:
        raise BadRequest("empty_text", "Please type a message first.")
    if len(text) > MAX_TEXT:
        raise BadRequest("text_too_long", f"Please keep a message under {MAX_TEXT} characters "
                                          f"(this one has {len(text)}); you can send the rest in a second message.")
    return not_a_command(text).strip() or "?"      # never read by Rasa as an intent name


def _json_body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:                   # thousands of nested brackets: not a message
        body = None
    if not isinstance(body, dict):
        raise BadRequest("invalid_json", "Send a JSON object, for example {\"sender\": \"…\", \"text\": \"…\"}.")
    return body


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/api/config")
def api_config():
    return jsonify(widget_config())


@blueprint.get("/api/history")
def api_history():
    sender = _sender(request.args.get("sender"))
    return _no_store(jsonify({"sender": sender, "messages": _rasa().history(sender)}))


@blueprint.post("/api/start")
def api_start():
    sender = _sender(_json_body().get("sender"))
    rasa = _rasa()
    if has_user_messages(rasa.events(sender)):    # already started (another tab, or a retry)
        return _no_store(jsonify({"sender": sender, "started": False, "messages": []}))
    return _no_store(jsonify({"sender": sender, "started": True, "messages": rasa.send(sender, GREETING)}))


@blueprint.post("/api/message")
def api_message():
    body = _json_body()
    sender = _sender(body.get("sender"))
    text = _text(body.get("text"))
    message_id = _message_id(body.get("id"))
    rasa = _rasa()
    if message_id and body.get("retry"):
        # A resend after a dropped connection or a reload: the first try may have arrived.
        replies = replies_after(rasa.events(sender), message_id)
        if replies is not None:
            return _no_store(jsonify({"sender": sender, "messages": replies, "duplicate": True}))
    return _no_store(jsonify({"sender": sender, "messages": rasa.send(sender, text, message_id)}))


@blueprint.after_request
def _cors(response):
    """Let the hospital's own site (CHAT_EMBED_ORIGINS) call the API from the embedded widget."""
    origin = request.headers.get("Origin")
    if origin and _is_api() and origin in _embed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
    if request.endpoint == "chat.static":
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response

"""The action server (rasa-sdk), answering Rasa alone.

`rasa run actions` runs whatever any caller of its port sends: a made-up tracker creates an
intake, or overwrites a patient's details. This is the same server with a shared key on every
call (INTAKE_ACTION_KEY, sent by Rasa as a header set in endpoints.yml), checked before anything
runs; a refused call gets 401 and is logged without its body. No CORS (no browser calls it), and
an error answers without echoing the request, which holds the whole conversation.

    python -m bot.action_server --actions bot.actions --port 5055   (the flags of `rasa run actions`)
"""
from __future__ import annotations

import hmac
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response

KEY_HEADER = "X-Intake-Action-Key"
OPEN_PATHS = {"/health"}          # readiness checks learn nothing from it
logger = logging.getLogger(__name__)


class MissingKey(RuntimeError):
    """INTAKE_ACTION_KEY is not set."""


def action_key() -> str:
    key = os.environ.get("INTAKE_ACTION_KEY", "")
    if len(key) < 16:
        raise MissingKey("INTAKE_ACTION_KEY must be set (16 characters or more) for the action server and Rasa "
                         "(scripts/env.sh makes one for development)")
    return key


def build_app(actions: str, key: str) -> Sanic:
    app = create_app(actions, cors_origins=None)

    @app.on_request
    async def only_rasa(request):
        if request.path in OPEN_PATHS:
            return None
        if not hmac.compare_digest(request.headers.get(KEY_HEADER, "").encode(), key.encode()):
            logger.warning("refused a call to %s without the action key from %s", request.path, request.ip)
            return response.json({"error": "unauthorized"}, status=401)
        return None

    async def failed(request, exception: Exception):
        logger.error("action server error on %s: %s", request.path, type(exception).__name__)
        return response.json({"error": "the action failed"}, status=500)

    app.error_handler.add(Exception, failed)
    return app


def warm_up() -> None:
    """Load the language layer before the first patient: the lexicon matcher and the sentence
    model with the crisis examples take a few seconds, which the first message should not wait."""
    from intake.language.crisis_meaning import reader
    from intake.language.pipeline import default_matcher
    default_matcher()
    reader()


def main(argv: list[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    try:
        key = action_key()
    except MissingKey as error:
        sys.exit(str(error))
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel,
                                 args.logging_config_file)
    utils.update_sanic_log_level()
    app = build_app(args.actions, key)
    warm_up()
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    app.run(os.environ.get("SANIC_HOST", "127.0.0.1"), args.port, ssl=ssl_context,
            workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()

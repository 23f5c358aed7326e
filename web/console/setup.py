"""Wire the console into the app: settings, session lifetime, template helpers, the database."""
from __future__ import annotations

import logging

from flask import Flask, current_app, request

from web.console import present
from web.console.blueprint import blueprint
from web.console.bootstrap import disable_dev_accounts, ensure_dev_accounts
from web.console.config import ConsoleConfig
from web.console.services import EXTENSION, LazyServices, Services
from web.settings import Settings

log = logging.getLogger(__name__)


def init_console(app: Flask, settings: Settings) -> None:
    """Call after registering the blueprint (web/app.py)."""
    config = ConsoleConfig.from_env(settings)
    app.config["CONSOLE"] = config
    app.config["PERMANENT_SESSION_LIFETIME"] = config.session_idle      # the chat uses no session

    def on_open(services: Services) -> None:
        if config.development:
            ensure_dev_accounts(services.accounts, config.dev_password)
        else:
            disable_dev_accounts(services.accounts)

    lazy = LazyServices(app.config.get("INTAKE_DB_URL"), on_open)
    app.extensions[EXTENSION] = lazy
    if config.development:
        try:            # create the development accounts at start, so their password is in the log at once
            lazy.get()
        except Exception as error:          # the database may come up later; the first request retries
            log.warning("console: database not ready at start (%s)", error)


@blueprint.context_processor
def template_helpers():
    zone = current_app.config["CONSOLE"].timezone
    return {
        "answer": present.answer,
        "field_label": present.field_label,
        "urgency_label": present.urgency_label,
        "state_label": present.state_label,
        "status_label": present.status_label,
        "since_onset": present.since_onset,
        "day": present.day,
        "days_since": lambda iso_date: present.days_since(iso_date, zone),
        "local": lambda moment, fmt="%d %b %Y %H:%M": present.local(moment, zone, fmt),
        "console_development": current_app.config["CONSOLE"].development,
    }


blueprint.add_app_template_filter(present.clinic_label, "clinic_label")
blueprint.add_app_template_filter(present.field_label, "field_label")


@blueprint.after_request
def no_caching_of_patient_data(response):
    """Pages and API answers hold patient data: a shared ward PC's back button must not show them."""
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
    return response

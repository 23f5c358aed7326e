"""Console error pages: plain words for nurses, JSON for the API, never a traceback."""
from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError

from intake.fhir import FhirExportError
from intake.store import StoreUnavailable
from web.console.blueprint import blueprint

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Form expired", "The form expired or you were signed out meanwhile. Go back, reload the page and try again."),
    401: ("Please sign in", "You need to sign in to the nurse console."),
    403: ("Not allowed", "This page is for administrators only."),
    404: ("Not found", "There is no such page or intake."),
    500: ("Export failed", "The export could not be built; the error is in the server log."),
    503: ("Database unavailable", "The intake database cannot be reached right now. Try again in a minute."),
}


def _error(status: int, detail: str | None = None):
    title, message = MESSAGES[status]
    if request.path.startswith("/console/api/"):
        return jsonify(error=detail or message), status
    return render_template("console/error.html", title=title, message=detail or message), status


@blueprint.errorhandler(CSRFError)
def csrf_failed(error):
    return _error(400)


@blueprint.errorhandler(401)
def unauthorised(error):
    return _error(401)


@blueprint.errorhandler(403)
def forbidden(error):
    return _error(403)


@blueprint.errorhandler(404)
def not_found(error):
    return _error(404)


@blueprint.errorhandler(StoreUnavailable)
def store_unavailable(error):
    log.warning("console: %s", error)
    return _error(503)


@blueprint.errorhandler(FhirExportError)
def export_failed(error):
    log.error("FHIR export failed validation: %s", error)
    return _error(500)

"""The JSON API: the queue and one intake, for the console's own refresh and for other systems.

Every endpoint here is named ``api_*``: the guard (auth.py) then accepts the session or
``Authorization: Bearer <INTAKE_API_TOKEN>`` and answers 401 JSON otherwise.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, g, jsonify, request

from intake.fhir import questionnaire
from intake.store.queue import QueueEntry
from web.console.auth import audit, config
from web.console.blueprint import blueprint
from web.console.intake_views import entry_or_404, fhir_response
from web.console.present import queue_row
from web.console.queue_views import audit_queue_view, handoff_rows, queue_rows
from web.console.services import services


@blueprint.get("/api/queue")
def api_queue():
    """The queue with the same filters as the page (?state=&status=&urgency=&clinic=&handoff=&from=&to=&q=)."""
    form, rows, total = queue_rows(request.args)
    if g.via_token:
        audit("api_queue", detail=request.query_string.decode()[:500] or None)
    else:
        audit_queue_view(auto_refresh=request.args.get("refresh") == "1")
    return _json({"total": total, "intakes": rows, "handoff": [r["id"] for r in handoff_rows(rows)],
                  "filters": form.values, "problems": list(form.problems),
                  "generated_at": datetime.now(timezone.utc).isoformat()})


def _intake_json(entry: QueueEntry):
    svc = services()
    audit("api_intake", intake_id=entry.intake_id, conversation_id=entry.conversation_id)
    return _json({
        "intake": queue_row(entry, config().timezone),
        "summary": entry.summary,
        "workflow": [{"from": e.from_state, "to": e.to_state, "by": e.actor, "at": e.at.isoformat()}
                     for e in svc.workflow.history(entry.intake_id)],
        "notes": [{"by": n.author, "at": n.created_at.isoformat(), "text": n.text}
                  for n in svc.workflow.notes(entry.intake_id)],
    })


@blueprint.get("/api/intakes/<int:intake_id>")
def api_intake(intake_id: int):
    return _intake_json(entry_or_404(intake_id))


@blueprint.get("/api/conversations/<path:conversation_id>")
def api_conversation(conversation_id: str):
    """The same, looked up by the conversation (Rasa sender) id other systems know."""
    entry = services().queue.find(conversation_id)
    if entry is None:
        abort(404)
    return _intake_json(entry)


@blueprint.get("/api/intakes/<int:intake_id>/fhir")
def api_intake_fhir(intake_id: int):
    entry = entry_or_404(intake_id)
    response = fhir_response(entry, download=False)
    audit("api_export_fhir", intake_id=intake_id, conversation_id=entry.conversation_id)
    return response


@blueprint.get("/api/questionnaire")
def api_questionnaire():
    """The FHIR Questionnaire every exported response answers (no patient data)."""
    response = _json(questionnaire())
    response.mimetype = "application/fhir+json"
    return response


def _json(data):
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response

"""One intake: the clinical note with the conversation, workflow changes, notes, print and export."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from intake.fhir import export_bundle
from intake.store.queue import QueueEntry
from intake.store.workflow import STATES, StaleState, WorkflowError
from web.console.auth import audit, config
from web.console.blueprint import blueprint
from web.console.note import note_context
from web.console.present import STATE_LABELS, state_label
from web.console.services import services
from web.console.transcript import load_transcript


def entry_or_404(intake_id: int) -> QueueEntry:
    entry = services().queue.get(intake_id)
    if entry is None:
        abort(404)
    return entry


@blueprint.get("/intakes/<int:intake_id>")
def intake_page(intake_id: int):
    entry = entry_or_404(intake_id)
    svc, cfg = services(), config()
    transcript = load_transcript(svc.store, entry.conversation_id, rasa_url=cfg.rasa_url,
                                 rasa_token=cfg.rasa_token, timeout_s=cfg.rasa_timeout_s)
    audit("view_intake", intake_id=entry.intake_id, conversation_id=entry.conversation_id)
    return render_template(
        "console/intake.html", entry=entry, transcript=transcript,
        workflow_history=svc.workflow.history(intake_id), notes=svc.workflow.notes(intake_id),
        state_options=[(s, STATE_LABELS[s]) for s in STATES], now=datetime.now(timezone.utc),
        **note_context(entry.summary))


@blueprint.post("/intakes/<int:intake_id>/state")
def change_state(intake_id: int):
    entry = entry_or_404(intake_id)
    to_state = request.form.get("state", "")
    try:
        event = services().workflow.change(intake_id, to_state, g.user.username,
                                           expected=request.form.get("expected") or None)
    except StaleState as stale:
        flash(str(stale), "error")
    except WorkflowError as problem:
        flash(f"Not changed: {problem}.", "error")
    else:
        audit("change_state", intake_id=intake_id, conversation_id=entry.conversation_id,
              detail=f"{event.from_state} -> {event.to_state}")
        flash(f"Moved to {state_label(event.to_state)}.", "info")
    return redirect(url_for("console.intake_page", intake_id=intake_id) + "#workflow", code=303)


@blueprint.post("/intakes/<int:intake_id>/notes")
def add_note(intake_id: int):
    entry = entry_or_404(intake_id)
    try:
        note = services().workflow.add_note(intake_id, g.user.username, request.form.get("text", ""))
    except WorkflowError as problem:
        flash(f"Not saved: {problem}.", "error")
    else:
        audit("add_note", intake_id=intake_id, conversation_id=entry.conversation_id, detail=f"note {note.id}")
        flash("Note saved.", "info")
    return redirect(url_for("console.intake_page", intake_id=intake_id) + "#notes", code=303)


@blueprint.post("/intakes/<int:intake_id>/printed")
def printed(intake_id: int):
    """Called by the Print button just before the browser prints: printing is an export too."""
    entry = entry_or_404(intake_id)
    audit("print", intake_id=intake_id, conversation_id=entry.conversation_id)
    return Response(status=204)


def fhir_response(entry: QueueEntry, *, download: bool) -> Response:
    bundle = export_bundle(entry.summary)
    response = Response(json.dumps(bundle, indent=2, ensure_ascii=False), mimetype="application/fhir+json")
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="intake-{entry.intake_id}.fhir.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/intakes/<int:intake_id>/fhir")
def export_fhir(intake_id: int):
    entry = entry_or_404(intake_id)
    response = fhir_response(entry, download=True)
    audit("export_fhir", intake_id=intake_id, conversation_id=entry.conversation_id)
    return response

"""The queue page: filters, the handoff strip and the table the browser keeps fresh."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import render_template, request, session, url_for

from intake.fhir import CLINIC_LABELS
from intake.store.queue import INTAKE_STATUSES, NO_URGENCY, URGENCY_LEVELS
from intake.store.workflow import STATES
from web.console.auth import audit, config
from web.console.blueprint import blueprint
from web.console.filters import FILTER_KEYS, parse_filters
from web.console.present import NO_URGENCY_LABEL, STATE_LABELS, queue_row, status_label, urgency_label
from web.console.services import services

QUEUE_AUDIT_EVERY_S = 600       # auto-refreshes of an open queue are audited this often, not every 5 s
NOT_CONTACTED = ("new", "reviewed")


def queue_rows(args):
    """The filter form, the rows as the table shows them, and how many matched."""
    form = parse_filters(args, config().timezone)
    page = services().queue.list(form.query)
    now = datetime.now(timezone.utc)
    rows = [queue_row(entry, config().timezone, now) for entry in page.entries]
    return form, rows, page.total


def handoff_rows(rows):
    return [row for row in rows if row["handoff_requested"] and row["state"] in NOT_CONTACTED]


def audit_queue_view(auto_refresh: bool) -> None:
    """A page load is always audited; the page's own refresh at most every few minutes."""
    now = time.time()
    if auto_refresh and now - session.get("queue_audited_at", 0) < QUEUE_AUDIT_EVERY_S:
        return
    session["queue_audited_at"] = int(now)
    audit("view_queue", detail="auto-refresh" if auto_refresh else (request.query_string.decode()[:500] or None))


@blueprint.get("/")
def queue():
    form, rows, total = queue_rows(request.args)
    audit_queue_view(auto_refresh=False)
    filters = {k: v for k, v in form.values.items() if v and k in FILTER_KEYS}
    return render_template(
        "console/queue.html", form=form, rows=rows, total=total, handoff_rows=handoff_rows(rows),
        poll_url=url_for("console.api_queue", **filters, refresh=1), poll_seconds=config().poll_seconds,
        state_options=[(s, STATE_LABELS[s]) for s in STATES],
        urgency_options=[(u, urgency_label(u)) for u in URGENCY_LEVELS] + [(NO_URGENCY, NO_URGENCY_LABEL)],
        clinic_options=list(CLINIC_LABELS.items()),
        status_options=[(s, status_label(s)) for s in INTAKE_STATUSES],
    )


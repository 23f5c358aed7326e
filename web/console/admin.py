"""Admin pages: accounts and the audit log. Nurses get 403 (and the refusal is audited)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from intake.store.accounts import ROLES, AccountError
from intake.store.audit import ACTIONS
from web.console.auth import admin_required, audit
from web.console.blueprint import blueprint
from web.console.services import services


@blueprint.route("/admin/users", methods=["GET", "POST"])
@admin_required
def users():
    accounts = services().accounts
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        role = request.form.get("role", "")
        try:
            user = accounts.create(username, request.form.get("password", ""), role if role in ROLES else "")
        except AccountError as problem:
            error = f"Not added: {problem}."
        else:
            audit("user_add", detail=f"{user.username} ({user.role})")
            flash(f"Added {user.username} ({user.role}).", "info")
            return redirect(url_for("console.users"), code=303)
    else:
        audit("view_users")
    return render_template("console/users.html", users=accounts.all(), error=error), 400 if error else 200


def _user_or_404(user_id: int):
    user = services().accounts.get(user_id)
    if user is None:
        abort(404)
    return user


@blueprint.post("/admin/users/<int:user_id>/active")
@admin_required
def user_active(user_id: int):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "yes"
    if user.id == g.user.id:
        flash("You cannot disable your own account.", "error")
    else:
        services().accounts.set_active(user.username, active)
        audit("user_enable" if active else "user_disable", detail=user.username)
        flash(f"{user.username} is {'enabled' if active else 'disabled and signed out'}.", "info")
    return redirect(url_for("console.users"), code=303)


@blueprint.post("/admin/users/<int:user_id>/password")
@admin_required
def user_password(user_id: int):
    user = _user_or_404(user_id)
    try:
        services().accounts.set_password(user.username, request.form.get("password", ""))
    except AccountError as problem:
        flash(f"Password not changed: {problem}.", "error")
    else:
        services().throttle.clear(user.username)        # the lockout message tells the nurse to ask for this
        audit("password_reset", detail=user.username)
        flash(f"New password set for {user.username}; their sessions were ended.", "info")
    return redirect(url_for("console.users"), code=303)


@blueprint.get("/admin/audit")
@admin_required
def audit_page():
    actor = request.args.get("actor", "").strip().lower()[:64]
    action = request.args.get("action", "")
    action = action if action in ACTIONS else ""
    raw_intake = request.args.get("intake", "").strip().lstrip("#")
    intake = int(raw_intake) if raw_intake.isdigit() else None
    entries = services().audit.recent(limit=500, actor=actor or None, action=action or None, intake_id=intake)
    audit("view_audit")
    return render_template("console/audit.html", entries=entries, actor=actor, action=action, intake=intake,
                           actions=sorted(ACTIONS.items(), key=lambda kv: kv[1]))

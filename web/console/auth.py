"""Who is asking: session login and logout, the API token, roles, and the guard on every route.

Every console endpoint needs a signed-in, still-active user (or, for ``api_*`` endpoints, the
API token) unless it is listed in ``PUBLIC_ENDPOINTS``: a new route is protected by default.
Unsafe methods need a CSRF token (Flask-WTF), except API calls authenticated by the token.
"""
from __future__ import annotations

import functools
import hmac
import secrets
import time
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for

from intake.store.accounts import AccountError, User, check_password
from web.console.blueprint import blueprint
from web.console.config import ConsoleConfig
from web.console.services import services

PUBLIC_ENDPOINTS = {"console.login", "console.static"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
API_ACTOR = "api-token"


def config() -> ConsoleConfig:
    return current_app.config["CONSOLE"]


def client_ip() -> str:
    return request.remote_addr or "unknown"


def audit(action: str, **details) -> None:
    """Record what the current user (or the API token) did."""
    services().audit.record(g.get("actor") or "-", action, ip=client_ip(), **details)


# -- sessions ----------------------------------------------------------------------------


def start_session(user: User) -> None:
    """A fresh session for ``user``: nothing from before the login survives (no fixation)."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["gen"] = user.session_generation
    session["login_at"] = int(time.time())
    session["nonce"] = secrets.token_urlsafe(16)


def session_user() -> User | None:
    """The signed-in user, if the session is still valid: user exists, active, same generation, not too old."""
    uid = session.get("uid")
    if uid is None:
        return None
    user = services().accounts.get(uid)
    too_old = time.time() - session.get("login_at", 0) > config().session_max.total_seconds()
    if user is None or not user.active or user.session_generation != session.get("gen") or too_old:
        session.clear()
        return None
    return user


def api_token_matches() -> bool:
    """A Bearer token equal to INTAKE_API_TOKEN, compared in constant time."""
    expected = config().api_token
    header = request.headers.get("Authorization", "")
    if not expected or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].strip().encode(), expected.encode())


def _safe_next(target: str | None) -> str:
    """Only ever go back to a console page on this site after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/console/") and "\\" not in target \
                and not any(ord(c) < 32 or ord(c) == 127 for c in target):     # CR/LF would split the header
            return target
    return url_for("console.queue")


@blueprint.before_request
def guard():
    g.user = None
    g.actor = None
    g.via_token = False
    endpoint = request.endpoint or ""
    if endpoint == "console.static":
        return None
    is_api = endpoint.startswith("console.api_")
    if is_api and api_token_matches():
        g.actor, g.via_token = API_ACTOR, True
        return None
    if request.method not in SAFE_METHODS:
        current_app.extensions["csrf"].protect()
    g.user = session_user()
    g.actor = g.user.username if g.user else None
    if g.user is not None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if is_api:
        response = jsonify(error="sign in to the console, or send 'Authorization: Bearer <INTAKE_API_TOKEN>'")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="intake-console"'
        return response
    if request.method in SAFE_METHODS:
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    abort(401)


def admin_required(view):
    """Admins only; a nurse gets 403 and the refusal is in the audit log."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if g.user is None or not g.user.is_admin:
            audit("access_denied", detail=request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper


# -- routes ------------------------------------------------------------------------------


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if g.user is not None:
        return redirect(_safe_next(request.args.get("next")))
    if request.method == "GET":
        return render_template("console/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")[:64]
    password = request.form.get("password", "")
    next_page = request.form.get("next", "")
    ip = client_ip()
    svc = services()
    decision, attempt = svc.throttle.reserve(username, ip)      # counted before the password is checked
    if decision.blocked:
        svc.audit.record(username.strip().lower() or "-", "login_refused", ip=ip)
        return render_template("console/login.html", error=decision.reason, username=username,
                               next=next_page), 429
    user = svc.accounts.authenticate(username, password)
    if user is not None:
        svc.throttle.succeeded(attempt)
    if user is None:
        svc.audit.record(username.strip().lower() or "-", "login_failed", ip=ip)
        return render_template("console/login.html", error="Wrong username or password.", username=username,
                               next=next_page), 401
    start_session(user)
    g.user, g.actor = user, user.username
    audit("login")
    return redirect(_safe_next(next_page))


@blueprint.post("/logout")
def logout():
    audit("logout")
    services().accounts.end_sessions(g.user.id)      # the cookie is useless now, wherever it was copied
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("console.login"))


@blueprint.route("/account", methods=["GET", "POST"])
def account():
    """Change one's own password (e.g. the temporary one an administrator set)."""
    if request.method == "GET":
        return render_template("console/account.html")
    current = request.form.get("current_password", "")
    new = request.form.get("new_password", "")
    accounts = services().accounts
    error = None
    if not accounts.password_matches(g.user.username, current):
        error = "The current password is not right."
    elif new != request.form.get("repeat_password", ""):
        error = "The new passwords differ."
    else:
        try:
            check_password(new, g.user.username)
        except AccountError as problem:
            error = f"Not changed: {problem}."
    if error:
        return render_template("console/account.html", error=error), 400
    accounts.set_password(g.user.username, new)
    audit("password_change")
    start_session(accounts.get(g.user.id))       # other sessions end; this one continues
    flash("Your password is changed. Other sessions were signed out.", "info")
    return redirect(url_for("console.queue"))

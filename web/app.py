"""Create the web front: the nurse console (/console) and the patient chat (/chat)."""
from __future__ import annotations

from flask import Flask, redirect, url_for
from flask_wtf.csrf import CSRFProtect

from web.settings import Settings

# Pages load nothing from other sites, and nothing may frame them.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        MAX_CONTENT_LENGTH=64 * 1024,
        INTAKE_SETTINGS=settings,
        CHAT_EMBED_ORIGINS=settings.chat_embed_origins,
        # CSRF tokens live as long as the session. Checking is opted into per blueprint: the
        # console checks every unsafe request (web/console/auth.py); the chat can call
        # app.extensions["csrf"].protect() the same way.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        **overrides,
    )

    from web.chat import blueprint as chat
    from web.console import blueprint as console
    from web.console import init_console

    CSRFProtect(app)
    app.register_blueprint(chat, url_prefix="/chat")
    app.register_blueprint(console, url_prefix="/console")
    init_console(app, settings)

    @app.get("/")
    def index():
        return redirect(url_for("chat.page"))

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    return app

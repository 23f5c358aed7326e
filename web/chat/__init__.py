"""The patient chat page and embeddable widget (issue 6)."""
from flask import Blueprint

blueprint = Blueprint("chat", __name__, template_folder="templates", static_folder="static")


@blueprint.get("/")
def page():
    return "Patient chat: not built yet", 503

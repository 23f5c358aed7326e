"""The nurse console (issue 5)."""
from flask import Blueprint

blueprint = Blueprint("console", __name__, template_folder="templates", static_folder="static")


@blueprint.get("/")
def queue():
    return "Nurse console: not built yet", 503

"""The console's Blueprint object, in its own module so route modules can import it."""
from flask import Blueprint

blueprint = Blueprint("console", __name__, template_folder="templates", static_folder="static")

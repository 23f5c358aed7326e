"""The nurse console (issue 5): the queue, the clinical note, workflow, export and a JSON API.

Modules, one job each: ``auth`` (who is asking, the guard on every route), ``queue_views``,
``intake_views``, ``api``, ``admin``, ``errors``; ``present``/``note``/``filters`` shape data
for the templates; ``transcript`` asks Rasa; ``services`` holds the repositories from
``intake.store``; ``setup.init_console`` wires it into the app. See docs/console.md.
"""
from web.console import admin, api, auth, errors, intake_views, queue_views  # noqa: F401  (register routes)
from web.console.blueprint import blueprint
from web.console.setup import init_console

__all__ = ["blueprint", "init_console"]

"""The channels patients' messages arrive on: REST and socket.io, with the same checks before NLU.

Rasa imports this package at server start (credentials.yml names its classes), so its speed
fixes are applied here.
"""
from bot import rasa_fixes

rasa_fixes.apply()

from bot.channels.rest import PatientRestInput  # noqa: E402
from bot.channels.socketio import PatientSocketIOInput  # noqa: E402

__all__ = ["PatientRestInput", "PatientSocketIOInput"]

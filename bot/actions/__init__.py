"""Custom actions (rasa-sdk). Thin: the intake's logic lives in the `intake` package."""
from intake.routing import default_rules

# Check the routing rules when the action server starts: a malformed rules file stops
# it here, with the rule and the problem named, instead of mis-routing a patient later.
default_rules()

"""Custom actions (rasa-sdk). Thin: the intake's logic lives in the `intake` package."""
from intake.crypto import sealer
from intake.routing import default_rules

# Checked when the action server starts, so it stops here with the problem named instead of
# failing a patient later: a malformed routing rules file would mis-route, and missing or
# malformed encryption keys would leave answers unstorable.
default_rules()
sealer()

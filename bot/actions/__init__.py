"""Custom actions (rasa-sdk). Thin: the intake's logic lives in the `intake` package."""

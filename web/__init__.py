"""The web front: the patient chat page and the nurse console, in one Flask app."""

"""What routing rules may name: the contract's fields, values, clinics and urgency levels.

A rule naming anything else is a typo, and the bot refuses to start with it.
"""
from __future__ import annotations

URGENCY_ORDER = ("routine", "soon", "urgent", "emergency")    # least to most urgent
CLINICS = frozenset({"emergency_department", "neurology", "ent_otology", "ophthalmology",
                     "facial_reanimation_surgery", "facial_rehabilitation", "speech_therapy", "psychology"})

_SEVERITY = ("none", "mild", "severe", "unknown")
# field -> (kind, allowed values); kinds: enum, list, number, bool
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "affected_side": ("enum", ("left", "right", "both", "unknown")),
    "paralysis_extent": ("enum", ("complete", "partial", "unknown")),
    "onset_speed": ("enum", ("sudden", "gradual", "since_birth", "unknown")),
    "course": ("enum", ("improving", "unchanged", "worsening", "unknown")),
    "recurrence": ("enum", ("none", "same_side", "other_side", "unknown")),
    "cause": ("enum", ("bells_palsy", "ramsay_hunt", "trauma", "surgery", "tumor", "stroke", "congenital",
                       "infection", "other", "unknown")),
    "eye_closure": ("enum", ("full", "partial", "unable", "unknown")),
    "speech_difficulty": ("enum", _SEVERITY),
    "eating_difficulty": ("enum", _SEVERITY),
    "synkinesis": ("enum", ("yes", "no", "unknown")),
    "eye_symptoms": ("list", ("dryness", "pain", "redness", "vision_change", "light_sensitivity",
                              "excess_tearing", "crocodile_tears")),
    "eating_problems": ("list", ("drooling", "food_pocketing", "drinking_spill", "cheek_biting", "choking")),
    "ear_symptoms": ("list", ("ear_pain", "rash_or_blisters", "hearing_loss", "tinnitus", "vertigo",
                              "ear_discharge")),
    "neuro_symptoms": ("list", ("limb_weakness", "limb_numbness", "speech_or_language_problem", "confusion",
                                "severe_headache", "vision_problem", "balance_problem",
                                "swallowing_or_breathing_problem")),
    "prior_treatments": ("list", ("steroids", "antivirals", "surgery", "botulinum_toxin", "physical_therapy",
                                  "eye_protection")),
    "days": ("number", ()),
    "self_harm_risk": ("bool", ()),
    "red_flags_unsure": ("bool", ()),
}

# test -> the kinds of field it applies to, and what its argument is
TESTS: dict[str, tuple[frozenset[str], str]] = {
    "is": (frozenset({"enum"}), "value"),
    "is_not": (frozenset({"enum"}), "value"),
    "in": (frozenset({"enum"}), "values"),
    "not_in": (frozenset({"enum"}), "values"),
    "contains": (frozenset({"list"}), "value"),
    "contains_any": (frozenset({"list"}), "values"),
    "not_empty": (frozenset({"list"}), "true"),
    "at_most": (frozenset({"number"}), "number"),
    "at_least": (frozenset({"number"}), "number"),
    "above": (frozenset({"number"}), "number"),
    "below": (frozenset({"number"}), "number"),
    "is_true": (frozenset({"bool"}), "true"),
}

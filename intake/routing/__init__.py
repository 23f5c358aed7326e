"""Routing: urgency, clinics and reasons from an intake, by the rules in rules.yml."""
from intake.routing.engine import Decision, RulesError, decide, default_rules, facts_of, load_rules

__all__ = ["Decision", "RulesError", "decide", "default_rules", "facts_of", "load_rules"]

"""Apply the routing rules (rules.yml) to an intake: urgency, clinics and the reasons.

Rules are data: loading checks every field, test, value, clinic and urgency, and a
mistake raises RulesError naming the rule and what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from intake.routing.vocabulary import CLINICS, FIELDS, TESTS, URGENCY_ORDER

RULES_FILE = Path(__file__).resolve().parent / "rules.yml"
UNKNOWN = "unknown"


class RulesError(ValueError):
    """The rules file is malformed; the message names the rule and the problem."""


@dataclass(frozen=True)
class Rule:
    id: str
    urgency: str | None
    clinics: tuple[str, ...]
    reason: str
    when: Any = None
    unless_fired: tuple[str, ...] = ()
    default: bool = False
    raise_urgency: int = 0


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    modifiers: tuple[Rule, ...]


@dataclass
class Decision:
    urgency: str | None
    clinics: list[str] = field(default_factory=list)
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def fired(self) -> list[str]:
        return [r["rule"] for r in self.reasons]

    def as_triage(self) -> dict[str, Any]:
        return {"urgency": self.urgency, "clinics": list(self.clinics), "reasons": list(self.reasons)}


# ---------------------------------------------------------------- loading and checking

def load_rules(path: Path | str = RULES_FILE) -> RuleSet:
    """Read and check a rules file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RulesError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{path}: needs a list under 'rules'")
    unknown_top = set(data) - {"version", "rules", "modifiers"}
    if unknown_top:
        raise RulesError(f"{path}: unknown section(s) {sorted(unknown_top)}")
    rules = tuple(_rule(raw, modifier=False) for raw in data["rules"])
    modifiers = tuple(_rule(raw, modifier=True) for raw in data.get("modifiers") or [])
    ids = [r.id for r in rules + modifiers]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RulesError(f"rule ids used twice: {duplicates}")
    for n, rule in enumerate(rules):
        earlier = {r.id for r in rules[:n]}
        missing = [i for i in rule.unless_fired if i not in earlier]
        if missing:
            raise RulesError(f"rule {rule.id}: unless_fired must name rules listed before it; not found: {missing}")
    if sum(r.default for r in rules) > 1:
        raise RulesError("more than one rule has default: true")
    return RuleSet(rules, modifiers)


_RULE_KEYS = {"id", "urgency", "clinics", "reason", "when", "unless_fired", "default"}
_MODIFIER_KEYS = {"id", "reason", "when", "raise_urgency", "add_clinics"}


def _rule(raw: Any, modifier: bool) -> Rule:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise RulesError(f"every rule needs an id; got {raw!r}")
    rid = str(raw["id"])
    allowed = _MODIFIER_KEYS if modifier else _RULE_KEYS
    extra = set(raw) - allowed
    if extra:
        raise RulesError(f"rule {rid}: unknown key(s) {sorted(extra)}; allowed: {sorted(allowed)}")
    if not str(raw.get("reason") or "").strip():
        raise RulesError(f"rule {rid}: needs a reason (one plain sentence for the nurse)")
    clinics = tuple(raw.get("add_clinics" if modifier else "clinics") or ())
    bad = [c for c in clinics if c not in CLINICS]
    if bad:
        raise RulesError(f"rule {rid}: unknown clinic(s) {bad}; known: {sorted(CLINICS)}")
    urgency = None
    if not modifier:
        urgency = raw.get("urgency")
        if urgency not in URGENCY_ORDER:
            raise RulesError(f"rule {rid}: urgency must be one of {list(URGENCY_ORDER)}, got {urgency!r}")
        if not clinics:
            raise RulesError(f"rule {rid}: needs at least one clinic")
    default = bool(raw.get("default"))
    if "when" in raw:
        _check_condition(rid, raw["when"])
    elif not default:
        raise RulesError(f"rule {rid}: needs a 'when' condition (or default: true)")
    raise_by = raw.get("raise_urgency", 0)
    if not isinstance(raise_by, int) or raise_by < 0:
        raise RulesError(f"rule {rid}: raise_urgency must be a whole number >= 0")
    return Rule(id=rid, urgency=urgency, clinics=clinics, reason=str(raw["reason"]).strip(), when=raw.get("when"),
                unless_fired=tuple(raw.get("unless_fired") or ()), default=default, raise_urgency=raise_by)


def _check_condition(rid: str, cond: Any) -> None:
    if not isinstance(cond, dict) or len(cond) != 1:
        raise RulesError(f"rule {rid}: a condition is one field with one test, or all: / any: a list; got {cond!r}")
    (key, body), = cond.items()
    if key in ("all", "any"):
        if not isinstance(body, list) or not body:
            raise RulesError(f"rule {rid}: '{key}' needs a non-empty list of conditions")
        for part in body:
            _check_condition(rid, part)
        return
    if key not in FIELDS:
        raise RulesError(f"rule {rid}: unknown field {key!r}; known: {sorted(FIELDS)}")
    kind, values = FIELDS[key]
    if not isinstance(body, dict) or len(body) != 1:
        raise RulesError(f"rule {rid}: field {key!r} needs exactly one test, e.g. {{is: VALUE}}; got {body!r}")
    (test, arg), = body.items()
    if test not in TESTS:
        raise RulesError(f"rule {rid}: unknown test {test!r} on {key!r}; known: {sorted(TESTS)}")
    kinds, shape = TESTS[test]
    if kind not in kinds:
        raise RulesError(f"rule {rid}: test {test!r} does not apply to {key!r} (a {kind} field)")
    if shape == "number" and (isinstance(arg, bool) or not isinstance(arg, (int, float))):
        raise RulesError(f"rule {rid}: {key} {test} needs a number, got {arg!r}")
    if shape == "true" and arg is not True:
        raise RulesError(f"rule {rid}: {key} {test} takes 'true', got {arg!r}")
    if shape in ("value", "values"):
        given = arg if shape == "values" else [arg]
        if shape == "values" and not isinstance(arg, list):
            raise RulesError(f"rule {rid}: {key} {test} needs a list of values, got {arg!r}")
        bad = [v for v in given if v not in values]
        if bad:
            raise RulesError(f"rule {rid}: {key} has no value(s) {bad}; known: {list(values)}")


# ---------------------------------------------------------------- applying

def facts_of(history: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values rules test, from a summary's history (plus `days`)."""
    facts = {name: history.get(name) for name in FIELDS if name in history}
    onset = history.get("onset") or {}
    facts["days"] = onset.get("days_since_onset") if isinstance(onset, dict) else None
    facts.update(extra or {})
    return facts


def _holds(cond: dict, facts: dict[str, Any]) -> bool:
    (key, body), = cond.items()
    if key == "all":
        return all(_holds(c, facts) for c in body)
    if key == "any":
        return any(_holds(c, facts) for c in body)
    (test, arg), = body.items()
    value = facts.get(key)
    if test == "is_not":
        return value != arg
    if test == "not_in":
        return value not in arg
    if value is None or value == UNKNOWN:
        return False
    if test == "is":
        return value == arg
    if test == "in":
        return value in arg
    if test == "contains":
        return isinstance(value, list) and arg in value
    if test == "contains_any":
        return isinstance(value, list) and bool(set(arg) & set(value))
    if test == "not_empty":
        return isinstance(value, list) and bool(value)
    if test == "is_true":
        return value is True
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return {"at_most": value <= arg, "at_least": value >= arg, "above": value > arg, "below": value < arg}[test]


def _reason(rule: Rule, facts: dict[str, Any]) -> str:
    def show(v: Any) -> str:
        if isinstance(v, list):
            return ", ".join(str(x).replace("_", " ") for x in v) or "none"
        return str(v).replace("_", " ") if v is not None else "unknown"
    text = rule.reason
    for name, value in facts.items():
        text = text.replace("{" + name + "}", show(value))
    return text


def decide(facts: dict[str, Any], rules: RuleSet | None = None) -> Decision:
    """Every rule that holds fires; urgency is the highest fired, clinics the union."""
    rules = rules or default_rules()
    fired: list[Rule] = []
    for rule in rules.rules:
        if rule.default or any(f.id in rule.unless_fired for f in fired):
            continue
        if _holds(rule.when, facts):
            fired.append(rule)
    if not fired:
        fired = [r for r in rules.rules if r.default]
    level = max((URGENCY_ORDER.index(r.urgency) for r in fired), default=None)
    clinics = list(dict.fromkeys(c for r in fired for c in r.clinics))
    reasons = [{"rule": r.id, "text": _reason(r, facts), "urgency": r.urgency} for r in fired]
    for mod in rules.modifiers:
        if _holds(mod.when, facts):
            if level is not None:
                level = min(level + mod.raise_urgency, len(URGENCY_ORDER) - 1)
            clinics += [c for c in mod.clinics if c not in clinics]
            reasons.append({"rule": mod.id, "text": _reason(mod, facts)})
    return Decision(URGENCY_ORDER[level] if level is not None else None, clinics, reasons)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules(RULES_FILE)

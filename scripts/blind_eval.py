"""Whole conversations with strangers: the blind sets in tests/blind/, scored on a running bot.

Every set was written by helpers who had seen neither the lexicon, the training data nor the
code, and split once (scripts/split_blind.py) into a development half (tests/blind/dev/: read
it, fix against it) and a never-tuned half (tests/blind/sealed/: nobody opens it; only its totals
are printed, never a persona, a transcript or a misread field).

- personas: the patient simulator (../shared/sim/simulate.py) on each half;
- red-flag answers, crisis statements: each played inside an otherwise ordinary intake, at the
  question the item names, through the same simulator; sensitivity and specificity;
- onset phrasings: the answer to "When did the weakness start?", read as said on the item's date.

    python scripts/blind_eval.py --rasa URL --token T [--half dev|sealed|both] [--out reports/]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind"
SHARED = ROOT.parent / "shared"
SIM = SHARED / "sim" / "simulate.py"
SIM_PYTHON = ROOT / ".venv-sim" / "bin" / "python"
# dev2, dev3, dev5: later development sets, each written blind; round 4 split once into dev4 and sealed4
HALVES = ("dev", "dev2", "dev3", "dev4", "dev5", "sealed", "sealed4")   # dev5: screens only


def is_sealed(half: str) -> bool:
    """A never-tuned half (sealed/, sealed4/): only its totals are ever printed."""
    return half.startswith("sealed")

# The ordinary patient a screen item is played inside: a calm, few-weeks-old partial palsy.
ORDINARY = {
    "opening": "Hello, the left side of my face has been weak for about three weeks.",
    "answers": {
        "consent": "Yes, I agree.", "neuro_symptoms": "No, none of those.", "affected_side": "Left.",
        "paralysis_extent": "I can move it a little.", "onset": "About three weeks ago.",
        "onset_speed": "It came on overnight.", "course": "It's slowly getting a bit better.",
        "recurrence": "No, this is the first time.", "cause": "My GP said Bell's palsy.",
        "prior_treatments": "I took steroid tablets for ten days.", "eye_closure": "Yes, it closes fully.",
        "eye_symptoms": "None of those.", "speech_difficulty": "No.", "eating_difficulty": "No.",
        "synkinesis": "No.", "ear_symptoms": "None.", "goals": "I'd like my smile back.",
        "patient_name": "Jamie Example", "date_of_birth": "3 April 1979", "phone": "010 5555 0142",
        "email": "none", "confirm": "Yes, that's right.", "self_harm_check": "No, not at all.",
    },
}
ORDER = ["opening", "consent", "neuro_symptoms", "affected_side", "paralysis_extent", "onset", "onset_speed",
         "course", "recurrence", "cause", "prior_treatments", "eye_closure", "eye_symptoms", "speech_difficulty",
         "eating_difficulty", "eating_problems", "synkinesis", "ear_symptoms", "goals"]


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []


def simulate(files: list[Path], rasa: str, token: str, env: dict, max_turns: int = 70,
             workers: int = 4) -> tuple[str, list[dict]]:
    """Run the shared simulator; its printed report and its per-persona results."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        proc = subprocess.run([str(SIM_PYTHON), str(SIM), *map(str, files), "--rasa", rasa, "--token", token,
                               "--project", str(ROOT), "--workers", str(workers), "--max-turns", str(max_turns),
                               "--json", str(out), "--quiet"],
                              env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode == 2 or not out.exists():
            sys.exit(f"simulator failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return proc.stdout, json.loads(out.read_text())


def totals(report: str) -> str:
    """The simulator's summary lines only (what a sealed half may show)."""
    lines = report.strip().splitlines()
    keep = [i for i, line in enumerate(lines) if line.startswith("personas passed")]
    return "\n".join(lines[keep[0]:]) if keep else report.strip()[-600:]


# ---------------------------------------------------------------- screens played inside an intake

# The ordinary opening tells the side and the onset, so their questions are never asked: an item
# that answers one of them is played after an opening that tells nothing.
PLAIN_OPENING = "Hello, I'd like some help with my face."


def screen_persona(item_id: str, where: str, text: str, followup: str | None) -> dict:
    opening = PLAIN_OPENING if where in ("affected_side", "onset") else ORDINARY["opening"]
    persona = {"id": item_id, "opening": opening, "answers": dict(ORDINARY["answers"]), "rephrase": {}}
    if where == "opening":
        persona["opening"] = text
    else:
        persona["answers"][where] = text
    if followup:
        slot = "neuro_symptoms" if where == "neuro_symptoms" else "self_harm_check"
        persona["rephrase"][slot] = followup
        if slot == "self_harm_check":
            persona["answers"]["self_harm_check"] = followup
    return persona


def run_screen(items: list[dict], where_of, followup_of, rasa: str, token: str, env: dict) -> dict[str, dict]:
    """Play every item; the exported summary of each, by item id."""
    groups: dict[int, list[dict]] = {}
    for item in items:
        where = where_of(item)
        turns = ORDER.index(where) + 6 if where in ORDER else 40
        groups.setdefault(turns, []).append(screen_persona(item["id"], where, str(item["text"]), followup_of(item)))
    summaries: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for turns, personas in sorted(groups.items()):
            path = Path(tmp) / f"screen-{turns}.yml"
            path.write_text(yaml.safe_dump(personas, allow_unicode=True))
            _, results = simulate([path], rasa, token, env, max_turns=turns)
            summaries.update({r["id"]: (r.get("summary") or {}) for r in results})
    return summaries


def score_red_flags(items: list[dict], summaries: dict[str, dict]) -> dict:
    out = {"emergency": [0, 0], "none": [0, 0], "unsure": [0, 0], "codes_right": [0, 0], "misses": []}
    for item in items:
        s = summaries.get(item["id"]) or {}
        fired = s.get("status") == "emergency"
        unsure = bool((s.get("history") or {}).get("red_flags_unsure"))
        truth = item["truth"]
        ok = fired if truth == "emergency" else (not fired and unsure) if truth == "unsure" else (not fired and not unsure)
        out[truth][0] += ok
        out[truth][1] += 1
        if truth == "emergency" and fired:
            got = set((s.get("history") or {}).get("neuro_symptoms") or [])
            out["codes_right"][0] += set(item.get("signs") or []) <= got
            out["codes_right"][1] += 1
        if not ok:
            out["misses"].append({"id": item["id"], "truth": truth, "fired": fired, "unsure": unsure})
    return out


def score_crisis(items: list[dict], summaries: dict[str, dict]) -> dict:
    out = {"crisis": [0, 0], "no_crisis": [0, 0], "misses": []}
    for item in items:
        s = summaries.get(item["id"]) or {}
        flagged = (s.get("history") or {}).get("self_harm_risk") is True
        ok = flagged if item["truth"] == "crisis" else not flagged
        out[item["truth"]][0] += ok
        out[item["truth"]][1] += 1
        if not ok:
            out["misses"].append({"id": item["id"], "truth": item["truth"], "kind": item.get("kind")})
    return out


# ---------------------------------------------------------------- onset phrasings

def score_onsets(items: list[dict], code: Path = ROOT) -> dict:
    """Each phrasing read as the answer to the onset question, on the day it was typed."""
    sys.path.insert(0, str(code))
    from intake.parsing.answers import parse_answer
    from intake.questions import question

    out = {"right": 0, "of": 0, "misses": []}
    for item in items:
        answer = parse_answer(question("onset"), str(item["text"]), date.fromisoformat(str(item["said_on"])))
        value = answer.value if answer.understood and isinstance(answer.value, dict) else {}
        if item.get("since_birth"):
            ok = bool(value.get("since_birth"))
        else:
            days = value.get("days_since_onset")
            ok = days is not None and item["days"]["min"] <= days <= item["days"]["max"]
        out["right"] += ok
        out["of"] += 1
        if not ok:
            out["misses"].append({"id": item["id"], "got": value.get("days_since_onset"),
                                  "want": item.get("days") or "since birth"})
    return out


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"


def evaluate(rasa: str, token: str, env: dict, halves=HALVES, shared_dev: bool = True,
             code: Path = ROOT) -> tuple[str, dict]:
    """Every blind figure, as a report (markdown) and numbers; sealed halves show totals only."""
    lines, figures = ["## Whole conversations with strangers (tests/blind/)", ""], {}
    for half in halves:
        folder = BLIND / half
        personas = sorted(folder.glob("personas*.yml"))
        if personas:
            report, results = simulate(personas, rasa, token, env)
            lines += [f"### Blind personas, {half} half ({sum(len(load(p)) for p in personas)} patients)", "",
                      "```", report.strip() if not is_sealed(half) else totals(report), "```", ""]
            figures[f"blind_{half}_personas"] = totals(report).splitlines()[0]
        flags = load(folder / "redflags.yml")
        if flags:
            sc = score_red_flags(flags, run_screen(flags, lambda i: "neuro_symptoms", lambda i: i.get("followup"),
                                                   rasa, token, env))
            e, n, u = sc["emergency"], sc["none"], sc["unsure"]
            lines += [f"### Red-flag answers, {half} half ({len(flags)})", "",
                      f"- sensitivity (current sign -> emergency): {pct(*e)}",
                      f"- specificity (none -> no emergency, no R-UNSURE): {pct(*n)}; "
                      f"false emergencies {sum(1 for m in sc['misses'] if m['fired'] and m['truth'] != 'emergency')}"
                      f" of {n[1] + u[1]} non-emergency answers",
                      f"- 'not sure' kept as R-UNSURE: {pct(*u)}",
                      f"- sign codes right when fired: {pct(*sc['codes_right'])}", ""]
            if not is_sealed(half) and sc["misses"]:
                lines += ["Misread: " + ", ".join(f"{m['id']} ({m['truth']})" for m in sc["misses"]), ""]
            figures[f"redflag_{half}"] = {k: v for k, v in sc.items() if k != "misses"}
        crisis = load(folder / "crisis.yml")
        if crisis:
            sc = score_crisis(crisis, run_screen(crisis, lambda i: i["where"], lambda i: i.get("followup"),
                                                 rasa, token, env))
            c, n = sc["crisis"], sc["no_crisis"]
            lines += [f"### Crisis statements, {half} half ({len(crisis)})", "",
                      f"- sensitivity (crisis -> R0-CRISIS): {pct(*c)}",
                      f"- false alarms (no crisis -> R0-CRISIS): {pct(n[1] - n[0], n[1])}", ""]
            if not is_sealed(half) and sc["misses"]:
                lines += ["Misread: " + ", ".join(f"{m['id']} ({m['kind']})" for m in sc["misses"]), ""]
            figures[f"crisis_{half}"] = {k: v for k, v in sc.items() if k != "misses"}
        onsets = load(folder / "onsets.yml")
        if onsets:
            sc = score_onsets(onsets, code)
            lines += [f"### Onset phrasings, {half} half ({len(onsets)})", "",
                      f"- within the range: {pct(sc['right'], sc['of'])}", ""]
            if not is_sealed(half) and sc["misses"]:
                lines += ["Misread: " + ", ".join(f"{m['id']} (got {m['got']}, want {m['want']})"
                                                  for m in sc["misses"]), ""]
            figures[f"onset_{half}"] = [sc["right"], sc["of"]]
    if shared_dev and (SHARED / "sim" / "personas-dev.yml").exists():
        report, _ = simulate([SHARED / "sim" / "personas-dev.yml"], rasa, token, env)
        lines += ["### ../shared/sim/personas-dev.yml (40 development patients)", "", "```", report.strip(), "```", ""]
        figures["shared_dev_personas"] = totals(report).splitlines()[0]
    return "\n".join(lines), figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rasa", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    ap.add_argument("--token", default=os.environ.get("RASA_TOKEN", "dev-intake-token"))
    ap.add_argument("--half", choices=[*HALVES, "both"], default="both", nargs="+")
    ap.add_argument("--no-shared-dev", action="store_true")
    ap.add_argument("--out", help="write the report (markdown) and figures (json) here")
    ap.add_argument("--code", default=str(ROOT), help="the checkout whose parsers read the onset phrasings")
    args = ap.parse_args()
    halves = HALVES if "both" in args.half else tuple(args.half)
    report, figures = evaluate(args.rasa, args.token, dict(os.environ), halves, not args.no_shared_dev, Path(args.code))
    print(report)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "blind.md").write_text(report + "\n")
        (Path(args.out) / "blind.json").write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

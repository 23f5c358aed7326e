"""`make evaluate`: how well the bot understands people, in figures.

Prints and writes to reports/ (with Rasa's confusion matrices and histograms):
- intent and entity F1, cross-validated on bot/data/nlu.yml and on two sets never trained on
  (tests/nlu/heldout.yml, and tests/nlu/unseen.yml, written blind later);
- the answer parsers' accuracy per question on tests/evaluation/answers.yml (written blind);
- the patient simulator's totals on ../shared/sim's sample personas;
- whole conversations with strangers: the blind sets in tests/blind/ (both halves, the never-tuned
  one as totals only), the red-flag and crisis screens and the onset phrasings (scripts/blind_eval.py),
  and ../shared/sim/personas-dev.yml;
and what changed since the last run (reports/evaluation.json is kept for that).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPORTS = ROOT / "reports"
RASA = str(ROOT / ".venv" / "bin" / "rasa")
SHARED = ROOT.parent / "shared"
ENTITY_EXTRACTOR = "ClinicalEntityExtractor"


def rasa(*args: str) -> None:
    started = time.perf_counter()
    proc = subprocess.run([RASA, *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"rasa {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    print(f"  (rasa {args[0]} {args[1] if len(args) > 1 else ''}: {time.perf_counter() - started:.0f} s)")


def f1_figures(folder: Path) -> dict:
    """Intent macro-F1 and entity F1 from a `rasa test nlu` output folder."""
    out: dict = {}
    intent = folder / "intent_report.json"
    if intent.exists():
        report = json.loads(intent.read_text())
        out["intent_macro_f1"] = round(report["macro avg"]["f1-score"], 4)
        out["intent_weighted_f1"] = round(report["weighted avg"]["f1-score"], 4)
        out["intent_accuracy"] = round(report.get("accuracy", 0.0), 4)
    for name in (ENTITY_EXTRACTOR, "DIETClassifier"):
        entity = folder / f"{name}_report.json"
        if entity.exists():
            report = json.loads(entity.read_text())
            avg = report.get("micro avg") or report.get("weighted avg")
            out[f"entity_f1_{name}"] = round(avg["f1-score"], 4)
            out[f"entity_per_type_{name}"] = {k: round(v["f1-score"], 3) for k, v in report.items()
                                              if isinstance(v, dict) and "avg" not in k and "f1-score" in v}
    return out


def nlu_cross_validation(config: Path, out: Path, folds: int) -> dict:
    rasa("test", "nlu", "--nlu", "bot/data/nlu.yml", "--config", str(config), "--cross-validation",
         "--folds", str(folds), "--out", str(out))
    return f1_figures(out)


# Sets never trained on: the held-out split, and phrasings written blind later (tests/nlu/unseen.yml).
TEST_SETS = {"heldout": "tests/nlu/heldout.yml", "unseen": "tests/nlu/unseen.yml"}


def nlu_test_sets(config: Path, out: Path) -> dict[str, dict]:
    """Train on all of nlu.yml once; figures on each test set (reports/nlu-<name>/)."""
    figures = {}
    with tempfile.TemporaryDirectory() as models:
        rasa("train", "nlu", "--nlu", "bot/data/nlu.yml", "--config", str(config), "--domain", "domain.yml",
             "--out", models, "--fixed-model-name", "heldout")
        for name, path in TEST_SETS.items():
            rasa("test", "nlu", "--nlu", path, "--model", f"{models}/heldout.tar.gz", "--out", str(out / f"nlu-{name}"))
            figures[name] = f1_figures(out / f"nlu-{name}")
    return figures


def parser_accuracy(path: Path) -> dict:
    """Per question: answers parsed to what a nurse would record, on unseen phrasings."""
    from intake.parsing.answers import UNKNOWN, parse_answer
    from intake.questions import question

    data = yaml.safe_load(path.read_text())
    today = date.fromisoformat(str(data["today"]))
    table: dict[str, list[int]] = {}
    misses = []
    for case in data["answers"]:
        answer = parse_answer(question(case["field"]), case["text"], today)
        ok = _matches(answer.value if answer.understood else None, case["expect"], UNKNOWN)
        row = table.setdefault(case["field"], [0, 0])
        row[0] += ok
        row[1] += 1
        if not ok:
            misses.append((case["field"], case["text"], case["expect"], answer.value if answer.understood else None))
    return {"per_field": table, "misses": misses}


def _matches(got, want, unknown) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and sorted(got) == sorted(want)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return False
        if want.get("since_birth"):
            return bool(got.get("since_birth"))
        days = got.get("days_since_onset")
        return days is not None and abs(days - want["days"]) <= want.get("tolerance", 0)
    if want == unknown and isinstance(got, dict):
        return bool(got.get("unknown"))
    return got == want


def simulator() -> tuple[str, str, dict]:
    """The sample personas' totals, and the blind evaluation (report, figures), on one running bot."""
    from scripts import blind_eval
    from scripts.bot_process import BotProcess

    with tempfile.TemporaryDirectory() as data:
        process = BotProcess(Path(data))
        bot = process.start()
        try:
            proc = subprocess.run(
                [str(ROOT / ".venv-sim" / "bin" / "python"), str(SHARED / "sim" / "simulate.py"),
                 str(SHARED / "sim" / "personas-sample.yml"), "--rasa", bot.rasa_url, "--token", bot.token,
                 "--project", str(ROOT), "--quiet"], env=bot.env, cwd=ROOT, capture_output=True, text=True)
            blind, figures = blind_eval.evaluate(bot.rasa_url, bot.token, bot.env)
        finally:
            process.stop()
    return proc.stdout.strip(), blind, figures


def delta(now: dict, before: dict, key: str) -> str:
    if key not in before or key not in now:
        return ""
    d = now[key] - before[key]
    return f" ({'+' if d >= 0 else ''}{d:.4f} since last run)" if abs(d) >= 0.00005 else " (unchanged)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--config", default="config.yml")
    ap.add_argument("--skip-sim", action="store_true")
    ap.add_argument("--out", default=str(REPORTS))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    previous_path = out / "evaluation.json"
    before = json.loads(previous_path.read_text()) if previous_path.exists() else {}

    print(f"Cross-validating {args.config} ({args.folds} folds) ...")
    cv = nlu_cross_validation(Path(args.config), out / "nlu-cv", args.folds)
    print("Training on nlu.yml, testing on the held-out and unseen sets ...")
    tested = nlu_test_sets(Path(args.config), out)
    parsers = parser_accuracy(ROOT / "tests" / "evaluation" / "answers.yml")
    sim, blind, blind_figures = ("", "", {}) if args.skip_sim else simulator()

    now = {"cv_" + k: v for k, v in cv.items() if not isinstance(v, dict)}
    for name, figures in tested.items():
        now.update({f"{name}_{k}": v for k, v in figures.items() if not isinstance(v, dict)})
    total_ok = sum(ok for ok, _ in parsers["per_field"].values())
    total = sum(n for _, n in parsers["per_field"].values())
    now["parser_accuracy"] = round(total_ok / total, 4) if total else 0.0

    lines = ["# Evaluation", "", f"Config: {args.config}; {args.folds}-fold cross-validation on bot/data/nlu.yml; "
             "never trained on: tests/nlu/heldout.yml (heldout_), tests/nlu/unseen.yml (unseen_).", "",
             "| figure | value |", "|---|---|"]
    for key, value in now.items():
        lines.append(f"| {key} | {value}{delta(now, before, key)} |")
    lines += ["", "## Entity F1 per type (cross-validated)", "", "| type | F1 |", "|---|---|"]
    for name, value in (cv.get(f"entity_per_type_{ENTITY_EXTRACTOR}") or {}).items():
        lines.append(f"| {name} | {value} |")
    lines += ["", "## Answer parsers on unseen phrasings (tests/evaluation/answers.yml)", "",
              "| question | right | of | accuracy |", "|---|---|---|---|"]
    for name, (ok, n) in sorted(parsers["per_field"].items()):
        lines.append(f"| {name} | {ok} | {n} | {ok / n:.0%} |")
    if parsers["misses"]:
        lines += ["", "Misread:", ""]
        lines += [f"- {f}: {t!r}: wanted {w}, got {g}" for f, t, w, g in parsers["misses"]]
    if sim:
        lines += ["", "## Patient simulator (sample personas)", "", "```", sim, "```"]
    if blind:
        lines += ["", blind]
        (out / "blind.json").write_text(json.dumps(blind_figures, indent=1))
    lines += ["", "Confusion matrices and histograms: reports/nlu-cv/, reports/nlu-heldout/ and reports/nlu-unseen/ "
              "(intent_confusion_matrix.png, intent_histogram.png)."]
    report = "\n".join(lines) + "\n"
    (out / "evaluation.md").write_text(report)
    previous_path.write_text(json.dumps(now, indent=1))
    print()
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

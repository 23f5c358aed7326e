"""Our ConText (intake/language/context.py) against medspaCy's, on the same targets.

Both read the same findings (the project's lexicon, spelling fixes and stems); only the context
marking differs: ours with context.yml, or medspaCy's ConTextComponent with its default rules
(plus its sentence splitter). Scored on the red-flag answers of the blind development half
(tests/blind/dev/redflags.yml) and the table of red-flag answers in tests/test_safety_screens.py, which
ours was fixed against, and on the never-tuned half (tests/blind/sealed/redflags.yml, totals only),
which neither was: the first reading of each answer, before any check question.

medspaCy is not a dependency of the project (docs/nlu.md says why); run this in a scratch venv:

    python3.10 -m venv /tmp/ms && /tmp/ms/bin/pip install -c constraints.txt spacy==3.4.4 medspacy \
        pyyaml snowballstemmer rapidfuzz pyspellchecker
    PYTHONPATH=. /tmp/ms/bin/python scripts/compare_context.py
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sealed_items() -> list[tuple[str, str]]:
    """The never-tuned half: scored, never printed."""
    return [(str(i["text"]), i["truth"]) for i in yaml.safe_load((ROOT / "tests/blind/sealed/redflags.yml").read_text())]


def red_flag_items() -> list[tuple[str, str]]:
    """(text, truth) pairs: the blind development half, and the test table (written for the tests)."""
    items = [(str(i["text"]), i["truth"]) for i in yaml.safe_load((ROOT / "tests/blind/dev/redflags.yml").read_text())]
    tree = ast.parse((ROOT / "tests/test_safety_screens.py").read_text())
    tables = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            call = node.decorator_list[0]
            if isinstance(call, ast.Call) and len(call.args) == 2 and isinstance(call.args[1], ast.List):
                tables[node.name] = [ast.literal_eval(e) for e in call.args[1].elts]
    items += [(t, "emergency") for t in tables["test_a_current_sign_is_an_emergency_at_once"]]
    items += [(t, "none") for t in tables["test_negated_reassured_past_and_other_peoples_signs_are_none"]]
    return items


def ours(text: str) -> str:
    from datetime import date

    from intake.language.reading import read
    from intake.parsing.answers import (
        answer_from,
        parse_answer,  # noqa: F401  (the same path the bot takes)
    )
    from intake.questions import question

    answer = answer_from(question("neuro_symptoms"), read(text, date(2026, 12, 1), "neuro_symptoms"))
    if answer.confirm is not None:
        return "check"
    if answer.understood and isinstance(answer.value, list):
        return "emergency" if answer.value else "none"
    return "unsure" if answer.understood else "not understood"


def medspacy_pipeline():
    import medspacy
    from spacy.tokens import Span

    from intake.language.pipeline import build_pipeline

    ours_nlp = build_pipeline()
    nlp = medspacy.load(enable=["medspacy_pyrush", "medspacy_context"])

    def classify(text: str) -> str:
        doc = ours_nlp(text)
        findings = [f for f in doc._.findings if f.field == "neuro_symptoms" and f.value != "none"
                    and (not f.topic or len([t for t in doc if t.is_alpha]) <= 4)]
        said_none = any(f.field == "neuro_symptoms" and f.value == "none" for f in doc._.findings)
        md = nlp.make_doc(text)
        for name, proc in nlp.pipeline:
            if name != "medspacy_context":
                md = proc(md)
        spans, used = [], set()
        for f in sorted(findings, key=lambda f: -(f.end - f.start)):
            if not used & set(range(f.start, f.end)):
                span = md.char_span(doc[f.start].idx, doc[f.end - 1].idx + len(doc[f.end - 1]), label="RED_FLAG",
                                    alignment_mode="expand")
                if span is not None:
                    spans.append(span)
                    used |= set(range(f.start, f.end))
        md.ents = sorted(spans, key=lambda s: s.start) if all(isinstance(s, Span) for s in spans) else []
        md = nlp.get_pipe("medspacy_context")(md)
        current = [e for e in md.ents if not (e._.is_negated or e._.is_historical or e._.is_hypothetical
                                              or e._.is_family or e._.is_uncertain)]
        if current:
            return "emergency"
        if any(e._.is_uncertain for e in md.ents):
            return "check"
        return "none" if md.ents or said_none else "not understood"

    return classify


def score(name: str, decide, items) -> None:
    fired_wrong = sum(1 for t, truth in items if truth != "emergency" and decide(t) == "emergency")
    missed = sum(1 for t, truth in items if truth == "emergency" and decide(t) != "emergency")
    right_none = sum(1 for t, truth in items if truth == "none" and decide(t) == "none")
    n_em = sum(1 for _, truth in items if truth == "emergency")
    n_none = sum(1 for _, truth in items if truth == "none")
    n_other = sum(1 for _, truth in items if truth != "emergency")
    print(f"{name:<10} current signs fired at once {n_em - missed}/{n_em}; 'none' read as none {right_none}/{n_none}; "
          f"false emergencies {fired_wrong}/{n_other}")


def main() -> int:
    items = red_flag_items()
    medspacy = medspacy_pipeline()
    print(f"{len(items)} red-flag answers we fixed against (blind development half and the tests' table):")
    score("ours", ours, items)
    score("medspaCy", medspacy, items)
    sealed = sealed_items()
    print(f"{len(sealed)} red-flag answers of the never-tuned half (totals only):")
    score("ours", ours, sealed)
    score("medspaCy", medspacy, sealed)
    return 0


if __name__ == "__main__":
    sys.exit(main())

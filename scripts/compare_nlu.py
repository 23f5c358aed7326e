"""Compare NLU pipelines by measurement (docs/nlu.md): cross-validation and the held-out set.

    .venv/bin/python scripts/compare_nlu.py config.yml docs/nlu/config-stock.yml [--folds 5]

Prints a markdown table (intent macro-F1, entity F1, wall time) to paste into docs/nlu.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.evaluate import nlu_cross_validation, nlu_heldout  # noqa: E402


def entity_f1(figures: dict) -> str:
    values = [v for k, v in figures.items() if k.startswith("entity_f1_")]
    names = [k.removeprefix("entity_f1_") for k in figures if k.startswith("entity_f1_")]
    return ", ".join(f"{v:.3f} ({n})" for n, v in zip(names, values)) or "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "reports" / "compare"))
    args = ap.parse_args()
    rows = []
    for config in args.configs:
        name = Path(config).stem
        started = time.perf_counter()
        cv = nlu_cross_validation(Path(config), Path(args.out) / name / "cv", args.folds)
        cv_seconds = time.perf_counter() - started
        held = nlu_heldout(Path(config), Path(args.out) / name / "heldout")
        rows.append(f"| {config} | {cv.get('intent_macro_f1', 0):.3f} | {entity_f1(cv)} | "
                    f"{held.get('intent_macro_f1', 0):.3f} | {entity_f1(held)} | {cv_seconds:.0f} s |")
        print(rows[-1], flush=True)
    print()
    print(f"| pipeline | intent macro-F1 ({args.folds}-fold CV) | entity F1 (CV) | intent macro-F1 (held-out) "
          "| entity F1 (held-out) | CV time |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

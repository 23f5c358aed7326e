"""Split the blind sets once into a development half and a never-tuned (sealed) half.

Run once, when the helpers' files arrived (2026-12-01, seed below); kept as the record of
how the halves were drawn. Prints counts only: the sealed half is never shown. Round 1 went to
dev/ and sealed/; round 4 to dev4/ and sealed4/.

    python scripts/split_blind.py SOURCE_DIR [DEV_HALF SEALED_HALF]
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml
from blind_eval import is_sealed  # run as a script: scripts/ is on the path

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind"
SEED = 20261201
HEADER = ("# Written blind by a helper who saw neither the lexicon, the training data nor the code;\n"
          "# split once by scripts/split_blind.py (seed {seed}). {half}\n")
HALF_NOTE = {"dev": "Development half: read it and fix against it.",
             "sealed": "Never-tuned half: nobody opens this file; make evaluate prints its totals only."}



def split(items: list[dict], key) -> tuple[list[dict], list[dict]]:
    """Half of each stratum (by `key`) to each side, drawn at random with the fixed seed."""
    rng = random.Random(SEED)
    dev, sealed = [], []
    strata: dict[str, list[dict]] = {}
    for item in items:
        strata.setdefault(str(key(item)), []).append(item)
    for name in sorted(strata):
        group = strata[name][:]
        rng.shuffle(group)
        cut = (len(group) + rng.randint(0, 1)) // 2
        dev += group[:cut]
        sealed += group[cut:]
    return dev, sealed


def write(half: str, name: str, items: list[dict]) -> None:
    folder = BLIND / half
    folder.mkdir(parents=True, exist_ok=True)
    text = HEADER.format(seed=SEED, half=HALF_NOTE["sealed" if is_sealed(half) else "dev"]) + yaml.safe_dump(items, allow_unicode=True, sort_keys=False,
                                                                           width=120)
    (folder / name).write_text(text, encoding="utf-8")


def main(source: Path, dev_half: str = "dev", sealed_half: str = "sealed") -> int:
    personas = []
    for path in sorted(source.glob("personas-*.yml")):
        personas += yaml.safe_load(path.read_text(encoding="utf-8"))
    # by writer: b-a-..., b-b-... (round 1), p4a-..., p4b-... (round 4)
    dev, sealed = split(personas, key=lambda p: p["id"].split("-")[1] if p["id"].count("-") > 1 else p["id"].split("-")[0])
    write(dev_half, "personas.yml", dev)
    write(sealed_half, "personas.yml", sealed)
    print(f"personas: {len(dev)} dev, {len(sealed)} sealed")
    for name in ("redflags.yml", "crisis.yml", "onsets.yml"):
        path = source / name
        if not path.exists():
            continue
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        dev, sealed = split(items, key=lambda i: i.get("truth") or i.get("kind") or ("birth" if i.get("since_birth") else "days"))
        write(dev_half, name, dev)
        write(sealed_half, name, sealed)
        print(f"{name}: {len(dev)} dev, {len(sealed)} sealed")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:4]))

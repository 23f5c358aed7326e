"""The project's spaCy pipeline (no pretrained model: `spacy.blank("en")`), built from the lexicon.

- `intake_spelling` (spelling.py): each token's NORM, with misspellings fixed, and its stem as
  LEMMA, on which the matchers work;
- `intake_terms` (matching.py, context.py): the lexicon's findings with their context as
  `doc._.findings`, and the entities Rasa reports as `doc.ents` (spans.py).

A Rasa model saves the pipeline with the lexicon it was built from (`nlp.meta`); the action
server builds its own from the lexicon files (`default_matcher`).
"""
# (no `from __future__ import annotations`: spaCy reads the factories' signatures with pydantic)

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from intake.language.lexicon import clean, context_rules, lexicon_snapshot
from intake.language.matching import Finding, Terms
from intake.language.spans import entities
from intake.language.spelling import Spelling, english_words

if not Doc.has_extension("findings"):
    Doc.set_extension("findings", default=None)


class _TermsAndEntities(Terms):
    """The findings, then the entities Rasa reports from them."""

    def __call__(self, doc: Doc) -> Doc:
        super().__call__(doc)
        doc.ents = entities(doc, doc._.findings)
        return doc


@Language.factory("intake_spelling", default_config={})
def make_spelling(nlp: Language, name: str) -> Spelling:
    snapshot = _pipeline_lexicon(nlp)
    vocabulary = {tok.norm_ for fields in snapshot["fields"].values() for spec in fields.values()
                  for kind in ("phrases", "when_asked", "fine") for p in (spec or {}).get(kind) or []
                  for tok in nlp.make_doc(clean(str(p)))}
    vocabulary |= {tok.norm_ for fields in snapshot["fields"].values() for spec in fields.values()
                   for group in (spec or {}).get("near") or [] for w in group for tok in nlp.make_doc(clean(str(w)))}
    return Spelling(nlp, snapshot["spelling"], vocabulary, english_words())


@Language.factory("intake_terms", default_config={})
def make_terms(nlp: Language, name: str) -> Terms:
    snapshot = _pipeline_lexicon(nlp)
    return _TermsAndEntities(nlp, snapshot["fields"], snapshot["spelling"],
                             snapshot.get("context") or context_rules())


def _pipeline_lexicon(nlp: Language) -> dict:
    """The lexicon stored with a saved pipeline (meta), or the project's current one."""
    return nlp.meta.get("intake_lexicon") or lexicon_snapshot()


def build_pipeline() -> Language:
    """A blank English pipeline with the project's components, built from the lexicon files."""
    nlp = spacy.blank("en")
    nlp.meta["name"] = "intake_clinical"
    nlp.meta["version"] = "2.0.0"
    nlp.meta["description"] = "Facial palsy intake terms: spelling, lexicon matching and ConText."
    nlp.meta["intake_lexicon"] = lexicon_snapshot()
    nlp.add_pipe("intake_spelling")
    nlp.add_pipe("intake_terms")
    return nlp


class TermMatcher:
    """Findings for a text, with the `when_asked` phrases of the open question only."""

    def __init__(self, nlp: "Language | None" = None) -> None:
        self.nlp = nlp or build_pipeline()
        self._terms: Terms = self.nlp.get_pipe("intake_terms")

    def unbeaten(self, field: str, values: list[str]) -> list[str]:
        """The values no other value in the list beats (`beats` in the lexicon: surgery over tumour)."""
        beaten = {b for v in values for b in self._terms.beats.get((field, v), ())}
        return [v for v in values if v not in beaten] or values

    def rank(self, field: str, value: str) -> int:
        """Position of a value in its lexicon file (earlier wins where a field needs one)."""
        return self._terms.order.get((field, value), 99)

    def doc(self, text: str) -> Doc:
        return self.nlp(text or "")

    def find(self, text: str, asked: str | None = None) -> list[Finding]:
        return [f for f in self.doc(text)._.findings if not f.asked_only or f.field == asked]


@lru_cache(maxsize=1)
def default_matcher() -> TermMatcher:
    return TermMatcher()

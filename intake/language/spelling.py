"""Spelling: each token's NORM from the listed fixes, or from the closest lexicon word, and
its stem as LEMMA (what the matchers compare).

A real English word is never "corrected" ("cancel" is not "cancer", "messages" not
"massage"): only words missing from an English word list (pyspellchecker's) are
compared with the lexicon's words, by optimal string alignment distance (rapidfuzz).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.language import Language
from spacy.tokens import Doc

from intake.language.lexicon import clean, contraction_tails, stem, word_fix

MIN_FUZZY_LENGTH = 5        # shorter words are too easily something else
MIN_SWAP_LENGTH = 4         # but two letters typed the wrong way round ("lfie", "wnat") are still clear
CACHE_SIZE = 50_000


class Spelling:
    """Sets NORM for misspelt words: the listed fixes first, then the closest lexicon word."""

    def __init__(self, nlp: Language, fixes: dict[str, str], vocabulary: Iterable[str],
                 english: frozenset[str] = frozenset()) -> None:
        self.fixes = fixes
        self.english = english
        self.vocabulary = {w for w in vocabulary if len(w) >= 4 and w.isalpha()}
        self.by_initial: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary):
            self.by_initial.setdefault(word[0], []).append(word)
        self._cache: dict[str, str | None] = {}
        self.tails = contraction_tails()

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            low = clean(token.lower_)
            fix = word_fix(self.fixes, low) or self._dropped_g(low) or self._bare_tail(doc, token, low)
            if fix:
                token.norm_ = fix
            elif (token.is_alpha and len(low) >= MIN_FUZZY_LENGTH and low not in self.vocabulary
                  and low not in self.english):
                near = self.undoubled(low) or self.closest(low)
                if near:
                    token.norm_ = near
            elif (token.is_alpha and len(low) >= MIN_SWAP_LENGTH and low not in self.vocabulary
                  and low not in self.english):
                near = self.undoubled(low) or self.swapped(low)
                if near:
                    token.norm_ = near
            token.lemma_ = stem(token.norm_)
        return doc

    def _bare_tail(self, doc: Doc, token, low: str) -> str | None:
        """"im gone" is "i'm gone": the tokenizer's bare "m" after "i", with no space between."""
        if low in self.tails and token.i > 0 and not doc[token.i - 1].whitespace_ and doc[token.i - 1].is_alpha:
            return self.tails[low]
        return None

    def _dropped_g(self, word: str) -> str | None:
        """"talkin", "seein'", "nothin": the -ing word, when it is one."""
        word = word.rstrip("'")
        if len(word) >= 5 and word.endswith("in") and word not in self.english and word + "g" in self.english:
            return word + "g"
        return None

    def undoubled(self, word: str) -> str | None:
        """The one lexicon word this word is with a letter typed twice ("weeak", "ccant") typed once."""
        return self._the_one(word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1])

    def swapped(self, word: str) -> str | None:
        """The one lexicon word this short word is with two neighbouring letters swapped back."""
        return self._the_one(word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1))

    def _the_one(self, candidates: Iterable[str]) -> str | None:
        """The candidate that is a lexicon word, when exactly one is."""
        found = {w for w in candidates if w in self.vocabulary}
        return found.pop() if len(found) == 1 else None

    def closest(self, word: str) -> str | None:
        """The one lexicon word within 1 edit (2 for long words), or None when two are as close."""
        if word in self._cache:
            return self._cache[word]
        limit = 1 if len(word) < 8 else 2
        candidates = [c for c in self.by_initial.get(word[0], ())
                      if abs(len(c) - len(word)) <= (limit if len(c) >= 5 else 1)]
        best = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=2)
        found = best[0][0] if best and (len(best) == 1 or best[1][1] > best[0][1]) else None
        if len(self._cache) < CACHE_SIZE:
            self._cache[word] = found
        return found


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words (pyspellchecker's frequency list) that fuzzy matching leaves alone."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker().word_frequency.dictionary)

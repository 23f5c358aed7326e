"""Find intake terms in a patient's words: which field, which value, negated or not.

The project's own spaCy pipeline (no pretrained model: `spacy.blank("en")`):

- `intake_spelling` sets each token's NORM from `normalise.yml` and, for unknown
  words, from the closest lexicon word ("steroyds" -> "steroids");
- `intake_terms` matches the lexicon's phrases on NORM (so "cant", "can't" and
  "cannot" read alike), applies the `near` rules, scopes negation and uncertainty to
  the clause ("no pain, just dryness"), and sets `doc._.findings` and `doc.ents`.

Clinicians add words by editing the YAML lexicon, not code.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

HERE = Path(__file__).resolve().parent
LEXICON_DIR = HERE / "lexicon"

# Fields whose lexicon file is shared under another name.
LEXICON_FILE = {"speech_difficulty": "severity", "eating_difficulty": "severity"}
# Entity types (doc.ents, Rasa entities) for the fields that name clinical terms.
ENTITY_OF = {"affected_side": "side", "cause": "cause", "prior_treatments": "treatment",
             "eye_symptoms": "eye_symptom", "ear_symptoms": "ear_symptom", "eating_problems": "mouth_symptom",
             "neuro_symptoms": "red_flag"}
SIDE_WORDS = {"left", "right", "both", "bilateral"}

NEGATION_CUES = {"no", "not", "never", "without", "none", "neither", "nor", "nothing", "denies", "deny", "free"}
# Not "probably": a probable stroke sign is a stroke sign (the red flags are never played down).
UNCERTAINTY_CUES = {"maybe", "perhaps", "possibly", "might", "may", "could", "unsure", "wonder", "suspect"}
UNCERTAINTY_PHRASES = ("not sure", "do not know if", "not certain", "no idea if", "could be")
# Words that end a clause: a negation or uncertainty does not reach past them.
CLAUSE_BREAKS = {".", ",", ";", ":", "!", "?", "but", "although", "though", "however", "except", "just",
                 "only", "and", "apart", "whereas", "while", "yet", "now", "-", "(", ")"}
# Words a negation reaches across ("I haven't had any pain"); any other word ends its
# reach ("people can't understand my p's": "can't" negates understanding, not the p's).
PASS_THROUGH = {"a", "an", "the", "any", "my", "his", "her", "their", "your", "our", "its", "it", "it's", "'s",
                "i", "he", "she", "they", "we", "you", "there", "is", "are", "was", "were", "be", "been", "am",
                "do", "does", "did", "have", "has", "had", "having", "get", "got", "feel", "feels", "felt",
                "notice", "noticed", "see", "seen", "experience", "experienced", "suffer", "from", "with", "of",
                "in", "on", "at", "all", "really", "much", "very", "too", "or", "signs", "sign", "problems",
                "problem", "trouble", "issues", "symptoms", "eye", "ear", "face", "real", "other", "new",
                "since", "that", "this", "them", "those", "these", "like", "such", "as", "so", "far", "ever"}
CUE_WINDOW = 6      # tokens before a term searched for a negation or uncertainty cue
# A reassurance right after a term negates it: "speech is fine", "my arms are normal".
REASSURANCE = {"fine", "ok", "okay", "normal", "alright", "good", "unaffected"}
REASSURANCE_WINDOW = 3
NOT_REASSURED = {"prior_treatments", "cause"}     # a treatment or a cause is had, not fine
NEAR_WINDOW = 8     # tokens within which the groups of a `near` rule must all appear


@dataclass(frozen=True)
class Finding:
    """One term found in a message."""

    field: str
    value: str
    start: int          # token offsets
    end: int
    text: str
    negated: bool = False
    uncertain: bool = False
    asked_only: bool = False   # matched through a `when_asked` phrase

    @property
    def positive(self) -> bool:
        return not self.negated and not self.uncertain


# ---------------------------------------------------------------- data

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
    """Lower-case, unify apostrophes and fix common misspellings word by word (for short replies)."""
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    fixes = _spelling()
    return _WORD.sub(lambda m: fixes.get(m.group(0), m.group(0)), text)


def load_lexicon(field: str) -> dict:
    path = LEXICON_DIR / f"{LEXICON_FILE.get(field, field)}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def lexicon_fields() -> list[str]:
    names = sorted(p.stem for p in LEXICON_DIR.glob("*.yml"))
    return [n for n in names if n != "severity"] + sorted(LEXICON_FILE)


def lexicon_snapshot() -> dict:
    """Every field's lexicon and the spelling fixes, as one JSON-able document."""
    return {"fields": {f: {str(v): s or {} for v, s in load_lexicon(f).items()} for f in lexicon_fields()},
            "spelling": _spelling()}


# ---------------------------------------------------------------- pipeline components

if not Doc.has_extension("findings"):
    Doc.set_extension("findings", default=None)


def _word_fix(fixes: dict[str, str], word: str) -> str | None:
    """The listed spelling fix of a word, when it is one word (a token's NORM can hold no more)."""
    fix = fixes.get(word)
    return fix if fix and " " not in fix and "'" not in fix else None


def _clean(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()


class Spelling:
    """Sets NORM for misspelt words: the listed fixes first, then the closest lexicon word.

    A real English word is never "corrected" ("cancel" is not "cancer", "messages" not
    "massage"): only words missing from an English word list are compared with the lexicon.
    """

    def __init__(self, nlp: Language, fixes: dict[str, str], vocabulary: Iterable[str],
                 english: frozenset[str] = frozenset()) -> None:
        self.fixes = fixes
        self.english = english
        self.vocabulary = {w for w in vocabulary if len(w) >= 4 and w.isalpha()}
        self.by_initial: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary):
            self.by_initial.setdefault(word[0], []).append(word)
        self._cache: dict[str, str | None] = {}

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            low = _clean(token.lower_)
            fix = _word_fix(self.fixes, low)
            if fix:
                token.norm_ = fix
            elif token.is_alpha and len(low) >= 5 and low not in self.vocabulary and low not in self.english:
                near = self.closest(low)
                if near:
                    token.norm_ = near
        return doc

    def closest(self, word: str) -> str | None:
        """The one lexicon word within 1 edit (2 for long words), or None when unsure."""
        if word in self._cache:
            return self._cache[word]
        limit = 1 if len(word) < 8 else 2     # a 4-letter target ("left") only ever 1 edit away
        best, best_distance, tied = None, limit + 1, False
        for candidate in self.by_initial.get(word[0], ()):
            if abs(len(candidate) - len(word)) > limit or (len(candidate) < 5 and abs(len(candidate) - len(word)) > 1):
                continue
            d = _distance(word, candidate, limit)
            if d < best_distance:
                best, best_distance, tied = candidate, d, False
            elif d == best_distance:
                tied = True
        found = best if best is not None and not tied else None
        if len(self._cache) < 50_000:
            self._cache[word] = found
        return found


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps, stopping early past `limit`."""
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class Terms:
    """Matches the lexicon on NORM; sets doc._.findings (every finding) and doc.ents (entities)."""

    def __init__(self, nlp: Language, lexicon: dict[str, dict], fixes: dict[str, str] | None = None) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.fixes = fixes or {}
        self.near: list[tuple[str, str, list[str]]] = []     # field, value, one key per word group
        self.hides: dict[tuple[str, str], set[str]] = {}
        self.order: dict[tuple[str, str], int] = {}
        for field, values in lexicon.items():
            for rank, (value, spec) in enumerate(values.items()):
                self.order[(field, value)] = rank
                spec = spec or {}
                self.hides[(field, value)] = {str(v) for v in spec.get("hides") or []}
                for kind in ("phrases", "when_asked", "not"):
                    phrases = [_clean(str(p)) for p in spec.get(kind) or []]
                    if phrases:
                        self.matcher.add(f"{field}|{value}|{kind}", [self._phrase(nlp, p) for p in phrases])
                keys = []
                for g, words in enumerate(spec.get("near") or []):
                    key = f"{field}|{value}|near{g}"
                    self.matcher.add(key, [self._phrase(nlp, _clean(str(w))) for w in words])
                    keys.append(key)
                if keys:
                    self.near.append((field, value, keys))

    def _phrase(self, nlp: Language, text: str) -> Doc:
        """A lexicon phrase with the spelling fixes a message gets, so "steroid tablets" matches
        itself although "steroid" is read as "steroids"."""
        doc = nlp.make_doc(text)
        for token in doc:
            fix = _word_fix(self.fixes, token.lower_)
            if fix:
                token.norm_ = fix
        return doc

    def __call__(self, doc: Doc) -> Doc:
        clause = _clause_ids(doc)
        hits: list[Finding] = []
        nots: list[Finding] = []           # "that's right" is no side: the `not` phrases
        groups: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            field, value, kind = key.split("|")
            if kind.startswith("near"):
                groups.setdefault(key, []).append((start, end))
                continue
            if kind == "not":
                nots.append(Finding(field, value, start, end, doc[start:end].text))
                continue
            hits.append(Finding(field, value, start, end, doc[start:end].text, asked_only=kind == "when_asked"))
        hits = [h for h in hits if not any(n.field == h.field and n.value == h.value and _overlap(h, n)
                                           and not _inside(n, h) for n in nots)]
        hits = _longest_per_field(hits)
        groups = {key: _outermost(spans) for key, spans in groups.items()}
        for field, value, keys in self.near:
            found = _near_span(keys, groups, clause)
            if not found:
                continue
            near = Finding(field, value, found[0], found[1], doc[found[0]:found[1]].text)
            # A `when_asked` match counts only while its question is open: it must not stand
            # in for a `near` finding that holds whatever the question ("my arm went weak").
            if any(h.field == field and h.value == value and not h.asked_only and _overlap(h, near) for h in hits):
                continue
            hidden = self.hides.get((field, value), set())
            hits = [h for h in hits if not (h.field == field and _overlap(h, near)
                                            and (h.value in hidden or (h.value == value and h.asked_only)))]
            hits.append(near)
        hits.sort(key=lambda h: (h.start, h.field))
        covered = {i for h in hits for i in range(h.start, h.end)}
        doc._.findings = [_with_cues(doc, clause, h, covered) for h in hits]
        doc.ents = _entities(doc, doc._.findings)
        return doc


def _entities(doc: Doc, found: list[Finding]) -> list[Span]:
    """Positive findings of the clinical-term fields, plus the onset time, without overlaps.

    Spans follow the annotation policy (docs/nlu.md): the words that name the term, so the
    side word itself ("on the [left]") and a symptom without its organ ("[watery] eye").
    """
    spans = []
    short = len(doc) <= SHORT_ANSWER_TOKENS        # "left", "the right one": an answer on its own
    for f in found:
        if f.field not in ENTITY_OF or not f.positive:
            continue
        if f.asked_only and not (short and f.field == "affected_side"):
            continue
        start, end = f.start, f.end
        if f.field == "affected_side":               # the side word itself, not "on the left"
            words = [i for i in range(start, end) if doc[i].norm_ in SIDE_WORDS or doc[i].norm_ == "sides"]
            if words:
                start, end = words[0], words[-1] + 1
        elif ENTITY_OF[f.field] in ORGAN_TRIMMED:
            start, end = _without_organ(doc, start, end)
        spans.append(Span(doc, start, end, label=ENTITY_OF[f.field], kb_id=f.value))
    onset = _onset_span(doc, found)
    if onset is not None:
        spans = _settle_birth(onset, spans)
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def is_bare_answer(doc: Doc) -> bool:
    """Whether a message is nothing but clinical terms and times ("car accident", "late last
    night", "in 2015"): an answer, whatever intent a classifier gives it."""
    covered = {i for span in doc.ents if span.label_ != "red_flag" for i in range(span.start, span.end)}
    return bool(covered) and all(t.i in covered or t.is_punct or t.norm_ in BARE_ANSWER_FILLERS for t in doc)


def _without_organ(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A symptom without the organ around it: "[watery] eye", "[ringing] in my ear", "my eye is
    [red]"; the organ stays where it is part of the name ("ear pain", "pain behind my ear")."""
    words = [t.norm_ for t in doc[start:end]]
    for cut in range(1, len(words)):                  # a trailing "in my ear", or "eye" after its symptom
        tail = words[cut:]
        if tail[-1] not in ORGANS:
            break
        after_in = tail[0] in {"in", "of"} and all(w in ORGAN_LINKS for w in tail[:-1])
        if after_in or (len(tail) == 1 and words[cut - 1] not in ORGAN_LINKS | {"behind", "around"}):
            end = start + cut
            break
    for cut in range(1, end - start):                 # a leading "eye is", "my ear feels"
        head = [t.norm_ for t in doc[start:start + cut]]
        if head[-1] in ORGAN_VERBS and any(w in ORGANS for w in head) and all(
                w in ORGANS or w in ORGAN_LINKS or w in ORGAN_VERBS for w in head):
            return start + cut, end
    return start, end


def _settle_birth(onset: Span, spans: list[Span]) -> list[Span]:
    """Birth is a time or a cause by its words: "since birth" is when, "born with it" is why."""
    birth = [s for s in spans if s.label_ == "cause" and s.kb_id_ == "congenital"
             and s.start < onset.end and onset.start < s.end]
    if not birth:
        return spans + [onset]
    if onset.doc[onset.start].norm_ in BIRTH_TIME_LEAD:
        return [s for s in spans if s not in birth] + [onset]
    return spans


SHORT_ANSWER_TOKENS = 4
# Time spans: words taken in before the time ("[since] this morning", "[early] today"),
# hedges left out ("maybe [2 weeks ago]"), words cut from its end ("6 weeks [now]") and
# words that start a clause after it ("this morning [when I woke up]").
TIME_LEAD = {"since", "from", "in", "on", "at", "early", "late", "just", "about", "around", "approximately",
             "roughly", "nearly", "almost", "sometime", "sinse"}
TIME_PREPOSITIONS = {"since", "from", "in", "on", "at", "for", "during", "over", "sinse"}
HEDGES = {"maybe", "perhaps", "probably", "possibly"}
TIME_TAIL = {"now", "already"}
TIME_CLAUSE_STARTS = {"when", "while", "and", "but"}
BIRTH_TIME_LEAD = {"since", "from"}
# Words a bare answer may hold besides its terms: "a car accident", "it was in 2015".
BARE_ANSWER_FILLERS = {"a", "an", "the", "my", "his", "her", "their", "it", "it's", "was", "is", "just", "only",
                       "and", "or", "of", "i", "think", "um", "er", "oh", "well"}
# Symptom entities leave out the organ they are of: "[watery] eye", "[ringing] in my ear".
ORGAN_TRIMMED = {"eye_symptom", "ear_symptom"}
ORGANS = {"eye", "eyes", "ear", "ears", "vision"}
ORGAN_LINKS = {"in", "of", "my", "his", "her", "their", "the", "that", "this", "both"}
ORGAN_VERBS = {"is", "are", "feels", "feel", "'s"}
ONSET_CUES = {"since", "ago", "started", "start", "began", "begin", "after", "happened", "from", "back", "when",
              "face", "palsy", "weak", "weakness", "dropped", "droop", "paralysed", "sinse"}


def _looks_like_birth_date(doc: Doc, found) -> bool:
    """A bare full date (day and year) years ago, with nothing about the face: a date of birth,
    not an onset."""
    years_ago = (found.days_since_onset or 0) / 365.25
    has_year = any(len(t.text) == 4 and t.text.isdigit() for t in doc)
    has_day = any(re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", t.lower_) for t in doc)
    full_date = (has_year and has_day) or re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", doc.text)   # not a bare year ("in 2015")
    return bool(full_date) and years_ago > 5 and not ({t.norm_ for t in doc} & ONSET_CUES)


def _onset_span(doc: Doc, found: list[Finding]) -> Span | None:
    """When the palsy began, as the annotation policy spans it: with its preposition and
    approximators ("[since this morning]", "[early this morning]"), without hedges, a
    trailing "now" or a clause after it; and not how long a treatment was taken or a
    stroke sign lasted ("prednisolone for 10 days", "vision went double for a minute")."""
    from intake.parsing.onset import find_onset   # plain-Python date reading, shared with the answers

    onset = find_onset(doc.text, date.today())
    if onset is None or not onset.text:
        return None
    if _looks_like_birth_date(doc, onset):
        return None
    at = doc.text.lower().find(onset.text.lower())
    if at < 0:
        return None
    span = doc.char_span(at, at + len(onset.text), alignment_mode="expand")
    if span is None:
        return None
    start, end = span.start, span.end
    if start > 0 and doc[start].norm_ not in TIME_PREPOSITIONS and doc[start - 1].norm_ in TIME_LEAD:
        start -= 1
    while end - start > 1 and doc[start].norm_ in HEDGES:
        start += 1
    cut = next((i for i in range(start + 1, end) if doc[i].norm_ in TIME_CLAUSE_STARTS), end)
    end = cut
    while end - start > 1 and (doc[end - 1].norm_ in TIME_TAIL or doc[end - 1].is_punct):
        end -= 1
    if doc[start].norm_ == "for" and _lasting_of(found, start):
        return None
    return Span(doc, start, end, label="time")


def _lasting_of(found: list[Finding], start: int) -> bool:
    """Whether a "for ..." time right after a treatment or a red flag is how long that lasted."""
    return any(ENTITY_OF.get(f.field) in {"treatment", "red_flag"} and not f.asked_only and 0 <= start - f.end <= 2
               for f in found)


@Language.factory("intake_spelling", default_config={})
def make_spelling(nlp: Language, name: str) -> Spelling:
    snapshot = _pipeline_lexicon(nlp)
    vocabulary = {tok.norm_ for fields in snapshot["fields"].values() for spec in fields.values()
                  for kind in ("phrases", "when_asked") for p in (spec or {}).get(kind) or []
                  for tok in nlp.make_doc(_clean(str(p)))}
    vocabulary |= {tok.norm_ for fields in snapshot["fields"].values() for spec in fields.values()
                   for group in (spec or {}).get("near") or [] for w in group for tok in nlp.make_doc(_clean(str(w)))}
    return Spelling(nlp, snapshot["spelling"], vocabulary, english_words())


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words (pyspellchecker's frequency list) that fuzzy matching leaves alone."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker().word_frequency.dictionary)


@Language.factory("intake_terms", default_config={})
def make_terms(nlp: Language, name: str) -> Terms:
    snapshot = _pipeline_lexicon(nlp)
    return Terms(nlp, snapshot["fields"], snapshot["spelling"])


def _pipeline_lexicon(nlp: Language) -> dict:
    """The lexicon stored with a saved pipeline (meta), or the project's current one."""
    return nlp.meta.get("intake_lexicon") or lexicon_snapshot()


def build_pipeline() -> Language:
    """A blank English pipeline with the project's components, built from the lexicon files."""
    nlp = spacy.blank("en")
    nlp.meta["name"] = "intake_clinical"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Facial palsy intake terms: spelling, lexicon matching, negation and uncertainty."
    nlp.meta["intake_lexicon"] = lexicon_snapshot()
    nlp.add_pipe("intake_spelling")
    nlp.add_pipe("intake_terms")
    return nlp


# ---------------------------------------------------------------- helpers

def _clause_ids(doc: Doc) -> list[int]:
    ids, current = [], 0
    for tok in doc:
        if tok.norm_ in CLAUSE_BREAKS or tok.lower_ in CLAUSE_BREAKS:
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


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A group's matches without those inside a longer one: "can't lift", not its "lift"."""
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(a: Finding, b: Finding) -> bool:
    """Whether `a` lies within the longer `b` ("right hand" within "right hand side")."""
    return b.start <= a.start and a.end <= b.end and b.end - b.start > a.end - a.start


def _longest_per_field(hits: list[Finding]) -> list[Finding]:
    """Within one field, a longer listed phrase hides any shorter one it overlaps; but a
    `when_asked` match, which counts only while its question is open, never hides one that
    counts whatever the question."""
    kept: list[Finding] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, h.asked_only)):
        if any(k.field == h.field and _overlap(h, k) and (h.asked_only or not k.asked_only) for k in kept):
            continue
        kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.field))


def _with_cues(doc: Doc, clause: list[int], hit: Finding, covered: set[int]) -> Finding:
    lo = hit.start
    while (lo > 0 and hit.start - lo < CUE_WINDOW and clause[lo - 1] == clause[hit.start]
           and doc[lo - 1].norm_ not in CLAUSE_BREAKS):
        lo -= 1
    before = doc[lo:hit.start]
    words = {t.norm_ for t in before}
    before_text = " " + " ".join(t.norm_ for t in before) + " "
    uncertain = bool(words & UNCERTAINTY_CUES) or any(f" {p} " in before_text for p in UNCERTAINTY_PHRASES)
    end_of_clause = next((t for t in doc[hit.end:] if t.norm_ in CLAUSE_BREAKS), None)
    if end_of_clause is not None and end_of_clause.text == "?":
        uncertain = True
    negated = not uncertain and (_negation_reaches(doc, lo, hit.start, covered) or _reassured(doc, clause, hit))
    if not negated and not uncertain:
        return hit
    return Finding(hit.field, hit.value, hit.start, hit.end, hit.text, negated, uncertain, hit.asked_only)


def _reassured(doc: Doc, clause: list[int], hit: Finding) -> bool:
    if hit.field in NOT_REASSURED:                  # "botox on the good side" is still botox
        return False
    after = doc[hit.end:min(len(doc), hit.end + REASSURANCE_WINDOW)]
    return any(t.norm_ in REASSURANCE and clause[t.i] == clause[hit.start] for t in after)


def _negation_reaches(doc: Doc, lo: int, start: int, covered: set[int]) -> bool:
    """A negation cue before the term, with only pass-through words or other terms between."""
    for i in range(start - 1, lo - 1, -1):
        word = doc[i].norm_
        if word in NEGATION_CUES:
            return True
        if word not in PASS_THROUGH and i not in covered:
            return False
    return False


# ---------------------------------------------------------------- the interface the parsers use

class TermMatcher:
    """Findings for a text, with the `when_asked` phrases of the open question only."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or build_pipeline()
        self._terms: Terms = self.nlp.get_pipe("intake_terms")

    def rank(self, field: str, value: str) -> int:
        """Position of a value in its lexicon file (earlier wins where a field needs one)."""
        return self._terms.order.get((field, value), 99)

    def find(self, text: str, asked: str | None = None) -> list[Finding]:
        doc = self.nlp(text or "")
        return [f for f in doc._.findings if not f.asked_only or f.field == asked]


@lru_cache(maxsize=1)
def default_matcher() -> TermMatcher:
    return TermMatcher()


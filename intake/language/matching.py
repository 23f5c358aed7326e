"""Lexicon matching: which intake field and value each part of a message names, in which context.

The lexicon's phrases are matched on word stems after the spelling fixes, so "can't", "cant"
and "cannot" read alike and "closes", "closed", "closing" match "close". `near` rules find
phrasings too varied to list ("arm" near "weak"); `not` phrases drop matches that only look
like a value ("that's right"); `fine` phrases state a value as absent ("arms work normally");
`vague` rules find a value said too loosely to act on without asking ("my hand feels odd").
Each finding then gets its context from `context.py`.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from intake.language.context import PREDICATE, ContextMarker, Span, pattern_doc
from intake.language.lexicon import clean

INABILITY = {"not", "no", "cannot", "unable", "never", "without", "barely", "hardly"}
NEAR_WINDOW = 8     # tokens within which the groups of a `near` rule must all appear
# Words that end a clause for `near` rules: the groups must meet inside one clause.
SENTENCE_BREAKS = {".", ";", "!", "?", "\n"}
NEAR_BREAKS = {".", ",", ";", ":", "!", "?", "but", "although", "though", "however", "except", "and", "apart",
               "whereas", "while", "yet", "-", "(", ")", "\n"}


@dataclass(frozen=True)
class Finding:
    """One term found in a message, with its context."""

    field: str
    value: str
    start: int          # token offsets
    end: int
    text: str
    negated: bool = False
    uncertain: bool = False
    historical: bool = False      # there before, gone now ("had a headache but it's gone")
    past: bool = False            # there before, not said to be gone ("I had a headache yesterday")
    hypothetical: bool = False    # a worry or a question ("what if I get a headache")
    other_person: bool = False    # someone else's ("my mum had a stroke")
    asked_only: bool = False      # matched through a `when_asked` phrase
    clause: bool = False          # stated as a clause of its own ("my arm is weak")
    listed: bool = False          # a listed phrase (its words are the term's own: "no movement at all")
    own: tuple[int, ...] = ()     # the tokens that name the term (a `near` rule's words, not those between)
    topic: bool = False           # a word that only names the topic ("arms", "speech"): said fine, it is absent
    passing: bool = False         # a sign only in answer to its own question; told in passing, it is checked
    chronic: bool = False         # long-standing ("for years", "since my stroke"): historical, not a new sign

    @property
    def positive(self) -> bool:
        """Said to be there, now, for the patient."""
        return not (self.negated or self.uncertain or self.historical or self.hypothetical or self.other_person)

    @property
    def doubtful(self) -> bool:
        """Neither clearly there nor clearly absent: worth a question before acting on it."""
        return not (self.negated or self.historical or self.other_person or self.hypothetical) and (
            self.uncertain or self.past)

    @property
    def in_passing(self) -> bool:
        """Said to be there, but in words that count only as the answer to its own question."""
        return self.passing and self.positive


class Terms:
    """Matches the lexicon; sets doc._.findings (every finding, with its context)."""

    def __init__(self, nlp: Language, lexicon: dict[str, dict], fixes: dict[str, str] | None,
                 context_rules: dict) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.fixes = fixes or {}
        self.near: list[tuple[str, str, list[str], str]] = []    # field, value, one key per word group, kind
        self.across: set[tuple[str, str]] = set()                 # values whose near rules span a sentence's clauses
        self.hides: dict[tuple[str, str], set[str]] = {}
        self.beats: dict[tuple[str, str], set[str]] = {}
        self.order: dict[tuple[str, str], int] = {}
        self.context = ContextMarker(nlp, context_rules)
        persons = context_rules.get("third_person") or {}
        for field, values in lexicon.items():
            for rank, (value, spec) in enumerate(values.items()):
                self.order[(field, value)] = rank
                spec = spec or {}
                if field in (persons.get("fields") or []):
                    them = persons.get("persons") or {}     # "she wants God to take her": a carer's words
                    spec = {**spec, "phrases": third_person(spec.get("phrases") or [], them),
                            "near": [[third_person(group, them) for group in rule] for rule in _rules(spec.get("near"))]}
                self.hides[(field, value)] = {str(v) for v in spec.get("hides") or []}
                self.beats[(field, value)] = {str(v) for v in spec.get("beats") or []}
                if spec.get("near_across"):
                    self.across.add((field, value))
                listed = {clean(str(p)) for kind in ("phrases", "when_asked", "topic", "not", "fine", "in_passing")
                          for p in spec.get(kind) or []}
                for kind in ("phrases", "when_asked", "topic", "not", "fine", "in_passing"):
                    phrases = with_determiners([clean(str(p)) for p in spec.get(kind) or []], listed)
                    if phrases:
                        self.matcher.add(f"{field}|{value}|{kind}", [pattern_doc(nlp, p, self.fixes) for p in phrases])
                vague = spec.get("vague") or []
                flat = [clean(str(p)) for p in vague if not isinstance(p, list)]
                if flat:           # a list of phrases: each is the value said loosely
                    self.matcher.add(f"{field}|{value}|loose", [pattern_doc(nlp, p, self.fixes) for p in flat])
                for rule in ("near_clear", "near", "vague"):     # a clear rule first: it decides where both match
                    for r, groups in enumerate(_rules(spec.get(rule))):
                        keys = []
                        for g, words in enumerate(groups):
                            key = f"{field}|{value}|{rule}{r}.{g}"
                            self.matcher.add(key, [pattern_doc(nlp, w, self.fixes)
                                                   for w in with_determiners([clean(str(w)) for w in words])])
                            keys.append(key)
                        self.near.append((field, value, keys, rule))

    def __call__(self, doc: Doc) -> Doc:
        hits, nots, groups = [], [], {}
        for match_id, start, end in self.matcher(doc):
            field, value, kind = doc.vocab.strings[match_id].split("|")
            if kind.startswith(("near", "vague")):
                groups.setdefault(f"{field}|{value}|{kind}", []).append((start, end))
            elif kind == "not":
                nots.append(Finding(field, value, start, end, doc[start:end].text))
            else:
                hits.append(Finding(field, value, start, end, doc[start:end].text,
                                    asked_only=kind in ("when_asked", "topic"), topic=kind == "topic",
                                    negated=kind == "fine", listed=kind == "phrases", uncertain=kind == "loose",
                                    passing=kind == "in_passing"))
        hits = _longest_per_field(_without_nots(hits, nots))
        hits = _without_nots(self._add_near(doc, hits, groups), nots)
        hits = _without_words_of_a_not(hits, nots, _clause_ids(doc))
        hits.sort(key=lambda h: (h.start, h.field))
        spans = [Span(h.start, h.end, clause=any(t.norm_ in PREDICATE for t in doc[h.start:h.end]), field=h.field,
                      own=tuple(range(h.start, h.end)) if h.listed or h.asked_only else h.own,
                      shields=(h.listed or bool(h.own)) and h.value != "none",
                      inability=any(t.norm_ in INABILITY for t in doc[h.start:h.end])) for h in hits]
        marked = self.context.mark(doc, spans)
        doc._.findings = [_with_context(h, span, flags) for h, span, flags in zip(hits, spans, marked)]
        return doc

    def _add_near(self, doc: Doc, hits: list[Finding], groups: dict) -> list[Finding]:
        clause = _clause_ids(doc)
        sentence = _clause_ids(doc, breaks=SENTENCE_BREAKS)
        groups = {key: _outermost(spans) for key, spans in groups.items()}
        for field, value, keys, rule in self.near:
            vague = rule == "vague"
            found = _near_span(keys, groups, sentence if (field, value) in self.across else clause)
            if not found:
                continue
            if vague and any(h.field == field and not h.asked_only and _overlap(h, Finding(field, value, *found[0], ""))
                             for h in hits):
                continue       # a vague wording inside a clear one ("numb and funny") adds nothing
            near = Finding(field, value, found[0][0], found[0][1], doc[found[0][0]:found[0][1]].text, uncertain=vague,
                           own=found[1], listed=rule == "near_clear")
            # A `when_asked` match counts only while its question is open: it must not stand
            # in for a `near` finding that holds whatever the question ("my arm went weak").
            if any(h.field == field and h.value == value and not h.asked_only and _overlap(h, near) for h in hits):
                continue
            hidden = self.hides.get((field, value), set())
            # the longer statement decides: "my hand felt odd" is not a bare "hand"; a value it hides
            # goes wherever it stands in the same clause ("tears run down my cheek when I eat")
            hits = [h for h in hits if not (h.field == field and (
                (_overlap(h, near) and (h.value in hidden or h.asked_only))
                or (h.value in hidden and clause[h.start] in {clause[i] for i in range(near.start, near.end)})))]
            hits.append(near)
        return hits


def _rules(spec) -> list[list[list]]:
    """`near` / `vague` rules: one rule (a list of word groups) or several (a list of such lists);
    a `vague` list of plain phrases has no rule."""
    items = [i for i in spec or [] if isinstance(i, list)]
    if not items:
        return []
    if all(isinstance(g, list) and g and isinstance(g[0], list) for g in items):
        return items
    return [items]


# "food in my cheek" is also "food in the cheek" and, from a carer, "in his cheek": a phrase
# written with "my" matches with any of these in its place.
DETERMINERS = ("the", "his", "her", "their")


def with_determiners(phrases: list[str], listed: set[str] = frozenset()) -> list[str]:
    """The phrases, and each one with "my" as "the", "his", "her" or "their", unless the value lists
    that wording itself elsewhere ("the right" only when the side is asked: "my smile goes to the right")."""
    out = list(phrases)
    for phrase in phrases:
        words = phrase.split()
        if "my" in words:
            variants = (" ".join(d if w == "my" else w for w in words) for d in DETERMINERS)
            out += [v for v in variants if v not in listed]
    return list(dict.fromkeys(out))


def third_person(phrases: list, persons: dict[str, dict[str, str]]) -> list[str]:
    """The phrases, and each first-person phrase as a carer would write it of the patient."""
    out = [clean(str(p)) for p in phrases]
    for phrase in list(out):
        words = phrase.split()
        if not any(w in persons.get("he", {}) for w in words):
            continue
        for table in persons.values():
            out.append(" ".join(table.get(w, w) for w in words))
    return list(dict.fromkeys(out))


def _with_context(hit: Finding, span: Span, flags: dict[str, bool]) -> Finding:
    negated = hit.negated or flags["negated"]
    return Finding(hit.field, hit.value, hit.start, hit.end, hit.text,
                   negated=negated, uncertain=(flags["uncertain"] or flags["intermittent"] or hit.uncertain) and not negated,
                   historical=flags["historical"], past=flags["past"], hypothetical=flags["hypothetical"],
                   other_person=flags["other_person"], asked_only=hit.asked_only, clause=span.clause, listed=hit.listed,
                   own=hit.own, topic=hit.topic, passing=hit.passing,
                   chronic=flags["chronic"] and not flags["current"])


def _clause_ids(doc: Doc, breaks: set[str] = NEAR_BREAKS) -> list[int]:
    ids, current = [], 0
    for tok in doc:
        if tok.norm_ in breaks or tok.lower_ in breaks:
            current += 1
        ids.append(current)
    return ids


def _near_span(keys: list[str], groups: dict, clause: list[int]) -> tuple[tuple[int, int], tuple[int, ...]] | None:
    """The tightest span holding one match of every group, inside one clause and window, and
    the tokens of the group matches in it."""
    spans = [groups.get(k) for k in keys]
    if not all(spans):
        return None
    best = None
    for anchor in spans[0]:
        chosen = [anchor]
        for others in spans[1:]:
            near = [s for s in others if _same_clause(anchor, s, clause) and _gap(anchor, s) <= NEAR_WINDOW]
            if not near:
                break
            chosen.append(min(near, key=lambda s: abs(s[0] - anchor[0])))
        else:
            span = (min(s[0] for s in chosen), max(s[1] for s in chosen))
            if best is None or span[1] - span[0] < best[0][1] - best[0][0]:
                best = (span, tuple(sorted({i for s in chosen for i in range(s[0], s[1])})))
    return best


def _same_clause(a: tuple[int, int], b: tuple[int, int], clause: list[int]) -> bool:
    """Whether two matches stand in one clause, the earlier one ending where the later begins: a
    match that holds a break itself ("forehead and eye") reaches from its last word."""
    first, second = (a, b) if a[0] <= b[0] else (b, a)
    return clause[first[1] - 1] == clause[second[0]]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens from the start of one span to the start of the other, not counting a long first span's
    own words: a group of several words ("won't be around for") reaches as far as a short one."""
    if b[0] >= a[0]:
        return b[0] - a[0] - max(0, a[1] - a[0] - 1)
    return a[0] - b[0] - max(0, b[1] - b[0] - 1)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A group's matches without those inside a longer one: "can't lift", not its "lift"."""
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def _without_nots(hits: list[Finding], nots: list[Finding]) -> list[Finding]:
    """Drop matches inside a `not` phrase of their value ("that's right" is no side)."""
    return [h for h in hits if not any(n.field == h.field and n.value == h.value and _overlap(h, n)
                                       and not _inside(n, h) for n in nots)]


def _without_words_of_a_not(hits: list[Finding], nots: list[Finding], clause: list[int]) -> list[Finding]:
    """A clause a `not` phrase is about ("my eyelid twitches by itself sometimes") lends its short
    answer words ("sometimes") to nothing of that value."""
    said = {(n.field, n.value, clause[n.start]) for n in nots}
    return [h for h in hits if not (h.asked_only and (h.field, h.value, clause[h.start]) in said)]


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

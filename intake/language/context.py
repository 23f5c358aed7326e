"""ConText for patients' words: is a finding negated, uncertain, past, hypothetical or someone else's?

After Chapman et al.'s ConText (J Biomed Inform 2007), which medspaCy implements for clinical
notes: cues (`context.yml`) mark the findings in their scope, forward ("no weakness, numbness or
headache") or backward ("arms, legs and speech are all normal"). Patients' messages differ from
notes in ways the scope rules below are written for:

- lists: a cue reaches across "," / "and" / "or" only while another finding follows (forward) or
  precedes (backward) the separator, so "no headache, my arm is weak" keeps the arm;
- texting without punctuation: a new clause ("I", "it", a possessive after no preposition) ends
  a cue's reach;
- a finding stated as a clause of its own ("my arm is weak") is marked only by cues in its own
  clause, never by one over a list;
- resolution said after the fact ("I had a headache but it's gone"): a cue that starts with
  "it" / "that" refers back across "but" to the clause before;
- abilities stated as fine ("I can lift both arms") negate the finding right after them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from intake.language.lexicon import clean, stem

CATEGORIES = ("negated", "uncertain", "intermittent", "historical", "past", "current", "hypothetical", "other_person",
              "explained", "chronic", "mistaken", "earlier_episode", "wish", "relative", "varies")
SCOPE_WORDS = ("terminators", "clause_starts", "possessives", "prepositions", "list_separators", "list_fillers",
               "list_item_leads", "sentence_ends")
ANAPHORS = {"it", "that", "this", "they", "which", "both", "those", "these", "all", "everything", "its"}
# Words a backward cue reaches across between the findings and itself: "are all", "feel", "seem ok".
LINKING = {"is", "are", "was", "were", "'s", "be", "been", "am", "'m", "'re", "feel", "feels", "felt", "seem",
           "seems", "look", "looks", "all", "both", "also", "too", "totally", "completely", "perfectly",
           "absolutely", "pretty", "quite", "really", "very", "fully", "seem", "doing", "going", "working",
           "here", "there", "around", "about", "well", "today", "normally", "so", "far", "thankfully", "luckily",
           "has", "have", "had", "got", "gotten", "'ve", "all", "now", "since", "itself", "themselves", "only", "just",
           "now", "still", "my", "his", "her", "their", "the", "a", "and", "ok", "okay", "fine", "100", "%",
           "100%", "both", "sides", "side", "everything", "else", "everything's", "s"}
# A finding that holds one of these is a clause of its own ("my arm is weak", "can't lift my arm").
PREDICATE = {"is", "are", "was", "were", "'s", "feel", "feels", "felt", "went", "gone", "go", "goes", "has",
             "have", "had", "keeps", "keep", "can", "not", "will", "does", "did", "do", "seems", "seem", "looks",
             "became", "becomes", "got", "gets", "getting", "keep", "'ve", "am", "'m", "'re", "be"}
# Backward cues of these categories must follow their findings closely ("speech is fine"); the others
# reach back over their clause ("went numb last night because I slept on it").
ADJACENT = {"negated", "uncertain", "current"}
# Forward cues of these categories take in the clause that starts right after them ("maybe my arm ...").
OPENING = {"uncertain", "hypothetical", "intermittent", "earlier_episode", "mistaken"}
_DEGREE = {"all", "completely", "totally", "fully", "entirely", "now", "quite", "long", "since", "pretty", "well"}
REPLY_NO = {"no", "nope", "nah", "nop", "noo"}
REASONS = {"because", "cause", "cos", "coz", "due"}
MAX_FORWARD_GAP = 6       # words (other than findings and list fillers) a forward cue reaches across


@dataclass(frozen=True)
class Cue:
    category: str
    direction: str        # forward, backward, ability
    start: int
    end: int
    anaphoric: bool = False


@dataclass(frozen=True)
class Span:
    """The part of a finding ConText needs."""

    start: int
    end: int
    clause: bool                # a clause of its own ("my arm is weak")
    field: str = ""
    shields: bool = True        # its words are the term's own, never cues ("no movement at all")
    inability: bool = False     # it states an inability ("can't lift my arm"): "properly" after it is no reassurance
    own: tuple[int, ...] = ()   # the tokens that name the term; a cue between them marks it ("arm might be weak")


class ContextMarker:
    """Finds the cues in a doc and marks each finding's context (category -> bool)."""

    def __init__(self, nlp: Language, rules: dict) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.rules = rules
        self.words: dict[str, set[str]] = {}
        self.ability_between: set[str] = set()
        for category in CATEGORIES:
            spec = rules.get(category) or {}
            for direction in ("forward", "backward", "pseudo"):
                self._add(nlp, f"{category}|{direction}", spec.get(direction) or [])
        people = rules.get("other_person") or {}
        self._add(nlp, "relative|forward", [f"my {who} {verb}" for who in people.get("relatives") or []
                                            for verb in people.get("relative_verbs") or []])
        ability = (rules.get("negated") or {}).get("ability") or {}
        self._add(nlp, "negated|ability", ability.get("phrases") or [])
        self._add(nlp, "negated|ability_pseudo", ability.get("pseudo") or [])
        self.ability_between = {stem(clean(str(w))) for w in ability.get("between") or []}
        self.count_words = {clean(str(w)) for w in (rules.get("uncertain") or {}).get("before_a_count") or []}
        for name in SCOPE_WORDS:
            phrases = [str(p) for p in rules.get(name) or []]
            single = {stem(clean(p)) for p in phrases if len(nlp.make_doc(clean(p))) == 1}
            self.words[name] = single | {clean(p) for p in phrases}
            multi = [p for p in phrases if len(nlp.make_doc(clean(p))) > 1]
            self._add(nlp, f"scope|{name}", multi)

    def _add(self, nlp: Language, key: str, phrases: Iterable) -> None:
        docs = [pattern_doc(nlp, clean(str(p))) for p in phrases]
        if docs:
            self.matcher.add(key, docs)

    # ------------------------------------------------------------------ cues

    def cues(self, doc: Doc, findings: list[Span]) -> tuple[list[Cue], dict[str, set[int]]]:
        """Context cues outside the findings, and the token positions of the multi-word scope words."""
        shields = [f for f in findings if f.shields]
        raw, pseudo, scope = [], [], {}
        for match_id, start, end in self.matcher(doc):
            category, kind = doc.vocab.strings[match_id].split("|")
            if category == "scope":
                scope.setdefault(kind, set()).update(range(start, end))
            elif kind in ("pseudo", "ability_pseudo"):
                pseudo.append((category, kind, start, end))
            else:
                raw.append(Cue(category, kind, start, end))
        kept: list[Cue] = []
        for cue in sorted(raw, key=lambda c: (-(c.end - c.start), c.start)):
            if self._hedges_a_count(doc, cue):
                continue
            if any(set(range(cue.start, cue.end)) <= set(f.own) and len(f.own) > cue.end - cue.start
                   for f in shields):
                continue       # "no movement at all", "can't lift" are the term's words, not cues
            shadow = "ability_pseudo" if cue.direction == "ability" else "pseudo"
            if any(p[0] == cue.category and p[1] == shadow and p[2] < cue.end and cue.start < p[3] for p in pseudo):
                continue
            if any(k.start < cue.end and cue.start < k.end
                   and not (k.category == cue.category and (k.start, k.end) == (cue.start, cue.end)) for k in kept):
                continue       # the longest cue wins (a cue listed both ways stays both ways)
            kept.append(replace(cue, anaphoric=self._anaphoric(doc, cue)))
        return sorted(kept, key=lambda c: c.start), scope

    def _hedges_a_count(self, doc: Doc, cue: Cue) -> bool:
        """An uncertain cue right before a number is about the number, not a finding."""
        if cue.category != "uncertain" or cue.end >= len(doc):
            return False
        nxt = doc[cue.end]
        return nxt.like_num or nxt.norm_ in self.count_words or (
            nxt.norm_ in {"a", "about", "around"} and cue.end + 1 < len(doc)
            and (doc[cue.end + 1].like_num or doc[cue.end + 1].norm_ in self.count_words))

    def _anaphoric(self, doc: Doc, cue: Cue) -> bool:
        if cue.direction != "backward" or cue.category not in ("historical", "explained"):
            return False
        first = doc[cue.start].norm_
        start = cue.start
        while start > 0 and doc[start - 1].norm_ in _DEGREE:
            start -= 1                   # "that's all completely gone": the anaphor before the adverbs
        before = doc[start - 1].norm_ if start > 0 else ""
        if before in {"but", "and", ",", "-", "now", "though"} and (
                cue.category != "explained" or first in REASONS or first in {"only", "just", "mainly", "mostly"}):
            return True                  # "pain at the start but not anymore", "weakness, but only on face"
        # ("... and my face droops" names the face, it explains nothing before it)
        return first in ANAPHORS or before in ANAPHORS or (before in {"'s", "is", "has", "have", "are"} and start > 1
                                                            and doc[start - 2].norm_ in ANAPHORS)

    # ------------------------------------------------------------------ scope

    def applies(self, category: str, direction: str, field: str) -> bool:
        """Whether cues of `category` mark findings of `field` (context.yml: only_for, backward_not_for)."""
        spec = self.rules.get(category) or {}
        if direction == "ability":
            spec = spec.get("ability") or {}
        if spec.get("only_for") and field not in spec["only_for"]:
            return False
        return not (direction == "backward" and field in (spec.get("backward_not_for") or []))

    def mark(self, doc: Doc, findings: list[Span]) -> list[dict[str, bool]]:
        """For each finding (in order), the context categories that apply to it."""
        cues, scope = self.cues(doc, findings)
        sentence = self._sentences(doc, scope)
        starts = {f.start: f for f in findings}
        ends = {f.end: f for f in findings}
        covered = {i: f for f in findings for i in range(f.start, f.end)}
        out = []
        for f in findings:
            flags = {c: False for c in CATEGORIES}
            for cue in cues:
                if not self.applies(cue.category, cue.direction, f.field):
                    continue
                if sentence[cue.start] != sentence[f.start] and not self._refers_back(doc, cue, f, sentence, scope):
                    continue
                if f.start <= cue.start and cue.end <= f.end:
                    reached = not set(range(cue.start, cue.end)) & set(f.own)      # "my arm might be weak"
                    if cue.category == "historical" and cue.end in f.own:
                        reached = False    # "my arm's gone tingly": gone is became, before the sign's own word
                elif cue.direction == "ability":
                    reached = self._ability_reaches(doc, cue, f)
                elif cue.direction == "forward" and cue.start < f.start < cue.end:
                    reached = True                 # "not the left": the finding starts inside the cue
                elif cue.direction == "forward":
                    reached = cue.end <= f.start and self._forward_reaches(doc, cue, f, starts, covered, scope) \
                        and not (cue.category == "negated" and f.inability and self._reply_word(doc, cue))
                else:
                    reached = (f.end <= cue.start and not (f.inability and cue.category == "negated")
                               and self._backward_reaches(doc, cue, f, ends, covered, scope, sentence))
                if reached and cue.category == "historical" and self._lost_not_returned(doc, cue, f):
                    flags["current"] = True
                elif reached:
                    flags[cue.category] = True
            if flags["current"]:
                flags["historical"] = flags["past"] = flags["hypothetical"] = False
            if flags["relative"]:
                # "my brother gets double vision": someone else's, unless the carer means the patient;
                # a red flag is checked, anything else is the relative's
                flags["uncertain" if f.field == "neuro_symptoms" else "other_person"] = True
            if flags["wish"] or flags["varies"]:
                flags["hypothetical"] = True       # a treatment wished for, not had; a change with the seasons
            if flags["explained"]:
                flags["other_person"] = True       # not a sign of the patient's own: no red flag
            if flags["mistaken"] or (flags["earlier_episode"] and not flags["current"]):
                flags["negated"] = True            # the wrong answer a correction replaces; an earlier episode's
            if flags["chronic"] and not flags["current"]:
                flags["historical"] = True         # there for years: not a new red flag
            if flags["historical"]:
                flags["past"] = False
            out.append(flags)
        return out

    @staticmethod
    def _reply_word(doc: Doc, cue: Cue) -> bool:
        """A bare "no" / "nope" opening the message is the reply, not a negation: before an
        inability it agrees with it ("nope wont close", "no I can't lift my arm")."""
        first = next((t.i for t in doc if not t.is_punct and not t.is_space), 0)
        return cue.start == first and cue.end == first + 1 and doc[first].norm_ in REPLY_NO

    def _lost_not_returned(self, doc: Doc, cue: Cue, f: Span) -> bool:
        """A "hasn't come back" after a function lost ("went dark", "lost the feeling"): still lost."""
        rules = self.rules.get("lost_not_returned") or {}
        said = doc[cue.start:cue.end].text.lower().replace("’", "'")
        if not any(r in said for r in rules.get("returns") or []):
            return False
        losses = set(rules.get("losses") or [])
        return any(t.lower_ in losses or t.norm_ in losses for t in doc[f.start:f.end])

    def _is(self, doc: Doc, i: int, name: str, scope: dict[str, set[int]]) -> bool:
        token = doc[i]
        return (stem(token.norm_) in self.words[name] or token.norm_ in self.words[name]
                or token.text in self.words[name] or i in scope.get(name, ()))

    def _sentences(self, doc: Doc, scope: dict[str, set[int]]) -> list[int]:
        ids, current = [], 0
        for token in doc:
            ids.append(current)
            if self._is(doc, token.i, "sentence_ends", scope) or "\n" in token.text:
                current += 1
        return ids

    def _refers_back(self, doc: Doc, cue: Cue, f: Span, sentence: list[int], scope) -> bool:
        """"My arm tingled at first. It's gone now.": a resolution at the start of the next sentence."""
        if not cue.anaphoric or f.end > cue.start or sentence[cue.start] != sentence[f.start] + 1:
            return False
        first = next(i for i in range(len(doc)) if sentence[i] == sentence[cue.start])
        return all(doc[i].norm_ in ANAPHORS | LINKING or doc[i].is_punct for i in range(first, cue.start))

    def _ability_reaches(self, doc: Doc, cue: Cue, f: Span) -> bool:
        if f.start < cue.end:
            return False
        return all(stem(doc[i].norm_) in self.ability_between for i in range(cue.end, f.start))

    def _forward_reaches(self, doc: Doc, cue: Cue, f: Span, starts: dict, covered: dict, scope) -> bool:
        if (self.rules.get(cue.category) or {}).get("forward_scope") == "sentence":
            return not any(self._is(doc, i, "terminators", scope) for i in range(cue.end, f.start) if i not in covered)
        i, gap, crossed = cue.end, 0, False
        while i < f.start:
            if i in covered:
                i = covered[i].end
                continue
            opens_clause = cue.category in OPENING and all(      # "not sure if it's red", "maybe my arm is ..."
                self._is(doc, k, "clause_starts", scope) or self._is(doc, k, "possessives", scope)
                for k in range(cue.end, i + 1))
            if self._is(doc, i, "terminators", scope) or (self._is(doc, i, "clause_starts", scope) and not opens_clause):
                return False
            if self._is(doc, i, "possessives", scope) and not opens_clause and (
                    (i > cue.end and not self._is(doc, i - 1, "prepositions", scope)) or (i == cue.end and f.clause)):
                return False      # "no headache my arm is weak", "no my arm is weak": a new clause
            if self._is(doc, i, "list_separators", scope):
                if (self.rules.get(cue.category) or {}).get("lists") == "no":
                    return False
                j = i + 1
                while j < f.start and j not in covered and (self._is(doc, j, "list_fillers", scope)
                                                           or self._is(doc, j, "list_separators", scope)
                                                           or self._is(doc, j, "list_item_leads", scope)):
                    j += 1        # "not depressed or wanting to hurt myself": a verb leads the item
                if j not in starts:
                    return False
                crossed = True
                i = j
                continue
            if not self._is(doc, i, "list_fillers", scope):
                gap += 1
                if gap > MAX_FORWARD_GAP:
                    return False
            i += 1
        return not (crossed and f.clause)

    def _backward_reaches(self, doc: Doc, cue: Cue, f: Span, ends: dict, covered: dict, scope, sentence) -> bool:
        if cue.anaphoric:
            return self._anaphoric_reaches(doc, cue, f, covered, scope)
        i, crossed = cue.start - 1, False
        # a reason given after "but" explains what came before: "my speech is a bit slurred, but only
        # because my lip won't move"
        reason = cue.category == "explained" and doc[cue.start].norm_ in REASONS
        while i >= f.end:
            if reason and doc[i].norm_ in {"but", "only", "just", ",", "that's", "thats", "it's", "its", "mainly"}:
                i -= 1
                continue
            if i in covered:
                i = covered[i].start - 1
                continue
            if i >= cue.start - 2 and doc[i].norm_ in {"only", "just", "mostly", "mainly"}:
                i -= 1            # "numbness only in my cheek": part of the cue, no break
                continue
            if cue.category not in ADJACENT and self._is(doc, i, "clause_starts", scope) \
                    and not self._is(doc, i, "terminators", scope):
                if cue.category == "explained" and not reason:
                    return False  # "I can't lift my arm and my face droops": the face explains no arm
                i -= 1            # "the weakness I had after the stroke got better": a relative clause
                continue
            if self._is_break(doc, i, scope) or self._is(doc, i, "list_separators", scope):
                previous = covered.get(i - 1)
                if (self._is_break(doc, i, scope) or previous is None or previous.end != i or previous.clause
                        or (self.rules.get(cue.category) or {}).get("lists") == "no"):
                    return False
                crossed = True          # "arms, legs and speech are all normal"
                i -= 1
                continue
            token = doc[i]
            adjacent = cue.category in ADJACENT    # a reassurance right after what it reassures ("arms are fine")
            if adjacent and token.norm_ not in LINKING and not token.is_punct \
                    and not self._is(doc, i, "list_fillers", scope):
                return False
            i -= 1
        return not (crossed and f.clause)

    def _anaphoric_reaches(self, doc: Doc, cue: Cue, f: Span, covered: dict, scope) -> bool:
        """"I had a headache yesterday but it's gone": a cue that refers back marks what its own
        clause names, or, when its own clause names nothing, the clause before it."""
        def brk(j: int) -> bool:
            return j not in covered and (self._is(doc, j, "terminators", scope)
                                         or self._is(doc, j, "list_separators", scope) or doc[j].text in {";", ":"})

        i = cue.start - 1
        while i >= 0 and not brk(i):
            i -= 1
        if f.end - 1 > i:
            return True                          # in the cue's own clause
        if any(doc[k].norm_ in {"all", "both", "everything", "they", "those", "these"} for k in range(i + 1, cue.end)) \
                and not any(self._is(doc, k, "sentence_ends", scope) for k in range(f.end, cue.start)):
            return True                          # "... but that has all recovered": everything before it
        if any(s <= k < cue.start for k, s in ((k, i + 1) for k in covered)):
            return False                         # its own clause names what it refers to
        while i >= 0 and (brk(i) or doc[i].is_punct) and i not in covered:
            i -= 1
        return f.end <= i + 1 and not any(brk(j) for j in range(f.end, i + 1))

    def _is_break(self, doc: Doc, i: int, scope) -> bool:
        return self._is(doc, i, "terminators", scope) or self._is(doc, i, "clause_starts", scope)


def pattern_doc(nlp: Language, text: str, fixes: dict[str, str] | None = None) -> Doc:
    """A phrase as the matchers see messages: NORM with the listed fixes, LEMMA the stem of NORM."""
    from intake.language.lexicon import word_fix

    doc = nlp.make_doc(text)
    for token in doc:
        fix = word_fix(fixes or {}, token.lower_) if fixes else None
        if fix:
            token.norm_ = fix
        token.lemma_ = stem(token.norm_)
    return doc

"""The red-flag screen and the crisis check, by kind of language, in whole turns of the interview.

Every phrasing here was written for this test, not taken from the blind sets (tests/blind/) or the
simulator's personas: each kind of language a fix handles is tried on words it was not written from.
A message is played as the answer to the safety question (or to another question), and, where the bot
checks, the patient's reply to the check; the outcome is what a clinician would record.
"""
from __future__ import annotations

import pytest

from intake import interview
from tests.conftest import TODAY


def answer(slots, asked, text):
    turn = interview.take_message(slots, asked, text, TODAY)
    slots.update(turn.updates)
    return turn


def screen(text, reply_to_check=None):
    """The outcome of `text` as the answer to the red-flag question: emergency, unsure, none or check."""
    slots = {"consent": True}
    answer(slots, "neuro_symptoms", text)
    if interview.next_question(slots) == "neuro_symptoms" and not interview.emergency_fired(slots):
        if reply_to_check is None:
            return "check"
        answer(slots, "neuro_symptoms", reply_to_check)
    if interview.emergency_fired(slots):
        return "emergency"
    return "unsure" if slots.get("red_flags_unsure") else "none"


@pytest.mark.parametrize("text", [
    # a current sign in everyday words
    "my right hand won't grip the kettle properly",
    "his left leg gave way twice this morning",
    "i keep slurring like i'm drunk but i haven't had a drop",
    "the words come out all jumbled",
    "worst headache i have ever had, came on like a thunderclap",
    "i'm seeing two of everything",
    "she can't swallow her tea, it comes back up",
    "he keeps falling to one side when he walks",
    "my arm feels dead and heavy",
    # a list of absent signs with one that is there
    "no headache, no trouble talking, but my left foot is numb",
    "arms are fine. legs fine. my vision has gone dark on the left though",
    "nothing in my arms, but i can't get a sentence out",
    # a sign told after "no" in a texted run-on
    "no my arm is weak",
    # a resolution that belongs to another sign
    "my arm is weak and I had a headache that's gone",
    "the tingling went away but now my leg is dragging",
    # a carer writing of the patient
    "my dad's left arm is weak since lunch",
    "her speech is slurred and she can't find her words",
    # walking as if drunk, a limb that feels like someone else's, a hand gone clumsy
    "I have to hold onto the walls to get to the bathroom",
    "my right foot feels like it's not mine since this morning",
    "my hand went clumsy at breakfast and I keep dropping my cup",
    # a sign beside a clause about the face: the face explains nothing said before it
    "I can't lift my right arm and my face has dropped",
    "his leg is dragging and his mouth droops on that side",
    "my hand is numb and my cheek feels numb too",
    "she can't hold her cup and her lip is drooping",
    # a headache told as a blow, in a simile
    "it felt like being hit over the head with a hammer and it's still throbbing",
    # round 5's kinds, in phrasings written for this test: a limb "gone" numb (became, not went away);
    # drifting off a line; words lost mid-sentence; a limb asleep or wrapped; a letter typed twice
    "his right hand has gone all tingly and clumsy since lunch",
    "I keep drifting into the kerb when I walk",
    "I lose words in the middle of saying things, it isn't only my lips",
    "my right arm has gone to sleep and won't wake up, two hours now",
    "feels like my foot is wrapped in cotton wool",
    "my leg is sooo weeak",
])
def test_a_current_sign_is_an_emergency_at_once(text):
    assert screen(text) == "emergency"


@pytest.mark.parametrize("text", [
    "my right arm feels like lead today",
    "her legs went all rubbery when she stood up",
    "his hand is like a wet noodle, he can't hold the spoon",
    "both legs like jelly since this morning",
])
def test_a_simile_of_weakness_is_limb_weakness(text):
    slots = {"consent": True}
    answer(slots, "neuro_symptoms", text)
    assert interview.emergency_fired(slots)
    assert "limb_weakness" in slots["neuro_symptoms"]


@pytest.mark.parametrize("text", [
    # lists of absent signs, abilities said to be fine
    "no weakness, numbness or tingling, no headache, speech is normal",
    "arms ok legs ok speech ok",
    "both hands work normally and I can walk without any trouble",
    "I can lift my arms, I can talk fine and my eyesight is the same as ever",
    "talking, walking, thinking all fine",
    "nope nothing like that",
    "just the face, nothing else",
    "everything else is normal apart from my face",
    # past and gone
    "I had a bad headache on Sunday but it cleared up by Monday, nothing since",
    "my fingers went tingly for a few minutes last week, then it passed",
    "years ago I had double vision with a migraine, none now",
    # someone else's, a worry, explained by something else
    "my dad had a stroke so I'm scared, but I haven't got any of those",
    "what if I get a headache, should I call someone?",
    "my eye is blurry from the ointment, otherwise nothing",
    "the numbness is only in my cheek and lip",
    # facial symptoms that are not red flags
    "I dribble when I drink and my eye waters, that's it",
    # long-standing, not new: there "for" or "since" a time long ago, or said "as always"
    "my left leg has dragged a bit since a spinal operation in 2015, nothing new though",
    "he's needed a stick to get about for three years, apart from that his arms and legs are as they always are",
    "her hands have had a tremor for years, no other changes",
    # a sign told of an earlier illness, its time given once for the sentence ("that time")
    "No. Back in 2009 I had a TIA, my speech was slurred at that time, but I have been fine ever since.",
    # the face explained as the face, a reason after "but", an answer in other words
    "the numbness is only in my face, like after a filling, limbs normal",
    "my talking sounds off, but that's only because my lips don't close for the b sounds, words are fine",
    "negative on all",
    # a sign said and then put in the face after "but"
    "yes weakness, but just in face. arms and legs ok",
    # the tingling gone away, and the face's own feelings without "my"
    "the pins and needles in my arm have gone completely, that was last week",
    "the cheek feels tingly and the lip is numb, nothing else at all",
    # a feeling in the face is the palsy's own; a test result's word; a sign there since an event years ago
    "no weakness anywhere, no headache. only a tingly lip on the bad side",
    "negative",
    "I've had poor vision in my right eye since a firework accident in 2003, nothing new",
])
def test_negated_reassured_past_and_other_peoples_signs_are_none(text):
    assert screen(text) == "none"


@pytest.mark.parametrize("text, reply, outcome", [
    ("maybe my foot is a bit numb? not sure", "yes, it is numb now", "emergency"),
    ("maybe my foot is a bit numb? not sure", "no, it's fine now", "none"),
    ("I had a headache yesterday", "no, it's gone", "none"),
    ("I had a headache yesterday", "yes it's still there and it's awful", "emergency"),
    ("my leg feels odd", "not sure", "unsure"),
    ("my leg feels odd", "my leg feels odd", "unsure"),                 # the same words again: never a guess of none
    ("sometimes my hand tingles", "Yes, right now", "emergency"),
    ("I'm not sure, my speech might be a bit off, is that what you mean?", "I'm not sure", "unsure"),
    # a relative's sign, or the patient's told as a carer would: asked, not dismissed
    ("my husband had weakness in his arm this morning", "yes, his arm is still weak", "emergency"),
    ("my sister gets double vision with her migraines, not me", "No, I don't", "none"),
    # the sign asked about said plainly absent, beside what made us ask: that plain word is the answer
    # not understanding the question is no answer to it: asked again, and a doubt then stays unsure
    ("sorry I don't get the question", "I don't know", "unsure"),
    ("I keep feeling woozy", "it's more the room going round when I lie down, my balance is fine and I walk normally",
     "none"),
    ("I keep feeling woozy", "the room goes round when I lie down, and now my left hand feels weak too", "emergency"),
    # long-standing but worse now: asked, never passed over
    ("my right arm has been weak for years since my stroke but this week it's got much worse",
     "yes it's weaker right now", "emergency"),
])
def test_a_doubtful_sign_is_checked_once_and_an_unclear_reply_stays_unsure(text, reply, outcome):
    assert screen(text) == "check"
    assert screen(text, reply) == outcome


@pytest.mark.parametrize("text, outcome", [
    # an acknowledgement opens the answer (after the bot explained itself): the reply after it counts
    ("Okay, so no, nothing of the sort.", "none"),
    ("Alright then: none.", "none"),
    ("Got it. No.", "none"),
    ("Thanks for explaining, in that case no", "none"),
    ("ah i see, nope", "none"),
    ("Oh I see. Not sure then.", "unsure"),
    ("I see what you mean. Yes, my hand has gone numb.", "emergency"),
    ("OK, well yes, I can't lift my left arm", "emergency"),
    # "I see" is understanding, not eyesight; the eyesight words still are
    ("I see. No.", "none"),
    ("since lunchtime i see two of each thing", "emergency"),
])
def test_an_opening_acknowledgement_is_not_the_answer(text, outcome):
    assert screen(text) == outcome


@pytest.mark.parametrize("text, outcome", [
    # a carer for someone who cannot tell them: what they see, ending in no, is no; a doubt left open is unsure
    ("He's 6 months old, he can't tell us. His arms and legs kick like normal. So no.", "none"),
    ("my mum can't tell me since the dementia; she walks and eats as usual, so I'd say no", "none"),
    ("he can't tell me if his hand feels numb", "unsure"),
    ("She can't tell me. I don't know.", "unsure"),
])
def test_a_carer_answers_from_what_they_see(text, outcome):
    assert screen(text) == outcome


@pytest.mark.parametrize("text", [
    "nothing now. my vision was blurry on saturday but that's all totally gone",
    "no. I had pins and needles in my foot on the bus, that's completely gone now",
])
def test_a_sign_gone_after_adverbs_is_past(text):
    assert screen(text, "no") == "none"


def test_a_time_in_the_safety_answer_does_not_change_the_onset():
    slots = {"consent": True}
    answer(slots, None, "my face dropped on the left 6 days ago")
    answer(slots, "neuro_symptoms", "Not at the moment. There was a headache on Sunday but it went, and today I have none of those")
    assert slots["onset"]["days_since_onset"] == 6


def test_a_time_said_of_another_sign_does_not_date_the_palsy():
    slots = {"consent": True}
    answer(slots, "neuro_symptoms", "hmm not sure, a little unsteady this morning but I always am at 85")
    answer(slots, "neuro_symptoms", "I can't say")
    assert slots.get("onset") is None and slots.get("red_flags_unsure") and not interview.emergency_fired(slots)


def test_not_sure_is_recorded_as_unsure():
    assert screen("not sure really") == "unsure"


@pytest.mark.parametrize("asked, text", [
    ("eating_problems", "my right hand keeps dropping the spoon since breakfast"),
    ("course", "worse, and now I'm slurring my words"),
    ("ear_symptoms", "no ear pain but the worst headache of my life started an hour ago"),
    ("speech_difficulty", "my words are coming out all wrong, not just the p's"),     # language, not the lips
    ("prior_treatments", "nothing, I couldn't get out of bed, my legs wouldn't hold me"),
    ("synkinesis", "no. I feel really confused and drowsy today"),
    ("recurrence", "no, but my vision went black in one eye an hour ago"),
    ("eating_problems", "drinks spill, and since lunch my right hand keeps dropping the cup"),
    ("goals", "to smile again. also my words have been coming out wrong since this afternoon"),
    ("eye_symptoms", "it's dry. and everything looks doubled since i woke up"),
])
def test_a_sign_told_later_in_another_answer_is_an_emergency(asked, text):
    slots = {"consent": True, "neuro_symptoms": []}
    answer(slots, asked, text)
    assert interview.emergency_fired(slots)


@pytest.mark.parametrize("asked, text", [
    ("ear_symptoms", "my mum had shingles and it went to her eye, so I worry"),
    ("goals", "I want to be able to talk without people staring"),
    ("eye_symptoms", "a bit blurry when it's dry, fine once I blink"),
    ("speech_difficulty", "I can't say my p's properly because the lip won't close"),
    ("course", "I can't see any change at all, same as last month"),
    # the question is about the same function: the lips, the cheek, the eye
    ("speech_difficulty", "it's a bit hard to talk clearly with my lip like this"),
    ("eating_problems", "I choke on my tea sometimes when it runs out the side"),
    ("eye_symptoms", "things look blurry when it gets dry"),
    # someone not understanding what the patient meant is no sign of the patient's
    ("ear_symptoms", "a dull ache. my husband didn't get what I meant when I told him"),
])
def test_words_near_a_sign_in_other_answers_are_no_emergency(asked, text):
    slots = {"consent": True, "neuro_symptoms": []}
    answer(slots, asked, text)
    assert not interview.emergency_fired(slots)


# ---------------------------------------------------------------- crisis

def crisis(where, text, reply="no"):
    """"crisis" when the crisis pathway fires, "asked" when the direct question would be asked and
    answered with `reply`, "none" when neither."""
    slots = {"consent": True, "neuro_symptoms": []}
    answer(slots, None if where == "opening" else where, text)
    asked = interview.next_question(slots) == "self_harm_check"
    if asked:
        answer(slots, "self_harm_check", reply)
    if slots.get("self_harm_risk"):
        return "crisis"
    return "asked" if asked else "none"


@pytest.mark.parametrize("where, text", [
    ("goals", "honestly I'd rather be dead than live with this face"),
    ("opening", "i am going to kill myself tonight"),
    ("course", "worse. I have been thinking about ending my life"),
    ("eating_difficulty", "no. I've been stockpiling my pills"),
    ("opening", "I keep cutting myself since the palsy started"),
    ("goals", "honestly i just want to unalive myself"),          # the words of social media for it
    ("course", "worse. gonna kms if this doesn't get better"),
])
def test_explicit_statements_are_the_crisis_response_at_once(where, text):
    assert crisis(where, text) == "crisis"


@pytest.mark.parametrize("where, text", [
    ("goals", "there isn't any point any more, I can't see a future for myself"),
    ("course", "same. my family would be better off without me around"),
    ("opening", "I've been sorting out my will and giving my things away"),
    ("ear_symptoms", "none. sometimes I wish I could go to sleep and not wake up"),
    ("goals", "he told his sister they'd be better off without him"),             # a carer, about the patient
    ("cause", "bell's palsy. I'm so tired of it all, I can't go on like this"),
    # not meaning to be there much longer, means looked at, things settled or amends made as last words
    ("eye_closure", "it doesn't close, but I don't plan on being around much longer anyway"),
    ("eye_symptoms", "dry. I keep looking at the pills in the cupboard at night"),
    ("onset_speed", "overnight. I'm sorting everything out before I go"),
    ("goals", "I've been apologising to everyone I've ever let down"),
    ("course", "same. some days I wish the accident had killed me"),
    # round 4's kinds: a passive wish said as a prayer, means gathered under a drug's name, methods
    # looked up, affairs shown to someone, everything arranged, no strength left, what happens to
    # oneself not minded; a carer's words for them
    ("goals", "every night I ask God to take me in my sleep"),
    ("opening", "writing for dad. he keeps saying he wants the lord to take him soon"),
    ("prior_treatments", "steroids. also been quietly stocking up on codeine"),
    ("course", "worse. I googled the quickest way last week"),
    ("goals", "nothing really. I've told my brother where my passwords and the deeds are"),
    ("cause", "shingles. anyway I've tied up loose ends now"),
    ("recurrence", "third time. I honestly haven't got it in me to do this again"),
    ("eye_symptoms", "red and sore but I don't care what happens to me at this point"),
    ("goals", "I'm glad someone will have my notes after im gone"),      # "im": the apostrophe left out
    # round 5's kinds, in phrasings written for this test
    ("course", "worse. I've made my arrangements with the solicitor for after"),
    ("goals", "I've already picked the hymns I want for the service"),
    ("consent", "fine, it won't matter to me for long anyway"),
    ("course", "same. I can't face another twenty years of this"),
    ("eye_closure", "it doesn't. some nights I think how peaceful it would be to not wake up"),
    ("goals", "my children would honestly be better off with no mum at all"),
    ("onset", "March. I keep going to the bridge and looking down at the water"),
])
def test_indirect_signs_get_the_direct_question(where, text):
    assert crisis(where, text, reply="No, I'd never do anything") == "asked"
    assert crisis(where, text, reply="yes") == "crisis"
    assert crisis(where, text, reply="I don't know, sometimes") == "crisis"   # unclear after the signs


@pytest.mark.parametrize("where, text", [
    ("goals", "this palsy is killing me, I just want my smile back"),
    ("opening", "I nearly died of embarrassment at work when I couldn't drink my coffee"),
    ("goals", "I'd kill for a normal photo"),
    ("course", "I'm sick to death of the eye drops but it's improving"),
    ("goals", "I'm not suicidal or anything, just fed up with it"),
    ("opening", "my uncle took his own life last year, so mum worries about me"),
    ("cause", "the doctor said it won't kill the nerve, it's Bell's palsy"),
    ("eye_symptoms", "I'm dying to know if it will close again"),
    ("goals", "I cried when I saw the wedding photos, I hate how I look"),
])
def test_idioms_sadness_and_other_peoples_are_no_crisis(where, text):
    assert crisis(where, text) == "none"


# Crisis language by kind, in phrasings written for this test (a first set before the rules for
# thoughts of death, passive wishes, giving up, no way forward and plans were written, a second after).
INDIRECT_OR_EXPLICIT = [
    "I think about dying a lot these days", "sometimes I wish I just wasn't here", "what's the point of living like this",
    "life isn't worth it with this face", "I feel like giving up on everything", "I'd be better off gone",
    "I can't see a way forward at all", "I'm tired of fighting", "I'm done with everything", "I've thought about ending things",
    "I keep thinking about taking an overdose", "my family would be better off if I died",
    "I don't see the point in going on", "I just want it all to be over", "there's no reason for me to be here",
    "nobody would care if I was gone", "I looked up how many pills it would take", "I've been hurting myself",
    "I wish I had died instead", "I hope something happens to me", "I don't want to be around anymore",
    "everyone would be happier without me", "I've lost the will to live", "I have nothing left to live for",
    "honestly I'm not sure I want to be alive", "I've started planning how I'd do it", "I just want to stop existing",
    "I've been putting my things in order", "I told my sister to look after my cat if anything happens",
    "there's no light at the end of this for me", "I don't think I can carry on much longer",
    "I've said sorry to everyone, I won't be bothering them again", "I cut my arms when it gets too much",
]
NO_CRISIS = [
    "this form is killing me", "I'm dying to get this sorted", "I nearly died laughing at the photo",
    "I'd kill for a proper smile", "it's the end of the world for a teenager", "the doctor said it won't kill me",
    "I hope it gets better soon", "my uncle killed himself years ago", "I've given up on the eye drops", "I'm done with physio",
    "no point asking my GP, he's useless", "I'm so tired all the time", "I'd rather not have surgery",
    "I'm fed up to the back teeth with this", "I'd die of shame if anyone saw", "it's killing my confidence",
    "I'll be glad when this is over", "my life is on hold until this is fixed", "I want to get on with my life",
]


# A third set, written for the kinds found in a second round of blind patients (tests/blind/dev2/):
# not being there for what comes, no future pictured, the means worked out, a burden in other words,
# others better raised by someone else, death unnoticed and not minded, a life called complete,
# last thanks, a method thought through, a store of tablets, treatment stopped on purpose.
INDIRECT_OR_EXPLICIT += [
    "pls dont bother booking the surgery in march, i wont be around for it",
    "I can't picture myself being alive next year", "I've stopped planning beyond this winter",
    "I worked out how many of the tablets it would take", "I'm just a drain on my kids",
    "the children would have a better life with their aunt raising them",
    "if I died in this flat no one would notice for a month", "I'm 80, I've lived enough",
    "thank you for raising me, mum, and sorry for everything", "sometimes I park with the engine running and think how easy it would be",
    "I've been putting the sleeping pills in a drawer instead of taking them", "she stopped taking her insulin on purpose",
    "I don't want to be a burden to my husband any more",
]


@pytest.mark.parametrize("where, text", [
    ("opening", "my sister took her own life ten years ago, so I know the signs, I'm fine"),
    ("goals", "a colleague of mine died by suicide in the spring, it hit us all hard"),
    ("cause", "Bell's. For the record I had an overdose when I was 19, that's decades ago now"),
    ("goals", "one of the lads from my team killed himself in 2019 and I still miss him"),
])
def test_plain_words_about_someones_death_or_a_distant_past_are_not_acted_on_at_once(where, text):
    assert crisis(where, text, reply="No, not at all, I'm fine now") in ("asked", "none")
    outcome = crisis(where, text, reply="no but sometimes I think about it")
    assert outcome == "crisis" or outcome == "none"       # asked (and then a crisis), or another person's


@pytest.mark.parametrize("where, text", [
    ("opening", "I tried to kill myself years ago and I want to do it again"),
    ("goals", "my brother died last year and now I want to end my life too"),
])
def test_a_distant_past_with_intent_now_is_still_the_crisis_at_once(where, text):
    assert crisis(where, text) == "crisis"


# Injuries and bodily words that share a self-injury or hopelessness word: no question at all.
@pytest.mark.parametrize("where, text", [
    ("opening", "it started after a mosquito bite on my arm got infected"),
    ("cause", "maybe the burn on my leg from the exhaust pipe? it got infected"),
    ("eating_problems", "bits of rice get trapped under my top lip"),
    ("cause", "a trapped nerve in my neck, the physio thinks"),
    ("opening", "I was bitten by a dog on my hand in October, then the face went"),
    ("eye_symptoms", "dry. I keep the eye drops in my bag just in case"),
    ("goals", "I can't wait much longer for this appointment"),
    ("opening", "I drive over the bridge at night to get to work and that's when I noticed my face"),
])
def test_injuries_and_bodily_words_are_no_crisis(where, text):
    assert crisis(where, text) == "none"


# Words of suicide in a question about a medicine, an accident with a dose, or a sentence dated years
# back: asked about, never met with the crisis response by themselves.
@pytest.mark.parametrize("where, text", [
    ("prior_treatments", "is it possible to overdose on aciclovir? I doubled up by accident"),
    ("eye_symptoms", "dry. I accidentally overdosed on the drops, can that hurt my eye?"),
    ("prior_treatments", "the chemist gave me double, so technically an overdose of steroids, but I'm fine"),
    ("opening", "In 2012, after my divorce, I took an overdose. Now my left side has gone weak."),
    ("goals", "Back in 2016 I tried to end my life, I'm well now and see a therapist"),
])
def test_words_of_suicide_asked_about_or_long_past_are_asked_not_acted_on(where, text):
    assert crisis(where, text, reply="No, I'm fine") == "asked"


@pytest.mark.parametrize("reply", ["no but i do think about it", "No... well, sometimes", "not really, maybe",
                                   "no. why do you need to know", "nah idk", "No, I'd rather not say",
                                   "No. Yes. Sometimes I do."])
def test_only_a_clear_no_ends_the_check(reply):
    assert crisis("goals", "they'd all be better off without me", reply=reply) == "crisis"


# Kinds of plain no: laughter, a reason to live after it, a yes about something else, a denial
# reported by a carer, a question back.
@pytest.mark.parametrize("reply", ["no", "No, not at all", "haha no, just a figure of speech", "nope, I'm okay",
                                   "lol no, I've got my kids to live for", "No. Frustrated, yes. Not that.",
                                   "I asked him and he said of course not", "No. Why, is that a common question?"])
def test_a_clear_no_carries_on(reply):
    assert crisis("goals", "they'd all be better off without me", reply=reply) == "asked"


@pytest.mark.parametrize("text", INDIRECT_OR_EXPLICIT)
def test_crisis_language_in_other_words_is_read(text):
    from intake.language.reading import read

    assert read(text, TODAY, "goals").crisis in ("explicit", "indirect")


@pytest.mark.parametrize("text", NO_CRISIS)
def test_idioms_and_other_peoples_words_are_no_crisis_language(text):
    from intake.language.reading import read

    assert read(text, TODAY, "goals").crisis is None

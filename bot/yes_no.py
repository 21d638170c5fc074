"""Yes, no or not sure, in the words people really answer with; and "that detail is wrong".

A statistical classifier trained on a few hundred sentences misses "yeah righto", "haan
ji" or "yeah nah", and takes "no, my company is Globex" for a plain no. The answers to a
yes/no question are few and their words well known, so they are read here by rule:

- `read_yes_no`: the answer a message gives (yes, no, unsure), whether it says nothing
  else (only answer words and politeness, so an intent may be settled on it), and for
  consent questions which channels it accepts or refuses ("emails yes, texts no").
- `read_correction`: a lead detail the person says is wrong, and its new value if given
  ("the company should be Globex", "the email is wrong").

Pure functions (nlu/yes_no.py puts them in the NLU pipeline; actions read answers with them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.consent import purposes_mentioned
from bot.interruptions import declines, is_question
from bot.leads import respellings
from bot.types import LeadField, Purpose
from bot.typos import with_chat_words

Answer = Literal["yes", "no", "unsure"]
_YES, _NO, _UNSURE, _SOFT, _FILLER, _ONLY = "yes", "no", "unsure", "soft", "filler", "only"
# "um", "hmm": unsure when said alone; before a yes or a no only a pause ("uh yeah").
_HESITATE = "hesitate"
# The kinds that carry an answer, or doubt about one.
_MARKERS = (_YES, _NO, _UNSURE, _SOFT, _HESITATE)

# Words and phrases after normalisation (lower case, contractions spelt out: "don't" is
# "do not", "that's" is "that is"). The longest phrase at each position wins, so "not sure"
# is unsure before "not" is read, and "yeah nah" is the Australian no.
_PHRASES: dict[str, tuple[str, ...]] = {
    _YES: (
        "yes", "yess", "yesss", "yeah", "yeh", "yea", "yah", "ya", "yep", "yup", "yas", "ye",
        "aye", "sure", "surely", "certainly", "absolutely", "definitely", "of course",
        "ok", "okay", "okey", "okie", "oki", "k", "kk", "alright", "all right", "righto",
        "right o", "right oh", "righty", "right", "go on", "go on then", "go ahead",
        "carry on", "okey dokey", "okie dokie", "that is the lot", "sahi", "sahi hai",
        "sab sahi hai", "ji sahi", "no objection", "i have no objection",
        "go for it", "please do", "do it", "why not", "by all means", "happy to", "happy",
        "happy with", "fine with", "ok with", "okay with", "good with",
        "i agree", "agreed", "agree", "i do", "i accept", "accept", "i consent", "consent",
        "confirm", "confirmed", "affirmative", "fine", "fine by me", "fine with me",
        "that is fine", "it is fine", "that is ok", "that is okay", "that is alright",
        "that works", "works for me", "sounds good", "sounds great", "sounds fine",
        "good", "great", "grand", "perfect", "lovely", "brilliant", "cool", "sweet",
        "sorted", "all good", "all fine", "all grand", "all correct", "looks good",
        "looks right", "looks fine", "looks correct", "correct", "that is correct",
        "that is right", "that is it", "that is me", "that is all good", "spot on",
        "bang on", "exactly", "precisely", "indeed", "too right", "you bet", "for sure",
        "totally", "uh huh", "mhm", "mm hmm", "do not mind", "i do not mind",
        "i do not see why not", "do not see why not", "i do not see a problem",
        "i do not see any problem", "do not see a problem", "i do not see the harm",
        "would not mind", "i would not mind", "nah yeah", "do the needful",
        "please do the needful", "haan", "han", "haa", "haan ji", "ji haan", "ji ha",
        "theek hai", "thik hai", "thik he", "bilkul", "oui", "si", "ja", "da", "\U0001f44d",
        # Yes in the speaker's first language, said beside English ("yes okay va bene").
        "va bene", "certo", "claro", "vale", "sim", "tak", "evet", "jawohl", "klar",
        "natuerlich", "bien sur", "d accord", "dacord", "ndiyo", "naam", "aiwa", "haan haan",
        "ok la", "okay la", "boleh", "shi", "opo", "claro que si", "si claro", "oui oui",
        # Singapore and Malaysia: "can" alone is a filler, doubled or with "lah" a yes.
        "can can", "can lah", "can la", "ok can", "okay can", "sure can", "also can",
        "can do", "sweet as", "chur", "choice bro",  # "can do"; New Zealand
        # Australian "yeah, no worries": a yes, not "yeah no".
        "yeah no worries", "yep no worries", "yes no worries",
        "ok no worries", "okay no worries", "sure no worries", "yeah no problem",
        "yeah no dramas", "yep no dramas", "yeah no probs", "yes no problem",
        # Leave given in so many words: "you may write to me by e-mail", "please use my e-mail".
        "you can", "you may", "feel free", "feel free to", "acceptable", "is acceptable",
        "are acceptable", "please use", "that suits", "suits me",
        # "Emailing me is no problem": said of the thing asked, no mere politeness.
        "is no problem", "are no problem", "is not a problem", "are not a problem",
        "that is no problem", "that is not a problem", "is no issue", "are no issue",
        "is not an issue", "are not an issue",
        # "sms also no problem", "emails are welcome": a channel named, then welcomed.
        "also no problem", "also not a problem", "also no issue", "also fine", "also ok",
        "also okay", "is welcome", "are welcome", "most welcome", "very welcome",
        # Said in the speaker's first language (code-switching)
        "gerne", "gern", "sehr gerne", "passt", "passt so", "stimmt", "stimmt so", "richtig",
        "alles richtig", "alles gut", "alles klar", "genau", "ja genau", "ja klar", "ja gerne",
        "oo", "sige", "oo sige", "sige po", "oo po", "opo sige", "tamam", "sawa", "sawa sawa",
        "ndio", "ndiyo", "iko sawa", "ni sawa", "ndio iko sawa", "sawa kabisa", "hakuna shida",
        "aywa", "graag", "ja graag", "prima", "ja hoor", "natuurlijk", "pode", "pode ser",
        "beleza", "com certeza", "dale", "por supuesto", "perfecto", "volontiers", "parfait",
        "c est bon", "c est parfait", "bien sur", "haan ji bilkul", "ha ji", "ji ha",
        # "no problem" said in the speaker's language is a yes: Nigerian Pidgin "no wahala",
        # Hindi "koi baat nahi", "chalega"; Hyderabadi and Marathi "hau", "sab barabar hai"
        "no wahala", "no wahala at all", "wahala no dey", "koi baat nahi", "koi problem nahi",
        "chalega", "chalta hai", "hau", "hau ji", "barabar", "barabar hai", "sab barabar hai",
        "sab theek hai", "sab sahi hai", "sahi hai", "theek", "yes o", "yes oh", "ehen",
        "walaahi yes", "na so", "e dey fine", "dey fine", "no shida", "hakuna matata",
        "sin problema", "no hay problema", "pas de probleme", "kein problem", "geen probleem",
        "sem problema", "tidak apa apa", "takde hal", "tak apa", "ok je", "boleh je",
    ),
    _NO: (
        # "Nah, all good": no need, thanks (the longest phrase wins over "all good").
        "nah all good", "no all good", "nope all good", "nah i am good", "no i am good",
        "nah we are good", "no we are good", "nah i am fine", "no i am fine",
        "nah im good",
        "no", "n", "nope", "nop", "nah", "naa", "na", "nay", "naw", "never", "no way",
        "negative", "no thanks", "no thank you", "no ta", "no need", "not necessary",
        "not really", "not at all", "not now", "not right now", "not at the moment",
        "not at this moment", "not today", "not for now", "not yet", "not this time",
        "not interested", "maybe later", "later", "never mind", "nevermind", "forget it",
        "not for me", "not just now", "not required", "not keen", "not bothered",
        "i would sooner not", "sooner not", "best not", "leave it", "give it a miss",
        "give that a miss", "i will give it a miss", "i am good", "i am alright", "i am ok",
        "i am okay", "i am fine", "you are alright", "you are ok", "rather not", "i would rather not",
        "i had rather not", "prefer not", "i would prefer not", "i prefer not",
        "would prefer not", "please do not", "do not", "please dont", "dont",
        "do not bother", "i do not think so", "do not think so", "i will pass", "pass",
        "skip", "yeah nah", "yeah no", "probably not", "maybe not", "wrong",
        "that is wrong", "incorrect", "that is incorrect", "not right", "not correct",
        "that is not right", "that is not correct", "not quite", "nahi", "nahin", "nai",
        "nahi ji", "na ji", "\U0001f44e", "not needed", "is not needed", "no need for",
        "not wanted", "unnecessary", "do not need", "i do not need", "we do not need",
        # "I don't do texts": a habit that refuses, never "do" as a yes.
        "do not do", "i do not do", "we do not do", "do not want", "i do not want",
        "we do not want", "do not use", "i do not use", "do not like", "i do not like",
        "do not care for", "i do not care for", "i do not much care for", "not fond of",
        "i am not fond of", "i would rather not", "i would prefer not",
        # "I do not" alone; the longer "I do not mind" is a yes
        "i do not", "we do not",
        # Malay: "tak payah SMS lah", "tak nak"
        "tak payah", "tak nak", "tak mau", "tak perlu", "tidak perlu",
        "you can not", "you cannot", "you may not", "you must not", "you should not",
        "not acceptable", "is not acceptable", "are not acceptable",
        "not into", "i am not into",
        "nicht", "bitte nicht", "keine", "kein", "keine danke", "nee bitte nicht",
        "nein danke", "lieber nicht", "liever niet", "nee dank je", "non merci", "hindi po",
        "ayaw", "nahi chahiye", "nao obrigado", "nao obrigada", "hapana asante",
        "non", "nein", "nee", "hindi", "ayoko", "hayir", "nao", "nie", "niet", "hapana", "no gracias",
    ),
    _UNSURE: (
        "maybe", "perhaps", "possibly", "probably", "not sure", "i am not sure",
        "not so sure", "unsure", "not certain", "do not know", "i do not know", "dunno",
        "idk", "no idea", "let me think",
        "i will think about it", "need to think", "depends", "it depends",
        "kind of", "sort of", "kinda",
        "either", "whatever", "yes and no", "not sure yet",
    ),
    # "No worries", "no problem": a yes to some, a mere politeness to others; alone they
    # are not clear enough for consent or erasure, beside a yes or a no they follow it.
    _HESITATE: ("hmm", "hm", "hmmm", "um", "umm", "erm", "uh", "uhh", "er", "ehm"),
    # "I guess", "I suppose": a reluctant yes beside one ("texts too I guess, sure why not").
    _SOFT: ("no worries", "no problem", "not a problem", "no probs", "no prob", "no dramas",
            "i guess", "i guess so", "i suppose", "i suppose so"),
    _ONLY: ("only", "just", "only the", "just the"),
    _FILLER: (
        "please", "pls", "plz", "thanks", "thank you", "thankyou", "thx", "ty", "cheers",
        "ta", "mate", "buddy", "dear", "sir", "madam", "maam", "ji", "bhai", "boss", "love",
        "then", "so", "well", "oh", "ah", "really", "very", "much", "very much", "lol",
        "haha", "that is", "that", "this", "it", "it is", "is", "are", "i", "i am", "me",
        "my", "we", "us", "you", "your", "can", "may", "could", "will", "would", "do",
        "the", "a", "to", "for", "and", "but", "or", "with", "all", "both", "everything",
        "that one", "one", "now", "go", "ahead", "sounds", "thing", "sure thing", "of",
        "am", "be", "from", "about", "any", "anything", "either", "though", "as well",
        "too", "also", "again", "again please", "on", "in", "at", "send", "send me", "use",
        "write", "by", "via", "through",
        # Thanks and goodbyes in the speaker's first language.
        "grazie", "merci", "danke", "gracias", "obrigado", "obrigada", "shukran", "asante",
        "ciao", "bye", "goodbye", "dhanyavaad", "dhanyavad", "shukriya", "terima kasih",
        "bitte", "danke schon", "por favor", "per favore", "s il vous plait", "svp",
        # Particles of respect and softening: Filipino "po", Singlish "lah", "leh".
        "po", "lah", "leh", "la", "salamat", "salamat po", "ist", "sind", "ok ist", "es",
        "das", "alles", "ji", "hai", "inshallah", "mashallah", "wallah", "habibi", "yaar",
    ),
}  # fmt: skip
# Channel words count as part of an answer ("emails yes, texts no").
_PURPOSE_WORDS = frozenset(
    ["email", "emails", "e-mail", "e-mails", "emailing", "mail", "mails", "mailing", "newsletter",
     "newsletters", "text", "texts", "texting", "sms", "txt", "message", "messages",
     "short", "short message", "short messages",
     "whatsapp", "telegram", "call", "calls", "calling", "ring", "phone"]
)  # fmt: skip
_LEXICON: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): kind for kind, phrases in _PHRASES.items() for phrase in phrases
}
_LONGEST = max(len(words) for words in _LEXICON)
# Unknown words an answer may carry and still be read ("yes, let's do it").
_LOOSE_UNKNOWN = 2
_LOOSE_MAX_WORDS = 12

_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\b(do|does|did|is|are|was|would|should|could|have|has|had)n'?t\b"), r"\1 not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\b(that|it|what|there|here)'?s\b"), r"\1 is"),
    (re.compile(r"'s\b"), ""),
    (re.compile(r"\bi'?m\b"), "i am"),
    (re.compile(r"\b(i|you|we|they)'d\b"), r"\1 would"),
    (re.compile(r"\b(i|you|we|they)'ll\b"), r"\1 will"),
    (re.compile(r"\bill\b"), "i will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    # Singapore and Malaysia: "email can", "sms also can" (a channel, then "can") is a yes.
    (
        re.compile(
            r"\b(e-?mails?|emailing|texts?|texting|sms|whatsapp|messages?|calls?)\s+(also\s+)?can\b"
            r"(?!\s+(?:not|i|you|we|be|do|send|have))"
        ),
        r"\1 \2can lah",
    ),
    # "leave the texts off", "leave them out": a no, to the channel named if any
    (
        re.compile(
            r"\bleave (?:the |my |them |it |those |that |all )?"
            r"((?:e-?mails?|texts?|texting|sms|messages|calls?|whatsapp)\s+)?(?:off|out)\b"
        ),
        r"no \1",
    ),
)
_NEGATORS = frozenset({"not", "never", "hardly"})
# Answers that look like questions: "why not?" is a yes.
_CHANNEL_REASON = re.compile(
    r"(?:[,;]\s*|\s+(?=(?:my|our)\s+\w+(?:'s|\s+is)\s+(?:already|always|forever|constantly)\b))"
    r"(?:(?:because|as|since|cos|coz|cause)\s+)?(?:my|our)\s+(?:inbox|phone|mobile|cell|"
    r"e-?mail|email inbox|notifications)(?:'s|\s+is|\s+gets|\s+has|\s+are)\s+"
    r"(?!(?:not|never|no)\b)(?:already\s+|always\s+|forever\s+|constantly\s+|just\s+|so\s+)?"
    r"(?:\w+\s*){1,6}?(?=[.;!]|$)",
    re.I,
)
_ANSWER_NOT_QUESTION = re.compile(r"^\s*why not\b[\s?!.]*$", re.I)
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)?|\d+|[\U0001f44d\U0001f44e]")
_SEGMENT_BREAK = re.compile(r"[,;.!]|\b(?:but|though|however|whereas|while)\b")


@dataclass(frozen=True)
class YesNo:
    """What a message answers to a yes/no question."""

    answer: Answer | None = None
    # Nothing but answer words, politeness and channel names: safe to settle the intent.
    clean: bool = False
    question: bool = False
    # Channels the answer names, accepted (True) or refused (False).
    purposes: dict[Purpose, bool] = field(default_factory=dict)
    # The answer of the parts that name no channel: it answers the channel asked about.
    unnamed: Answer | None = None
    # "just emails": every channel not named is refused.
    only: bool = False


def normalize(text: str) -> str:
    # Accents dropped, so that "sì" and "bien sûr" meet the lexicon's "si" and "bien sur".
    plain = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", with_chat_words(text))
        if not unicodedata.combining(ch)
    )
    lowered = plain.lower().replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    return lowered


def _kinds(words: list[str]) -> list[tuple[str, str]]:
    """(kind, phrase) for each phrase in `words`, longest match first; unknown words are
    ("unknown", word) and channel names ("purpose", word). A "not" before a yes or a
    channel is a no ("not good", "not emails"); before anything else it stays unknown."""
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            kind = _LEXICON.get(tuple(words[i : i + size]))
            if kind is not None:
                found.append((kind, " ".join(words[i : i + size])))
                i += size
                break
        else:
            kind = "purpose" if words[i] in _PURPOSE_WORDS else "unknown"
            found.append((kind, words[i]))
            i += 1
    for index in range(len(found) - 1, 0, -1):
        before, (kind, phrase) = found[index - 1], found[index]
        if before[1] in _NEGATORS and kind == _YES:
            found[index - 1 : index + 1] = [(_NO, f"{before[1]} {phrase}")]
        elif before[1] in _NEGATORS and kind == "purpose":
            found[index - 1] = (_NO, before[1])  # "but not emails"
    return found


def _polarity(kinds: list[str]) -> Answer | None:
    yes, no = _YES in kinds, _NO in kinds
    if yes and no:
        return "unsure"
    if _UNSURE in kinds:
        return "no" if no else "unsure"
    if yes or no:
        return "yes" if yes else "no"
    return "unsure" if _SOFT in kinds or _HESITATE in kinds else None


def turns_down(text: str) -> bool:
    """Whether a reply to an offer ("shall we call you back?") is a no, a refusal or a
    goodbye, with nothing in it that accepts: "no thanks", "ok bye", "uh no", silence."""
    if not text.strip():
        return True
    if _GOODBYE.search(text) and not _ACCEPTS.search(text):
        return True
    answer = read_yes_no(text).answer
    return answer != "yes" and (answer == "no" or declines(text))


_GOODBYE = re.compile(
    r"\b(?:bye|goodbye|see (?:you|ya)|gotta go|got to go|that'?s all|never ?mind|forget it)\b",
    re.I,
)
_ACCEPTS = re.compile(r"\b(?:yes|yeah|yep|yup|sure|please|call me|ring me|go ahead)\b", re.I)


# "No texts, if it's all the same to you", "emails, if that's ok": politeness, no condition.
_POLITE_TAIL = re.compile(
    r"(?<=\w)\W*\b(?:if (?:it'?s|that'?s|it is|that is) (?:all the same|ok(?:ay)?|alright|all right|"
    r"fine)(?: (?:to|with|by) you)?|if you don'?t mind|if that works(?: for you)?)\W*$",
    re.I,
)
_ON_CONDITION = re.compile(
    r"(?<=\w)\W*\b(?:as long as|so long as|provided(?: that)?|providing|on condition that|"
    r"if (?:it'?s|they'?re|you) (?:not|don'?t|aren'?t)|but not (?:too )?(?:often|many|much|every)|"
    # "Email's okay, but no more than monthly please": how often, not whether
    r"(?:but |just |only )?(?:no|not) more (?:often )?than (?:once|twice|monthly|weekly|daily|"
    r"(?:one|two|three|four|\d+)(?: times?)?)|(?:but |just )?not too (?:often|many|much|frequently))\b.*$",
    re.I,
)


# After a plain answer, a remark that takes nothing back: "Sure, email is fine, it'll help
# with my spreadsheet actually". Words that could qualify the answer keep it unread.
# A recognizer writes no commas: "no emails please our inbox is full" ends its answer at
# the "please".
_CLAUSE_END = re.compile(
    r"[,;.!]+\s*|(?:(?<=\bplease)|(?<=\bpls)|(?<=\bthanks)|(?<=\bthank you)|(?<=\bcheers))\s+(?=\w)",
    re.I,
)
_QUALIFIES = re.compile(
    r"\b(?:no|not|n'?t|never|but|except|unless|if|only|just|stop|rather|instead|though|"
    r"although|however|maybe|perhaps|as long as|provided)\b",
    re.I,
)


def _first_clause_answer(text: str) -> YesNo:
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    for kept in range(len(clauses) - 1, 0, -1):
        rest = " ".join(clauses[kept:])
        if _QUALIFIES.search(rest) or is_question(rest):
            continue
        answer = read_yes_no(", ".join(clauses[:kept]))
        if answer.clean and answer.answer in ("yes", "no"):
            return answer
    return YesNo()


_THAT_TOO = re.compile(
    r"^\W*(?:and\s+|oh\s+|yes\s+|yeah\s+)?((?:e-?mails?|texts?|sms|text messages|messages|whats ?app|"
    r"calls?|phone calls?))(?:\s+(?:are|is))?\s+(?:too|as well|also|aswell)\b",
    re.IGNORECASE,
)


def read_yes_no(text: str) -> YesNo:
    """The answer `text` gives to a yes/no question, if it is one."""
    stripped = text.strip()
    if not stripped or stripped.startswith("/"):
        return YesNo()
    if is_question(stripped) and not _ANSWER_NOT_QUESTION.match(stripped):
        return YesNo(question=True)
    # "Email's fine, as long as it's not every single day": the answer, then its terms.
    stripped = _ON_CONDITION.sub("", stripped) or stripped
    stripped = _POLITE_TAIL.sub("", stripped) or stripped
    # "No emails please, my inbox is already chaos": why, not part of the answer.
    stripped = _CHANNEL_REASON.sub("", stripped) or stripped
    # "Texts too", "emails as well": a yes to that channel, like the one before it.
    stripped = _THAT_TOO.sub(r"\1 yes", stripped)
    normalized = normalize(stripped)
    found = _kinds(_TOKEN.findall(normalized))
    unknown = sum(1 for kind, _ in found if kind == "unknown")
    markers = [kind for kind, _ in found if kind in _MARKERS]
    if not markers and not any(kind == "purpose" for kind, _ in found):
        return YesNo()
    if unknown > _LOOSE_UNKNOWN or len(found) > _LOOSE_MAX_WORDS:
        return _first_clause_answer(stripped)
    # "Email's just fine": "just" there says fine, not email alone.
    purposes, unnamed, only = _by_channel(_JUST_FINE.sub(" ", normalized))
    answer = _polarity(markers)
    if purposes and (answer is None or len(set(purposes.values())) > 1):
        # "just emails" or "emails yes, texts no": each channel's answer is clear.
        answer = "yes" if any(purposes.values()) else "no"
    return YesNo(
        answer=answer,
        clean=unknown == 0 and answer is not None,
        purposes=purposes,
        unnamed=unnamed,
        only=only,
    )


_JUST_FINE = re.compile(
    r"\b(?:just|only)\s+(?=(?:fine|great|perfect|grand|right|dandy|lovely|ok|okay|good|brilliant)\b)",
    re.IGNORECASE,
)


def _no_before_a_channel(found: list[tuple[str, str]], index: int) -> bool:
    """Whether the no at `index` comes right before a channel and no answer follows that
    channel ("call me no texts", not "email no texts yes")."""
    rest = found[index + 1 :]
    return bool(rest) and rest[0][0] == "purpose" and not any(k in _MARKERS for k, _ in rest)


def _by_channel(normalized: str) -> tuple[dict[Purpose, bool], Answer | None, bool]:
    """Which channels each part of the answer accepts or refuses.

    Parts are split at commas and "but"; within a part, a channel named after the part
    already has a channel and an answer starts a new part ("email yes text no").
    """
    parts: list[tuple[set[Purpose], list[str]]] = []
    only = False
    for chunk in _SEGMENT_BREAK.split(normalized):
        named: set[Purpose] = set()
        kinds: list[str] = []
        answer_first = False  # "no emails or texts" rather than "emails no, texts yes"
        found = _kinds(_TOKEN.findall(chunk))
        for index, (kind, phrase) in enumerate(found):
            if kind == _NO and named and _no_before_a_channel(found, index):
                # "just call me no text messages": the no is the texts', not the calls'
                parts.append((named, kinds))
                named, kinds, answer_first = set(), [_NO], True
                continue
            answered = _polarity(kinds) is not None
            if kind == "purpose":
                if named and answered and not answer_first:
                    parts.append((named, kinds))
                    named, kinds = set(), []
                answer_first = answer_first or (answered and not named)
                named |= purposes_mentioned(phrase)
            elif kind in _MARKERS:
                if named and answered:
                    parts.append((named, kinds))
                    named, kinds, answer_first = set(), [], False
                kinds.append(kind)
            elif kind == _ONLY:
                only = True
        if named or kinds:
            parts.append((named, kinds))
    answers: dict[Purpose, bool] = {}
    unnamed: Answer | None = None
    for index, (named, kinds) in enumerate(parts):
        said = _polarity(kinds)
        if named and said is None:
            # "emails and texts are fine": the answer comes in the next part, else "only".
            following = (_polarity(k) for n, k in parts[index + 1 :] if not n)
            said = next((s for s in following if s is not None), "yes" if only else None)
        if not named:
            unnamed = said if unnamed is None else unnamed
            continue
        if said in ("yes", "no"):
            answers.update(dict.fromkeys(named, said == "yes"))
    if only and not any(answers.values()):
        only = False
    return answers, unnamed, only


# ----------------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Correction:
    """A lead detail the person says is wrong; `value` is the right one when they give it,
    and `remove` says they never gave it at all."""

    field: LeadField
    value: str | None = None
    remove: bool = False


_FIELD_WORDS: tuple[tuple[LeadField, str], ...] = (
    ("name", r"(?:full |first |last |sur)?name|spelling of my name"),
    ("email", r"e-?mail(?: address)?|email id|mail id"),
    ("phone", r"(?:tele)?phone(?: number)?|mobile(?: number)?|cell(?: number)?|number"),
    ("company", r"company(?: name)?|business(?: name)?|organi[sz]ation|employer|firm"),
    ("role", r"job title|job|role|title|position|designation"),
    ("need", r"need|looking to solve|what (?:i|we) (?:need|want)|problem"),
)
_FIELD = "(?P<field>" + "|".join(words for _, words in _FIELD_WORDS) + ")"
_WRONG = (
    r"(?:wrong|incorrect|not right|not correct|a typo|mistyped|misspelt|misspelled|"
    r"spelt wrong|spelled wrong|mistaken|not mine|not my \w+|outdated|out of date|"
    # "my surname is missing the last letter"
    r"missing (?:a|an|the|one) (?:\w+ ){0,2}(?:letters?|characters?|digits?|bit|part|word))"
)
_OWNER = r"(?:my|the|your|that|this)(?: (?:bit|part|line) about)?"
_VALUE_AFTER = (
    r"(?:\s*(?:[,;:.!\-\u2013]|\band\b)\s*|\s+)(?:(?:it|that)(?:'s|\s+is|\s+should be|\s+should read|\s+needs to be)\s+"
    r"|should be\s+|it is actually\s+|actually\s+|use\s+|i meant\s+|correct one is\s+)"
    r"(?P<value>\S.*)$"
)
_CORRECTIONS = (
    # "the email is wrong(, it's ...)", "my company name is incorrect"
    re.compile(
        rf"(?:\b{_OWNER} |^)"
        # ("the phone number wrong, should be 9734 2281": said without the "is")
        rf"{_FIELD}(?: you have| you've got| you got| shown| listed)?(?:\s+(?:is|was|looks)|'s)?\s+{_WRONG}\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "oh, typo in my name, it's Sofia Marchetti"
    re.compile(
        rf"\b(?:a |one )?(?:typo|mistake|spelling mistake|error) (?:in|on|with|sa) (?:{_OWNER} )?"
        rf"{_FIELD}\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "my surname is spelled McIntyre, no 'a', so Isla McIntyre"
    re.compile(
        rf"\b{_OWNER} {_FIELD}(?:'s|\s+is)\s+(?:spelt|spelled|written)\s+(?P<value>\S.*)$", re.I
    ),
    # "the job title isn't right", "that number isn't mine", "the email has a typo"
    re.compile(
        rf"\b{_OWNER} {_FIELD}\s+(?:(?:is|was)n'?t|(?:is|was) not|does ?n[o']?t look)\s+(?:right|correct|mine|accurate)\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    re.compile(
        rf"(?:\b{_OWNER} |^)"
        rf"{_FIELD}\s+(?:has|had) (?:a typo|a mistake|an error|a spelling mistake)\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "you've got my phone number wrong", "you spelled my name wrong"
    re.compile(
        rf"\byou(?:'ve| have)? (?:got|spelt|spelled|typed|written|put|taken down) (?:my|the) {_FIELD} (?:wrong|incorrectly|down wrong)\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "the dictation mangled my name, it's Eleni Papadakis", "autocorrect changed my
    # email", "you've messed up the company"
    re.compile(
        r"\b(?:mangled|garbled|butchered|messed up|mucked up|changed|scrambled|misheard|misspelt|"
        r"misspelled|got wrong|mixed up)\s+"
        rf"(?:{_OWNER} |the )?{_FIELD}\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "Sorry, I've spelt my own name wrong! It's McAllister, two l's. Fiona McAllister."
    re.compile(
        rf"\bi(?:'ve| have)? (?:got|spelt|spelled|typed|written|put|given you|gave you) my (?:own )?"
        rf"{_FIELD} (?:wrong|incorrectly|down wrong)\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "wrong email", "incorrect phone number(, it's ...)"
    re.compile(
        rf"\b(?:wrong|incorrect|mistyped|misspelt|misspelled) {_FIELD}\b(?:{_VALUE_AFTER})?", re.I
    ),
    # "the company should be Globex", "my role should read Head of Ops", "Company name
    # should be Nook Studio"
    re.compile(
        rf"(?:\b{_OWNER} |^)(?:the )?{_FIELD}\s+(?:should|ought to|needs to|has to)\s+(?:be|read|say)\s+"
        rf"(?P<value>\S.*)$",
        re.I,
    ),
    # "oops, the company's Clearpath Logistics, not ClearView": a value set against the
    # one shown
    re.compile(
        rf"^(?:(?:oops|sorry|wait|actually|ah|oh|hmm|um|no|nope|sorry)\b[\s,.!-]*)*"
        rf"(?:(?:{_OWNER}) )?{_FIELD}(?:'s|\s+is)\s+(?:actually\s+)?"
        # not "email's fine but do not text me": a say-so about the detail, no value
        r"(?!(?:fine|ok|okay|good|great|alright|all right|right|correct|perfect|grand|sweet|"
        r"cool|no problem)\s+but\b)"
        rf"(?P<value>[^,;]+?)\s*,?\s+not\s+\S.*$",
        re.I,
    ),
    # "oh pls add company: Teo Renovation Works", "can you add my phone, 0412 555 019": a
    # detail left out at first, given at the summary
    re.compile(
        rf"\b(?:add|include|put in|fill in)(?: in)? (?:{_OWNER} )?{_FIELD}(?:\s+(?:as|is))?"
        rf"\s*[:,\-\u2013]?\s+(?P<value>\S.*)$",
        re.I,
    ),
    # "please put my role as CEO", "can you set the company to Globex", "make my title CFO"
    re.compile(
        rf"\b(?:put|set|make|list|record|mark|write|have|show|enter)(?: down)? {_OWNER} {_FIELD}"
        rf"\s+(?:as|to|down as)\s+(?P<value>\S.*)$",
        re.I,
    ),
    # "I mistyped my name. It should be Kenji Watanabe", "I gave you the wrong email"
    re.compile(
        rf"\bi (?:mistyped|misspelt|misspelled|typo'?d|typoed|made a typo in)(?: {_OWNER})? {_FIELD}\b"
        rf"(?:{_VALUE_AFTER})?",
        re.I,
    ),
    re.compile(
        rf"\bi (?:got|typed|spelt|spelled|gave you|put)(?: {_OWNER})? wrong {_FIELD}\b"
        rf"(?:{_VALUE_AFTER})?",
        re.I,
    ),
    re.compile(
        rf"\bi (?:got|typed|spelt|spelled|put)(?: {_OWNER})? {_FIELD}\s+(?:wrong|incorrectly)\b"
        rf"(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "You left out my second surname, it's María Fernanda Rojas Villalobos"
    re.compile(
        r"\byou(?:'ve| have)? (?:left out|left off|missed(?: out)?|forgot|forgotten|dropped|"
        r"cut(?: off)?|did ?n[o']?t (?:include|put in|add|write))"
        rf" (?:{_OWNER} )?(?:second |middle |other |full |last |whole )?{_FIELD}\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "the company name is not complete, it's ...", "is missing my last name, it is ..."
    re.compile(
        rf"\b(?:{_OWNER} )?{_FIELD}\s+(?:is|was|'s)\s*(?:not|n'?t)\s+(?:complete|full|whole|"
        rf"all there)\b(?:{_VALUE_AFTER})?",
        re.I,
    ),
    re.compile(
        rf"\bmissing (?:{_OWNER} )?(?:second |middle |other |full |last |whole |family )?{_FIELD}\b"
        rf"(?:{_VALUE_AFTER})?",
        re.I,
    ),
    # "change my email to ...", "please fix the company"
    re.compile(
        rf"\b(?:change|fix|update|correct|edit|amend) {_OWNER} {_FIELD}\b(?:\s+to\s+(?P<value>\S.*))?",
        re.I,
    ),
    # "no, my looking to solve is ..." / "no, the company is Globex" / "no. phone is ..."
    re.compile(
        rf"^(?:no|nope|nah|not quite|not right|wrong)\b[\s,.!-]*(?:{_OWNER} )?{_FIELD}(?:\s+is|\s*'s|\s*’s)\s+"
        rf"(?:actually\s+)?(?P<value>\S.*)$",
        re.I,
    ),
)
_REMOVE = (
    re.compile(
        rf"\bi (?:did not|didn't|never|have not|haven't) (?:give|gave|given|tell|told|say|said) (?:you )?(?:a |an |any |my |the )?{_FIELD}\b",
        re.I,
    ),
    re.compile(rf"\bi (?:do not|don't) have (?:a |an |any )?{_FIELD}\b", re.I),
)
_TRAILING = re.compile(r"[\s,.;:!]+(?:please|pls|thanks|thank you|cheers|thx)?[\s,.;:!]*$", re.I)
_NOT_OLD = re.compile(r",?\s+(?:not|instead of|rather than)\s+.+$", re.I)
# "CEO, I moved over from CTO last month": why it changed is not part of the value.
_REASON_AFTER = re.compile(
    r"\s*[,;(\u2013-]\s*(?:i|i'?m|i'?ve|we|we'?re|we'?ve|since|because|cause|as of|as i|"
    r"as we|it changed|changed|moved|new since|just (?:got|changed|moved))\b.*$",
    re.I,
)


def _field_of(words: str) -> LeadField:
    lowered = words.lower()
    for name, pattern in _FIELD_WORDS:
        if re.fullmatch(pattern, lowered):
            return name
    raise ValueError(words)


# "..., so Isla McIntyre": the whole value, after a note on its spelling.
_SO_THEN = re.compile(r"[,;.]\s*so\s+(?:it'?s\s+)?(?P<value>\S.*)$", re.I)
# ", with an i at the end", "(no 'a')": how to spell it, not part of it.
_SPELLING_NOTE = re.compile(
    r"(?:,\s*|\s+)(?:with|without|no)\s+(?:an?\s+|the\s+)?['\"]?\w['\"]?"
    r"(?:\s+(?:at the end|at the start|on the end|in the middle))?\b.*$",
    re.I,
)


# "the role is fine, not the email": a verdict on the value shown, not a new value.
_VERDICTS = frozenset(
    ["fine", "right", "correct", "ok", "okay", "good", "perfect", "wrong", "incorrect"]
)
_APPROVALS = frozenset(
    ["fine", "right", "correct", "ok", "okay", "good", "great", "perfect", "grand", "alright",
     "all right", "sweet", "cool", "spot on", "accurate", "all good"]
)  # fmt: skip
_A_NUMBER = re.compile(r"\+?\d[\d\s().-]{5,}\d")
# A phone number in figures or spoken digits.
_NUMBER_SAID = re.compile(
    r"\d|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)\b", re.I
)


# "Nook Studio, no 's' at the end - Nook Studio Pte Ltd": the value said again in full.
_IN_FULL_AFTER_A_NOTE = re.compile(
    # "McAllister, two l's. Fiona McAllister."
    r"(?:,\s*|\s+)(?:two|double|one|single)\s+['\"]?\w['\"]?(?:'?s)?\.\s+(?=[A-Z])(?P<said>\S.*)$|"
    r"(?:,\s*|\s+)(?:with|without|no)\s+(?:an?\s+|the\s+)?['\"]?\w['\"]?(?:[^-–—]*?\s[-–—:]\s+|"
    # "Santos with an S. Beatriz Santos."
    r"(?:\s+(?:at the end|at the start|on the end|in the middle))?\.\s+(?=[A-Z]))"
    r"(?P<value>\S.*)$",
)
# "... Pte Ltd. The rest is ok.": a verdict on the other details, not part of this one.
_REST_IS_FINE = re.compile(
    r"[.;,]?\s+(?:(?:the )?rest|everything else|all else|all the rest|the others?|other details)"
    r"(?:'s|\s+(?:is|are|looks?|seems?))\s+(?:all\s+)?(?:ok|okay|fine|good|right|correct|alright|"
    r"perfect|grand)\b.*$",
    re.I,
)


def _clean_value(value: str | None) -> str | None:
    if value is None or value.strip(" .!,").lower() in _VERDICTS:
        return None
    value = _REST_IS_FINE.sub("", value)
    restated = _IN_FULL_AFTER_A_NOTE.search(value)
    if restated is not None:
        value = restated.group("said") or restated.group("value")
    later = _SO_THEN.search(value)
    if later is not None:
        value = later.group("value")
    value = _SPELLING_NOTE.sub("", value)
    cleaned = _TRAILING.sub("", _NOT_OLD.sub("", _REASON_AFTER.sub("", value.strip())))
    cleaned = cleaned.strip().strip("\"'\u201c\u201d")
    return cleaned or None


# "the role is fine, not the email": the other detail is the one to fix.
_NOT_THAT_ONE = re.compile(rf",?\s+(?:but\s+)?not\s+(?:{_OWNER}\s+)?{_FIELD}\b", re.I)


def _approves(words: str) -> bool:
    return words.strip(" .!,").lower() in _APPROVALS


def _says_no_new_value(field_words: str, raw: str | None, value: str | None) -> bool:
    """Whether what follows "my email is" approves the detail ("Email is okay. Not texts,
    though.") or says what kind of number it is ("that number's a landline"): no value."""
    if raw is not None and _approves(raw):
        return True
    return (
        value is not None
        and _field_of(field_words.lower()) == "phone"
        and not _NUMBER_SAID.search(value)
    )


def read_correction(text: str, *, at_summary: bool = False) -> Correction | None:
    """The lead detail a message says is wrong or was never given, if it says so; said
    `at_summary`, where the details are being checked, a value stated plainly ("the
    company is Nordlys Bikes A/S") counts too."""
    stripped = text.strip().replace("\u2019", "'")
    if not stripped or stripped.startswith("/") or stripped.endswith("?"):
        return None
    # "I typo'd our name": a business's name is its company name.
    stripped = _OUR_NAME.sub("the company name", stripped)
    for pattern in _REMOVE:
        match = pattern.search(stripped)
        if match:
            return Correction(_field_of(match.group("field")), remove=True)
    for pattern in _CORRECTIONS:
        match = pattern.search(stripped)
        if match:
            raw = match.groupdict().get("value")
            value = _clean_value(raw)
            other = _NOT_THAT_ONE.search(stripped[match.start() :])
            if other is not None and raw is not None and _approves(raw.split(",")[0]):
                return Correction(_field_of(other.group("field").lower()))
            if _says_no_new_value(match.group("field"), raw, value):
                elsewhere = _number_said_elsewhere(match.group("field"), stripped[match.start() :])
                if elsewhere is not None:
                    return elsewhere
                continue
            said = match.group("field").lower()
            if said.startswith(("first", "last", "sur")) and value and len(value.split()) < 2:
                value = None  # one part of the name is not the name: ask for all of it
            return Correction(_field_of(said), value)
    for clause in reversed(_CLAUSE_BREAK.split(stripped) if at_summary else []):
        stated = _STATED.fullmatch(clause.strip())
        if stated is None or (value := _clean_value(stated.group("value"))) is None:
            continue
        if not _says_no_new_value(stated.group("field"), stated.group("value"), value):
            # "We're an A/S, not an ApS. The company is Nordlys Bikes A/S."
            return Correction(_field_of(stated.group("field")), value)
        if (elsewhere := _number_said_elsewhere(stated.group("field"), stripped)) is not None:
            return elsewhere
    return None


def _number_said_elsewhere(field_words: str, text: str) -> Correction | None:
    """ "The phone number is transposed at the end. It should read 617-555-0119.": a phone
    said to be wrong, with the number in another sentence of `text`."""
    if _field_of(field_words.lower()) != "phone":
        return None
    number = _A_NUMBER.search(text)
    return Correction("phone", number.group(0)) if number is not None else None


def respelt_detail(text: str, shown: Mapping[LeadField, str]) -> Correction | None:
    """A word of a name or company shown at the summary, said again spelt otherwise ("O
    sobrenome está errado, it's Nascimento" after Thiago Nacimento): that detail with
    the word as said now. None unless exactly one shown word is that close to it."""
    if text.strip().endswith("?"):
        return None
    said = [w for w in re.findall(r"[^\W\d_][\w'’-]{2,}", text) if not w.islower() or len(w) > 4]
    found: set[tuple[LeadField, str]] = set()
    respellable: tuple[LeadField, ...] = ("name", "company")
    for field_name in respellable:
        value = shown.get(field_name)
        if not value:
            continue
        words = value.split()
        for word in said:
            if any(word.lower() == shown_word.lower() for shown_word in words):
                continue
            for shown_word in respellings(words, word, 0.75):
                pattern = rf"(?<![\w'’-]){re.escape(shown_word)}(?![\w'’-])"
                found.add((field_name, re.sub(pattern, word, value, count=1)))
    if len(found) != 1:
        return None
    ((field_name, fixed),) = found
    return Correction(field_name, fixed)


_OUR_NAME = re.compile(r"\bour (?:business |company )?name\b", re.I)
_CLAUSE_BREAK = re.compile(r"[.!;]\s+|,?\s+but\s+|,\s+(?:and\s+)?(?=(?:the|my|our)\s)", re.I)
_STATED = re.compile(
    rf"(?:(?:{_OWNER}) )?{_FIELD}(?:\s+is|\s*'s|\s+should be|\s+should read)\s+"
    rf"(?:actually\s+)?(?P<value>\S.*?)[\s.!]*",
    re.I,
)

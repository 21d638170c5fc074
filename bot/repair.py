"""A request to hear the bot's last words again: "sorry?", "come again", "you what?".

On the phone above all, people who did not catch something say so. That is neither a yes
nor an answer to the question, and not a misunderstanding to climb the fallback ladder
over: the bot says it again (actions/fallback.py).
"""

from __future__ import annotations

import re

from bot.question_topics import asked_topics

# "could you repeat that", "can you please say it again": said alone or after "sorry".
_PLEASE_REPEAT = (
    r"(?:can|could|would) (?:you )?(?:please )?(?:say|repeat|rephrase|reword|re-?phrase|clarify|explain)"
    r"(?: that| it| the question)?(?: again)?"
    r"(?: (?:differently|another way|in other words|in another way|more simply|please))?"
)
_SAY_AGAIN = re.compile(
    r"^\W*(?:(?:uh|um|er|oh|ah|hm+|i'?m|im|i am|so|yeah|yes|no|and|kindly|please|hang on|hold on|"
    r"wait|sorry|po|desculpa|disculpa|perd[oó]n|maaf|i (?:don'?t|do not) understand|"
    r"(?:i'?m |im |i am )?not sure what you(?:'re| are)? (?:asking|mean|saying|want)|"
    r"(?:i )?(?:don'?t|do not) know what you mean|"
    # why they missed it: "sorry i'm going through a tunnel say again"
    r"(?:i'?m|im|i am) (?:going through a tunnel|in a tunnel|driving|in the car|on the road|in a lift|"
    r"outside|on a train)|(?:the )?(?:line|signal|reception|connection)(?:'s| is) (?:bad|terrible|"
    r"awful|poor|rubbish|breaking up)|(?:it'?s|its) (?:really )?(?:noisy|loud)(?: in)?(?: here)?|"
    r"you'?re breaking up|bad line)\W+)*"
    r"(?:sorry|sry|soz|pardon|pardon me|beg (?:your )?pardon|excuse me|what|wha|huh|eh|hm+|come again|"
    r"ano(?: po)?|ha|hah|ano daw|"
    # "scusa?", "¿cómo?", "wie bitte?", "comment?", "desculpe?": the same, in their language
    r"scusa|scusi|come scusa|c[oó]mo|wie bitte|bitte|comment|desculpe|perd[aã]o|hein|"
    r"you what|say (?:that|it|again)(?: again)?|say what|"
    rf"{_PLEASE_REPEAT}|(?:repeat|rephrase|reword)(?: that| it| the question| please)?|"
    r"what was (?:that|the question)|what did you (?:say|ask)|what(?:'s| is| was) that|"
    r"(?:i )?didn'?t (?:catch|hear|get|understand) (?:that|you|it|what you said)|"
    r"you (?:cut|broke) (?:out|up)|again(?: please)?|one more time|i missed that|missed that)"
    r"(?:\W+(?:sorry|sry|please|again|mate|there|eh|what was that|you what|what|i didn'?t catch that|"
    rf"{_PLEASE_REPEAT}|say (?:that|it) again|"
    r"you (?:cut|broke) (?:out|up)(?: there)?|i missed that|come again))*\W*$",
    re.IGNORECASE,
)


def asks_to_repeat(text: str) -> bool:
    """Whether the whole message only asks to hear the last words again."""
    return bool(text) and not text.startswith("/") and bool(_SAY_AGAIN.match(text.strip()))


# Asking for other words rather than the same ones: "could you rephrase that?", "what do
# you mean?", "I don't get it". Saying the same words again would not help.
_REPHRASE = re.compile(
    r"^\W*(?:(?:uh|um|er|oh|so|sorry|hm+|wait|ok|okay|hang on|i'?m sorry|i am sorry|dear|love|mate|"
    r"oh dear)\W+)*"
    r"(?:what do you mean(?: by that| exactly)?|what does that mean|meaning|"
    r"(?:i )?(?:still )?(?:don'?t|do not|didn'?t|did not|can'?t|cannot) (?:quite )?"
    r"(?:understand|get|follow)"
    r"(?: (?:that|you|it|what you mean|what you said|what you(?:'re| are) asking|the question))?|"
    r"(?:i'?m |i am )?(?:still )?not sure (?:what you mean|i (?:understand|follow))(?:,? sorry)?|"
    r"(?:i'?m |i am )?(?:a bit |still )?(?:confused|lost)|"
    # "you've lost me there", "I'm not with you", "that went over my head"
    r"you(?:'ve| have)? lost me|(?:i'?m |i am )?not (?:with you|following(?: you)?)|"
    r"that went (?:right )?over my head|"
    r"(?:can|could|would) you (?:please )?(?:rephrase|reword|re-?phrase|explain)"
    r"(?: that| it| the question| what you mean)?(?: (?:differently|another way|in other words|"
    r"in another way|more simply|please))?|"
    r"(?:can|could|would) you (?:please )?(?:say|put) (?:that|it) (?:differently|another way|"
    r"in other words|in another way|more simply)|"
    r"(?:rephrase|reword|re-?phrase)(?: that| it| the question)?(?: please)?|in other words)"
    r"(?:\W+(?:please|sorry|mate|there|again|exactly|still))*\W*$",
    re.IGNORECASE,
)


# "I'm sorry, I'm not very good with these things, what do you need?": what to answer.
_WHAT_TO_SAY = re.compile(
    r"(?:^|[,.;!]\s*)(?:so\s+|and\s+|sorry\W+)?(?:what(?: is it| exactly)?(?: that)? (?:do )?you "
    r"(?:need|want)(?: from me| me to (?:say|tell you|put|answer|write|type|do))?|"
    r"what (?:should|do|shall|must) i (?:say|put|answer|write|type|tell you|do)(?: here| there| now)?|"
    r"what am i (?:supposed|meant|expected) to (?:say|put|answer|write|type|do)(?: here| there| now)?)"
    r"\W*$",
    re.IGNORECASE,
)


def asks_to_rephrase(text: str) -> bool:
    """Whether the whole message asks for the last words put another way."""
    if not text or text.startswith("/"):
        return False
    return bool(_REPHRASE.match(text.strip()) or _WHAT_TO_SAY.search(text.strip()))


def asks_to_hear_it_again(text: str) -> bool:
    """Whether the whole message asks for the last words again, the same or put another
    way ("sorry I didn't catch that", "I do not understand the question"): no answer."""
    return asks_to_repeat(text) or asks_to_rephrase(text)


# A question about the question just asked: "like my job title?", "do you mean our office
# or the whole group?", "my position?". Neither an answer nor a question about the product:
# the question is asked again in other words, saying what a good answer looks like.
_WHAT_IS_MEANT = re.compile(
    r"^\W*(?:(?:sorry|sry|so|ok|okay|oh|um|uh|wait|hang on|hmm+)\W+)*"
    r"(?:like|as in|you mean|do you mean|did you mean|meaning|is that|does that mean|"
    r"what (?:do |d'?)?you mean|how do you mean|"
    r"are you asking(?: for| about)?|you(?:'re| are) asking(?: for| about)?|which one|which|"
    r"what kind of|what sort of|what type of)\b",
    re.IGNORECASE,
)
# "sorry, what do you mean", "um, do you mean": what the question means, asked plainly
# (bot/qualification.py reads its own answers after the same opening).
MEANT_OPENING = (
    r"^\W*(?:(?:sorry|oh|um+|uh+|hmm+|so|ok|okay|well|wait)\W+)*"
    r"(?:what (?:do |d'?)?you mean|how do you mean|(?:do|did) you mean"
)
_MEANT_ASKED_PLAINLY = re.compile(rf"{MEANT_OPENING})\b", re.IGNORECASE)
_SUBJECT_WORDS: dict[str, re.Pattern[str]] = {
    "name": re.compile(r"\b(?:full|first|last|real|sur)\s?name\b|\bname\b", re.I),
    "email": re.compile(r"\b(?:e-?mail|address)\b", re.I),
    "phone": re.compile(r"\b(?:phone|number|mobile|cell|landline)\b", re.I),
    "company": re.compile(
        r"\b(?:company|organi[sz]ation|business|employer|group|office|firm|branch|"
        r"parent company|subsidiary|department)\b",
        re.I,
    ),
    "role": re.compile(r"\b(?:job|title|position|role|designation|department|what i do)\b", re.I),
    "need": re.compile(r"\b(?:solve|problem|improve|fix|hoping|goal|use it for)\b", re.I),
    "company_size": re.compile(
        r"\b(?:office|offices|group|whole|company|companies|branch|branches|location|site|"
        r"staff|employees|people|headcount|contractors|freelancers|volunteers|part[- ]timers|"
        r"team|department|globally|worldwide|including)\b",
        re.I,
    ),
    "authority": re.compile(
        r"\b(?:decide|decision|decides|sign|signs|sign off|approve|approves|final say|budget|"
        r"boss|board|buy|buying|purchase)\b",
        re.I,
    ),
    "budget": re.compile(
        r"\b(?:month|monthly|year|yearly|annual|annually|total|budget|currency|dollars|usd|"
        r"euros?|pounds|rupees|per (?:seat|user)|one[- ]off|setup|including)\b",
        re.I,
    ),
    "timeline": re.compile(
        r"\b(?:start|starting|go live|live|launch|sign|signing|decide|deciding|rollout|roll out|"
        r"trial|using|in place|set up)\b",
        re.I,
    ),
}
# An amount said in words ("fifty bucks a month?") is an answer with a rising voice, as a
# figure is; small numbers stay out ("do you mean one office or all of them?").
_AMOUNT_WORDS = re.compile(
    r"\b(?:five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundreds?|thousands?|millions?|grand|lakhs?|"
    r"crores?|dozen)\b",
    re.IGNORECASE,
)
# A question said without its mark, as a recognizer writes it: "you are asking who will
# decide is it".
_TAG_QUESTION = re.compile(r"\b(?:is it|isn'?t it|is that so)\s*$", re.IGNORECASE)
_LONGEST_CHECK = 12  # words: a longer message says more than a check on the question
_SHORT_CHECK = 6
# "Why do you need my phone?", "is my email safe with you?": questions of their own,
# answered as such, not checks on what the question means.
_ASKS_WHY = re.compile(
    r"\b(?:why|how come|what for|safe|secure|spam|share|sell|optional|have to|must i|required|"
    r"mandatory|compulsory|obligatory|necessary|needed)\b",
    re.IGNORECASE,
)
_ASKS_SOMETHING_ELSE = re.compile(
    r"\b(?:need (?:it|that|this|my)|do you|will you|would you|can you|could you|are you|"
    r"won'?t)\b",
    re.IGNORECASE,
)


def opens_with_what_is_meant(text: str) -> bool:
    """Whether the message starts by asking what was meant ("what you mean, like who's
    the boss"), whichever question was asked."""
    return _MEANT_ASKED_PLAINLY.match(text.strip()) is not None


def checks_the_question(text: str, field: str) -> bool:
    """Whether the whole message asks what the question about `field` means, rather than
    answering it ("like my job title?" when the role is asked)."""
    stripped = text.strip()
    if not stripped or stripped.startswith("/") or "@" in stripped:
        return False
    if len(stripped.split()) > _LONGEST_CHECK or any(ch.isdigit() for ch in stripped):
        return False
    if _AMOUNT_WORDS.search(stripped):
        return False
    if _ASKS_WHY.search(stripped):
        return False
    if not (stripped.endswith("?") or _TAG_QUESTION.search(stripped)):
        # Said without a question mark, as a recognizer writes it: only "what do you mean".
        return _MEANT_ASKED_PLAINLY.match(stripped) is not None
    if set(asked_topics(stripped)) - ({"pricing"} if field == "budget" else set()):
        # "is that in line with what you charge?" when the timeline is asked: a question
        # about pricing (at the budget question, "per month or per year?" asks what it is).
        return False
    if _WHAT_IS_MEANT.match(stripped) is not None:
        return True  # "do you mean our office or the whole group?"
    if _ASKS_SOMETHING_ELSE.search(stripped):
        return False
    # "CEO?" is an answer said with a rising voice; "my job title?" only names the
    # question's subject, in a few words.
    subject = _SUBJECT_WORDS.get(field)
    return (
        len(stripped.split()) <= _SHORT_CHECK
        and subject is not None
        and subject.search(stripped) is not None
    )

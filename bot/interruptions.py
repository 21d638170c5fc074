"""Is a message in the middle of the lead form an answer, or the person changing subject?

The intent classifier alone is too eager here: bare answers such as a job title
("chief revenue officer") or an unusual name can be classified as `cancel` or
`out_of_scope` with high confidence. A message only interrupts the form when the
classifier is confident *and* the text itself reads like that kind of interruption.
"""

from __future__ import annotations

import re

from bot.lead_vocabulary import GREETING_LEAD, TRADING_NAME_CUE
from bot.typos import with_chat_words

CONFIDENCE_FLOOR = 0.7
# Requests to stop or to leave that interrupt at any confidence when their words are said.
SAID_OUTRIGHT = frozenset({"opt_out", "cancel", "request_erasure", "request_data", "human_handoff"})
# The marketers' topics (studio/topics.py) are intents named `topic_<name>`, made in the
# studio after this code shipped. Each is a question or request like the built-in ones,
# with rules of its own in every form (data/rules_topics.yml), so it interrupts any form
# whichever intents that form lists.
TOPIC_PREFIX = "topic_"

_QUESTION_START = re.compile(
    r"^(?!can\W+(?:can|lah?)\b|can\W*$)"  # Singlish "can can", "can lah", "can": a yes
    r"(?!can'?t\b|can’t\b|cannot\b|won'?t\b)"  # "can't talk now": a statement
    r"(?:who|what|whats(?! ?app\b)|what's|when|where|why|how|which|is|are|am|do|does|did|can|could|"
    r"for what|how come|"
    r"will|would|should|may|tell me|show me|explain|"
    # "Please confirm where the data is hosted", "kindly advise if it works with SAP"
    r"(?:please |kindly |pls )?(?:confirm|advise|let me know|clarify)\s+(?:me\s+)?(?:where|whether|"
    r"if|how|what|when|which|who|why)|"
    # typed in a hurry: "wat does it do", "hw much", "do u", "wht's"
    r"wat|wats|wot|wht|whts|wht's|hw|hows|y do|y does|y would|r u|do u|does u|can u|cn u)\b",
    re.IGNORECASE,
)
_IMPERATIVE_START = re.compile(
    # "okay so walk me through what this does": a filler or two before the request
    r"^(?:(?:ok(?:ay)?|so|right|well|alright|hi|hey|hello|first|first of all|um+|uh+)[\s,.!]+){0,3}"
    r"(?:please\s+)?(?:tell|show|give|order|book|find|play|sing|fix|help|let me|i want|"
    r"i'd like|i would like|get me|connect me|put me|walk me through|talk me through|"
    r"run me through|take me through|explain|describe)\b",
    re.IGNORECASE,
)
_CUES: dict[str, re.Pattern[str]] = {
    "cancel": re.compile(
        # "cancel our subscription", "there's no cancel button": what they came about, not
        # a wish to stop here
        r"\b(?:cancel(?!\s+(?:our|my|the|a|their|his|her)\s+(?:\w+\s+)?(?:subscriptions?|plans?|"
        r"accounts?|contracts?|memberships?|orders?|polic(?:y|ies)|licen[cs]es?|renewals?)\b)"
        r"(?!\s+(?:button|option|link))|never ?mind|nvm|forget (?:it|this|that|about it)|abort|quit|scrap|drop it|"
        r"stop (?:this|that|it|here|there|now|asking)|let'?s (?:just )?stop|"
        r"(?:i want|i'?d like|i wanna|can we|could we|we can) (?:to )?stop\b|"
        r"don'?t (?:want to|wanna) (?:continue|go on|proceed|do this)|"
        r"don'?t proceed|changed? my mind|not interested|no longer|discard|bail|i'?m out|"
        r"leave it|let'?s not|not now|another time)\b",
        re.IGNORECASE,
    ),
    "human_handoff": re.compile(
        # Not "staff" or "people" alone: "about 70 permanent staff" answers a question.
        r"\b(?:human|person|agent|someone|somebody|representative|rep|real (?:person|human|one|people)|"
        # "an operator please", not an "owner/operator" or a "machine operator"
        r"(?:an?|the|to|me|real|human|live)\s+operator|^\W*operator(?=\W*$)|operator,?\s+please|"
        r"(?:your|a|an|the|real|actual|live|of) (?:staff|people|team)|colleague|call me|"
        r"connect me|put me through|transfer me|talk to|speak (?:to|with))\b",
        re.IGNORECASE,
    ),
    # Without it a detail DIET mistook for "skip" ("my company is Initrode") stayed a skip.
    "skip": re.compile(
        r"\b(?:skip|pass|rather not|prefer not|next|n/?a|not (?:applicable|relevant|giving)|"
        r"no comment|don'?t (?:have|work|want to (?:say|share|give))|blank|private|none)\b",
        re.IGNORECASE,
    ),
    # Typed in a hurry too: "helo", "hii there", "heyyy", "gday", "good mornin".
    "greet": GREETING_LEAD,
    # ... and in the person's own language: "merci bezzaf", "asante sana", "shukriya bhai"
    "thank": re.compile(
        r"\b(?:thanks?|thank you|thx|ty|cheers|appreciate|merci|gracias|obrigad[oa]|danke|"
        r"asante|shukriya|shukran|terima kasih|salamat|dhanyavaa?d|grazie|dzi[eę]kuj[eę]|"
        r"te[sş]ekk[uü]r\w*|sa[gğ]ol|dank je|bedankt|cảm ơn|gamsahamnida|arigato|xie xie)\b",
        re.IGNORECASE,
    ),
    "goodbye": re.compile(
        r"\b(?:bye|goodbye|see (?:you|ya)|later|ciao|(?:gotta|got to|have to|must|need to) "
        r"(?:go|run|dash|fly|jump)|that is all|(?:talk|speak|chat) (?:soon|later)|ttyl|cya|"
        r"have a (?:good|nice|great|lovely) (?:one|day|evening|night|weekend)|take care|"
        r"all the best|cheerio|ta-?ra(?!\s+(?-i:[A-Z]))|good ?night|i'?m off|signing off|"
        # "that's all grand" says the details are right, not goodbye
        r"that'?s all(?!\s+(?:grand|good|correct|right|fine|ok|okay|great|perfect|lovely|spot on|"
        r"in order|accurate|true|sorted|there)))\b",
        re.IGNORECASE,
    ),
    "opt_out": re.compile(
        r"\b(?:unsubscribe|opt(?:-| )?out|stop (?:texting|e-?mailing|messaging|calling|contacting|"
        r"sending|spamming|all|every ?thing)|don'?t (?:contact|text|e-?mail|call|message)|"
        r"no more (?:e-?mails?|texts?|messages|calls|marketing)|remove me|take me off|leave me alone)\b",
        re.IGNORECASE,
    ),
    "opt_in": re.compile(
        r"\b(?:re-?subscribe|subscribe|sign me (?:up|back)|opt(?:-| )?in|again|add me|"
        r"(?:can|may) (?:e-?mail|text|message|call|contact) me)\b",
        re.IGNORECASE,
    ),
    "request_data": re.compile(
        r"\b(?:my (?:data|details|information|info|profile)|about me|on me|on (?:file|record))\b",
        re.I,
    ),
    "request_erasure": re.compile(
        r"\b(?:delete|erase|remove|wipe|forget (?:me|everything|all|my)|right to be forgotten)\b",
        re.IGNORECASE,
    ),
    "request_demo": re.compile(
        r"\b(?:demo|demonstration|demostration|demonstation|demontration|see (?:it|the product)|walkthrough)\b",
        re.I,
    ),
    "book_meeting": re.compile(
        r"\b(?:meeting|meet|call|appointment|schedule|calendar|diary|slot|time to (?:talk|speak))\b|"
        # "i'd like to book a time to go through your system with someone"
        r"\bbook (?:a |some )?time\b|\bwalk ?through\b|"
        r"\bgo (?:through|over) (?:it|this|that|your \w+|the \w+) with (?:someone|somebody|a person|you|"
        r"one of)",
        re.I,
    ),
    # Asking for sales, not being in it: "sales manager" or "head of sales" is a role.
    "talk_to_sales": re.compile(
        # A quote asked for, not quotes talked about ("keeping track of the quotes we send").
        r"\b(?:buy|buying|purchas(?:e|ing)(?! orders?)|(?:a|an|formal|custom|"
        r"get|need|want|like|send (?:me|us)|give (?:me|us)|request|requesting)\s+"
        r"(?:(?:a|an|some|me|us)\s+)?(?:\w+\s+){0,2}quot(?:e|ation)\b|"
        r"quot(?:e|ation) (?:for|please|pls)|(?:to|an|place|raise a(?: purchase)?) order|"
        r"licen[cs]\w*|deal|"
        r"(?:a|the|sign) contract|proposal|negotiat(?:e|ing|ion)|talk(?:ing)? (?:to|with)|speak(?:ing)? (?:to|with)|"
        r"connect (?:me|us)|put (?:me|us) (?:through|in touch)|get in touch|reach out|"
        r"contact (?:me|us)|call (?:me|us)|ring (?:me|us)|give (?:me|us) a (?:ring|call)|"
        # "arrange a meeting" books one; arranging for someone to call asks for sales
        r"e-?mail (?:me|us)|arrange (?:for )?(?:someone|somebody|a (?:sales ?person|rep|person|call))|"
        r"become a customer|sign up|hook (?:me|us) up|"
        # Making an enquiry, not enquiries talked about ("web enquiries take days").
        r"(?:make|making|have|had|an|my|our|this|a quick|a sales) [ei]nquiry|"
        r"[ei]nquir(?:e|ing) (?:about|regarding|re|into) (?:buying|pricing|prices|a licen\w*|"
        r"a quote|your (?:plans|pricing|prices|packages))|"
        r"commercials|(?:through|with|to|from) sales)\b|"
        # "our sales team", "I'm heading the pre sales team": a team they are in or have.
        r"(?<!\bour )(?<!\bmy )(?<!\bpre )(?<!\bpre-)(?<!\bheading the )(?<!\bhead of the )"
        r"(?<!\blead the )(?<!\brun the )(?<!\bmanage the )(?<!\bin the )"
        r"\bsales\b.{0,30}\b(?:team|reps?|person|people|department|dept|please|pls)\b|"
        r"\b(?:someone|somebody|anyone|person|people|rep|folks?|guys?)\b.{0,30}\bsales\b",
        re.I,
    ),
    # Questions asked without a question's word order ("it work with salesforce").
    "ask_integrations": re.compile(
        # Verbs only: a company named "HubSpot" is an answer, not a question.
        r"\b(?:integrat\w*|connects? (?:to|with)|works? with|syncs? with|plug[- ]?ins?|an api)\b",
        re.I,
    ),
    "bot_challenge": re.compile(
        r"\b(?:robot|bot|machine|automated|automatic|a recording|an ai|artificial|a human|"
        r"real person|human (?:being|consultant|agent|operator)|computer)\b",
        re.I,
    ),
    "ask_pricing": re.compile(
        r"\b(?:price|pricing|cost|costs|pay|plans?|trial|expensive|cheap)\b", re.I
    ),
}


# What people say before a question, mostly on the phone, where no "?" is written:
# "um, am I talking to a robot", "sorry, quick question: what does it cost".
_LEAD_IN = re.compile(
    r"^(?:(?:um+|uh+|er+m?|hmm+|ah+|oh|ok(?:ay)?|so|and|but|well|sorry|hey|hi|hello|yeah|now|"
    r"actually|right|alright|look|listen|wait|hang on|hold on|excuse me|one more thing|quick question|"
    r"first|but first|before that|before this|one thing|first of all|by the way|btw|also|oh and|"
    r"before (?:we|i) (?:go on|continue|carry on|start|go any further)|"
    r"just wondering|i was wondering|po|ma'am|sir|madam|please|pls|one question|a question|"
    r"another question|one more question|"
    # "hold on a second am i talking to a computer here"
    r"(?:hold|hang) on (?:a )?(?:sec|second|minute|moment|mo)|(?:one|just a|wait a|a) (?:sec|second|"
    r"minute|moment)|"
    # "first question does it answer people on whatsapp", said without a stop
    r"(?:my |the )?(?:first|second|third|next|last|final|other|main|big|only) question(?: (?:is|was))?|"
    r"my question(?: is| was)?|question(?: is| was)?|quick one)\b[\s,.:;-]*)+",
    re.IGNORECASE,
)


# "What happens is people ask for quotes...", "what we need is a way to...": a statement
# that opens with a question word, unless it ends asking.
_PSEUDO_CLEFT = re.compile(
    r"^\W*(?:(?:so|well|basically|honestly|and)\W+)*(?:what|where|how)\b(?:\s+[\w']+){1,4}?"
    r"\s+(?:is|are|was|were)\s+(?!(?:it|this|there|they|you|your|for|of|on|in|with|to)\b)"
    r"(?!that\b(?!\s+\w+\s+\w+))\w",
    re.IGNORECASE,
)
# "what exactly this bot is doing (for us)": asks, in a second language's word order; "what
# we need is texting" tells.
_ASKS_WHAT_IT_IS_DOING = re.compile(
    r"^\W*what\b(?:\s+(?!(?:we|i|i'm|we're|our|my|us)\b)[\w']+){1,4}?\s+(?:is|are)\s+\w+ing\b"
    r"(?:\s+(?:for|to|with|here|now|exactly|there|about)\b|\W*$)",
    re.IGNORECASE,
)


def tells_with_a_question_word(text: str) -> bool:
    """ "What happens is people ask for quotes...": a statement, though it opens like a
    question."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return False
    when = _WHEN_IT_HAPPENS.match(stripped)
    if when is not None and "?" not in stripped and not _ASKS_LATER_ON.search(stripped, when.end()):
        # "when people ask for estimate on the website i don't see until the night": what
        # happens, not when something will
        return True
    return bool(_PSEUDO_CLEFT.match(stripped)) and not _ASKS_WHAT_IT_IS_DOING.match(stripped)


_WHEN_IT_HAPPENS = re.compile(
    r"^\W*(?:(?:so|well|and|basically|honestly|like|um|uh|eh)\W+)*when(?:ever)?\s+(?:people|customers|"
    r"clients|patients|someone|somebody|anyone|folks|they|we|our|my|a|the|guests|parents|leads|"
    r"visitors|buyers|students|members|all|everyone|everybody|staff|i|it|things|business|"
    r"work|jobs|orders|enquiries|inquiries|calls|messages)\b",
    re.IGNORECASE,
)
_ASKS_LATER_ON = re.compile(
    r"\b(?:what|how|why|where|which|who|(?:do|does|did|can|could|will|would|should|is|are)\s+"
    r"(?:you|it|they|i|we|he|she|that|this|there|someone|anyone))\b",
    re.IGNORECASE,
)


# "I own the salon, so owner I suppose?": an answer said with a doubt, no question.
_HEDGED_TAIL = re.compile(
    r"[,\s]+(?:i suppose|i guess|i think|i reckon|i believe|i'd say|maybe|probably|perhaps|"
    r"or so|or thereabouts)\s*\?+\s*$",
    re.IGNORECASE,
)


# "Dorothy Kessler. Sorry, should I have said that at the start?": a check on the answer
# just given, after it, asks nothing of the bot.
_CHECKS_THE_ANSWER = re.compile(
    r"(?<=[.!,])\s*(?:(?:oh|sorry|oops|sorry dear|apologies)\W+)*(?:should i have (?:said|put|typed|given)|"
    r"(?:is|are) (?:that|this|one|those|these|it) (?:ok|okay|alright|all right|right|correct|"
    r"what you (?:need|wanted|meant|asked for)|enough|fine)|was that (?:ok|okay|right|what you (?:need|"
    r"wanted|meant))|did i (?:do|get|say) (?:that|it|this) right|does that (?:help|work|make sense)|"
    r"am i doing (?:this|it) right|hope (?:that'?s|this is) (?:ok|okay|right|what you need)|"
    r"do you (?:need|want) (?:more|all of (?:them|those|it)|them all|just one|the (?:whole|full) \w+))"
    # "Owner, groomer, dogsbody... sorry, is one enough? Owner, let's say": the answer goes on.
    r"[^?]*\?+\s*(?=\S|$)",
    re.IGNORECASE,
)


def _starts_asking(stripped: str) -> bool:
    return _QUESTION_START.match(_LEAD_IN.sub("", stripped)) is not None


def opens_as_question(text: str) -> bool:
    """Whether `text` starts as a question does ("is there...", "um, how much..."), not
    only ends with a question mark."""
    stripped = with_chat_words(text).strip()
    return not tells_with_a_question_word(stripped) and _starts_asking(stripped)


def is_question(text: str) -> bool:
    text = with_chat_words(text)
    stripped = _CHECKS_THE_ANSWER.sub("", _HEDGED_TAIL.sub(".", text.strip()))
    if tells_with_a_question_word(stripped):
        return False
    if stripped.endswith("?") or _starts_asking(stripped):
        return True
    # "Oh wait, does it work with Shopify? That's where our store lives."
    if any(_ASKED.search(sentence) for sentence in _ASKED_SENTENCE.findall(stripped)):
        return True
    # Said without punctuation: "ballpark what does this run per month", "first off what
    # does your software actually do".
    if _ASKS_AFTER_A_WORD.match(stripped) or _OR_NOT.search(stripped):
        return True
    # "if I decide to go further what is the next step", "I need to know where it is
    # kept": a question after a condition, or asked indirectly.
    if _CONDITION_THEN_ASKS.match(stripped) or _ASKS_INDIRECTLY.search(stripped):
        return True
    if _ASKED_IN_ANOTHER_LANGUAGE.search(stripped):
        return True
    # "ur not gonna spam me right? what do u do w my number": a later clause asks.
    return any(
        _ASKING_LATER.match(clause.strip()) for clause in re.split(r"[.?!;,]+", stripped)[1:]
    )


# A question asked in the speaker's own language, around English words: "yeh WhatsApp ke
# saath connect ho jaata hai kya", "bot po ba kayo", "est-ce que ça marche avec Google".
_ASKED_IN_ANOTHER_LANGUAGE = re.compile(
    r"\bkya\s*(?:hai|hoga|hain)?\s*(?:\?|[.!]*$)|\bkya (?:hoga|karta|karte|milega)\b|\b(?:kitna|kitne|kaise|kab|kyun|"
    r"kyon)\b|\b(?:po )?ba (?:kayo|ito|yan|iyan)\b|\bba\s*[?.!]*$|\b(?:magkano|paano|bakit)\b|"
    r"\best-ce que?\b|\b(?:combien|pourquoi)\b|¿|\b(?:cu[aá]nto|c[oó]mo|por qu[eé]|cu[aá]ndo)\b|"
    r"\b(?:quanto|ser[aá] que)\b",
    re.IGNORECASE,
)
_CONDITION_THEN_ASKS = re.compile(
    # "grand, and say I wanted to go ahead, what happens then": a word of reply may come first
    r"^\W*(?:(?:grand|great|ok|okay|right|alright|lovely|cool|perfect|fine|sure|thanks)\W+)?"
    r"(?:and\s+|so\s+)?(?:if|when|once|suppose|supposing|say|assuming)\b[^?.!]{3,60}?[\s,]+"
    r"(?:what|how|who|where|when|will|would|can|could|do|does|is|are)\s+(?:is|are|was|will|would|"
    r"happens?|do|does|can|i|we|you|it|they|the|someone|somebody)\b",
    re.IGNORECASE,
)
_ASKS_INDIRECTLY = re.compile(
    r"\b(?:i|we)\s+(?:need|want|would like|'d like|wanna|have)\s+to\s+(?:know|understand|find out|"
    r"check)\s+(?:where|what|how|who|whether|if|which|why|when)\s+(?:[\w']+\s+){0,3}?"
    r"(?:you|your|it|this|parley|data|everything|information|info|details)\b|"
    # "before we set that up can you tell me real quick what it actually does"
    r"\b(?:can|could|would|will) you (?:tell|show|explain(?: to)?|walk)(?: me| us)?\b[^.?!]{0,25}?"
    r"\b(?:what|how|who|whether|which|why|when)\s+(?:[\w']+\s+){0,2}?"
    r"(?:it|this|you|your|parley|the (?:bot|tool|thing|product|software))\b|"
    # "Kindly confirm if leads can be pushed there directly"
    r"\b(?:kindly |please |pls )?(?:confirm|let me know|lemme know|tell me|advise)(?: me| us)? "
    r"(?:if|whether|what|how|when|where)\b|"
    # Said without its question mark: "i'm wondering if your system can reply at night",
    # "so my question is if your system can work with odoo", "what I'm asking is whether".
    r"\b(?:i'?m|i am|we'?re|we are|i was|we were)\s+(?:just\s+)?wondering\s+(?:if|whether|what|how|why|"
    r"when|who|where|which)\b|"
    r"\b(?:my|our|the)\s+(?:only\s+|main\s+|real\s+|other\s+)?question\s+is\s*[,:-]?\s*(?:if|whether|what|how|"
    r"why|when|who|where|which|about|do|does|can|could|will|would|is|are)\b|"
    r"\bwhat\s+(?:i'?m|i am|we'?re|we are)\s+(?:really\s+)?asking\s+is\b|"
    r"\b(?:i|we)\s+(?:just\s+)?(?:want(?:ed)?|wanna|would like|'d like)\s+to\s+(?:know|ask|check)\s+"
    r"(?:if|whether|what|how|why|when|who|where|which)\s+(?:is|are|does|do|can|will|would|the|"
    r"your|you|it|this|parley|charges?|price)\b",
    re.IGNORECASE,
)


# "it supports hubspot or not", "you have an app or no": a yes-no question said as a
# statement with its alternative after it.
_OR_NOT = re.compile(
    r"\s(?:or not|or no|or nah|or what)\s*[?.!]*$|"
    # "somebody will contact me or i must write to you": the other way, asked about
    r"\bor (?:i|we) (?:must|should|have to|need to|shall)\b[^.?!]*$",
    re.IGNORECASE,
)
_ASKS_AFTER_A_WORD = re.compile(
    r"^(?!(?:i|we|they|you|he|she|it|our|my|their)\b)(?:\w+\s+){1,2}(?:what|how|why|where|wat|wot)\s+(?:do|does|did|is|are|will|would|can|could|"
    r"should|much|many|long|soon)\b",
    re.IGNORECASE,
)
# A clause that asks, after another one: a question word and the verb that makes it one.
_ASKING_LATER = re.compile(
    r"^(?:and |but |so |also |oh )?(?:what|how(?: much| many| long| soon| often)?|why|where|wat|wot|"
    r"wht)\s+(?:do|does|did|is|are|was|will|would|can|could|should|happens|'s|s)\b",
    re.IGNORECASE,
)


_ASKED_SENTENCE = re.compile(r"[^.!?]+\?")
_ASKED = re.compile(
    r"\b(?:does|do|is|are|am|can|could|will|would|what|how|why|when|where|who|which|should)\b",
    re.I,
)


def reads_like(intent: str, text: str) -> bool:
    """Whether the wording itself supports the classifier's `intent`."""
    cue = _CUES.get(intent)
    if cue is not None and cue.search(text):
        return True
    return is_question(text) or bool(_IMPERATIVE_START.match(text.strip()))


def is_topic(intent: str | None) -> bool:
    """Whether `intent` is one of the marketers' topics."""
    return intent is not None and intent.startswith(TOPIC_PREFIX)


def interrupts_form(
    text: str, intent: str | None, confidence: float, candidates: frozenset[str]
) -> bool:
    """True when the message should be answered by the rules instead of filling the form.

    A question is never an answer to "what's your company?", so it interrupts whatever
    the confidence (an unsure guess goes to the fallback rule, which then resumes).
    A marketer's topic is always a candidate (see TOPIC_PREFIX).
    """
    if intent is None or (intent not in candidates | {"nlu_fallback"} and not is_topic(intent)):
        return False
    if text.startswith("/"):
        return intent != "nlu_fallback"  # a button or keyword: explicit by construction
    if is_question(text):
        return True
    if intent in SAID_OUTRIGHT and _CUES[intent].search(text):
        # "please stop emailing me" leaves however sure DIET was: its own words say so,
        # and taking it for an answer would keep marketing someone who asked us to stop.
        return True
    return intent != "nlu_fallback" and confidence >= CONFIDENCE_FLOOR and reads_like(intent, text)


_REFUSAL = re.compile(
    r"\b(?:no|not|don'?t|do not|never|rather not|no longer|stop|quit|enough|without)\b", re.I
)
_MARKETING = re.compile(
    r"\b(?:e-?mails?|newsletters?|texts?|sms|messages|whats ?app|telegram|calls?|marketing|"
    r"offers|promotions?|spam|updates)\b",
    re.IGNORECASE,
)


# The refusal bears on the marketing it names: "I'd rather not get texts", "no more emails
# please", "emails no thanks"; not "in planting season the WhatsApp never stops".
_REFUSES_MARKETING = re.compile(
    # ...not a habit told: "I don't check email much", "I never read texts".
    rf"{_REFUSAL.pattern}(?!\W+(?:really\W+|often\W+|always\W+|even\W+)?(?:check|read|look|open|use|"
    rf"see|monitor|answer|reply|respond)\w*\b)(?:\W+[\w']+){{0,3}}?\W+{_MARKETING.pattern}|"
    rf"{_MARKETING.pattern}\W*(?:no|nope|nah|not for me|not please|not thanks)\b",
    re.IGNORECASE,
)


# Asking to be written to: "not now, please email me the proposal", "no thanks, email is
# perfect for now". The "no" is to something else; the channel named is wanted.
_ASKS_TO_BE_WRITTEN_TO = re.compile(
    r"\b(?:please|pls|plz|just|only|instead|rather)\s+(?:e-?mail|text|sms|whats ?app|message)"
    r"(?:\s+it)?\s+(?:me|us|over|across|through)\b|"
    r"\b(?:e-?mails?|texts?|sms|whats ?app)\s+(?:is|are|'s|would be|will be|works)\s+"
    r"(?:\w+\s+)?(?:fine|perfect|great|good|better|best|ok|okay|preferred|easier|enough)\b",
    re.IGNORECASE,
)


def states_opt_out(text: str) -> bool:
    """Whether the words themselves ask to stop marketing ("don't stop the demo" does not).

    Either a plain opt-out phrase ("unsubscribe", "stop texting me") or a refusal that
    names marketing ("I'd rather not get texts from you"); a channel asked for is not
    refused ("not now, just email me the details"; "email is fine, no texts" refuses texts).
    """
    if has_cue("opt_out", text):
        return True
    return bool(_REFUSES_MARKETING.search(_ASKS_TO_BE_WRITTEN_TO.sub(" ", text)))


# A clause that asks something: "and what does it cost".
_ASKING_CLAUSE = re.compile(
    r"^\s*(?:and |so |but )?(?:what|how|does|do|is|are|can|could|why|which|who|will)\b", re.I
)


_ASKED_THINGS = r"(?:questions?|qs|qns|q's|queries|query)"
# Announcing questions rather than asking one: "I have a few questions first". Questions
# counted or had by the writer, not anyone's questions: "we get so many booking questions"
# describes a need.
ANNOUNCED_QUESTIONS = re.compile(
    r"\b(?:a|one|two|three|few|couple(?: of)?|some|several|more|other|any|my|quick|small|short|"
    r"simple|general|basic|silly|dumb)\s+(?:(?:quick|small|short|simple|general|basic|silly|"
    rf"dumb|more|other|little)\s+)?{_ASKED_THINGS}\b|"
    rf"\b(?:i|we)(?:'ve| have| had| got|'ve got| do have)\s+(?:\w+\s+){{0,2}}{_ASKED_THINGS}\b|"
    rf"\b{_ASKED_THINGS} (?:for you|first|before)\b|^\W*{_ASKED_THINGS}\W*$|"
    # "can I ask you something?", not "may I ask what happens to this information?"
    r"\b(?:can|may|could) i ask(?: you)?(?: (?:something|a question|a few(?: things)?|a couple(?: of "
    r"things)?|some(?:thing)?))?\W*$|\bask (?:you )?(?:something|a few|a couple|some)\b",
    re.IGNORECASE,
)


def only_announces(text: str, cue: re.Pattern[str]) -> bool:
    """Whether `text` announces questions (its wording matches `cue`: "I have a few
    questions") without asking one in another clause ("questions: what is it?")."""
    if not cue.search(text):
        return False
    clauses = re.split(r"[.?!,;:]+", text)
    return not any(_ASKING_CLAUSE.match(c) and not cue.search(c) for c in clauses)


def has_cue(intent: str, text: str) -> bool:
    """Whether the wording carries the tell-tale words of `intent` (True if it has none)."""
    cue = _CUES.get(intent)
    return cue is None or bool(cue.search(text))


# Turning a question down, wherever it stands in the message.
_DECLINE = re.compile(
    # "I'd rather not say", not "I'd rather not end up on a marketing list" (a worry)
    r"\b(?:(?:(?:i'?d|i would|i) (?:rather|prefer) (?:not|to not)|rather not|prefer not)"
    r"(?!\s+(?:end up|be (?:on|added|put|spammed|called|contacted|chased|hounded)|"
    r"get (?:spam\w*|cold calls|calls|added|put|chased|hounded|bombarded)|wake)\b)|"
    r"(?:i'?d|i would|i) (?:rather|prefer) (?:skip|pass)|"
    r"not (?:really )?comfortable|uncomfortable|"
    # "I don't want to give it", not "you won't give my number to other companies, right"
    r"(?<!you )(?<!u )(?<!they )(?<!ya )"
    r"(?:don'?t|do not|won'?t|will not|wouldn'?t) (?:really )?(?:want to|wanna|wish to|like to|"
    r"feel like|give|share|say|tell|provide|hand (?:it )?out|disclose)\b(?:\s+(?:give|share|say|"
    r"tell|provide|disclose|hand|answer|that|it|this|my|out|you|them)\b|\s*[.!]*$)|"
    # ("I honestly can't tell" does not know; "I can't give that out" will not)
    r"(?:can'?t|cannot) (?:really )?(?:give|share|provide|hand (?:it )?out|disclose|say|tell)\b"
    r"(?:\s+(?:give|share|provide|disclose|hand|that|it|this|my|out|you|them)\b|"
    r"(?<!tell)(?<!say)\s*[.!]*$)|"
    r"not (?:giving|sharing|telling|saying|providing|disclosing|handing)\b|"
    # "can I not give it right now?", "could I skip that for now": asking to leave it out
    r"(?:can|could|may) i (?:not|just not) (?:give|share|say|tell|provide|answer)\b|"
    r"(?:can|could|may) (?:i|we) (?:skip|leave|pass on) (?:it|that|this)\b|"
    r"none of your business|no comment|"
    r"keep (?:it|that|this|(?:my|our|the) (?:\w+ )?(?:number|phone|mobile|cell|e-?mail|address|"
    r"details|name|company|role|title|budget)) (?:private|to myself|to ourselves|confidential|for now)|"
    r"leave (?:it|that|this)(?: one)? (?:out|blank|empty)|"
    r"(?:i'?ll|let'?s|i will|i'?d) (?:pass|skip)|pass on (?:that|this|it)|"
    r"skip (?:it|this|that|this one|that one|the \w+|for now|please|pls|ahead|to)\b|"
    r"no,? thanks|no,? thank you|no ta\b|not (?:applicable|relevant)|"
    r"(?:don'?t|do not) have (?:one|a |an |any\b)|haven'?t got (?:one|a |an |any\b)|"
    # "oh i don't have the email handy my granddaughter does all that"
    r"(?:don'?t|do not|haven'?t) (?:have|got) (?:it|that|the \w+|my \w+) (?:handy|on me|with me|to hand|"
    r"at hand|in front of me)|"
    r"(?:no|nae|without an?) (?:phone|number|mobile|cell|landline|e-?mail|company|role|title|job|"
    r"position)\b|"
    r"(?:you )?(?:don'?t|do not) need (?:it|that|this|my)\b|no need\b|not needed|"
    r"i'?d rather you didn'?t|"
    # "I'd rather stay anonymous", "not ready to share that yet", "I'll hold off on that",
    # "I'll share my details once I understand the product"
    r"anonymous(?:ly)?|incognito|remain (?:unnamed|nameless)|"
    r"not (?:yet |quite )?(?:ready|willing|keen|happy|prepared) to (?:share|give|leave|provide|"
    r"say|hand|disclose)|hold off\b|"
    r"(?:i'?ll|i will|will) (?:share|give|provide|leave|send)\b(?:\s+\w+){0,3}?\s+"
    r"(?:once|when|after|later)\b)",
    re.IGNORECASE,
)
# The same, said in a word or two and nothing else (after a hesitation: "uh no", "um, nope").
_REFUSAL_WORDS = (
    r"(?:no|nope|nah|naw|nay|no way|none|nothing|n/?a|na|skip|pass|next|next one|"
    r"next question|move on|moving on|-+|x|not really|not telling|private|blank|"
    r"sorry,? no|no,? sorry|not today|not (?:right )?now|not yet|not at the moment|maybe later|"
    r"(?:maybe )?next time|some other time|"
    r"rather not|(?:i'?d |i would )?better not|best not|prefer not to say|no comment)"
)
_DECLINE_ALONE = re.compile(
    r"^(?:(?:uh+|um+|uhm|er+|erm|hmm+|ah+|oh|well)[\s,.]+)*"
    rf"{_REFUSAL_WORDS}(?:[\s,.!]+{_REFUSAL_WORDS})*"
    # "no that's ok", "nah it's fine": a polite no
    r"(?:[\s,.!]+(?:that'?s|thats|it'?s|its|i'?m|im)\s+(?:ok|okay|fine|alright|all right|good))?"
    r"[\s.!,]*(?:thanks|thank you|ta|cheers|mate|sorry|please|lol|haha|tbh|fr|rn)?[\s.!]*$",
    re.IGNORECASE,
)
# Asked for a phone number, a wish to be reached by email: "I'd rather you just email me",
# "email is easier", "no calls please". ("Just text me" wants the number used.)
_ANOTHER_WAY = re.compile(
    r"\b(?:(?:just|only) e-?mail (?:me|us)|rather (?:you )?(?:just )?e-?mail(?:ed)?|"
    r"(?:prefer|stick to|stick with|keep it to) e-?mail|"
    r"(?:please |just )?use (?:my |the )?e-?mail(?: (?:address|instead|only))?|"
    r"e-?mail (?:is|'s|would be) (?:fine|better|best|easier|enough|ok|okay|preferred)|"
    r"e-?mail only|by e-?mail only|no (?:phone )?calls|(?:don'?t|do not|please don'?t) (?:call|ring|phone))\b",
    re.IGNORECASE,
)
# No company to give: working alone or not working.
_NO_COMPANY = re.compile(
    r"^(?:(?:i'?m|i am|it'?s|its|just)\s+)*(?:just me|only me|myself|self[- ]?employed|"
    r"freelanc(?:e|er|ing)|a freelancer|independent|an independent|sole trader|a sole trader|"
    r"sole proprietor|unemployed|between jobs|retired|a student|student|not employed|"
    r"(?:i )?work for myself|on my own|by myself|no company|no business)\b|"
    r"\b(?:not (?:with|at|part of) (?:a|any) (?:company|business|organi[sz]ation)|"
    r"(?:don'?t|do not) work for (?:a|any) (?:company|business)|i work for myself)\b",
    re.IGNORECASE,
)


# Putting the question off to the meeting or the person who follows up: "can we leave that
# for the demo?", "rather discuss that in the meeting", "I'll tell your colleague".
_DEFERS = re.compile(
    # "on the call pls", "for the demo": where it will be answered, said alone
    r"^\W*(?:(?:ok|okay|um+|uh+|er+m?|oh|just|maybe|better)\W+)*(?:on|in|at|during|for|till|until|after)"
    r"\s+the\s+(?:call|demo|meeting|chat|session|zoom|video call)\b|"
    r"\b(?:leave|save|keep|park|hold)\s+(?:all\s+(?:of\s+)?)?(?:that|it|this|those|them)(?:\s+\w+)?\s+"
    r"(?:for|till|until|to)\s+(?:(?:the|our|a)\s+(?:\w+\s+)?(?:demo|meeting|call|chat|session|"
    r"conversation|person|team)s?|later|when\b(?:\s+we\s+\w+)?)|"
    r"\b(?:discuss|cover|talk about|chat about|go over|go through|get into|explain|tell you|share|"
    r"give|answer|do|handle|sort(?: out)?|"
    # "you would need to ask Mr. Khalid that in the demo"
    r"ask(?:\s+(?:him|her|them|(?:mr|mrs|ms|dr)\.?\s+[^\W\d_]+|(?:(?:our|my|the)\s+)?[^\W\d_]+))?)\s+"
    r"(?:(?:that|it|this|those|them|the details|more|all (?:of )?(?:that|this|those|them))\s+)?"
    r"(?:in|on|at|during|for|when)\s+"
    r"(?:the|our|a|we)\s*(?:demo|meeting|call|chat|session|talk|speak|meet|zoom|teams|video)\w*\b|"
    r"\b(?:i'?ll|i will|will|i'?d rather|rather|i prefer to|prefer to)\s+"
    r"(?:tell|explain|discuss|give|share|cover|go over|go through|talk through|get into|sort)"
    r"(?:\s+(?:that|it|this|those|them|all that))?"
    r"(?:\s+(?:out|directly|myself|in person))?\s+(?:(?:to|with)\s+)?(?:your|the|a|whoever|someone)"
    r"(?:\s+(?:colleague|person|human|team|rep|representative|salesperson|sales|people|picks))?\b|"
    # "I'd rather talk that over with your person", "I'd rather ask the person"
    r"\b(?:i'?d rather|rather|i'?d prefer to|i prefer to)\s+(?:(?:talk|chat|go)\s+(?:(?:that|it|this)\s+"
    r"(?:over|through|about)?\s*|about\s+(?:that|it|this|money|the money|budgets?|the budget|prices?|"
    r"pricing|numbers|the numbers|costs?|figures)\s+)(?:with|to)|ask|discuss (?:that|it|this) with)\s+"
    r"(?:your|the|a)\s+"
    r"(?:person|human|rep|representative|team|colleague|salesperson|sales person|people|sales team)\b"
    # "I'd rather talk about money with the person on the call"
    r"(?:\s+(?:on|in|at|during)\s+the\s+(?:call|demo|meeting|phone))?|"
    r"\b(?:i'?ll|i will|will|i'?d rather|rather)\s+(?:tell|explain (?:it |that )?to|give (?:it |that )?to)"
    r"\s+them\s+(?:myself|directly|in person|later|on the call|when we (?:talk|speak|meet))\b|"
    # "we can get into that when somebody calls me", "the person calling me can ask me all that"
    r"\b(?:discuss|cover|talk about|go over|go through|get into|go into|explain|tell|answer|share|"
    r"give|sort)\b[^.?!]{0,30}?\b(?:when|once|after)\s+(?:somebody|someone|they|you|your \w+|"
    r"the (?:person|human|rep|team)|a (?:person|human|real person)|whoever)\s+(?:\w+\s+)?(?:calls?|"
    r"rings?|phones?|gets? back|contacts?|talks? to|speaks? to|reaches out)(?:\s+me)?(?:\s+back)?\b|"
    r"\b(?:the (?:person|human|rep|agent|team)|whoever|someone|somebody|your (?:colleague|team|rep|"
    r"person|people))\s+(?:(?:who|that)\s+(?:is\s+)?)?(?:calls?|calling|rings?|ringing|phones?|"
    r"gets? back|follows? up)(?:\s+me)?(?:\s+back)?\s+(?:can|could|will|may)\s+(?:ask|get|take|"
    r"have|go through|cover)(?:\s+(?:me\s+)?(?:all\s+)?(?:that|this|those|them|it|the rest)"
    r"(?:\s+(?:details|questions|stuff|bits))?)?\b",
    re.IGNORECASE,
)
# Words around a deferral that say nothing else ("can we", "sorry", "I'd rather").
_AROUND_A_DEFERRAL = re.compile(
    r"\b(?:can|could|we|us|let'?s|i|i'?d|id|rather|prefer|sorry|please|pls|thanks|lol|no|nah|not|"
    r"you|to|that|it|this|if|ok|okay|just|maybe|directly|actually|honestly|for now|right|mate|tbh|"
    r"haha|really|cheers|sure|yeah|well|though|anyway|think|guess|would|better|later|then|there|"
    r"all|one|bit|much|hey|hi|hmm|umm?|uh|er|eh|so|and|but|i'?ll|will|ll|be|is|itself|instead|"
    r"i'?m|im|am|idk|dunno|know|don'?t|need|needs|have|has|you'?d|your|wouldn'?t|what|these|"
    r"those|cost|costs|alright|fine|if that'?s)\b",
    re.IGNORECASE,
)


# Asking whether we would share or sell what they give is a question, not a refusal.
_ASKS_ABOUT_SHARING = re.compile(
    r"\b(?:you|u|ya|they|y'?all)\s+(?:won'?t|will not|wouldn'?t|don'?t|do not|never|"
    r"aren'?t going to|are not going to)\s+(?:\w+\s+)?(?:share|sell|give|pass|send|spam|use)\b",
    re.IGNORECASE,
)


def defers(text: str) -> bool:
    """Whether the words put the question off to a meeting or to the person following up,
    and say nothing else ("Acme, I'll explain more in the demo" answers the question)."""
    found = _DEFERS.search(text)
    if found is None:
        return False
    rest = _AROUND_A_DEFERRAL.sub(" ", text[: found.start()] + " " + text[found.end() :])
    return not re.search(r"[^\W\d_]{3,}", rest)


# Particles of respect, hope or softening that change no answer: Filipino "po", "na lang",
# "sana", Singlish "lah", Hindi "ji", and emoji.
_POLITE_PARTICLES = re.compile(
    r"\b(?:po|opo|na lang|lang|sana|naman|lah|la|leh|ji|yaar)\b|"
    r"[\U0001F300-\U0001FAFF\u2600-\u27BF]",
    re.IGNORECASE,
)


def without_particles(text: str) -> str:
    """The words without particles of respect or softening ("me po" is "me")."""
    return " ".join(_POLITE_PARTICLES.sub(" ", text).split())


def refuses_outright(text: str) -> bool:
    """Whether the whole message is words of refusal ("no po, next time", "nah, pass",
    "🙅 no thx"): nothing in it can be a name."""
    words = _POLITE_PARTICLES.sub("", with_chat_words(_REFUSING_SIGNS.sub(" no ", text)))
    return bool(_DECLINE_ALONE.match(" ".join(words.split())))


# 🙅 (a person gesturing no), 👎, ❌, 🚫: a no without words
_REFUSING_SIGNS = re.compile(
    "[\U0001f645\U0001f44e\u274c\U0001f6ab][\U0001f3fb-\U0001f3ff\u200d\u2640\u2642\ufe0f]*"
)


# Asked for a detail, "no, just transfer me" / "just put me through": not this detail,
# a person instead (the handoff request is read separately).
_JUST_A_PERSON = re.compile(
    r"^(?:(?:no|nah|nope|naw)\b[\s,.!]*)?(?:(?:thanks|thank you|please|look|listen)[\s,.!]+)?"
    r"(?:just|only|can you just|could you just)\s+(?:(?:transfer|connect|patch)\s+me\b|"
    r"put\s+me\s+through|pass\s+me\s+(?:on|over|to)\b|get\s+me\s+(?:a|an|to|someone|somebody|"
    r"through)\b|send\s+me\s+to\b)",
    re.IGNORECASE,
)


# "Your colleague can ask me directly, please just connect me."
_THEN_JUST_A_PERSON = re.compile(
    r"[,;.]\s*(?:please\s+)?just\s+(?:(?:transfer|connect|patch)\s+me|put\s+me\s+through)"
    r"(?:\s+(?:to|with)\s+(?:a|the|someone|somebody|them|sales)\b.*)?[\s.!]*$",
    re.IGNORECASE,
)


def declines(text: str, field: str | None = None) -> bool:
    """Whether the words turn down the question asked ("I'd rather not give my number",
    "no phone thanks", "not comfortable sharing that", "skip").

    "Skip Henderson" is not a refusal of anything, and neither is "no, it's Acme"; a
    `field` of "company" also counts "just me" or "self-employed" as nothing to give.
    """
    stripped = _POLITE_PARTICLES.sub("", with_chat_words(text)).strip()
    if _ASKS_ABOUT_SHARING.search(stripped) and is_question(stripped):
        return False  # "you won't share my email with anybody, right?"
    if _DECLINE_ALONE.match(stripped) or _DECLINE.search(stripped) or defers(stripped):
        return True
    if _JUST_A_PERSON.match(stripped):
        return True
    then = _THEN_JUST_A_PERSON.search(stripped)
    if then is not None and len(stripped[: then.start()].split()) >= 4:
        # A sentence, then "please just connect me"; "Acme, just connect me" answers first.
        return True
    if field == "phone" and _ANOTHER_WAY.search(stripped):
        return True
    if field not in (None, "phone") and _THIS_NUMBER_WILL_DO.match(stripped):
        # "oh you can just reach me on the number i'm calling from": no name, address or
        # company to give, only the way back
        return True
    if field == "email" and _NO_EMAIL.search(stripped) and not _AN_ADDRESS_SAID.search(stripped):
        # "i don't use email much it's sorensen outfitters at gmail dot com": one is given
        return True
    return (
        field == "company"
        and bool(_NO_COMPANY.search(stripped))
        # "just me, trading as Bright Sparks", "just me, but the van says Ace Plumbing"
        and not _A_NAME_TRADED_UNDER.search(stripped)
    )


_THIS_NUMBER_WILL_DO = re.compile(
    r"\W*(?:(?:oh|um+|uh+|well|yeah|so|look|honestly|no)\W+)*(?:you can\s+|you could\s+|just\s+)*"
    r"(?:reach|call|ring|get|contact|phone)\s+me\s+(?:back\s+)?(?:on|at)\s+(?:the|this|my)\s+"
    r"(?:number|phone|line|mobile|cell)\b",
    re.IGNORECASE,
)
_A_NAME_TRADED_UNDER = re.compile(rf"\b(?:{TRADING_NAME_CUE})\s+\S", re.IGNORECASE)
_AN_ADDRESS_SAID = re.compile(r"@|\bat\b[^.?!]*\bdot\b", re.I)
# Asked for an email: "I don't really do email, just call me back".
_NO_EMAIL = re.compile(
    r"\b(?:(?:don'?t|do not|doesn'?t|never|rarely|hardly)\s+(?:really\s+)?(?:do|use|have|check|"
    r"read|got)\s+(?:an?\s+)?e-?mails?|"
    r"no e-?mail(?:\s+address)?\b(?!\s+(?:is|'s|marketing|spam|newsletters?|offers|updates))|"
    r"not (?:really )?(?:on|big on|into|a fan of) e-?mail|"
    # ("why do you need my email, can't you just call me" asks; it is asked again after
    # the answer)
    r"(?<!can't you )(?<!cant you )(?<!can you )(?<!could you )(?<!couldn't you )"
    r"(?:just|only|please)\s+(?:call|ring|phone|text)\s+me(?:\s+back)?|"
    r"(?:call|ring|phone|text)\s+me(?:\s+back)?\s+instead|"
    r"(?:phone|a call|calls?|texts?) (?:is|are|'s|would be) (?:fine|better|best|easier|enough))\b",
    re.IGNORECASE,
)


# Not this question but the whole exchange of details: "just questions", "not now",
# "I don't want to give my details", "only wanted to ask something".
_QUESTIONS_FIRST = (
    r"\bfirst,?\s+(?:the|my|some|a few|a couple of)\s+questions?\b|"
    r"\b(?:some |a few |my |the |couple of )?questions?\s+first\b"
)


def puts_questions_first(text: str) -> bool:
    """Whether the person wants their questions answered before anything else ("later,
    first the questions")."""
    return re.search(_QUESTIONS_FIRST, text, re.IGNORECASE) is not None


# "I won't be sharing any details today", "not giving out my details".
_WONT_SHARE = (
    r"(?:don'?t|do not|won'?t|will not|not going to|rather not|prefer not to|'?d rather not|"
    r"won'?t be|will not be|am not|i'?m not|not)\s+"
    r"(?:want\s+to\s+|wanna\s+)?(?:giv|shar|leav|provid|hand over)(?:e|ing)?\s+"
    r"(?:out\s+)?(?:you\s+|with you\s+)?"
    r"(?:my|any|personal|contact)\s+(?:details|info\w*|data|contact\w*|particulars)"
)


_REFUSES_TO_SHARE = re.compile(rf"\b{_WONT_SHARE}\b", re.IGNORECASE)


def refuses_to_share(text: str) -> bool:
    """Whether the words turn down giving any details at all ("I won't be sharing any
    details today"): no answer to any question, whatever else they name ("today")."""
    return _REFUSES_TO_SHARE.search(with_chat_words(text)) is not None


_NO_DETAILS_AT_ALL = re.compile(
    r"\b(?:(?:just|only)\s+(?:(?:the|have|got|had|a|some|a few|few|couple of|a couple of|"
    r"quick|general)\s+)*(?:questions?|q'?s)|"
    r"(?:just|only)\s+(?:want(?:ed)?|wanna|need(?:ed)?|wish(?:ed)?|like[ds]?|trying|here)\s+"
    r"(?:to\s+)?(?:ask|know|find out|understand|check|see|learn|have a look|look)|"
    # "later later first the questions", "questions first please"
    rf"{_QUESTIONS_FIRST}|"
    # "first clear my doubts", "answer my questions first"
    r"(?:clear|answer|sort out)\s+(?:my|our|a few|some)\s+(?:doubts|questions|queries)|"
    r"(?:just|only)\s+(?:asking|looking|browsing|curious|researching|checking|wondering|enquiring|"
    r"inquiring|"
    r"poking around|nosing around|having a (?:look|nose|nosey|browse)|kicking the (?:tyres|tires))|"
    r"not\s+(?:now|today|right now|at the moment)"
    r"(?:[\s,.!]*(?:thanks|thank you|thx|please|sorry|mate|cheers))*[\s.!]*$|"
    r"maybe\s+later|some\s+other\s+time|"
    rf"{_WONT_SHARE}|"
    r"no\s+(?:personal\s+)?(?:details|info\w*|data)(?:\s+(?:please|thanks|for now))?\s*[.!]*$|"
    # "just the info please", "information only", "I'm only here for information",
    # "just calling for information", "not giving my details", "anonymous please"
    # ("...because it only answers in English" is what a bot does)
    r"(?<!it )(?<!that )(?<!which )(?<!bot )(?<!chat )(?<!they )(?<!system )(?<!one )"
    r"(?:just|only|simply|merely)\s+(?:(?:here|calling|phoning|ringing|writing|looking|after|"
    r"want(?:ed|ing)?|need(?:ed)?|for)\s+)*(?:(?:for|the|some|a bit of|a little|more|general|a few|"
    r"a couple of|few)\s+)*"
    r"(?:info\w*|answers)\b|"
    r"(?:info\w*|answers?|questions?)\s+only\b(?=\s*(?:[.!,;]|please|thanks|thank you|for now|$))|"
    # Tagalog "questions lang" (only questions), "info lang muna"
    r"(?:info\w*|answers?|questions?)\s+(?:lang|muna)\b|"
    r"not\s+(?:giving|sharing|leaving|providing|handing)\s+(?:out\s+)?(?:you\s+)?(?:my|any|personal)"
    r"\s+(?:details|info\w*|data|particulars)|"
    r"(?:rather not|prefer not to|don'?t want to)\s+(?:give|share|leave|hand)\s+(?:anything|out anything)|"
    r"(?:don'?t|do not)\s+need\s+to\s+(?:leave|give|share)\s+(?:a|my|any)\s+(?:name|details|number)|"
    r"anonymous(?:ly)?\b|"
    r"not\s+(?:yet\s+)?ready\s+to\s+(?:share|give|leave|provide)\s+(?:my\s+|any\s+)?(?:personal\s+)?"
    r"(?:details|info\w*|data|anything)|"
    r"(?:i'?ll|i will|will)\s+(?:share|give|provide|leave)\s+(?:my\s+)?(?:details|info\w*)\s+"
    r"(?:once|when|after)\b|"
    r"stop\s+asking(?:\s+me)?(?:\s+for)?|"
    r"without\s+(?:giving|sharing|leaving)\s+(?:my|any)\s+(?:details|info\w*|data)|"
    # Done asking, with nothing given: "good, I have no more questions".
    r"no\s+(?:more|other|further)\s+questions|"
    r"that(?:'?s|\s+is)\s+all\s+(?:i\s+(?:needed|wanted)(?:\s+to\s+know)?|for\s+(?:now|today))|"
    r"(?:just|only)\s+(?:collecting|gathering|getting)\s+(?:some\s+)?(?:info\w*|details|options|quotes)|"
    r"(?:will|i'?ll|can)\s+(?:share|give|send)\s+(?:my\s+|the\s+)?(?:details|info\w*)\s+later|"
    r"that\s+answers\s+(?:everything|all\s+my\s+questions|my\s+questions)|"
    # "Later, after I discuss with my team", "first I need answers"
    r"^\W*later\b(?:[\s,.!]+(?:please|thanks|maybe|perhaps|after\b.*|once\b.*|when\b.*))*[\s.!]*$|"
    r"\bfirst\s*,?\s+i\s+(?:need|want|have|would like)\s+(?:some\s+|a\s+few\s+|my\s+)?"
    r"(?:answers|questions|to\s+ask))",
    re.IGNORECASE,
)


_WANTS_FOLLOW_UP = re.compile(
    r"\b(?:demo|book|booking|meeting|call me|contact me|email me|reach me|trial|quote|"
    r"(?<!not ready to )(?<!not looking to )sign (?:me )?up|talk to (?:someone|sales|a person))\b",
    re.IGNORECASE,
)


# Leaving for now, whatever was given: "I'll come back when I've got more time", "gotta go".
# ("Not now" alone may turn down only the question asked; see `declines`.)
_LEAVES_FOR_NOW = re.compile(
    r"\b(?:gotta go|got to go|have to go|need to go|must go|i'?m off now|"
    # "All good, that's all I needed": done here, with or without details given
    r"that(?:'?s| is) (?:all|everything) i (?:needed|wanted)(?: to know)?|"
    # "catch you later", "gotta run", "meeting starting", "let me think about it first",
    # "I'll discuss it with my team and get back to you", "changed my mind"
    r"catch (?:you|ya|u) later|ttyl|talk (?:to you |to ya )?later|speak (?:to you )?(?:later|soon)|"
    r"(?:gotta|got to|have to|need to|must|'ve got to) (?:run|dash|fly|hop off|head off)|"
    # "I'm out" said as goodbye ("ok I'm out, thanks"), not "I'm out plowing all day".
    # ("...the phone just rings when I'm out" is no goodbye)
    r"(?<!when )(?<!while )(?<!whilst )(?<!if )(?<!as )(?<!because )(?<!cause )(?<!since )"
    r"(?<!till )(?<!until )(?<!whenever )"
    r"i'?m out(?=\s*(?:[.!,]|$|for (?:now|today|the day)|bye|peace|thanks|cheers))|brb|(?:my )?battery'?s? (?:is )?(?:dying|about to die|low)|"
    r"(?:got|getting|have) (?:a|another) call (?:coming in|on the other line)|"
    r"meeting(?:'s| is)? (?:starting|about to start)|someone'?s at the door|"
    r"customer (?:just )?(?:came|walked|showed) (?:in|up)|done for (?:today|now|the day)|"
    r"let me (?:think|sleep) (?:about|on) it|i'?ll (?:think|sleep) (?:about|on) it|think it over|"
    r"(?:need|want|have|got|going) to (?:think|sleep) (?:about|on|it over)|have a think|"
    r"mull (?:it|this|that) over|"
    r"(?:discuss|talk) (?:it |this |that )?(?:over )?with (?:my|the|our) \w+(?: \w+)? (?:first|and get back)|"
    r"(?:and |i'?ll |will )get back to (?:you|ya|u)|changed my mind|on second thought|"
    r"never ?mind|nvm|forget (?:it|about it)|not interested(?: any ?more)?|"
    r"(?:i'?ll|i will|will) (?:come|check) back|come back (?:later|another time|to (?:it|this))|"
    r"(?:another|some other) time|when i(?:'ve| have)? (?:got |get |have )?(?:more )?time|"
    r"(?:let me|i'?ll|i will|i'?d better|better) (?:call|ring|phone) (?:you )?back|"
    r"(?:call|ring) (?:you )?back later|"
    # "Thanks anyway", "I'll get her to come back to you. Bye."
    r"(?:thanks|thank you|cheers) (?:anyway|all the same)|(?:bye|goodbye|bye-bye|bye bye)(?=\W*$)|"
    # "sorry, I'm driving", not "I can't reply while I'm driving" (why they need help)
    r"(?<!while )(?<!whilst )(?<!when )(?<!because )(?<!cause )(?<!as )(?<!if )(?<!since )i'?m driving)\b",
    re.IGNORECASE,
)


# "No, thank you, not today.": the whole message puts off what was asked.
_NOT_NOW_ALONE = re.compile(
    r"^\W*(?:(?:no|nope|nah)\W+)?(?:(?:thanks|thank you)\W+)?not (?:today|now|right now)"
    r"\W*(?:(?:thanks|thank you)\W*)?$",
    re.IGNORECASE,
)


def puts_off(text: str) -> bool:
    """Whether the whole message is a "not now" to the question asked."""
    return bool(_NOT_NOW_ALONE.match(text.strip()))


def leaves_for_now(text: str) -> bool:
    """Whether the person is leaving the conversation for now ("gotta go")."""
    return bool(_LEAVES_FOR_NOW.search(text)) and not is_question(text)


def wants_no_details(text: str) -> bool:
    """Whether the person turns down giving any details, not just the one asked for."""
    text = with_chat_words(text)
    if is_question(text):
        # "is this a real person or a bot? just curious": the curiosity is the question's,
        # and so is "would it take bookings or just answer questions?".
        statements = [s for s in re.split(r"(?<=[.?!])\s+", text) if not s.strip().endswith("?")]
        text = _ABOUT_THE_QUESTION.sub(" ", " ".join(statements))
    text = _OTHERS_JUST_LOOKING.sub(" ", text)
    first = re.search(_QUESTIONS_FIRST, text, re.I)
    if first is not None and is_question(text[first.end() :].strip(" ,.:;-")):
        # "quick question first what do you do with the information people type": the
        # question is asked, here and now; no word against the details
        text = text[: first.start()] + " " + text[first.end() :]
    return bool(_NO_DETAILS_AT_ALL.search(text)) and not _WANTS_FOLLOW_UP.search(text)


# Other people just looking, in a need: "sort the serious projects from people just asking".
_OTHERS_JUST_LOOKING = re.compile(
    r"\b(?:people|customers|clients|visitors|folks?|buyers|users|leads|others|those|ones|they|"
    r"them|tyre[- ]kickers|tire[- ]kickers|most|many|some|half|lots|majority)\s+"
    r"(?:of them\s+)?(?:(?:who|that)(?:'re| are)\s+|(?:are|'re|is)\s+)?(?:just|only)\s+"
    r"(?:asking|looking|browsing|curious|checking|wondering|enquiring|inquiring)\b|"
    # "many people only want to know the price": what the person's own customers want
    r"\b(?:people|customers|clients|visitors|folks?|buyers|users|leads|others|most|many|some|half|"
    r"lots|they)\s+(?:of them\s+)?(?:just|only)\s+(?:want|wanna|need|ask)(?:s|ed)?\s+(?:to\s+(?:know|ask|"
    r"check|see|compare)|the price|prices|a price|a quote|quotes|info|information|for (?:a )?(?:price|quote)s?)\b|"
    # "we see quickly who is serious and who is only looking"
    r"\b(?:who|which ones?)(?:'s|'re| is| are)\s+(?:just|only)\s+"
    r"(?:asking|looking|browsing|curious|checking|wondering|enquiring|inquiring)\b",
    re.IGNORECASE,
)


_ABOUT_THE_QUESTION = re.compile(
    r"\b(?:(?:i'?m|i am)\s+)?(?:just|only)\s+(?:curious|wondering|asking|checking)\b|"
    # "Am I talking to a computer? I'd just like to know where I stand."
    r"\b(?:i'?d\s+|i would\s+|i\s+)?(?:just|only)\s+(?:want(?:ed)?|wanna|need(?:ed)?|like[ds]?|"
    r"wish(?:ed)?)\s+to\s+(?:know|check|understand|be sure|make sure)\b",
    re.IGNORECASE,
)

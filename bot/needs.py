"""A business problem with the people who contact it, or a question whether Parley fits.

"Clients slip through the cracks", "we keep missing calls", "could this work for a car
dealership?": the person wants to hear what Parley does for them. At the start of a
conversation that is a request for product information (nlu/clear_requests.py); asked
"what are you hoping to solve?", it is the answer, even when it names a demo or a price.
"""

from __future__ import annotations

import re

# A problem the business has with the people who contact it ("clients slip through the
# cracks", "we keep missing calls", "the bookings are chaos"), or whether Parley fits it
# ("could this work for a car dealership?", "do u do anything for cafes").
_CONTACTS = (
    r"(?:leads?|enquir\w*|inquir\w*|customers?|clients?|patients?|calls?|bookings?|"
    r"messages?|dms|chats?|members?|prospects?|visitors?|parents|students|guests|"
    r"buyers|tenants|applicants|follow[- ]?ups?|forms?|quotes?|appointments?|reservations?|"
    r"questions?|qs|requests?|orders?|jobs?|deals?|referrals?|opportunit\w*|web ?site|site)"
)
_TROUBLE = (
    r"(?:miss\w*|los(?:e|es|ing|t)|slip\w*|fall\w* through|go(?:es|ing)? (?:cold|nowhere|unanswered)|"
    r"get(?:s|ting)? (?:lost|missed|forgotten|ignored)|chaos|chaotic|mess|drowning|swamped|"
    r"overwhelm\w*|can'?t keep up|cannot keep up|never (?:get|hear|reply|answer|call)|forget\w*|"
    r"(?:too|so) (?:many|much)|unanswered|no ?one (?:answers|replies|calls|follows)|"
    r"nobody (?:answers|replies|calls|follows)|struggl\w*|after hours|out of hours|overnight|"
    r"at night|slow to (?:reply|respond)|(?:need|want|looking for|searching for|seeking)\w* "
    r"(?:some )?(?:help|something|software|(?:a |an )?(?:[\w-]+ )?(?:way|tool|bot|solution|system|"
    r"platform|app|service|thing))|"
    r"qualif\w*|captur\w*|convert\w*|follow\w* up)"
)
_NEEDS_HELP = re.compile(
    rf"\b{_CONTACTS}\b[^.!?]{{0,60}}?\b{_TROUBLE}|\b{_TROUBLE}\b[^.!?]{{0,40}}?\b{_CONTACTS}\b",
    re.IGNORECASE,
)
_FITS = re.compile(
    r"\b(?:could|would|can|does|do|will|is|might|may)\s+(?:this|it|parley|you|u|ur|your|something like this)"
    r"(?:\s+(?:bot|tool|product|software|thing|platform|assistant))?\s+"
    r"(?:work|help|handle|suit|be (?:good|right|useful|suitable|any good)|do anything|be used|cope)\b|"
    # "can it answer our phones", "wondering if this would take calls for me"
    r"\b(?:(?:could|would|can|does|will|might)\s+(?:this|it|parley|the (?:bot|thing|assistant)|"
    r"your (?:bot|tool|product|software|thing|assistant))|(?:if|whether) (?:this|it|parley|"
    r"your (?:bot|tool|product|software|thing|assistant)) (?:would|could|can|will|might))\s+"
    r"(?:take|answer|pick up|reply to|respond to|deal with|field|handle|work|help)\b|"
    r"\b(?:do|does|can) (?:you|u|ye|parley) (?:do|offer|have) (?:anything|something) for\b|"
    r"\b(?:any good|suitable|a good fit|the right fit|useful) for (?:a|an|my|our|small)\b|"
    r"\bsomething (?:like this|like that|(?:a|an|my|our|we|i) (?:\w+ ){0,3}(?:could|can|might) use)\b|"
    r"\b(?:is|would be) (?:this|it|parley) (?:any good|good|right|useful|suitable|"
    r"a (?:good )?fit) for\b|\bsomeone said you could help\b|"
    r"\b(?:said|told me|heard) (?:that )?you (?:could|can|might) help\b|"
    # "y'all do that lead capture stuff", "you guys do like a chat bot for websites"
    r"\b(?:you|u|y'?all|ya'?ll|you guys|you lot|ye|parley)\s+(?:guys\s+|all\s+)?"
    r"(?:do|offer|sell|make|provide|build|have)\s+(?:like\s+|some\s+|any\s+)?"
    r"(?:a\s+|an\s+|that\s+|the\s+|this\s+|these\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:stuff|thing|things|bots?|chat ?bots?|software|tools?|apps?|services?|platforms?|"
    r"systems?|lead capture|leads?|marketing)\b|"
    # "wondering if this is for me", "not sure it'd be right for us"
    r"\b(?:if|whether) (?:this|it|parley|you|your \w+)(?: is|'s| are|'re| would be|'d be| could be)"
    r" (?:for|right for|a fit for|suitable for|good for|any good for|useful for) (?:me|us)\b",
    re.IGNORECASE,
)


def states_a_need(text: str) -> bool:
    """Whether the words describe the business's trouble with its contacts or ask whether
    Parley fits: a wish to hear what it does for them."""
    return bool(_NEEDS_HELP.search(text) or _FITS.search(text))


def fits_question(text: str) -> bool:
    """Whether the words ask if Parley fits ("could this work for a car dealership?")."""
    return bool(_FITS.search(text))


# Asked "what are you hoping to solve?", a statement is the answer unless it asks for
# contact or for something to be shown: "I want more people signing up for the classes"
# and "keeping track of the quotes we send out" are needs, "I'd like a demo first" and
# "tell me the price" are requests.
_ASKS_FOR_SOMETHING = re.compile(
    r"\b(?:(?:talk|speak|chat) (?:to|with)|call (?:me|us)|ring (?:me|us)|get in touch|"
    r"(?:a|the|your|see a|see the) demo\b|demo (?:please|pls|first)|book (?:a|me|us|in)|"
    r"(?:a|an) (?:meeting|call|quote|quotation)\b|someone (?:to )?(?:call|contact|ring)|"
    r"(?:a|the|your) (?:price|prices|pricing|cost)\b|how much)",
    re.IGNORECASE,
)
_TELLS_TO_SHOW = re.compile(
    r"^\W*(?:please\s+)?(?:tell|show|explain|give|send|let me|get me|connect|put me)\b",
    re.IGNORECASE,
)


# What the person's own customers ask for or do: "getting back to people who ask for a
# quote before they go and book someone cheaper" asks for nothing itself.
_WHAT_THEIR_CUSTOMERS_DO = re.compile(
    r"\b(?:people|customers|clients|visitors|leads|folks|buyers|callers|patients|guests|parents|"
    r"students|they|someone|somebody|anyone|everyone)\s+(?:who\s+|that\s+)?(?:\w+\s+)?"
    r"(?:ask|asks|asked|asking|want|wants|request|requests|book|books|call|calls|ring|rings|go|goes|"
    r"went)\b[^.,;!?]*",
    re.IGNORECASE,
)


def answers_the_need_question(text: str) -> bool:
    """Whether a statement made when asked what the person hopes to solve is their answer
    rather than a request for a demo, a price or a person."""
    own = _WHAT_THEIR_CUSTOMERS_DO.sub(" ", text)
    return not _ASKS_FOR_SOMETHING.search(own) and not _TELLS_TO_SHOW.match(own)

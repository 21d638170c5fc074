"""Which of the common questions a message asks, sentence by sentence: "Does it plug into
HubSpot? And do you charge per seat?" asks two, and both get their answer.

The classifier gives a message one intent; a second question in the same message was
left unanswered. Each sentence that reads as a question is matched against the plain
words of each topic, and only a sentence naming exactly one topic counts: a wrong answer
is worse than none.
"""

from __future__ import annotations

import re

from bot.interruptions import is_question

_TOPIC_WORDS: dict[str, re.Pattern[str]] = {
    "pricing": re.compile(
        r"\b(?:price|prices|pricing|priced|cost|costs|charge|charges|per (?:seat|user|month|"
        r"conversation)|subscription|plans?|free (?:trial|tier|version|plan)|trial|how much|"
        r"expensive|cheap|fees?)\b",
        re.I,
    ),
    "integrations": re.compile(
        r"\b(?:integrat\w*|connects? (?:to|with|into)|plugs? (?:in|into)|works? (?:with|on)|"
        r"syncs? (?:with|to)|plug[- ]?ins?|an api|compatible with|hooks? (?:up )?(?:to|into)|"
        r"talks? to (?:our|my) (?:crm|tools?|system))\b",
        re.I,
    ),
    "data_use": re.compile(
        r"\b(?:gdpr|privacy|stored|store (?:it|them|this|that|the|our|my)|storing|kept|"
        r"keep (?:it|them|this|that|the|our|my)|hosted|servers?|who (?:sees|can see|has access)|"
        r"(?:data|info|information|details) (?:safe|secure|protected)|data protection|"
        r"(?:sell|share) (?:my|our|the|this) (?:data|info|details)|"
        r"do (?:you )?with (?:my|our|the|this|all this|that) (?:data|info|information|details))\b",
        re.I,
    ),
    "bot": re.compile(
        r"\b(?:robot|a bot|automated|an ai|real person|a human|person typing|real human)\b", re.I
    ),
    "next_steps": re.compile(
        r"\b(?:what happens (?:next|now|then|after|afterwards|once|with (?:all )?(?:this|that|it))|"
        r"what'?s next|what is next|what are the next steps|what(?:'s| is) the next step|then what)\b",
        re.I,
    ),
    "what_it_does": re.compile(
        r"\b(?:(?:what|wat|wht|wut) (?:exactly |actually )?(?:does|do|would|can|will|could|dose)?\s*"
        r"(?:it|this|parley|"
        r"the (?:assistant|bot|tool|product|software|platform|service)|your (?:assistant|bot|"
        r"tool|product|software|platform|service)) (?:actually |exactly |really )?(?:do|does|"
        r"offer)|how does (?:it|this|parley) work|what is parley)\b",
        re.I,
    ),
}
_SENTENCE = re.compile(r"[^?.!]+(?:\?+|[.!]+|$)")
# "how much is it and does it work with Shopify?": two questions in one sentence.
_AND_ASKS = re.compile(
    r",?\s+(?:and|also|plus)\s+(?=(?:does|do|is|are|can|could|will|would|what|how|where|who)\b)",
    re.I,
)


def question_sentences(text: str) -> list[str]:
    """The sentences (and joined questions) of `text` that ask something."""
    parts = [p.strip() for s in _SENTENCE.findall(text) for p in _AND_ASKS.split(s)]
    return [p for p in parts if p and is_question(p)]


def asked_topics(text: str) -> list[str]:
    """The topics the message asks about, in the order asked, each once."""
    topics: list[str] = []
    for sentence in question_sentences(text):
        named = [topic for topic, words in _TOPIC_WORDS.items() if words.search(sentence)]
        if len(named) == 1 and named[0] not in topics:
            topics.append(named[0])
    return topics

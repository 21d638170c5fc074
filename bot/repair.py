"""A request to hear the bot's last words again: "sorry?", "come again", "you what?".

On the phone above all, people who did not catch something say so. That is neither a yes
nor an answer to the question, and not a misunderstanding to climb the fallback ladder
over: the bot says it again (actions/fallback.py).
"""

from __future__ import annotations

import re

# "could you repeat that", "can you please say it again": said alone or after "sorry".
_PLEASE_REPEAT = (
    r"(?:can|could|would) you (?:please )?(?:say|repeat|rephrase|reword|re-?phrase)"
    r"(?: that| it| the question)?(?: again)?"
    r"(?: (?:differently|another way|in other words|in another way|more simply|please))?"
)
_SAY_AGAIN = re.compile(
    r"^\W*(?:(?:uh|um|er|oh|ah|hm+|i'?m|im|i am|so|yeah|yes|no|and|kindly|please|hang on|hold on|"
    r"wait|sorry)\W+)*"
    r"(?:sorry|sry|soz|pardon|pardon me|beg (?:your )?pardon|excuse me|what|wha|huh|eh|hm+|come again|"
    r"ano(?: po)?|ha|hah|ano daw|"
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
    r"^\W*(?:(?:uh|um|er|oh|so|sorry|hm+|wait|ok|okay|hang on)\W+)*"
    r"(?:what do you mean(?: by that)?|what does that mean|meaning|"
    r"i (?:don'?t|do not|didn'?t|did not) (?:understand|get|follow)"
    r"(?: (?:that|you|it|what you mean|what you said|the question))?|"
    r"not sure what you mean|"
    r"(?:can|could|would) you (?:please )?(?:rephrase|reword|re-?phrase|explain)"
    r"(?: that| it| the question| what you mean)?(?: (?:differently|another way|in other words|"
    r"in another way|more simply|please))?|"
    r"(?:can|could|would) you (?:please )?(?:say|put) (?:that|it) (?:differently|another way|"
    r"in other words|in another way|more simply)|"
    r"(?:rephrase|reword|re-?phrase)(?: that| it| the question)?(?: please)?|in other words)"
    r"(?:\W+(?:please|sorry|mate|there|again))*\W*$",
    re.IGNORECASE,
)


def asks_to_rephrase(text: str) -> bool:
    """Whether the whole message asks for the last words put another way."""
    return bool(text) and not text.startswith("/") and bool(_REPHRASE.match(text.strip()))

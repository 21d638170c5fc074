"""Reading lead details out of what people type, and validating them.

Pure functions: no I/O, no Rasa. The lead form action feeds them the message text, the
person/organisation entities spaCy found and the field the bot just asked for.

A detail is taken only where the person gives it: as the answer to the question just
asked, or stated outright ("my company is ...", "I work at ...", "this is Dana from
Acme"). Whatever sits inside a question to the bot ("does it work with Salesforce?") or
in a refusal ("I'd rather not give my number") fills nothing, and a name or company
spaCy merely spotted fills only the field that was asked for.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.interruptions import (
    declines,
    leaves_for_now,
    refuses_outright,
    tells_with_a_question_word,
    wants_no_details,
)
from bot.lead_vocabulary import (
    ABBREVIATIONS,
    BOT_NAMES,
    COMPANY_SUFFIXES,
    GREETING_LEAD,
    JOB_MODIFIERS,
    JOB_TITLES,
    NAME_PARTICLES,
    TRADING_NAME_CUE,
    company_core,
    is_greeting,
    is_job_title,
    is_place,
    is_tool_or_network,
    key,
    mentions_job_title,
    word_set,
)
from bot.phone_places import dialling_region
from bot.repair import asks_to_hear_it_again
from bot.third_parties import (
    given_as_someone_elses,
    is_someone_elses_address,
    is_someone_elses_name,
    names_of_others,
    names_someone_else,
)
from bot.types import LeadField
from bot.typos import with_field_words

MAX_LENGTH: dict[LeadField, int] = {
    "name": 100,
    "email": 254,
    "phone": 40,
    "company": 200,
    "role": 100,
    "need": 2000,
}
FREE_TEXT_FIELDS: tuple[LeadField, ...] = ("name", "company", "role", "need")

_EMAIL_CANDIDATE = re.compile(r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+")


@dataclass(frozen=True)
class Reading:
    """What one message says about the lead: clean values and per-field problems.

    `declined` is set when the message turns down the question asked ("no phone,
    thanks"): it answers nothing, and the form sets the question aside.
    """

    values: dict[LeadField, str] = field(default_factory=dict)
    problems: dict[LeadField, str] = field(default_factory=dict)
    declined: bool = False


# --- normalizers -------------------------------------------------------------------


def normalize_email(text: str) -> str:
    """Return the normalized address (lower-cased) or raise ValueError with a reason."""
    candidate = text.strip().strip(".,;:!?<>()[]").lower()
    if len(candidate) > MAX_LENGTH["email"]:
        raise ValueError("too_long")
    try:
        return validate_email(candidate, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError("invalid_email") from error


def normalize_phone(text: str, region: str) -> str:
    """Return the number in E.164 or raise ValueError with a reason."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError("invalid_phone") from error
    if not usable_number(number):
        raise ValueError("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Ranges kept for drama and examples: Ofcom's (07700 900xxx, 01632 960xxx, and 020 7946
# 0xxx, 0161 496 0xxx, 0113 to 0118 496 0xxx and the other big cities' 496 0xxx), the ACMA's
# (mobiles 0491 57x xxx, landlines (0x) 5550 xxxx and 7010 xxxx), ARCEP's (06 39 98 xx xx,
# 01 99 00 xx xx) and the North American plan's 555-01xx under every area code (the
# Caribbean's included: +1 868 555 0139). libphonenumber calls some invalid and reads others in other countries
# too, yet they are the numbers people give in demos and tests. Taking them costs nothing
# (a text to one fails at the provider) and refusing them loses the lead.
_FICTIONAL_NUMBERS = re.compile(
    r"^(?:\+44(?:7700900|1632960|2079460|1[1-9]14960|11[3-8]4960|1[1-9]1[1-9]4960|1914980|2890180|"
    r"2920180)\d{3}|\+61(?:49157\d{4}|[2378](?:5550|7010)\d{4})|"
    r"\+33(?:63998|19900)\d{4}|\+1[2-9]\d\d55501\d\d)$"
)


def _is_fictional(number: phonenumbers.PhoneNumber) -> bool:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return bool(_FICTIONAL_NUMBERS.match(e164))


def usable_number(number: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.is_valid_number(number) or _is_fictional(number)


def clean_free_text(field_name: LeadField, text: str, *, answered: bool = False) -> str:
    """Trim a free-text answer and check it; raise ValueError with a reason."""
    value = _LEAD_INS[field_name].sub("", text.strip()).strip(" \t\n,;.!?")
    value = _FILLER.sub("", value)
    if field_name in ("name", "company"):
        # "Maricel Dela Cruz po": a particle of respect after the answer is no part of it.
        value = _TRAILING_PARTICLE.sub("", value) or value
    whole = value
    if field_name in ("company", "role"):
        value = _answer_before_story(value)
    if field_name == "company":
        value = _COMPANY_QUALIFIER.sub("", value).strip(" \t\n,;!?-–—") or value
    if field_name == "name":
        value = _TITLE.sub("", _in_full(_NAME_AROUND.sub("", strip_symbols(value)).strip()))
        if not value and text.strip():
            raise ValueError("not_a_name")
    if (
        field_name == "company"
        and value == whole
        and _ends_with_abbreviation(text.strip().rstrip(" ,;!?"))
    ):
        value += "."  # "Sharma Textiles Pvt. Ltd." keeps the dot of its last abbreviation
    if not value:
        raise ValueError("empty")
    if value.lower() in _NON_ANSWERS or _NON_ANSWER.match(value) or _about_the_exchange(value):
        raise ValueError("not_an_answer")
    if len(value) > MAX_LENGTH[field_name]:
        raise ValueError("too_long")
    if field_name == "name":
        _check_name(value, answered=answered)
    elif not any(ch.isalnum() for ch in value):
        raise ValueError("empty")
    return value


def strip_symbols(text: str) -> str:
    """Emoji, pictographs and their joiners out: "Dana 👋" is Dana, "🙂🙂" is nobody."""
    kept = (
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Cs") and ch not in "\ufe0e\ufe0f"
    )
    return " ".join("".join(kept).split())


# --- what words may be ---------------------------------------------------------------

_LEAD_INS: dict[LeadField, re.Pattern[str]] = {
    "name": re.compile(
        r"^(?:(?:hi|hello|hey|sure|ok|okay|yes|yeah|yep|right|so|well|um+|uh+|er+m?|hmm+|oh|ah|"
        r"sorry (?:about|for) that|my bad|apologies|sorry|of course|no problem|certainly|"
        r"absolutely|just|simply)[,!.\s]+)*"
        r"(?:my (?:full )?name(?:'s|’s| is)|it's|it’s|its|it is|i am|i'm|i’m|im|call me|"
        r"this is|name's|name’s|name is|names|the name's|the name is|you can call me|"
        r"they call me|people call me|everyone calls me|i'm called|i am called|i go by|"
        # "mera naam gurpreet singh bains hai": Hindi's "my name is"
        r"mera naam|mera name|my naam|"
        r"myself)\s*:?\s+|"
        # Said without a pause a recognizer would mark: "sure thing derek lindqvist".
        r"^(?:(?:sure thing|sure|ok|okay|yes|yeah|yep|right|alright|all right|no problem|no worries|"
        r"of course|certainly|absolutely|go on then)[,!.\s]+)+(?=[^\W\d_][\w'’-]*\s+[^\W\d_])",
        re.I,
    ),
    "company": re.compile(
        r"^(?:(?:sure|ok|okay|yes|yeah|yep|so|well|um+|uh+|er+m?|oh)[,!.\s]+)*"
        # "At the moment Quantis Bio", "currently with Acme": when, before where
        r"(?:(?:at the moment|currently|right now|for now|these days|at present),?"
        r"(?:\s+(?:with|at|for|it'?s|we'?re))?|"
        r"(?:my|our|the) (?:company|business|organi[sz]ation|employer|firm|agency|startup)"
        r"(?:'s|’s| is)(?: called| named)?|(?:company|business) name(?:'s|’s| is)|"
        # "it's my own company, Hollow Oak Builders", "my own business hollow oak"
        r"(?:it'?s |it’s |it is )?(?:my|our) own (?:company|business|firm|shop|agency|practice)"
        r"(?:,|:| -| called| named|,? it'?s called)?|"
        r"company is|it's called|it’s called|it is called|we're called|we are called|"
        r"it's|it’s|it is|its|i work (?:at|for)|i'm working (?:at|for)|i am working (?:at|for)|"
        # "i'm calling from wipro", "ringing on behalf of Acme"
        r"(?:i'?m |i am |we'?re |we are )?(?:calling|ringing|phoning|writing|messaging|reaching out) "
        r"(?:from|for|on behalf of)|"
        r"work(?:ing)? (?:at|for)|we(?:'re|’re| are) (?:with|at|from)|"
        r"we are|we're|we’re|i'm (?:with|at|from)|i am (?:with|at|from)|"
        # "put down Foxglove Brewing", "just put Acme": what to write, then the name
        r"(?:just )?(?:put(?: down)?|write down)|at|with|from|for)\s+|"
        # Only a filler before the name: "uh harbour and lane insurance"
        r"^(?:(?:um+|uh+|er+m?|erm|hmm+)[,!.\s]+)+",
        re.I,
    ),
    "role": re.compile(
        r"^(?:(?:sure|ok|okay|yes|yeah|so|well|um+|uh+)[,!.\s]+)?"
        r"(?:i(?:'m| am)? (?:serve|serving|act|acting|employed|working) as|"
        r"i hold the (?:position|role|title) of|"
        r"my (?:role|title|job title|position)(?:'s|’s| is)|i am|i'm|i’m|im|i work as|"
        r"it's|it’s|it is)\s+(?:(?:a|an|the)\s+)?",
        re.I,
    ),
    "need": re.compile(r"^(?:(?:sure|ok|okay|well)[,!.\s]+)?", re.I),
}
# A title is how to address the person, not part of their name: "Dr. Amelia Hartley" is
# stored as Amelia Hartley. Only before another word: "Doc" or "Prof" alone stays a name.
_TITLE = re.compile(
    r"^(?:mr|mrs|ms|miss|mx|dr|doctor|prof|professor|fr|father|rev|revd|reverend|pastor|engr|atty)"
    r"\.?\s+(?=\w)",
    re.I,
)
# A speaker's "um" and "uh": no part of a name or a company's.
_HESITATION = re.compile(r"(?<![\w'-])(?:u+m+|u+h+m*|e+r+m*|hm+|ehm)(?![\w'-])[,.]*\s*", re.I)
# Where the company is, or which branch: "o'brien's hardware in galway", "iron forge gym,
# the one in croydon", "FitHub 24/7 - the Leeds franchise", "(registered charity)".
_WHICH_ONE = re.compile(
    r"(?:\s*[,-]?\s*the one (?:in|on|at|near|by)\b.*|"
    r"\s+(?:on|in) the (?:high|main) street\b.*|"
    r"\s+[-\u2013]\s+(?:the|our)\s+[\w' ]*?(?:franchise|branch|office|site|location|store|shop)\W*|"
    r"\s*\((?:a |the |we'?re a )?(?:registered )?(?:charity|non-?profit|ngo|cic|franchise|"
    r"trading name|[\w ]*(?:branch|office|franchise))\))$",
    re.I,
)
# "probably put Bluegum Cafe", "just say Keller Bau": how to write it down, then the name.
_PUT_DOWN_AS = re.compile(
    r"^(?:i'?d |you can |you could |just |probably |maybe )+(?:put|say|write|use|go with)\s+"
    r"(?:it as |down )?(?=\w)",
    re.I,
)
# "Sunnyvale Accounting I think is the registered name": the name, then a remark on it.
_REMARK_ON_NAME = re.compile(
    r"\s+(?:i think|i believe|is the (?:registered|official|legal))\b.*$", re.I
)
# Words people put before a corrected value ("the company is actually Acme").
_FILLER = re.compile(
    r"^(?:actually|really|now|just|rather|in fact|correctly|basically)[,\s]+", re.IGNORECASE
)
_NON_ANSWERS = frozenset(
    [
        "yes",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "no",
        "nope",
        "nah",
        "maybe",
        "idk",
        "dunno",
        "hi",
        "hello",
        "hey",
        "thanks",
    ]
)
# Words that open a sentence rather than name anything ("look, ...", "well ...").
_DISCOURSE_MARKERS = word_set(
    """
    look listen well so right honestly actually seriously basically please ok okay oh ah
    hey hi hello yeah yes no um uh er hmm wait anyway sorry
    """
)
_NON_ANSWER = re.compile(
    r"^(?:no idea|not sure|unsure|i'?m not sure|dunno|don'?t know|i don'?t know|idk|no clue|"
    r"nothing|none|n/?a|whatever|same|hmm+|um+|uh+|er+m?|\?+|\.+|-+|thanks?|thank you|"
    r"cheers|ta|thx|ty|cool|great|good|fine|alright|all good|got it|right|"
    # "Good question.", "it's complicated": a remark about the question, no answer
    r"(?:a |that'?s a |what a )?(?:good|great|fair|tricky|funny|interesting|hard|tough|odd) "
    r"(?:question|one)|(?:it'?s |that'?s )?(?:complicated|a long story|a bit complicated|"
    r"hard to say|difficult to say|tricky))[\s.!?]*$|"
    # "yeah yeah go on", "hello yeah sorry go on": someone waiting for the question
    r"^(?:(?:yeah|yes|yep|yup|ok|okay|right|sure|hello|hi|sorry|uh+|um+|mm+|aha|uh-huh)[\s,.!?]+)*"
    r"(?:go on|go ahead|carry on|continue|keep going|i'?m (?:listening|here)|yeah|yep|yup|ok|"
    r"okay|sure|uh-huh|mm+)[\s.!?]*$",
    re.IGNORECASE,
)
# Words around a name: "yeah hi mehmet speaking", "Tanaka Hiroshi desu", "marco rossi
# sorry typing on phone".
_NAME_AROUND = re.compile(
    r"^(?:(?:yeah|yes|yep|hi|hello|hey|hiya|ok|okay|um+|uh+|er+m?)[,!.\s]+)+(?=\S)|"
    r"[\s,.-]+(?:speaking|here|this side|desu|de su)\b[.!]*$",
    re.I,
)
# Hindi's "my name is ... is": "mera naam Anjali Mehta hai"
_HINDI_NAME = re.compile(
    # "mera naam X hai" ("my name is X"); not "my name is park ji hoon" (Ji-hoon)
    r"^\W*(?:(?:ji|haan|ha|hello|namaste)[,!.\s]+)*(?:mera|my)\s+(?:naam|name)\s+(?!is\b)"
    r"(?P<name>.+?)\s+(?:hai|hain)\W*$",
    re.I,
)
_SAID_THEN_IN_FULL = re.compile(
    r"^(?P<short>[^\W\d_][\w'-]*)\s+(?:here|speaking)[\s,.-]+(?P<full>[^\W\d_][\w' -]+)$", re.I
)


# "sorry typing on phone" after a name; not "sorry, I mean Diana" or "sorry John", which
# correct it.
_APOLOGY_AFTER = re.compile(
    r"[\s,.-]+(?:sorry|sry|soz|apologies)\b(?![\s,.-]*(?:(?:about|for) (?:that|this)[\s,.-]+)?(?:i mean|i meant|it'?s|its|that'?s|"
    r"make that|no\b|not\b|actually|[^\W\d_]+[\s.!]*$))[\s,.-]*(?:\w+\W+){1,}\w*\W*$",
    re.I,
)


# "my name is kavita nair i am the office manager": the name, then a sentence about the
# person begun without a stop (as a recognizer writes it).
_IS_MY_NAME = re.compile(
    r"^(?P<name>[^\W\d_][\w'’-]+(?:\s+[^\W\d_][\w'’-]+){0,3}?)\s*,?\s+(?:is|are|'s) my "
    r"(?:full |whole |good |real )?name\W*$",
    re.I,
)
_SELF_AFTER_NAME = re.compile(
    r"^(?P<name>(?:(?:my name is|my name's|name is|name's|this is|i am|i'm|im|it's|its)\s+)?"
    r"[^\W\d_][\w'’-]+(?:\s+[^\W\d_][\w'’-]+){0,2}?)\s+"
    r"(?:(?:i am|i'm|im) (?:the|a|an|his|her|their|our|in|one)|i work|i run|i do|i handle|i look after|"
    r"i manage)\b",
    re.I,
)


# "i only have one name", "(one name only)", "no surname": a note on a single name.
_ONE_NAME_NOTE = re.compile(
    r"[\s,.;:(-]+(?:(?:and |as |because |cause |since )?(?:i|we) (?:only |just )?(?:have|use|go by) "
    r"(?:just |only )?(?:the |a )?(?:one|single|1) name(?: only)?|(?:it'?s |that'?s )?(?:just |only )?"
    r"(?:one|a single|1) name(?: only)?|no (?:surname|last name|family name)(?: at all)?|"
    r"(?:i )?(?:don'?t|do not) (?:have|use) (?:a |any )?(?:surname|last name|family name))[\s.!)]*$",
    re.I,
)
# "just Wahyuni", "wahyuni, just wahyuni": one name, and that is all of it.
_JUST_THE_NAME = re.compile(
    r"(?:^|(?<=\s))(?:(?P<first>[^\W\d_][\w'’-]*)[\s,.]+)?(?:just|only|simply)\s+"
    r"(?P<name>[^\W\d_][\w'’-]*)[\s.!]*$",
    re.I,
)


def _one_name(text: str) -> str:
    said = _ONE_NAME_NOTE.sub("", text).strip() or text
    just = _JUST_THE_NAME.search(said)
    if just is not None and (
        just["first"] is None or just["first"].lower() == just["name"].lower()
    ):
        return said[: just.start()] + just["name"]
    return said


def _name_answer(text: str) -> str:
    """An answer to "what's your name?" without an apology after it ("marco rossi sorry
    typing on phone") and, said twice, in full ("priya here priya nair")."""
    text = _HESITATION.sub("", text).strip() or text
    text = _one_name(text)
    said = _APOLOGY_AFTER.sub("", _restated(_HOW_IT_IS_SPELT.sub("", text.strip()) or text.strip()))
    if (self_after := _SELF_AFTER_NAME.match(said)) is not None:
        said = self_after["name"]
    if (named_after := _IS_MY_NAME.match(said)) is not None:
        said = named_after["name"]  # "Ramesh Agarwal is my name"
    return _in_full(said) if said else text


_RESTART = re.compile(r"\b(?:no|sorry|wait|i mean|i meant|oops|actually)\b", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’-]*$")
_COMPANY_LINKS = word_set("from at with @")
_NOT_AFTER_NAME = word_set("with like as spelt spelled is and but without no not from at")
_NOT_RESTATED = word_set(
    "my your name name's names is it's its i'm im the a an and this that family last first "
    "given sur surname"
)


_RESTATED_WITHIN = 6


def _restated(said: str) -> str:
    """ "fatima fatima bello", "it's dave no david sorry david price", "jo wait sorry
    joanne mcallister": a name begun, then said again in full, is the full one (with what
    follows it, "pat pat mcgrath from mcgrath plumbing")."""
    words = said.split()
    plain = [w.strip(",.!?;:").lower() for w in words]
    # Only the name itself: "pat mcgrath from mcgrath plumbing" repeats the company's word.
    end = next((i for i, w in enumerate(plain) if w in _COMPANY_LINKS), len(words))
    # A name is said again at once; "Gabrielle Lefebvre - Gabby is fine, nobody has ever
    # called me Gabrielle except HR" tells a story about it.
    for i in range(1, min(end - 1, _RESTATED_WITHIN + 1)):
        word, following = plain[i], plain[i + 1]
        if min(len(word), len(following)) < 2 or not (
            _NAME_WORD.match(word) and _NAME_WORD.match(following)
        ):
            continue  # letters spelt out ("b e r g") are no name said again
        if following in _NOT_AFTER_NAME or word in _NOT_RESTATED:
            continue  # "Smith, Smith with an i": a note on the spelling
        if {"name", "name's", "surname"} & set(plain[i:]):
            continue  # "my first name is Sora and my last name is Han": told in parts
        if any(w.endswith((".", "!", "?")) for w in words[1:i]) and not _RESTART.search(
            " ".join(words[:i])
        ):
            continue  # "Pranav Khandelwal. Sab Pranav hi bolte hain": the name was said in full
        earlier = plain[:i]
        begun = any(len(e) >= 2 and word.startswith(e) and word != e for e in earlier)
        if word in earlier or (begun and _RESTART.search(" ".join(words[:i]))):
            return " ".join(words[i:])
    return said


def _in_full(said: str) -> str:
    """ "priya here, priya nair": a name said, then said again in full, is the full one."""
    again = _SAID_THEN_IN_FULL.match(said)
    if again and again["full"].lower().startswith(again["short"].lower()):
        return again["full"]
    return said


_TRAILING_PARTICLE = re.compile(r"(?<=\S)[\s,]+(?:po|opo|lah|leh|naman|sana|na lang)[\s.!]*$", re.I)
# Words about the exchange itself, not about the person: "just the answers please",
# "information only", "only want details of product". An answer made of these and filler
# says what the person wants from us, never their company, role or need.
_EXCHANGE_WORDS = word_set(
    """
    answer answers question questions info information informations details detail
    browsing browse looking curious enquiring inquiring enquiry inquiry asking wondering
    anonymous anon price prices pricing cost costs quote
    """
)
_EXCHANGE_FILLER = word_set(
    """
    just only the some more a few any my your of about on for please pls thanks thank you
    now for today first want wanted need needed here i i'm im am is it product service
    products services general basic quick simply merely
    """
)


def _about_the_exchange(value: str) -> bool:
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", value.lower())
    return any(w in _EXCHANGE_WORDS for w in words) and all(
        w in _EXCHANGE_WORDS or w in _EXCHANGE_FILLER for w in words
    )


_NOT_NAME_STARTS = word_set(
    """
    it's its i'm no not nope yes yeah yep sure ok okay why what who how don't dont nothing
    none idk dunno
    later maybe afterwards after tomorrow never first before
    """
)
# Words that turn up in sentences but hardly ever in a person's name.
_NOT_NAME_WORDS = word_set(
    """
    me you your yours my mine i is are am was were be been being do does did can could
    would should shall must please want wanna need needs the this that these those it it's
    to what how why who when where which not no nope yes yeah yep sure ok okay thanks thank
    thx for with from at in on by about as an a and or but if so just here hmm um uh er erm
    idk dunno we our us they them their he she his her there whatever anonymous nobody
    someone somebody anything everything something give tell know think get got have has had
    called rather prefer interested looking calling wondering trying happy glad sorry
    cheers alright cool awesome perfect lovely brilliant only ask asking asked question
    questions browsing checking curious exploring enquiring inquiring researching shopping
    wait hold before first obviously basically honestly actually really totally exactly
    certainly definitely probably seriously literally absolutely apparently frankly anyway
    anyways though however also bit lot story hopefully luckily sadly oh ah eh ooh aww
    bye goodbye byee ttyl brb nvm ugh meh lol lmao haha hehe omg gotta gonna minute moment sec
    ringing phoning texting writing messaging emailing contacting reaching enquiring surely
    over under above across all up down out off onto into upon against behind beside
    everywhere somewhere nowhere goodness gosh golly blimey crikey jeez geez yikes whoa wow
    heavens look listen some many most few several each every both either neither plenty lots
    because since cos coz cause muna naman
    that's thats what's there's here's who's you're we're they're i'll i'd i've you'll
    we'll can't won't don't doesn't isn't wasn't helpful useful roughly approximately
    aiyo aiyoh aiya aiyah alamak walao lah leh lor
    """
)
# Everyday words that are also surnames ("Dana Price", "Gone Person"): not a name only
# when written in lower case, the way a sentence has them.
_SENTENCE_WORDS = word_set(
    """
    joke weather keen fine good great demo price pricing cost costs help bot human long short
    quick
    person email e-mail phone number mobile company business role job title name again
    later now today tomorrow else thing stuff info information details see like love hate
    mind maybe day meeting starting out run running busy driving
    """
)
# Of those, the ones that are also common surnames (Dana Price, Tom Keen, Ann Love).
_SURNAME_WORDS = word_set("price keen good love fine like weather cost")
# Given names that are also common English words; capitalised, they are names ("Will Smith").
_NAME_HOMOGRAPHS = word_set("will may june april august hope grace joy faith rose bill so can")
# What a lone refusal looks like; "Skip Henderson" is a person, "skip" is not.
_REFUSAL_WORDS = word_set("skip pass private anonymous none n/a na")


def _check_name(value: str, *, answered: bool = False) -> None:
    words = value.split()
    lowered = [w.lower().strip(',.!?;:"()') for w in words]
    if not any(ch.isalpha() for ch in value) or len(words) > 6:
        raise ValueError("not_a_name")
    if "@" in value or any(ch.isdigit() for ch in value) or "?" in value:
        raise ValueError("not_a_name")
    if lowered[0] in _NOT_NAME_STARTS or (len(words) == 1 and lowered[0] in _REFUSAL_WORDS):
        raise ValueError("not_a_name")
    for index, (word, low) in enumerate(zip(words, lowered, strict=True)):
        inner = 0 < index < len(words) - 1
        if re.fullmatch(r"[A-Z]\.", word) and index < len(words) - 1:
            continue  # an initial: the A. of "W. A. D. Nimali Wickramasinghe" is no article
        if inner and low in NAME_PARTICLES:
            continue  # "María de la Cruz": a particle between names, not a word
        if word[:1].isupper() and low in _NAME_HOMOGRAPHS:
            continue
        # Asked for a name, "gwen price" is Gwen Price: a surname that is also a word
        # follows a first word that is no word of a sentence.
        surname = (
            answered
            and index > 0
            and len(words) <= 3
            and low in _SURNAME_WORDS
            and lowered[0] not in _SENTENCE_WORDS
        )
        if low in _NOT_NAME_WORDS or (
            low in _SENTENCE_WORDS and not word[:1].isupper() and not surname
        ):
            raise ValueError("not_a_name")
    if all(low in NAME_PARTICLES for low in lowered):
        raise ValueError("not_a_name")
    if all(low in _ACKNOWLEDGEMENTS for low in lowered):
        raise ValueError("not_a_name")  # "right then", "of course", "fair enough"
    if is_greeting(value) or is_job_title(value) or is_tool_or_network(value):
        raise ValueError("not_a_name")
    if len(words) == 1 and lowered[0] in _DEMONYMS:
        raise ValueError("not_a_name")  # "Sorry, I'm Welsh, I say hello in two languages"


# Where someone is from, said as "I'm ...": alone, never a name ("Jane English" still is).
_DEMONYMS = word_set(
    """
    welsh scottish scots irish english british american canadian australian aussie kiwi
    indian pakistani bangladeshi nigerian kenyan ghanaian south african german french
    spanish italian portuguese dutch belgian swiss austrian polish swedish danish
    norwegian finnish greek turkish brazilian mexican argentinian chilean colombian
    peruvian filipino filipina malaysian singaporean chinese japanese korean vietnamese
    thai indonesian egyptian moroccan lebanese emirati saudi israeli russian ukrainian
    romanian hungarian czech jamaican
    """
)


# Words that together only acknowledge the question: "right then", "of course", "go on".
_ACKNOWLEDGEMENTS = word_set(
    """
    right then of course sure thing ok okay yes yeah yep yup fine alright all fair enough go
    on no worries problem cool great good sounds certainly absolutely perfect lovely brilliant
    sweet as cheers thanks ta do here you are there it is well now so
    """
)


def name_problem(value: str, excluded: Iterable[str] = (), *, answered: bool = False) -> str | None:
    """Why `value` cannot be a person's name, or None when it can (`answered`: it is the
    whole answer to "what's your name?")."""
    try:
        _check_name(value, answered=answered)
    except ValueError as error:
        return str(error)
    if _is_bot_company(value, excluded):
        return "not_a_name"
    return None


# Words a company name never starts with: the answer is a sentence about something else.
_NOT_COMPANY_STARTS = word_set(
    """
    a an this we we're i i'm im it it's its they you your no not none nothing never just only
    based located in near around out of from at with using use used currently still
    self myself me do does did is are was can could what how why who where which when
    sorry hmm um uh dunno idk don't dont looking interested trying hoping thinking
    i'd id i'll i've ive please rather prefer nah nope naw gotta
    """
)


def company_problem(
    value: str, excluded: Iterable[str] = (), *, employer: bool = False
) -> str | None:
    """Why `value` cannot be the company the person works for, or None when it can.

    A product or social network ("HubSpot", "LinkedIn"), a place ("Melbourne"), a job
    title ("marketing manager"), the bot's own company or a sentence ("we use Excel")
    is something said around a company name, never one; unless the person named it as
    their `employer` in so many words ("I work at Salesforce").
    """
    words = key(value).split()
    if not words:
        return "empty"
    if value.lower() in _NON_ANSWERS or _NON_ANSWER.match(value) or is_greeting(value):
        return "not_an_answer"
    if "?" in value or words[0] in _NOT_COMPANY_STARTS or len(words) > 10:
        return "not_a_company"
    if (is_tool_or_network(value) and not employer) or is_place(value) or is_job_title(value):
        return "not_a_company"
    if _is_bot_company(value, excluded):
        return "not_a_company"
    if _GENERIC_BUSINESS.match(value) or _WHERE_THEY_ARE.match(value):
        return "not_a_company"
    if not employer and _SAYS_SOMETHING_ELSE.search(value):
        return "not_a_company"
    if _NOT_NAMED.search(value) or _PART_NOT_NAMED.match(value) or _DEPARTMENT.match(value):
        return "not_a_company"
    return None


# "dana from accounts": where in the company, not which company.
_DEPARTMENT = re.compile(
    r"^(?:accounts|accounting|finance|sales|marketing|hr|human resources|it|support|"
    r"customer (?:service|support|care)|admin|administration|reception|front desk|operations|ops|"
    r"legal|procurement|purchasing|head office|the office|engineering|design|payroll|billing|"
    r"dispatch|the warehouse|the shop floor|management)\W*$",
    re.I,
)


# "Under NDA at this stage", "one of the Big Four", "our biggest customer is Tesco", "my
# husband's firm is Marlow Builders": kept back, or someone else's.
_NOT_NAMED = re.compile(
    r"\b(?:nda|confidential|can(?:'?t|not) (?:say|share|tell|disclose|name)|rather not (?:say|share)|"
    r"prefer not to (?:say|share))\b|^one of (?:the|our|those)\b|"
    r"^(?:our|my|the|his|her|their)\b[^,;]*?\s(?:is|are|was)\s",
    re.I,
)
# "the finance team", "the Madrid office", "the EMEA ops team": a part, with no name.
_PART_NOT_NAMED = re.compile(
    r"^the\s+(?:[\w&-]+\s+){0,3}(?:team|office|department|dept|branch|division|side|unit|desk|"
    r"site|store|location|region)\W*$",
    re.I,
)


# "call me back please, I don't really do email": a request or an aside, not a name.
_SAYS_SOMETHING_ELSE = re.compile(
    r"\b(?:(?:call|ring|phone|text|e-?mail) me|please|pls|i (?:don'?t|do not|can'?t|won'?t|"
    r"need to|have to|want to)|can ask me|(?:when|once) (?:somebody|someone|you|they)\b)",
    re.IGNORECASE,
)


# "Dana, from home today": where they are, not who they work for ("Home Depot" is a name).
_WHERE_THEY_ARE = re.compile(
    r"^(?:home|work|the office|holiday|vacation|leave|the road|my (?:car|phone|desk|mobile|cell|"
    r"(?:lunch )?break)|abroad|overseas|outside|lunch(?: break)?|(?:my |a )?break|the (?:car|train|"
    r"bus|airport|site|van|truck|shop floor)|a (?:hotel|cafe|café|train|payphone)|(?:a )?mobile)"
    r"(?:\s+(?:today|now|right now|this week|atm|at the moment|for now))?\W*$",
    re.I,
)


# "from the dental practice", "at a small bakery", "our clinic": what kind of place, not
# its name.
_GENERIC_BUSINESS = re.compile(
    r"^(?:the|a|an|my|our|this|that)\s+(?:(?:small|little|big|local|family|dental|medical|vet|"
    r"veterinary|law|legal|accounting|accountancy|hair|beauty|nail|real estate|estate|insurance|"
    r"marketing|design|software|tech|construction|cleaning|car|auto|new|same|other|city|county|"
    r"district|borough|town|parish|village|state|regional|primary|secondary|high|public)\s+)?"
    r"(?:practice|clinic|surgery|shop|store|office|firm|agency|company|business|startup|"
    r"restaurant|cafe|café|salon|studio|school|hospital|team|place|garage|bakery|gym|hotel|"
    r"dealership|brokerage|group|organi[sz]ation|one|council|charity|church|trust|foundation|"
    r"university|college|ministry|government|hospice|library|club|nursery|academy|"
    r"non-?profit|ngo|trustees|governors|board|committee|pcc|congregation|parish)\s*[.!]*$",
    re.I,
)


def _is_bot_company(value: str, excluded: Iterable[str]) -> bool:
    core = company_core(value)
    return any(core == company_core(name) for name in (*excluded, *BOT_NAMES) if name.strip())


# --- sentences, clauses and questions ------------------------------------------------

# Stand-ins for punctuation that does not end anything: the dots of "Pvt. Ltd." and
# "J. Smith", the comma of "Acme, Inc.".
_DOT = "\ue000"
_COMMA = "\ue001"
_INITIALS = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){1,4}(?:[^\W\d_](?![\w]))?")
_ABBREVIATION = re.compile(rf"\b({'|'.join(sorted(ABBREVIATIONS, key=len, reverse=True))})\.", re.I)
_SUFFIX_START = (
    "inc|llc|l\\.l\\.c|llp|ltd|limited|plc|gmbh|corp|co|pty|pvt|s\\.a|n\\.v|b\\.v|sa|ag|bv|nv|ab|oy"
)
_SUFFIX_COMMA = re.compile(rf",(?=\s*(?:{_SUFFIX_START})\b)", re.IGNORECASE)
# Before a name, so never at a sentence's end: "Dr. Patel", "Gebr. Jansen" (brothers).
_TITLES = word_set("st dr mr mrs ms mx prof rev hon capt fr revd gebr ma sta sto wm")


def _protect(text: str) -> str:
    def abbreviation(match: re.Match[str]) -> str:
        word = match.group(1)
        following = text[match.end() :]
        next_word = re.match(r"\s+(\S+)", following)
        if word.lower() not in _TITLES and next_word is not None:
            after = next_word.group(1)
            after_key = after.lower().rstrip(".,")
            # "Acme Co. We need ..." ends a sentence; "Pvt. Ltd." and "Sp. z o.o." do not.
            if (
                after[:1].isupper()
                and after_key not in COMPANY_SUFFIXES
                # "& Zn. B.V.": a suffix written with its dots
                and after.lower().rstrip(",") not in COMPANY_SUFFIXES
                and after_key not in ABBREVIATIONS
            ):
                return match.group(0)
        return word + _DOT

    text = _SUFFIX_COMMA.sub(_COMMA, text)
    text = _ABBREVIATION.sub(abbreviation, text)
    return _INITIALS.sub(lambda m: m.group(0).replace(".", _DOT), text)


def _restore(text: str) -> str:
    return text.replace(_DOT, ".").replace(_COMMA, ",")


def _ends_with_abbreviation(text: str) -> bool:
    match = re.search(r"(\S+)\.$", text)
    if match is None:
        return False
    last = match.group(1).lower()
    return (
        last in ABBREVIATIONS
        or f"{last}." in COMPANY_SUFFIXES
        or bool(_INITIALS.fullmatch(f"{last}."))
    ) and len(text.split()) > 1


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE_SPLIT = re.compile(
    r"(\s*[,;:]\s*|\s+[-–—]\s+|\s+(?:and|but|so|also|plus|or)\s+|\s*\(\s*)", re.IGNORECASE
)
_QUESTION_OPENER = re.compile(
    r"^(?:(?:oh|ok|okay|so|and|but|also|plus|btw|anyway|just|quick question|one question|"
    r"question|hey|hi|hello|sorry|um+|uh+)[,:\s]+)*"
    r"(?:(?:who|what|whats|what's|what’s|when|where|why|how|which|whose)\b|"
    r"(?:is|are|am|do|does|did|can|could|will|would|should|may|might|has|have|was|were|"
    r"any|got|shall)\s+(?:it|you|u|ya|there|this|that|your|yours|parley|the|i|we|my|our|they|"
    r"he|she|a|an|any|anyone|someone|somebody)\b|"
    r"(?:i\s+)?(?:wonder|wondering|was wondering|am wondering|'m wondering)\b|"
    r"(?:i'?m\s+|i am\s+|just\s+)?curious\b|tell me\b|i'?d like to know|i want to know|"
    r"wanted to (?:ask|know|check)|just checking|any idea|is there|are there)",
    re.IGNORECASE,
)
# "when we're out on jobs nobody answers": a clause saying when, in a statement, asks
# nothing (a question ends with its question mark, or starts "when can/do/...").
_WHEN_CLAUSE = re.compile(
    r"^(?:when|where|whenever|while)\s+(?:we|we'?re|i|i'?m|they|they'?re|our|my|the|it|it'?s|"
    r"people|customers|clients|someone|somebody|nobody|leads|staff|everyone)\b",
    re.IGNORECASE,
)
_SELF_STATEMENT = re.compile(
    r"\b(?:my (?:full )?name|i'?m|i’m|i am|this is|i work|my company|our company|call me|"
    r"my (?:e-?mail|phone|number|role|title|job))\b",
    re.IGNORECASE,
)


def statement_text(text: str) -> str:
    """`text` without its questions to the bot, with abbreviation dots protected.

    "I'm Dana from Acme, does it work with Salesforce?" keeps "I'm Dana from Acme"; a
    sentence asking something is dropped from the first clause that asks.
    """
    kept: list[str] = []
    sentences = [s for s in _SENTENCE_END.split(_protect(text)) if s.strip()]
    for sentence in sentences:
        if (
            len(sentences) > 1
            and sentence.rstrip().endswith("?")
            and len(sentence.split()) <= 2
            and not _SELF_STATEMENT.search(sentence)
        ):
            continue  # "Na UE?" among other sentences asks, as "Dana Reyes?" alone answers
        if (statement := _sentence_statement(sentence)).strip():
            kept.append(statement)
    # A sentence keeps its end even when its question mark went: "Na UE? Because of RGPD I
    # have to ask" is no "Na UE Because" of a company "RGPD".
    return " ".join(
        part if index == len(kept) - 1 or part.rstrip()[-1:] in ".!?…" else f"{part.rstrip()}."
        for index, part in enumerate(kept)
    )


def _sentence_statement(sentence: str) -> str:
    pieces = _CLAUSE_SPLIT.split(sentence)
    kept = ""
    for index in range(0, len(pieces), 2):
        clause = pieces[index]
        separator = pieces[index - 1] if index else ""
        opener = separator.strip().lower() in ("and", "but", "so", "also", "plus", "or")
        asking = (
            _QUESTION_OPENER.match(clause.strip())
            or (opener and _QUESTION_OPENER.match(f"{separator.strip()} {clause.strip()}"))
        ) and not (
            (_WHEN_CLAUSE.match(clause.strip()) or tells_with_a_question_word(clause))
            and not sentence.rstrip().endswith("?")
        )
        if asking:
            return kept
        kept += separator + clause
    if sentence.rstrip().endswith("?") and (
        len(sentence.split()) > 2 and not _SELF_STATEMENT.search(sentence)
    ):
        return ""  # "Salesforce integration, any good?": a question, however it starts
    return kept.rstrip(" ?")


# --- names and companies out of running text ----------------------------------------

_NAME_TOKEN = re.compile(r"[^\s,;:!?()\"]+")
_NAME_STOPS = word_set(
    """
    from at with of here speaking calling and but or i i'm im i'd i'll we we're my our the a
    an looking interested keen wanting hoping trying writing reaching just based in on by
    for to is was who which that because cos coz since if when please thanks
    """
)
_COMPANY_STOPS = word_set(
    """
    we we're we'd we'll we've i i'm im i'd i'll i've our my you your they it it's is are was
    were but so in based located as where which who that doing looking need needs want wants
    would can could please thanks thank cheers hoping interested because since to near out
    on here there what how why when does do did if or about re regarding using use with
    - – —
    """
)
_COMPANY_JOINERS = word_set("of the & and de du des der für y e ve und et")
_SENTENCE_MARK = re.compile(r"[,;!?]|(?<!\ue000)\.(?=\s|$)")


def _words_after(text: str, start: int) -> list[tuple[str, int, int]]:
    """Tokens from `start` to the end of the clause: (word, start, end)."""
    tokens: list[tuple[str, int, int]] = []
    for match in _NAME_TOKEN.finditer(text, start):
        word = match.group(0)
        gap = text[tokens[-1][2] if tokens else start : match.start()]
        if tokens and _SENTENCE_MARK.search(gap):
            break
        if word.endswith(".") and not word.endswith(_DOT):
            if word[:-1]:
                tokens.append((word[:-1], match.start(), match.end() - 1))
            break
        tokens.append((word, match.start(), match.end()))
    return tokens


def _capitalised(word: str) -> bool:
    """ "Dana", "O'Neill", "d'Arcy", "3M": written the way names are."""
    return word[:1].isupper() or word[:1].isdigit() or bool(re.match(r"^\w{1,2}['’][A-Z]", word))


def _name_after(text: str, start: int, *, capitalised: bool) -> tuple[str, int] | None:
    """The name words from `start` ("Pieter van der Berg"), and where they end."""
    taken: list[tuple[str, int, int]] = []
    pending: list[tuple[str, int, int]] = []
    for word, begin, end in _words_after(text, start):
        low = word.lower()
        if low in _NAME_STOPS and not (word[:1].isupper() and low in _NAME_HOMOGRAPHS):
            break
        if taken and low in NAME_PARTICLES:
            pending.append((word, begin, end))  # kept only if a name word follows
            continue
        if capitalised and not _capitalised(word):
            break
        # Letters, with the apostrophes and hyphens of "O'Neill" and "Asante-Darko"
        if not re.match(r"^[^\W\d_](?:[^\W\d_]|['’\-\ue000])*$", word):
            break
        taken += [*pending, (word, begin, end)]
        pending = []
        if len(taken) >= 6:
            break
    if not taken:
        return None
    return text[taken[0][1] : taken[-1][2]], taken[-1][2]


def _company_after(text: str, start: int, *, capitalised: bool) -> str | None:
    """The company words from `start` to the end of its phrase ("Koala Freight Pty Ltd")."""
    taken: list[tuple[str, int, int]] = []
    pending: list[tuple[str, int, int]] = []
    words = _words_after(text, start)
    while words and _FILLER.match(words[0][0] + " "):
        words = words[1:]  # "my company is actually Initrode"
    for word, begin, end in words:
        low = _restore(word).lower().rstrip(",")
        suffix = low not in ("&", "and") and (
            low in COMPANY_SUFFIXES or low.rstrip(".") in COMPANY_SUFFIXES
        )
        if not taken:
            if low in _COMPANY_STOPS or (capitalised and not _capitalised(word)):
                return None
        elif suffix:
            taken += [*pending, (word, begin, end)]
            pending = []
            continue
        elif low in _COMPANY_JOINERS:
            pending.append((word, begin, end))
            continue
        elif low in _COMPANY_STOPS or (capitalised and not _capitalised(word)):
            break
        taken += [*pending, (word, begin, end)]
        pending = []
        if len(taken) >= 8:
            break
    if not taken:
        return None
    return text[taken[0][1] : taken[-1][2]]


_NAME_CUES: tuple[tuple[re.Pattern[str], bool], ...] = (
    # (where a name starts, whether it must be written with capitals to count)
    (
        re.compile(
            r"\b(?:my (?:full )?name(?:'s|’s| is)|the name'?s|"
            r"(?<!company )(?<!business )(?<!restaurant )(?<!shop )(?<!store )(?<!salon )"
            r"(?<!clinic )(?<!practice )(?<!agency )(?<!brand )(?<!firm )(?<!cafe )(?<!studio )"
            r"(?<!hotel )(?<!school )"
            # "the company's name is", "my wife's name is", "its name is": someone else's
            r"(?<!'s )(?<!’s )(?<!its )(?<!his )(?<!her )(?<!their )(?<!our )name is)\s*:?\s+",
            re.I,
        ),
        False,
    ),
    # "Myself Ravi Kumar" introduces Ravi in Indian English.
    (
        re.compile(
            r"\b(?i:call me|i am|i'm|i’m|im)\s+|(?:^|[,.!]\s*|\b(?i:hi+|hello|hey|namaste|morning)[,!\s]+)(?i:myself)\s+"
        ),
        True,
    ),
    (re.compile(r"\b(?i:this is)\s+"), True),
    # "hi its carl from fenwick engineering": a caller's name marked by where they are from
    (re.compile(r"\b(?i:it'?s|its)\s+(?=[^\W\d_]+\s+(?:[^\W\d_]+\s+)?(?i:from)\s)"), True),
)
_CALLING_FROM = re.compile(
    r"\b(?i:(?:i'?m|i am|i’m|we'?re|we are)\s+)?(?i:calling|ringing|phoning|writing)\s+"
    r"(?i:from|on behalf of)\s+"
    # "calling from the office of mister malhotra", "on behalf of my boss": a person's office
    r"(?!(?i:the\s+)?(?i:office|desk|team)\s+(?i:of)\b|(?i:my|our|his|her)\s)"
)
# (where a company starts, whether it must be capitalised, whether it names the employer)
_COMPANY_CUES: tuple[tuple[re.Pattern[str], bool, bool], ...] = (
    (
        re.compile(
            r"\b(?:my|our|the) (?:company|business|organi[sz]ation|employer|firm|agency|"
            r"startup|practice|brand|restaurant|shop|store|salon|clinic|cafe|café|studio|hotel|"
            r"school)(?:(?:'s|’s)(?: name is| called| named)?| is(?: called| named)?|"
            # "the practice is named after me": whom it is named for, not its name
            r" name(?:'s|’s| is)| is called| called)\s+(?!(?:named |called )?(?:after|for)\b|name\b)",
            re.I,
        ),
        False,
        True,
    ),
    (re.compile(r"\b(?:company|business) name(?:'s|’s| is)\s+", re.I), False, True),
    (
        re.compile(
            r"\bi(?:'m| am)? (?:currently |also )?(?:work|working) (?:at|for)\s+(?!a\b|an\b|myself\b)",
            re.I,
        ),
        False,
        True,
    ),
    (re.compile(r"\b(?:we're|we are|it's|it is) called\s+", re.I), False, False),
    (re.compile(r"\b(?i:i run|i own|i founded|i co-founded|i started)\s+"), True, False),
    (re.compile(r"\b(?i:i'm|i am|i’m) (?i:with|from|at)\s+"), True, False),
    (_CALLING_FROM, True, False),
)
# "our school's " with nothing after the "'s": a contraction of "is" ("my company's Acme
# Ltd") or a possessive ("our school's admissions team").
_POSSESSIVE_CUE = re.compile(r"(?:'s|’s)\s+$")
# What a company has, said after its possessive: never its name.
_ITS_PART = re.compile(
    r"(?:own|new|main|whole|entire|current|old|biggest|admissions?|team|staff|front|website|web|"
    r"site|social|phone|phones|inbox|e-?mails?|mail|leads?|crm|office|offices|reception|bookings?|"
    r"enquir\w*|inquir\w*|sales|marketing|customers?|clients?|students?|parents?|patients?|"
    r"members?|guests?|owners?|manager|head|director|board|system|software|app|data|database|"
    r"online|it|hr|finance|accounts?|support|service|services|waiting list|intake|follow[- ]?ups?)\b",
    re.I,
)
# A cue that may as well say where the person is: "calling from", "I'm from".
_FROM_WHERE = re.compile(r"\bfrom\s*$", re.I)
_INTRO_START = re.compile(
    r"(?:(?:ok|okay|so|well|right|yes|yeah|sure|sorry)[,!.\s]+)*", re.IGNORECASE
)
_COMPANY_LINK = re.compile(r"\s*(?:,\s*)?(?:from|at|with|of|@)\s+", re.IGNORECASE)
_HERE = re.compile(r"\s*,?\s*(?:here|speaking|calling|this side)\b", re.IGNORECASE)
_ROLE_LINK = re.compile(r"\s+(?:at|for|of|with|@)\s+", re.IGNORECASE)


def _without_capitals(text: str) -> bool:
    """Written all in lower case, as a speech recognizer writes a caller's words: capitals
    cannot mark where a name starts and ends."""
    return not any(ch.isupper() for ch in text)


def _part_of_it(text: str, start: int, lowered: bool) -> bool:
    """Whether the words after a possessive cue are something the company has: a word
    of that kind, or (where the person writes capitals) a word without one."""
    rest = text[start:]
    return bool(_ITS_PART.match(rest)) or (not lowered and rest[:1].islower())


def _find_statements(
    text: str, requested: LeadField | None, excluded: tuple[str, ...], found: dict[LeadField, str]
) -> None:
    """Details the person states outright, in their own sentence structure."""
    _find_names(text, requested, excluded, found)
    lowered = _without_capitals(text)
    for cue, capitalised, employer in _COMPANY_CUES:
        for match in cue.finditer(text):
            if _POSSESSIVE_CUE.search(match.group()) and _part_of_it(text, match.end(), lowered):
                continue  # "our school's admissions team": the school's, not its name
            # All in lower case (a recognizer's transcript), capitals cannot mark the name
            # after "calling from"; after "I'm with" they must ("i'm with family").
            loose = lowered and cue is _CALLING_FROM
            company = _company_after(text, match.end(), capitalised=capitalised and not loose)
            if company and _FROM_WHERE.search(match.group()) and len(company.split()) == 1:
                # "calling from Surabaya", "I'm from Nagoya": a city as often as a company,
                # and no list holds every city. Asked for rather than guessed.
                continue
            _offer_company(company, excluded, found, employer=employer)
    _find_role_at_company(text, excluded, found)
    _find_role(text, found)
    need = _NEED.search(text)
    if need is not None:
        _offer(found, "need", need.group("v"))


def _find_names(
    text: str, requested: LeadField | None, excluded: tuple[str, ...], found: dict[LeadField, str]
) -> None:
    if requested == "name":
        return  # the answer itself is read as a name, nickname cues and all
    lowered = _without_capitals(text)
    for index, (cue, capitalised) in enumerate(_NAME_CUES):
        if index == 2 and requested == "company":
            continue  # "this is Acme Widgets" answers the company question
        if index == 1 and requested == "role":
            continue  # "I am DGM of merchandising": the role asked for, not a name
        for match in cue.finditer(text):
            if _introduction(text, match.end(), capitalised, excluded, found):
                return
            if (
                capitalised
                and lowered
                and _introduction(text, match.end(), False, excluded, found, marked=True)
            ):
                # "this is bobby tran from tran roofing", as a recognizer writes it: no
                # capitals anywhere, so a name counts when "from ..." or "here" marks it.
                return
    if requested in (None, "email", "phone"):
        # "Kwame Mensah here, ...", "Dana Reyes from Acme, ...": an introduction first thing.
        opening = GREETING_LEAD.match(text)
        start = _INTRO_START.match(text, opening.end() if opening else 0)
        if start is not None:
            _introduction(text, start.end(), True, excluded, found, marked=True)


def _introduction(
    text: str,
    start: int,
    capitalised: bool,
    excluded: tuple[str, ...],
    found: dict[LeadField, str],
    *,
    marked: bool = False,
) -> bool:
    """A name from `start`, and the company it comes "from"; `marked`: only with "here" or
    "from ..." after it, the way people introduce themselves without "I'm"."""
    read = _name_after(text, start, capitalised=capitalised)
    if read is None:
        return False
    name, end = read
    here = _HERE.match(text, end)
    link = _COMPANY_LINK.match(text, here.end() if here else end)
    if marked and here is None and link is None:
        return False
    value = _restore(name)
    if name_problem(value, excluded) is not None:
        return False
    found.setdefault("name", value)
    if link is not None:
        # Written all in lower case (as a recognizer writes a caller's words), a name
        # read after "this is" takes the company after "from" without capitals too.
        company = _company_after(text, link.end(), capitalised=not _without_capitals(text))
        _offer_company(company, excluded, found)
    return True


def _find_role_at_company(
    text: str, excluded: tuple[str, ...], found: dict[LeadField, str]
) -> None:
    """ "CTO at Lumen Labs", "I'm head of growth at Acme": a title, then the employer."""
    for link in _ROLE_LINK.finditer(text):
        if _inside_title(text, link):
            continue  # "head of marketing at ...": the "of" is inside the title
        before = re.split(r"[,;:!?]|(?<!\ue000)\.\s", text[: link.start()])[-1]
        words = before.split()
        for size in range(min(6, len(words)), 0, -1):
            role = " ".join(words[-size:])
            role = re.sub(r"^(?:i'm|i’m|i am|im|as|and|our|my)\s+", "", role, flags=re.I)
            role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
            if not is_job_title(_restore(role)):
                continue
            company = _company_after(text, link.end(), capitalised=True)
            if company and company_problem(_restore(company), excluded) is None:
                _offer(found, "role", role)
                _offer_company(company, excluded, found)
                return
            break


def _inside_title(text: str, link: re.Match[str]) -> bool:
    following = text[link.end() :].split(maxsplit=1)
    if bool(following) and key(following[0]) in JOB_MODIFIERS | JOB_TITLES:
        return True
    # "Head of Audience Development", "Director of Partnerships": after such a word "of"
    # goes on with the title, whatever the department is called.
    preceding = text[: link.start()].split()
    return (
        link.group().strip().lower() == "of"
        and bool(preceding)
        and preceding[-1].lower() in _TITLE_HEADS
    )


_ROLE_STATEMENTS = (
    re.compile(
        r"\bmy (?:role|title|job title|job|position)(?:'s|’s| is)\s+(?P<v>.+?)"
        r"(?=\s+(?:at|from|with|for)\s+(?-i:[A-Z])|\s*(?:[,;!?]|\.(?:\s|$)|\band\b|\bbut\b|$))",
        re.I,
    ),
    re.compile(
        r"\bi(?: am|'m|’m| work as)\s+(?:the |a |an )(?P<v>.+?)"
        r"(?=\s+(?:at|from|of|with|for|in)\s+(?-i:[A-Z])|\s*(?:[,;!?]|\.(?:\s|$)|\band\b|\bbut\b|$))",
        re.I,
    ),
    re.compile(
        r"\bi(?: am|'m|’m| work as)\s+(?P<v>(?:[\w&/-]+\s+){0,4}?[\w&/-]+)"
        r"(?=\s+(?:at|from|of|with|for|in)\s+|\s*(?:[,;!?]|\.(?:\s|$)|\band\b|\bbut\b|$))",
        re.I,
    ),
)


# Titles that go on with "of": "the Head of Business Development", "VP of Sales".
_TITLE_HEADS = frozenset(
    {"head", "vp", "svp", "evp", "avp", "director", "chief", "president", "manager", "lead",
     "officer", "dean", "principal", "chair"}
)  # fmt: skip
_OF_TITLE = re.compile(
    r"\s+of\s+(?P<rest>[\w&/-]+(?:\s+(?!(?:at|from|with|for|in|and|but)\b)[\w&/-]+){0,3})",
    re.I,
)


def _whole_title(text: str, match: re.Match[str]) -> str:
    """The role a statement names, with its "of ..." when the title goes on with one."""
    value = match.group("v")
    if value.split() and value.split()[-1].lower() in _TITLE_HEADS:
        more = _OF_TITLE.match(text, match.end("v"))
        if more is not None:
            value = f"{value} of {more.group('rest')}"
    return value


def _find_role(text: str, found: dict[LeadField, str]) -> None:
    if "role" in found:
        return
    for index, pattern in enumerate(_ROLE_STATEMENTS):
        for match in pattern.finditer(text):
            value = _restore(_whole_title(text, match))
            if index == 2 and not is_job_title(value):
                continue  # "I'm Dana": without an article only a real title is a role
            if index == 1 and (_looks_like_description(value) or not mentions_job_title(value)):
                continue  # "I'm a bit lost", "I'm the one asking": no job in it
            _offer(found, "role", value)
            if "role" in found:
                return


def _looks_like_description(value: str) -> bool:
    """ "a small bakery", "a bit confused": words after "I'm a" that are no job."""
    return not any(ch.isalpha() for ch in value) or key(value).split()[0] in (
        "bit",
        "little",
        "small",
        "big",
        "large",
        "new",
        "returning",
        "existing",
        "current",
        "potential",
        "customer",
        "client",
        "user",
    )


_NEED = re.compile(
    # A stated problem, not a request to the bot ("I want a demo" is not a need).
    r"(?P<v>\b(?:we|i)(?:'re| are|'m| am)? (?:trying to|struggling|need to(?! (?:run|go|dash|leave|head|hop|fly|think|sleep|check|ask|talk|discuss|speak|consult|confer|consider|mull|get back|run it|go away|be going|know (?:where|what|how|who|whether|if|which|why|when))\b)|want to (?:solve|fix|improve|automate|reduce|increase|grow|stop|get better)|looking to (?:solve|fix|improve|automate|reduce|increase|grow))\b.+)",
    re.I,
)


def _offer(found: dict[LeadField, str], field_name: LeadField, raw: str) -> None:
    if field_name in found:
        return
    try:
        found[field_name] = clean_free_text(field_name, _restore(raw))
    except ValueError:
        return


def _offer_company(
    raw: str | None,
    excluded: tuple[str, ...],
    found: dict[LeadField, str],
    *,
    employer: bool = False,
) -> None:
    if raw is None or "company" in found:
        return
    value = _restore(raw)
    if company_problem(value, excluded, employer=employer) is None:
        _offer(found, "company", value)


# --- answers to the question asked ---------------------------------------------------

_NAME_TAIL = re.compile(
    r"(?:[\s,!.]+(?:here|speaking|thanks|thank you|cheers|ta|thx|please|pls|mate|btw|"
    r"by the way|x+|:\)|:-\)))+[\s!.]*$",
    re.IGNORECASE,
)
_NAME_CUT = re.compile(
    # "watanabe kenji, watanabe is the family name": a note on the name, not part of it
    r"[\s,;(]+(?:\w+\s+)?(?:is|being)\s+(?:the|my)\s+(?:family|last|sur|given|first)\s*name\b.*$|"
    r"[\s,;(]+(?:(?:the|my)\s+)?(?:family|last|sur)\s*name\s+(?:first|comes first|is first)\b.*$|"
    # "so" opens a clause, not the So of "Kim So Yeon"
    r"\s+(?:and|but|so(?=\s+(?:i|we|you|it|that|the|my|please|yeah|yes|basically|anyway|um|uh)\b)|"
    r"here|speaking|calling|this side|thanks|thank you|cheers|btw|by the way)\b.*$|"
    r"\s+[-–—]\s+.*$",
    re.IGNORECASE,
)


# "Md. Rafiqul Islam", "Mohd. Aziz", "St. John": a short form inside the name, no end.
_NAME_PARTS = re.compile(
    r",|(?<=\w{2})(?<!\bMd)(?<!\bmd)(?<!\bMD)(?<!\bMohd)(?<!\bMuhd)(?<!\bSt)(?<!\bSk)(?<!\bMa)(?<!\bma)(?<!\bSta)(?<!\bSto)(?<!\bWm)\.\s+|[!?]\s*"
)


# "Kind regards, Oluwaseun Adeyemi | Senior Manager", "Sorry, should've introduced myself:
# Caroline Dubois", "you're speaking with laura bianchi", "Arjun Venkataraman (Arjun is
# fine)": the name inside what is said around it.
_SIGN_OFF = re.compile(
    r"^\W*(?:(?:(?:kind|best|warm(?:est)?|many)\s+)?regards|best wishes|cheers|thanks|sincerely|"
    r"yours(?: sincerely| truly)?)\s*,\s*",
    re.I,
)
_SPEAKING_WITH = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\W+)?(?:you'?re|you are)\s+(?:speaking|talking|chatting)\s+(?:with|to)\s+",
    re.I,
)
_REMARK_IN_BRACKETS = re.compile(r"\s*\([^)]*\)?\s*$")
# A clause of its own after the name, as a recognizer writes it without a stop.
_STORY_AFTER_NAME = re.compile(
    r"\s+(?:there(?:'s| is| are)|i'?m|i am|we'?re|we are|because|but|and i(?:'m| am)?|"
    # "it's wade lindqvist now can i get a person": a request after the name
    r"(?:now |so |and )?(?:can|could|may|will) (?:i|you|we)|now (?:please|put|get|connect|transfer))\s+",
    re.I,
)
# "jaspal bhogal jas is fine": the short name they go by, after the name.
_SHORT_NAME_IS_FINE = re.compile(
    r"(?<=\w)[\s,;.-]+(?:but\s+)?[^\W\d_][\w'’-]*\s+(?:is|'s)\s+(?:fine|ok|okay|good|great|grand)\b.*$",
    re.I,
)
# "k for kilo a r t h i k", "b as in bravo": a letter said with a word for it.
_PHONETIC_LETTER = re.compile(r"\b([a-z])\s+(?:for|as in|like)\s+[a-z]{3,}\b", re.I)
_STARRED = re.compile(r"\s*\*([^\W\d_][\w'’-]*)")


def _starred_corrections(answer: str) -> str:
    """ "Also Urquhart... *Ailsa": a word typed again after a star puts right the word like it
    (the way a typo is corrected in a chat)."""
    starred = _STARRED.findall(answer)
    if not starred:
        return answer
    answer = _STARRED.sub("", answer)
    for word in starred:
        words = re.findall(r"[^\W\d_][\w'’-]*", answer)
        if like := respellings(words, word, 0.5):
            answer = re.sub(rf"\b{re.escape(like[0])}\b", word, answer, count=1)
    return answer


# "renee gutierrez renee with two e's at the end my mom was very particular": how a word of
# the name is written, and whatever is said after that.
_LETTER_NOTE = re.compile(
    r"[\s,]+(?:(?P<word>[^\W\d_][\w'-]*)[\s,]+)?with\s+(?:two|three|double|a double|one|just one|"
    r"only one|an?|the)\s+[a-z](?:'?s)?(?=[\s,.!]|$)(?:\s+(?:at the (?:end|start|beginning)|"
    r"in the middle|not (?:one|an?|two)\s+[a-z]'?s?))?(?!\s*(?:[a-z]\b[\s,.-]*){2,}).*$",
    re.I,
)


def _without_letter_note(answer: str) -> str:
    note = _LETTER_NOTE.search(answer)
    if note is None:
        return answer
    head = answer[: note.start()]
    word = note["word"]
    if word and word.lower() not in {w.lower() for w in re.findall(r"[\w'-]+", head)}:
        head = answer[: note.start("word") + len(word)]  # "Zoe with an e": Zoe is the name
    return head if re.search(r"[^\W\d_]{2}", head) else answer


# "chinedu okafor my people call me cn but chinedu okafor is the full name": what others
# call them, after the name said.
_NICKNAME_AFTER = re.compile(
    r"(?<=\w)[\s,;.-]+(?:but\s+|and\s+|though\s+)?(?:my (?:people|friends|family|colleagues|staff|team|"
    r"mates|customers)|people|everyone|everybody|friends|they|most people|folks)\s+(?:all\s+)?"
    r"(?:call|calls|know) me\b.*$",
    re.I,
)
_TITLE_AFTER_NAME = re.compile(
    r"\s+(?:head|director|manager|vp|vice president|chief \w+ officer)\s+(?:of|for)\b.*$", re.I
)
# "doesn't matter", "does it matter?": no name given.
_NAME_NOT_GIVEN = re.compile(
    r"^\W*(?:it\s+)?(?:doesn'?t|does not|don'?t)\s+matter\b|^\W*does (?:it|that) matter\b|"
    r"^\W*not important\b",
    re.I,
)


# "karthikeyan ramasubramanian shall i spell the surname r a m a ...": the name, then an
# offer to spell it.
_OFFER_TO_SPELL = re.compile(
    r"\s*[,.]?\s*\b(?:shall|should|can|do you want me to|want me to|let me|i'?ll|i will|i can)\s+"
    r"(?:i\s+)?spell\b.*$",
    re.I,
)
# "nerea it to ralde i spell n e r e a ...", "let me spell it f u n m i ...": the offer
# made good at once. The letters stay, introduced as a spelling.
_SPELLING_FOLLOWS = re.compile(
    r"[\s,.]*\b(?:(?:shall|should|can|do you want me to|want me to|let me|i'?ll|i will|i can)"
    r"\s+(?:i\s+)?|i\s+)spell\b(?:\s+(?:it|that|them|(?:the|my)\s+(?:\w+\s+)?name))?"
    r"(?:\s+(?:out|for you))?\s*[?:,.]?(?=[\s,.:-]*(?:[a-z]\b[\s,.-]*){3,})",
    re.I,
)
# "guadalupe samora with a z": a note on one letter, which the spelling after it gives.
_WITH_A_LETTER = re.compile(r"[\s,]+with\s+an?\s+[a-z]\b(?=[\s,.:-]*(?:[a-z]\b[\s,.-]*){3,})", re.I)


# "pieter van den broek that's van den as two small words and broek b r o e k": how the
# name is written, said after it.
_HOW_IT_IS_SPELT = re.compile(
    r"[\s,]+(?:that'?s|thats|that is|it'?s spelt|spelt|spelled)\s+"
    # a note on words and letters, not the letters alone ("that's s i o b h a n" respells)
    r"(?=.*\b(?:as|then|separate|words?|small|capital|lower ?case)\b)(?=.*\b(?:[a-z]\s){2,}[a-z]\b).*$",
    re.I,
)


# "Martina. Echeverría is the surname, with the accent": the given name, then the surname
# named as such.
_SURNAME_AFTER = re.compile(
    r"^\W*(?P<first>[^\W\d_][\w'’-]*)[.,;:!]?\s+(?P<last>[^\W\d_][\w'’-]*)\s+is\s+(?:the|my|our)\s+"
    r"(?:surname|last name|family name)\b",
    re.I,
)


def _name_in_the_answer(text: str) -> str:
    if (surname := _SURNAME_AFTER.match(text)) is not None:
        return f"{surname['first']} {surname['last']}"
    answer = _SPEAKING_WITH.sub("", _SIGN_OFF.sub("", text.split("|")[0]))
    answer = _WITH_A_LETTER.sub("", _SPELLING_FOLLOWS.sub(" spelling ", answer))
    answer = _OFFER_TO_SPELL.sub("", answer) or answer
    answer = _HOW_IT_IS_SPELT.sub("", answer) or answer
    after = answer.rsplit(":", 1)[-1]
    if ":" in answer and len(after.split()) in range(1, 9) and re.search(r"[^\W\d_]{2}", after):
        answer = after
    answer = _REMARK_IN_BRACKETS.sub("", answer) or answer
    answer = _NICKNAME_AFTER.sub("", answer) or answer
    answer = _SHORT_NAME_IS_FINE.sub("", answer) or answer
    answer = _starred_corrections(answer)
    answer = _PHONETIC_LETTER.sub(r"\1", answer)
    answer = _without_letter_note(answer)
    head = _STORY_AFTER_NAME.split(answer, maxsplit=1)[0]
    if head != answer and re.search(r"[^\W\d_]{2}", head):
        answer = head  # "mairead o'sullivan there's about nine hundred o'sullivans here"
    return _TITLE_AFTER_NAME.sub("", answer) or answer


def _read_name_answer(
    text: str, excluded: tuple[str, ...]
) -> tuple[str | None, str | None, str | None]:
    """A reply to "what's your name?": (name, the company it came with, problem).

    "it's JP, Jean-Pierre Tremblay" gives the full name; "Dana Reyes from Acme" a name
    and a company; "hii there" or "🙂" nothing.
    """
    if _NAME_NOT_GIVEN.match(text):
        return None, None, "not_an_answer"
    named = _name_in_the_answer(_LIKE_SOMEONE_FAMOUS.sub("", text))
    answer, spelt, runs = _spelling(strip_symbols(_GENERATION.sub(_generation, named)))
    opening = GREETING_LEAD.match(answer)
    if opening is not None and answer[opening.end() :].strip():
        answer = answer[opening.end() :]  # "hi there, it's Dana"
    problem: str | None = None
    chosen: tuple[str, str | None] | None = None
    parts = [_restore(part) for part in _NAME_PARTS.split(answer)]
    whole = len(parts) == 1
    said_company: str | None = None
    for name, company in (_bare_name(part) for part in parts):
        said_company = said_company or company  # "Dr. Ada Obi, from Lagos Health Partners"
        if not name:
            continue
        # The letters are what the person meant: a recognizer's "chuck we make a" for
        # Chukwuemeka is no name until they take its place.
        name = _name_of_runs(name, runs) or _respelt(name, spelt)
        name = _without_the_word_spelt_first(name, runs)
        found = name_problem(name, excluded, answered=whole)
        if found is not None:
            problem = problem or found
        elif chosen is None or _fuller(name, chosen[0]):
            chosen = (name, company or (chosen[1] if chosen else None))
    if chosen is None:
        return None, None, problem or "not_a_name"
    try:
        return clean_free_text("name", chosen[0], answered=whole), chosen[1] or said_company, None
    except ValueError as error:
        return None, None, str(error)


def _without_the_word_spelt_first(name: str, spelt_words: list[str]) -> str:
    """ "the surname is byrne b y r n e padraig byrne": the word spelt, then the whole name
    that ends with it, is that name, not the word said twice."""
    words = name.split()
    first = words[0].lower() if words else ""
    if len(words) >= 3 and first == words[-1].lower() and first in (w.lower() for w in spelt_words):
        return " ".join(words[1:])
    return name


# "my family name is han, h a n, and my given name is sora": a name told in its parts, in
# the order the person gives them.
_PART = r"(?:family|last|sur|given|first|christian)\s*name"
_NAME_IN_PARTS = re.compile(
    rf"\b(?:my\s+)?{_PART}(?:'s|’s|\s+is|\s*:)?\s+(?P<first>[^\W\d_][\w'’-]*)"
    r"(?:[\s,]+(?:spelt|spelled|that'?s)?[\s,]*(?:[a-z][\s,-]+){1,}[a-z]\b)?[\s,;]*"
    rf"(?:and\s+)?(?:my\s+)?(?:the\s+)?{_PART}(?:'s|’s|\s+is|\s*:)?\s+(?P<second>[^\W\d_][\w'’-]*)",
    re.IGNORECASE,
)


def _name_in_parts(text: str) -> str | None:
    found = _NAME_IN_PARTS.search(text)
    if found is None:
        return None
    try:
        return clean_free_text("name", f"{found['first']} {found['second']}", answered=True)
    except ValueError:
        return None


def _bare_name(part: str) -> tuple[str, str | None]:
    part = _NAME_TAIL.sub("", part.strip())
    for _ in range(2):
        part = _LEAD_INS["name"].sub("", part.strip())
    part = _NAME_CUT.sub("", part).strip(" .!;:")
    company: str | None = None
    link = re.search(r"\s+(?:from|at|with|of|@)\s+|^from\s+", part, re.IGNORECASE)
    if link is not None:
        company = part[link.end() :].strip(" .!;:") or None
        part = part[: link.start()]
    return part.strip(" .!;:"), company


# "it's shivon kelly, that's s i o b h a n": a recognizer's guess, then the letters.
# A run of three or more letters said one by one inside an answer ("chukwuemeka c h u k w
# u e m e k a obi o b i"), with the words that introduce it ("that's", "ximena is").
_SPELT_RUN = re.compile(
    r"(?:[\s,.;-]+(?:(?:that'?s|thats|that is|spelled|spelt|spelling|and then|then|and)\s+)*"
    r"(?:(?P<word>[^\W\d_][\w'’-]*)\s+is\s+)?)?"
    r"(?P<letters>(?<![\w'’])(?:[a-z]\b[\s,.-]*){3,})",
    re.IGNORECASE,
)


# "d w a y n e like the wrestler": whom the spelling is like, after the letters.
_LIKE_SOMEONE_FAMOUS = re.compile(
    r"(?<=\b[a-z])\s+(?:like|as in)\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+)?\W*$", re.I
)
# "bartholomew ashcombe the fourth": Bartholomew Ashcombe IV.
_GENERATION = re.compile(
    r"(?<=[^\W\d_])\s+the\s+(second|third|fourth|fifth|2nd|3rd|4th|5th)\b", re.I
)
_NUMERALS = {"second": "II", "third": "III", "fourth": "IV", "fifth": "V"}
_NUMERALS |= {"2nd": "II", "3rd": "III", "4th": "IV", "5th": "V"}


def _generation(match: re.Match[str]) -> str:
    return " " + _NUMERALS[match.group(1).lower()]


_SPACED_INITIALS = re.compile(r"(?:[A-Z]\.\s*)+")


def _spelling(answer: str) -> tuple[str, list[str], list[str]]:
    """The answer without the spellings said in it, the words spelt that change a word
    said (a spelling of a word said just before it, "obi o b i", changes nothing), and
    every word spelt, in order."""
    spelt: list[str] = []
    runs: list[str] = []
    kept: list[str] = []
    put_right: tuple[str, str] | None = None
    done = 0
    for run in _SPELT_RUN.finditer(answer):
        if not run["word"] and _SPACED_INITIALS.fullmatch(run["letters"].strip()):
            continue  # "W. A. D. Nimali Wickramasinghe": initials, not a word spelt
        letters = "".join(ch for ch in run["letters"] if ch.isalpha())
        runs.append(letters)
        before = answer[done : run.start()]
        kept.append(before)
        done = run.end()
        said_words = re.findall(r"[^\W\d_][\w'’-]*", before)
        if said_words and said_words[-1].lower() == letters.lower():
            told = re.findall(r"[^\W\d_][\w'’-]*", " ".join(kept[:-1]) + " " + before)[:-1]
            if letters.lower() in (w.lower() for w in told):
                # "eilidh macrae that's e i l i d h macrae m a c r a e": said again to spell
                kept[-1] = before[: before.lower().rfind(letters.lower())]
            elif (first_try := _first_try(told, letters)) is not None:
                put_right = (first_try, letters)
        if run["word"] or (said_words and said_words[-1].lower() == letters.lower()):
            # "ximena is x i m e n a", "obi o b i": the word was said; keep it as spelt.
            if run["word"] and run["word"].lower() != letters.lower():
                spelt.append(letters)
            continue
        spelt.append(letters)
    kept.append(answer[done:])
    said = " ".join(" ".join(kept).split())
    if put_right is not None and len(runs) == 1:
        # "frazer lindsay fraser with an s f r a s e r": said again and spelt, put right
        # (with two words spelt, each takes its own place: see _name_of_runs)
        first_try, letters = put_right
        said = said[: said.lower().rfind(letters.lower())].strip()
        said = re.sub(rf"\b{re.escape(first_try)}\b", letters, said, count=1)
    return said, spelt, runs


def _first_try(told: list[str], letters: str) -> str | None:
    """The word said earlier that a word said again and spelt puts right."""
    return next(iter(respellings(told, letters, 0.75)), None)


def respellings(words: Iterable[str], typed: str, least: float) -> list[str]:
    """The words `typed` can put right: another word, with the same first letter and at
    least `least` alike ("Enegry" for Energy, "Nacimento" for Nascimento)."""
    return [
        word
        for word in words
        if word.lower() != typed.lower()
        and word[:1].lower() == typed[:1].lower()
        and _alike(word, typed) >= least
    ]


def _alike(said: str, letters: str) -> float:
    return SequenceMatcher(None, said.lower(), letters.lower()).ratio()


def _matched(said: str, letters: str) -> int:
    """How many letters the words said have in common with the letters, in order, less
    the letters said and not spelt and the letters spelt and not said: a longer span gains
    only by the letters it matches."""
    said, letters = said.lower(), letters.lower()
    common = [0] * (len(letters) + 1)  # the longest common subsequence, row by row
    for char in said:
        diagonal = 0
        for j, spelt in enumerate(letters, 1):
            diagonal, common[j] = (
                common[j],
                (diagonal + 1 if char == spelt else max(common[j], common[j - 1])),
            )
    return 3 * common[-1] - len(said) - len(letters)


def _closest_span(
    words: list[str], letters: str, *, letters_only: bool = False
) -> tuple[int, int] | None:
    """The one to three words in a row a recognizer most likely heard for the letters
    spelt after them ("drew necks" for d r e w n e x); with `letters_only`, no span with a
    digit or a sign in it."""
    spans = [
        (start, end)
        for start in range(len(words))
        for end in range(start + 1, min(start + 3, len(words)) + 1)
        if not letters_only or "".join(words[start:end]).isalpha()
    ]
    if not spans:
        return None
    return max(spans, key=lambda span: _matched("".join(words[span[0] : span[1]]), letters))


# Letters a recognizer hears for each other at the start of a word ("voychick", Wojcik).
_SOUND_ALIKE = ("vwf", "ckq", "szcx", "jgy", "iye", "dt", "bp", "mn")


def _starts_alike(said: str, letters: str) -> bool:
    first, spelt = said[:1].lower(), letters[:1].lower()
    return first == spelt or any(first in group and spelt in group for group in _SOUND_ALIKE)


def _name_of_runs(name: str, runs: list[str]) -> str | None:
    """The name when two or more of its words were spelt ("queeva fahey that's c a o i m h
    e and fahey is f a h y"): each spelling takes the place of the words it spells, in
    order, and what was said before them as a first try ("kasha novak well katarzyna
    k a t a r z y n a nowak n o w a k") goes. Words said and not spelt stay."""
    if len(runs) < 2:
        return None
    words = name.split()
    if len(runs) > len(words):
        return " ".join(_as_written(letters, words[0] if words else "") for letters in runs)
    spans = _aligned(words, runs)
    first = spans[0][0]
    first_try = any(_alike(word, letters) >= 0.6 for word in words[:first] for letters in runs)
    out: list[str] = [] if first_try else words[:first]
    done = first
    for (start, end), letters in zip(spans, runs, strict=True):
        between = words[done:start]
        if _matched("".join(between), letters) <= 0:
            out += between  # not a first try at the word spelt next ("ad a yemi")
        out.append(_as_written(letters, words[start]))
        done = end
    return " ".join(out + words[done:])


def _aligned(words: list[str], runs: list[str]) -> list[tuple[int, int]]:
    """The span of words each spelling stands for, in order, closest in letters overall."""
    widest = 4
    best: dict[tuple[int, int], tuple[int, list[tuple[int, int]]]] = {(0, 0): (0, [])}
    for end in range(1, len(words) + 1):
        for done in range(len(runs) + 1):
            options = []
            if (end - 1, done) in best:
                options.append(best[end - 1, done])  # a word said and not spelt
            for width in range(1, min(widest, end) + 1):
                start = end - width
                if done and (start, done - 1) in best:
                    score, spans = best[start, done - 1]
                    said = "".join(words[start:end])
                    gain = _matched(said, runs[done - 1])
                    options.append((score + gain, [*spans, (start, end)]))
            if options:
                best[end, done] = max(options, key=lambda option: option[0])
    return best[len(words), len(runs)][1]


def _as_written(letters: str, said: str) -> str:
    return letters.capitalize() if said[:1].isupper() else letters.lower()


def _respelt(name: str, spelt: list[str]) -> str:
    """The name with each word a spelling is for written as spelt: the words closest in
    letters, sharing its first letter if any do (a recognizer's "shivon" for Siobhan, its
    "octa berg" for Achterberg). A spelling of the whole name said in two or more words
    ("ian renny that's i a i n r e n n i e") is cut where the words were."""
    for letters in spelt:
        if letters.lower() not in name.lower().split():
            name = _respelt_one(name, letters)
    return name


def _respelt_one(name: str, letters: str) -> str:
    words = name.split()
    if not words:
        return letters

    def closeness(span: tuple[int, int]) -> float:
        said = "".join(words[span[0] : span[1]])
        return _alike(said, letters) + (0.25 if said[:1].lower() == letters[:1].lower() else 0)

    spans = [(i, j) for i in range(len(words)) for j in range(i + 1, min(i + 4, len(words)) + 1)]
    start, end = max(spans, key=closeness)
    if (start, end) == (0, len(words)) and len(words) > 1:
        written = [_as_written(piece, words[0]) for piece in _cut_like(words, letters)]
    else:
        written = [_as_written(letters, words[start])]
    return " ".join([*words[:start], *written, *words[end:]])


def _cut_like(words: list[str], letters: str) -> list[str]:
    """The letters cut into the words they were said as: short words ("it to ralde")
    belong to the word after them, and each cut is where the letters match best."""
    groups: list[str] = []
    pending = ""
    for word in words:
        pending += word
        if len(word) > 2:
            groups.append(pending)
            pending = ""
    if pending:
        groups = [*groups[:-1], groups[-1] + pending] if groups else [pending]
    if len(groups) < 2 or len(groups) > 3 or len(letters) < 2 * len(groups):
        return [letters]
    cuts = [
        cut
        for cut in _cut_points(len(letters), len(groups))
        if all(len(piece) >= 2 for piece in _pieces(letters, cut))
    ]
    if not cuts:
        return [letters]

    def fit(cut: tuple[int, ...]) -> int:
        pieces = _pieces(letters, cut)
        return sum(
            _matched(group, piece) + (2 if _starts_alike(group, piece) else 0)
            for group, piece in zip(groups, pieces, strict=True)
        )

    best = max(cuts, key=fit)
    return _pieces(letters, best)


def _pieces(letters: str, cut: tuple[int, ...]) -> list[str]:
    return [letters[a:b] for a, b in zip((0, *cut), (*cut, len(letters)), strict=True)]


def _cut_points(length: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 2:
        return [(i,) for i in range(1, length)]
    return [(i, j) for i in range(1, length) for j in range(i + 1, length)]


def _fuller(longer: str, shorter: str) -> bool:
    """ "Jean-Pierre Tremblay" is a fuller "JP"; "Dana Reyes" a fuller "Dana"."""
    long_words, short_words = longer.split(), shorter.split()
    if len(long_words) <= len(short_words):
        return False
    initials = "".join(piece[:1] for piece in re.split(r"[\s\-]+", longer) if piece).lower()
    compact = shorter.replace(".", "").replace(" ", "")
    return (
        long_words[0].lower().startswith(short_words[0].lower())
        or longer.lower().endswith(shorter.lower())
        or (compact.isupper() and initials.startswith(compact.lower()))
    )


# A new clause after the answer, as speech writes it without punctuation: "delgado
# roofing we're out in mesa", "owner i do pretty much everything". Lower case only, and
# never at the start, so that "We Are Social" or "I Love Sushi" stay whole.
_NEW_CLAUSE = re.compile(
    r"\s+(?:we(?:'re| are| do| have|'ve| just| been| were| was| got| had| started| run)|"
    # "... country club we added the country club bit years ago"
    r"we(?= [a-z]{3,}ed\b)|"
    r"i(?:'m| am| do| run| own| look after| also| just)|"
    r"it(?:'s| is)|they(?:'re| are)|but|"
    # "pritchett plumbing and heating my dad started it back in eighty one"
    r"(?:my|our) (?:dad|father|mum|mom|mother|grandad|grandfather|granddad|family|parents|uncle|"
    r"brother|husband|wife)(?= (?:started|founded|set|opened|ran|runs|built|bought|owns|owned|had)\b))\s+"
)


_DISCOURSE = word_set(
    "so basically well um uh er yeah yes like actually honestly and ok okay right oh"
)


def _answer_before_story(value: str) -> str:
    """The answer before a new clause starts its story ("dubois roofing we been around
    since..."); ValueError when what comes first is only a word like "look" ("look, I
    just need to speak to somebody" is no company or role)."""
    head = _before_new_clause(value)
    if head != value and head.lower().strip(" ,.!") in _DISCOURSE_MARKERS:
        raise ValueError("not_an_answer")
    return head


def _before_new_clause(answer: str) -> str:
    head = _NEW_CLAUSE.split(answer, maxsplit=1)[0]
    if set(re.findall(r"[\w']+", head.lower())) <= _DISCOURSE:
        return answer  # "so basically i run the place": nothing came before the clause
    return head


# "acme lol, no seriously it's Acme Fabrication", "sun and sea no sorry sea and sun travel",
# "Acme... sorry, we rebranded, it's Zephyr Labs now": what is said after the correction.
_CORRECTED = re.compile(
    r"\b(?:no,?\s+(?:sorry|wait|seriously|hang on)|sorry,?\s+(?:no|i mean|i meant)|"
    r"i mean|i meant|(?:just )?kidding|scratch that|(?:we |we'?ve |have )?rebranded\b[^,.;]*|"
    r"actually,?\s+(?=it'?s|we'?re|it is)|"
    # "entwistle and sons removals well it's just entwistle removals now"
    r"well,?\s+(?:it'?s\s+|its\s+|we'?re\s+)?(?:just|actually|really|only)(?=\s))\b[\s,.:;!-]*"
    r"(?:(?:it'?s|its|we'?re|it is|now)\s+)?",
    re.I,
)
_NOW_AFTER = re.compile(
    r"\s+now(?:[\s.!]*$|[\s,.]+(?:the|we|they|i|that|since|after|because|as|cos)\b.*$)", re.I
)
# "it's just me, trading under my own name": no company, whatever word came first.
_NO_COMPANY = re.compile(
    r"\b(?:just me|only me|my own name|sole trader|self[- ]employed|no company|"
    r"(?:don'?t|do not) have a company|not (?:with )?a company)\b",
    re.I,
)
# "its just me, but the car says Haigh School of Motoring so i suppose its that"
_NAMED_AFTER = re.compile(rf"\b(?:{TRADING_NAME_CUE})\b", re.I)
# "Lagom Studio (lagom is Swedish, means just right)": a remark after the name.
_REMARK_AFTER = re.compile(r"\s*\((?=[^)]*\s[^)]*\s)[^)]*\)?\s*$")
# "the Nairobi branch of Safari Tech Hub": the company the branch belongs to.
_PART_OF = re.compile(
    r"^(?i:(?:we'?re\s+|we are\s+|i'?m (?:with|at|from)\s+)?(?:the|a|an)\s+(?:[\w-]+\s+)?"
    r"(?:branch|office|division|chapter|franchise)\s+of\s+)(?=[A-Z])",
)


# Letters said one by one: "h s b c", "i q solutions".
_SPELT_LETTERS = re.compile(r"(?<![\w'.])(?:[a-z] ){1,5}[a-z](?![\w'.])")


def _joined_letters(match: re.Match[str]) -> str:
    return match.group().replace(" ", "").upper()


# What part of the company or how big, said after its name: "Orbis Telecom - EMEA
# division", "greenfield logistics the uk side", "Brightwater Capital (BCP)", "stellar
# biotech about three hundred people", "Pinnacle Freight, HQ in Rotterdam".
_COMPANY_QUALIFIER = re.compile(
    r"(?:\s*[-–—,]\s*(?:the\s+)?|\s+the\s+)(?:[\w&]+\s+){0,2}(?:division|side|arm|branch|office|"
    r"dept|department|subsidiary|region|team|unit)\b(?:\s+(?:in|of|for|at|based)\b.*)?$|"
    r"\s*,?\s*\((?:[A-Z0-9&]{2,8})\)?\s*$|"
    r"\s*,\s*(?:HQ|head ?quarters|head office|headquartered|based)\b.*$|"
    r"\s+(?:(?:with|about|around|roughly|nearly|almost|over|some)\s+)?"
    r"(?:\d[\d,.]*|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|a)[\s-]*)+)\s*"
    r"(?:people|staff|employees|of us|ftes?)\b.*$",
    re.I,
)


def _corrected_company(text: str) -> str | None:
    """The part after a correction ("" when nothing follows it); None without one."""
    corrections = list(_CORRECTED.finditer(text))
    if not corrections:
        return _said_again_after_sorry(text)
    return _NOW_AFTER.sub("", text[corrections[-1].end() :]).strip()


_SORRY = re.compile(r"[\s,.]+(?:sorry|pardon|oops)[\s,.]+", re.I)


def _said_again_after_sorry(text: str) -> str | None:
    """ "shannonside golf club sorry shannonside golf and country club": the name said
    again, in full, after an apology."""
    words = text.split()
    for apology in _SORRY.finditer(text):
        again = text[apology.end() :].split()
        if again and words and again[0].lower() == words[0].lower() and apology.start() > 0:
            return " ".join(again)
    return None


# What is said about the company after its name: "Keller Backstube. I do the office work
# there", "Brightside Digital. The dental practice is our client", "ridgeline creative
# that's the agency the client is summit ridge".
_SAID_AFTER_COMPANY = re.compile(
    r"(?:(?<=[^\W\d_]{3})\.\s+(?=(?:i|we|it|it'?s|that|that'?s|this|they|the|our|my|he|she)\b)|"
    r"\s*[,;-]?\s+(?:that'?s|thats|that is|which is|it'?s|its)\s+(?:the|an?|our|my)\s+"
    r"(?:agency|client|company|firm|business|one|place|employer|parent)\b)",
    re.I,
)


# "core rib adventures same as the email c o r r i b": where else the name was spelt.
_SAME_AS_BEFORE = re.compile(
    r"[\s,]+(?:the\s+)?(?:same|like|as)\s+(?:as\s+)?(?:in\s+)?(?:the|my)\s+"
    r"(?:e-?mail|address|domain)\b",
    re.I,
)
# "... edu tech and edutech one word": words said apart that are written as one.
_ONE_WORD_AFTER = re.compile(
    r"[\s,]+(?:and\s+)?([^\W\d_]+)\s+(?:is\s+)?(?:all\s+)?(?:one word|together)\W*$", re.I
)


def _company_spelt(text: str) -> str:
    """A company name with the words a recognizer heard for a word spelt after it written
    as spelt: "drew necks d r e w n e x" is Drewnex, "nil giri edu tech that is n i l g i r
    i and edutech one word" nilgiri edutech. Letters that spell no word said ("it's b d o")
    are the name themselves, and stay."""
    if not re.search(r"(?<![\w'’])[a-z](?:[\s,.-]+[a-z]\b){2,}", text, re.I):
        return text
    answer, _changed, runs = _spelling(_SAME_AS_BEFORE.sub("", text))
    if (note := _ONE_WORD_AFTER.search(answer)) is not None:
        answer = answer[: note.start()]
        words = answer.split()
        for start in range(len(words)):
            for end in range(start + 2, min(start + 3, len(words)) + 1):
                if "".join(words[start:end]).lower() == note.group(1).lower():
                    answer = " ".join([*words[:start], note.group(1), *words[end:]])
    words = answer.split()
    for letters in runs:
        if letters.lower() in (word.lower() for word in words):
            continue
        span = _closest_span(words, letters)
        if span is None:
            return text
        start, end = span
        said = "".join(words[start:end])
        if not _starts_alike(said, letters) or _alike(said, letters) < 0.5:
            return text
        words = [*words[:start], _as_written(letters, words[start]), *words[end:]]
    return " ".join(words)


# "Tata Motors, Pune plant", "Acme, the Leeds office": which site, after the company.
_SITE_AFTER = re.compile(
    r",\s*(?:the\s+)?[\w' -]{2,30}?\s+(?:plant|office|branch|site|campus|factory|depot|"
    r"warehouse|store|outlet|location|hq|headquarters)\W*$",
    re.I,
)


def _company_answer(text: str) -> str:
    """An answer to "which company are you with?" without what it corrects or remarks;
    a correction with nothing after it leaves the answer as it was."""
    text = _HESITATION.sub("", text).strip() or text
    text = _company_spelt(text)
    corrected = _corrected_company(text)
    if corrected:
        text = corrected
    text = _PUT_DOWN_AS.sub("", text)
    halves = re.split(r"[\s,]+(?:yeah|yes|yep|i mean)[\s,]+", text, maxsplit=1, flags=re.I)
    if len(halves) == 2 and key(halves[0]).endswith(key(halves[1])) and key(halves[1]):
        text = halves[1]  # "its mapleton roofing yeah mapleton roofing": said twice
    head = _REMARK_ON_NAME.sub("", text)
    if head != text and 0 < len(head.split()) <= 6:
        text = head
    located = _WHICH_ONE.sub("", text)
    if located != text and located.strip():
        text = located
    elif (
        where := re.search(
            r"\s+(?:(?:down|up|out|over|based)\s+)?(?:in|from)\s+(?P<place>[\w' -]+?)\W*$",
            text,
            re.I,
        )
    ) and is_place(where["place"]):
        # "o'brien's hardware in galway", "woolworths down in cape town"
        text = text[: where.start()]
    text = _SITE_AFTER.sub("", text)  # "Tata Motors, Pune plant"
    said_after = _SAID_AFTER_COMPANY.search(text)
    if said_after is not None and 0 < len(text[: said_after.start()].split()) <= 6:
        text = text[: said_after.start()]
    if ":" in text and len((after := text.rsplit(":", 1)[1]).split()) in range(1, 7):
        text = after  # "Small agency, you won't have heard of us: Pixel & Pine"
    return _PART_OF.sub("", _REMARK_AFTER.sub("", text.strip()))


def _read_company_answer(
    text: str, excluded: tuple[str, ...], *, others: bool
) -> tuple[str | None, str | None]:
    """A reply to "which company are you with?": (company, problem)."""
    if _NO_COMPANY.search(text) and not _NAMED_AFTER.search(text):
        return None, "no_company"
    answer = _FILLER.sub("", _LEAD_INS["company"].sub("", text.strip()))
    called = re.search(r"\b(?:called|named)\s+", answer, re.IGNORECASE) or (
        _NAMED_AFTER.search(answer) if _NO_COMPANY.search(text) else None
    )
    if called is not None:
        answer = _company_after(answer, called.end(), capitalised=False) or answer
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", answer.strip())
    if (
        len(sentences) > 1
        and company_problem(_restore(sentences[0]).strip(" .!?"), excluded) is None
    ):
        # "Vermeulen Chocolatiers NV. My grandmother started it in 1958.": the name, then
        # its story.
        answer = sentences[0]
    head, _, tail = answer.partition(",")
    # "Harbour Light, a small agency in Cork": what follows the comma describes it.
    if tail.strip() and (
        others or not tail.strip()[:1].isupper() or company_problem(_restore(tail), excluded)
    ):
        answer = head
    answer = re.split(r"\s+(?:based|located)\s+(?:in|out of)\s+|\s+in\s+(?=[A-Z])", answer)[0]
    value = _restore(answer).strip(" \t\n,;!?")
    if value.islower():  # as a recognizer writes: "h s b c"
        value = _SPELT_LETTERS.sub(_joined_letters, value)
    if value.endswith(".") and not _ends_with_abbreviation(value):
        value = value.rstrip(".")
    try:
        # "dubois roofing we been around since nineteen eighty eight": the name, then a story
        value = _answer_before_story(value) or value
    except ValueError as error:
        return None, str(error)
    problem = company_problem(value, excluded)
    if problem is not None:
        return None, problem
    try:
        return clean_free_text("company", value), None
    except ValueError as error:
        return None, str(error)


def _read_role_answer(text: str, excluded: tuple[str, ...], reading: Reading) -> None:
    """A reply to "what's your role?"; "marketing manager at harbour light" names the
    employer too."""
    answer = text
    for link in _ROLE_LINK.finditer(text):
        if _inside_title(text, link):
            continue  # "Head of Growth" is one title, not a head at Growth
        company = _company_after(text, link.end(), capitalised=False)
        if not is_job_title(_restore(text[: link.start()])) or company is None:
            break
        if company_problem(_restore(company), excluded) is None:
            found: dict[LeadField, str] = {}
            _offer_company(company, excluded, found)
            reading.values.update(found)
            answer = text[: link.start()]
        break
    if is_greeting(_restore(answer)) and not is_job_title(_restore(answer)):
        # "hi again" is no role; "gm" asked for a role is a general manager.
        reading.problems["role"] = "not_an_answer"
        return
    if (titled := _TITLE_IS.search(_restore(answer))) is not None and is_job_title(titled["title"]):
        # "I was the first marketing hire - title is Head of Marketing, but...": the title
        answer = _protect(titled["title"])
    told_on = _ROLE_TOLD_ON.search(_restore(answer))
    if told_on is not None and told_on.start() > 0:
        # "Head of Ops, and since the reorg also payroll...": the title, then its story
        answer = _protect(_restore(answer)[: told_on.start()])
    if len(_restore(answer)) > MAX_LENGTH["role"]:
        # "Operations manager, and as of Monday also the front desk, the barista...": the
        # title comes first, the story after it.
        first = _ROLE_STORY.split(_restore(answer), maxsplit=1)[0].strip()
        if first and len(first) <= MAX_LENGTH["role"]:
            answer = _protect(first)
    sentences = _FIRST_SENTENCE_END.split(_restore(answer).strip(), maxsplit=1)
    if len(sentences) == 2 and (
        is_job_title(sentences[0]) or _ONE_OF_THE.match(sentences[0].strip())
    ):
        # "Practice manager. Twenty-two years in legal...": the title, then the story
        answer = _protect(sentences[0])
    if (one_of := _ONE_OF_THE.match(_restore(answer).strip())) is not None:
        # "I'm one of the two directors": a director
        answer = _protect(one_of["title"])
    _take_free_text("role", _restore(answer), reading)


_TITLE_IS = re.compile(
    r"\b(?:my |the |job |official |actual )*title(?:'s|’s| is|:)\s+(?:officially\s+)?"
    r"(?P<title>[^,;.()—–]+?)(?=\s*(?:[,;.()—–]|\bbut\b|\band\b|$))",
    re.I,
)
_ONE_OF_THE = re.compile(
    r"^(?:i'?m |i am )?one of (?:the |our |its |his |her )?"
    r"(?:(?:two|three|four|five|six|several|many|\d+) )?(?P<title>[^\W\d_][\w -]{1,60}?)s\W*$",
    re.I,
)


_ROLE_TOLD_ON = re.compile(
    r"\s*[,;]\s*(?=(?:and|plus|but|which|also|so|though|although|as of|since|basically|"
    r"meaning)\b)",
    re.I,
)
_ROLE_STORY = re.compile(
    r"\s*[,;(]\s*|\s+[-–—]\s+|\s+(?:plus|and also|as well as|which means)\s+|"
    # "I'm one of the two directors. Tom does the design side...": a sentence ends
    r"(?<=[^\s.]{4})[.!]\s+",
    re.I,
)


# --- emails and phone numbers --------------------------------------------------------

_EMAIL_CUE = re.compile(
    r"\b(?:my e-?mail|e-?mail(?: address)?(?:'s|’s| is|:)|e-?mail me (?:at|on)|"
    r"reach me (?:at|on)|address is)\b",
    re.IGNORECASE,
)
_SPOKEN_PHRASES = (
    (re.compile(r"\bat\s+the\s+rate(?:\s+of)?\b", re.I), " @ "),
    (re.compile(r"\bat[\s-]+(?:sign|symbol)\b", re.I), " @ "),
    (re.compile(r"\bfull\s+stop\b", re.I), " dot "),
    (re.compile(r"\bunder\s+score\b", re.I), " underscore "),
    # A recognizer's "add" for "at", only where a dictated domain follows ("... dot com").
    (re.compile(r"\badd(?=\s+(?:[a-z0-9-]+\s+){1,4}(?:dot|period)\s)", re.I), " at "),
)
# "... thistle and thread all one word": how to write words said before, not part of it.
_ONE_WORD_NOTE = re.compile(r"\s+(?:all\s+)?(?:as\s+)?(?:one word|together)\b[\s.!,]*$", re.I)


def _without_one_word_note(spoken: str) -> str:
    """The address without a trailing note that repeats some of its words to say they are
    written as one ("casa verde tile together")."""
    note = _ONE_WORD_NOTE.search(spoken)
    if note is None:
        return spoken
    words = spoken[: note.start()].split()
    for size in range(min(4, len(words) - 1), 0, -1):
        tail = words[-size:]
        earlier = words[:-size]
        for i in range(len(earlier) - size, -1, -1):
            window = earlier[i : i + size]
            if all(_sounds_alike(said, meant) for said, meant in zip(window, tail, strict=True)):
                # "brook male dot net, brook mail one word": the note's spelling is meant.
                return " ".join([*earlier[:i], *tail, *earlier[i + size :]])
    return " ".join(words)


# "billy ray hollis all one word at hotmail dot com": the note comes before the "at".
_INLINE_ONE_WORD = re.compile(
    r"(?<![\w'])((?:[a-z0-9]+\s+){1,4}(?!all\b|as\b)[a-z0-9]+)\s*,?\s+(?:all\s+)?(?:as\s+)?"
    r"(?:one word|together|no spaces?)\s*,?\s+(?=at\b)"
)


# "niamh at seaview house kinsale all one word dot ie": the note comes before the "dot".
_DOMAIN_ONE_WORD = re.compile(
    r"(?<=\bat\s)((?:[a-z0-9]+\s+){1,4}(?!all\b|as\b)[a-z0-9]+)\s*,?\s+(?:all\s+)?(?:as\s+)?"
    r"(?:one word|together|no spaces?)\s*,?\s+(?=dot\b)"
)


def _inline_one_word(spoken: str) -> str:
    """The words a note says are written as one, joined: the run of plain words just
    before the note, leaving out lead-ins such as "my email is"."""

    def joined(match: re.Match[str]) -> str:
        words = match.group(1).split()
        start = len(words)
        while start > 0 and words[start - 1] not in _EMAIL_CHATTER:
            start -= 1
        kept = [*words[:start], "".join(words[start:])] if start < len(words) else words
        return " ".join(kept) + " "

    spoken = _DOMAIN_ONE_WORD.sub(lambda m: "".join(m.group(1).split()) + " ", spoken)
    return _INLINE_ONE_WORD.sub(joined, spoken)


def _sounds_alike(said: str, meant: str) -> bool:
    """The same word, or one a recognizer could have written for it ("male", "mail")."""
    if said == meant:
        return True
    return (
        len(said) > 2
        and said[0] == meant[0]
        and abs(len(said) - len(meant)) <= 1
        and len(set(said) ^ set(meant)) <= 2
    )


# "okafor build dog com sorry dot com": a garbled "dot", then said again after "sorry".
_SAID_AGAIN = re.compile(r"\b((?:[a-z0-9]+\s+){0,2}[a-z0-9]+)\s+(?:sorry|i mean)\s+\1\b", re.I)
# A recognizer's "dog" for "dot" inside a spoken address ("venkat dog r add nilgiri dog in"),
# not a "dog" said just before the at ("happy dog at ...") or first.
_DOG_DOT = re.compile(
    r"\bdog(?=\s+(?:com|net|org|co|io|uk|ca|au|ie|de|nl|in)\b)|(?<=\w\s)dog(?=\s+(?!at\b|add\b)[a-z0-9])",
    re.I,
)


# How to write what was said, not more of the address: "d as in david", "no dot",
# "all together" before the "at", "adeyemi that's a d e y e m i".
_AS_IN = re.compile(r"\b([a-z])\s+(?:as in|for|like)\s+[a-z]+\b")
_HOW_WRITTEN = re.compile(
    r"\b(?:(?:with\s+)?no|without)\s+(?:dots?|spaces?|dashes?|hyphens?|periods?)\b|"
    # "... dot com with the eight oh eight in numbers"
    r"\s+with\s+the\s+(?:[a-z]+\s+){1,4}?in\s+(?:numbers|figures|digits)\s*$|"
    r"\b(?:all\s+)?(?:together|one word)\b(?=\s+(?:at|@)\b)"
)
_RESPELT = re.compile(
    r"\b((?:[a-z]+\s+){0,2}[a-z]+)\s+(?:that'?s|that is|spelt|spelled|spelling)\s+((?:[a-z]\s+){2,}[a-z])\b"
)


# "... dog i e corrib is c o r r i b": a word of the address, then how it is spelt, after it.
_WORD_IS_SPELT = re.compile(r"\s+([a-z]+)\s+is\s+((?:[a-z]\s+){2,}[a-z])\s*$")


def _word_spelt_after(spoken: str) -> str:
    """The address with the words a recognizer heard for the word spelt after it written
    as spelt ("core rib adventures ... corrib is c o r r i b" is corribadventures)."""
    note = _WORD_IS_SPELT.search(spoken)
    if note is None:
        return spoken
    letters = note.group(2).replace(" ", "")
    words = spoken[: note.start()].split()
    span = _closest_span(words, letters, letters_only=True)
    if span is None:
        return spoken
    start, end = span
    said = "".join(words[start:end])
    if said[:1] != letters[:1] or _alike(said, letters) < 0.5:
        return spoken
    return " ".join([*words[:start], letters, *words[end:]])


# Three or more letters said one by one inside an address ("k a s i a at ..."): one word.
_LETTER_RUN = re.compile(r"(?<![\w'’])[a-z](?:\s+[a-z]\b(?!['’]\w)){2,}")


def _spelling_notes_out(spoken: str) -> str:
    spoken = _AS_IN.sub(r"\1", _word_spelt_after(spoken))
    spoken = _HOW_WRITTEN.sub(" ", spoken)

    def said_then_spelt(match: re.Match[str]) -> str:
        words, letters = match.group(1), match.group(2).replace(" ", "")
        # The letters spell the last words said: they repeat them, they add nothing.
        tail = "".join(words.split())
        return words if tail.endswith(letters) or letters.endswith(tail) else match.group(0)

    def word_then_its_letters(match: re.Match[str]) -> str:
        word, letters = match.group(1), match.group(2).replace(" ", "")
        # "roisin r o i s i n at ...": the word said, then spelt; the spelling is kept
        same = letters[:1] == word[:1] and _alike(word, letters) >= 0.6
        return letters if same else match.group(0)

    spoken = _RESPELT.sub(said_then_spelt, spoken)
    return " ".join(_WORD_THEN_LETTERS.sub(word_then_its_letters, spoken).split())


# A word, then its letters one by one, with nothing between: "roisin r o i s i n".
_WORD_THEN_LETTERS = re.compile(r"\b([a-z]{3,})\s+((?:[a-z]\s+){2,}[a-z])\b(?!['’]\w)")


# "d-a-v-e": letters spelt out with hyphens between them are one word.
_HYPHEN_SPELT = re.compile(r"\b(?:[a-z]-){2,}[a-z]\b")
# Letters as a recognizer writes their names. Names that are also common words ("are",
# "you", "why", "see", "eye", "oh") are left out: "jay pee" is jp, "are you" is not ru.
_LETTER_NAMES = {
    "bee": "b", "cee": "c", "dee": "d", "eff": "f", "ef": "f", "gee": "g", "aitch": "h",
    "haitch": "h", "jay": "j", "kay": "k", "el": "l", "ell": "l", "em": "m", "en": "n",
    "pee": "p", "cue": "q", "ar": "r", "ess": "s", "tee": "t", "vee": "v", "ex": "x",
    "zed": "z", "zee": "z", "double-u": "w", "doubleu": "w",
}  # fmt: skip


def _spelt_letters(tokens: list[str]) -> list[str]:
    """Letter names in a run of two or more spelt letters ("jay pee dot ...") as letters;
    one name alone ("jay at acme dot com") stays the word it is."""
    letterish = [(len(t) == 1 and t.isalpha()) or t in _LETTER_NAMES for t in tokens]
    out = list(tokens)
    for i, token in enumerate(tokens):
        beside = any(0 <= j < len(tokens) and letterish[j] for j in (i - 1, i + 1))
        if token in _LETTER_NAMES and (beside or token.startswith("double")):
            out[i] = _LETTER_NAMES[token]
    return out


_SPOKEN_SYMBOL = {
    "@": "@",
    "at": "@",
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
}
# Words around a dictated address ("sorry it's", "yeah so my email is", "thanks").
_EMAIL_CHATTER = word_set(
    """
    my email e-mail mail address is it's its it is that's thats that sure yes yeah yep ok okay
    so um uh er erm hmm ah oh sorry well right the and or me you can reach contact on use try
    send to via please just actually basically like i i'm think mean yea ya alright fine here
    hi hello hey mine was be will would should could correct correction no not wait oops
    new work personal best one this there go ahead write down put spelled spelt as email's
    emails of course then anyway good great thanks thank cheers under filed listed registered
    used gave given probably maybe guess believe was been have had did as with for typed
    hai hain ji mera meri naam po lah yaar bhai sir madam maam
    cut off out dropped broke line again
    """
)
_LOCAL_WORD = re.compile(r"^[a-z0-9][a-z0-9._%+'-]*$")
_DOMAIN_WORD = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def read_spoken_email(text: str, *, asked: bool = False) -> str | None:
    """An address read out in words: "jp dot tremblay at acme dot ca", "uh j smith at
    outlook dot com", "anna underscore k at gmail.com", "wang lei eight eight at one six
    three dot com" (when `asked` for). None when there is none, or when the words before
    it could belong to the address ("anna kovacs at ...")."""
    spoken = _inline_one_word(_without_one_word_note(text.lower().replace("’", "'")))
    spoken = _SAID_AGAIN.sub(r"\1", _DOG_DOT.sub("dot", spoken))
    spoken = _LETTER_RUN.sub(lambda m: m.group(0).replace(" ", ""), _spelling_notes_out(spoken))
    for pattern, symbol in _SPOKEN_PHRASES:
        spoken = pattern.sub(symbol, spoken)
    spoken = _HYPHEN_SPELT.sub(lambda m: m.group(0).replace("-", ""), spoken)
    tokens = [t.strip(',;!?"()').rstrip(".") for t in spoken.split()]
    tokens = _spoken_digits(_spoken_tens(_spelt_letters([t for t in tokens if t])))
    for index, token in enumerate(tokens):
        if _SPOKEN_SYMBOL.get(token) != "@":
            continue
        domain = _spoken_domain(_joined_domain_words(tokens[index + 1 :]))
        local = _spoken_local(tokens[:index])
        if local is None and asked:
            local = _whole_answer_local(tokens[:index])
        if domain and local:
            try:
                return normalize_email(f"{local}@{domain}")
            except ValueError:
                continue
    return None


# Words that say where an address is rather than spell its domain ("at my work dot ...").
_NOT_DOMAIN_WORDS = word_set("my our your the his her their work home office company job")
_POSSESSIVES = word_set("my our your the his her their")
_MAX_DOMAIN_WORDS = 4


def _spoken_tens(tokens: list[str]) -> list[str]:
    """A number said as a number inside an address ("hughes fifty two at ...") as its
    figures: hughes52."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        word = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if word in _TENS and following in _DIGIT_WORDS and _DIGIT_WORDS[following] != "0":
            out.append(_TENS[word] + _DIGIT_WORDS[following])
            index += 2
            continue
        out.append(_TENS[word] + "0" if word in _TENS else _TEENS.get(word, word))
        index += 1
    return out


def _spoken_digits(tokens: list[str]) -> list[str]:
    """Digits said as words inside an address ("eight eight", "one six three") as digits;
    a lone number word ("one") stays a word."""
    digits = [_digit_word(tokens, i) for i in range(len(tokens))]
    return [
        digit
        if digit is not None
        and any(0 <= j < len(tokens) and digits[j] is not None for j in (i - 1, i + 1))
        else token
        for i, (token, digit) in enumerate(zip(tokens, digits, strict=True))
    ]


# At most this many words (besides digits) make one local part when the address was asked
# for: a recognizer writes one said word as several.
_MAX_LOCAL_WORDS = 3


def _whole_answer_local(tokens: list[str]) -> str | None:
    """Words ending in digits or begun with initials before "at", joined ("wang lei 8 8" is
    wanglei88, "j m delos reyes" jmdelosreyes), after any leading chatter ("it's", "um"). Words alone stay unread: in "anna kovacs at ..." a name
    may come before the address, annakovacs@ or kovacs@."""
    start = next((i for i, t in enumerate(tokens) if t not in _EMAIL_CHATTER), len(tokens))
    words = tokens[start:]
    said_words = [w for w in words if not w.isdigit() and len(w) > 1]
    # "j m delos reyes at ...": initials first mark where the address starts.
    initials_first = len(words[0]) == 1 and words[0].isalpha() if words else False
    if not 1 <= len(said_words) <= _MAX_LOCAL_WORDS or not (words[-1].isdigit() or initials_first):
        return None
    if any(not _LOCAL_WORD.match(w) or w in _EMAIL_CHATTER or _SPOKEN_SYMBOL.get(w) for w in words):
        return None
    return "".join(words)


def _joined_domain_words(tokens: list[str]) -> list[str]:
    """A domain said as several words joins them: a recognizer writes "harlow supply dot
    com" or "grant and sons dot com" for harlowsupply.com and grantandsons.com."""
    end = next((i for i, t in enumerate(tokens) if _SPOKEN_SYMBOL.get(t) in (".", "-")), None)
    words = tokens[:end] if end is not None else []
    if (
        not 2 <= len(words) <= _MAX_DOMAIN_WORDS
        or any(not _DOMAIN_WORD.match(w) or _SPOKEN_SYMBOL.get(w) for w in words)
        # "at my work dot ...", "at the office dot": where, not a name; but "porter home
        # repairs dot com" is one
        or words[0] in _POSSESSIVES
        or all(w in _NOT_DOMAIN_WORDS for w in words)
    ):
        return tokens
    return ["".join(words), *tokens[len(words) :]]


def _spoken_domain(tokens: list[str]) -> str | None:
    parts: list[str] = []
    spelt_last = False
    for token in tokens:
        symbol = _SPOKEN_SYMBOL.get(token)
        if symbol in (".", "-"):
            if not parts or parts[-1] in (".", "-"):
                return None
            parts.append(symbol)
        elif not parts or parts[-1] in (".", "-"):
            if not _DOMAIN_WORD.match(token):
                return None
            parts.append(token)
        elif len(token) == 1 and token.isalpha() and spelt_last:
            parts[-1] += token  # "dot n g": a country code spelt out
        else:
            break
        spelt_last = len(token) == 1 and token.isalpha()
    while parts and parts[-1] in (".", "-"):
        parts.pop()
    domain = "".join(parts)
    return domain if "." in domain.strip(".") else None


def _spoken_local(tokens: list[str]) -> str | None:
    parts: list[str] = []
    index = len(tokens) - 1
    while index >= 0:
        token = tokens[index]
        # "kea plus leads at ...": a plus sign only in the part before the at
        symbol = "+" if token == "plus" else _SPOKEN_SYMBOL.get(token)
        if not parts:
            if symbol is not None or not _LOCAL_WORD.match(token) or token in _EMAIL_CHATTER:
                return None
            parts.insert(0, token)
        elif symbol in (".", "_", "-", "+") and index > 0:
            word = tokens[index - 1]
            if not _LOCAL_WORD.match(word) or _SPOKEN_SYMBOL.get(word) or word == "plus":
                return None
            parts[:0] = [word, symbol]
            index -= 1
        elif (len(token) == 1 and token.isalpha() and token != "i") or token.isdigit():
            parts.insert(0, token)  # letters spelt out: "j smith" is jsmith
        elif token in _EMAIL_CHATTER or symbol is not None:
            break
        elif all(part.isdigit() for part in parts) and _LOCAL_WORD.match(token):
            parts.insert(0, token)  # "nair eight eight" is nair88: digits end the word
        elif all(len(part) == 1 for part in parts) and _LOCAL_WORD.match(token):
            parts.insert(0, token)  # "rachel g" is rachelg: an initial ends the word
        else:
            return None  # "anna kovacs at ...": annakovacs or kovacs? Not for us to guess.
        index -= 1
    return "".join(parts) or None


def _take_email(text: str, requested: LeadField | None, reading: Reading) -> str:
    candidates = _EMAIL_CANDIDATE.findall(text)
    elses = [c for c in candidates if given_as_someone_elses(text[: text.find(c)])]
    if elses:
        for candidate in elses:
            text = text.replace(candidate, " ")
        candidates = [c for c in candidates if c in text]
        if not candidates:
            if requested == "email":
                reading.problems["email"] = "someone_elses"
            return text
    if not candidates and (requested == "email" or _EMAIL_CUE.search(text)):
        spoken = read_spoken_email(text, asked=requested == "email")
        if spoken is not None:
            reading.values["email"] = spoken
            return _without_spoken_email(text)
        if (
            requested == "email"
            and re.search(r"\b(?:at|at sign)\b", text, re.I)
            and re.search(r"\b(?:dot|period)\b|\w\.\w", text, re.I)
        ):
            reading.problems["email"] = "invalid_email"
    if len(candidates) > 1 and _PUT_RIGHT_BETWEEN.search(
        text, text.find(candidates[0]) + len(candidates[0]), text.rfind(candidates[-1])
    ):
        candidates = candidates[::-1]  # "dana@acme.io sorry dana@acme.com": the last stands
    for candidate in candidates:
        text = text.replace(candidate, " ")
        try:
            reading.values["email"] = normalize_email(candidate)
            reading.problems.pop("email", None)
            break
        except ValueError as error:
            reading.problems["email"] = str(error)
    if requested == "email" and "email" not in reading.values and "email" not in reading.problems:
        reading.problems["email"] = "no_email"
    return text


_PUT_RIGHT_BETWEEN = re.compile(
    r"\b(?:sorry|oops|i mean|i meant|no|nope|actually|correction|wait|make that|rather|typo)\b|\*",
    re.I,
)


def _without_spoken_email(text: str) -> str:
    # What is left of a dictated address is only words about it; nothing else to read.
    cue = _EMAIL_CUE.search(text)
    return text[: cue.start()] if cue is not None else ""


def phone_regions(default: str, email: str | None, caller: str | None = None) -> tuple[str, ...]:
    """Where to read a number given without +country: the caller's own country first (a
    caller from +44 who says "oh seven nine one one..." means a UK mobile), then the
    email's country, then the default (an address in a vanity domain such as .io or .co
    says nothing of a country, so it comes after the default).

    "07911 123456" from someone at brightpath.co.uk is a UK mobile, whatever the default,
    and "(306) 555-0192" from someone at petersenhardware.ca is Canadian.
    """
    tld = (email or "").rsplit(".", 1)[-1].upper() if email and "@" in email else ""
    country = "GB" if tld == "UK" else tld
    if country in _VANITY_DOMAINS:
        hints = (dialling_region(caller), default, country)
    else:
        hints = (dialling_region(caller), country, default)
    regions = [hint for hint in hints if hint in phonenumbers.SUPPORTED_REGIONS]
    return tuple(dict.fromkeys(regions)) or (default,)


# Country domains used for their letters, not their country: "startup.io", "studio.tv".
_VANITY_DOMAINS = word_set(
    "IO AI CO ME TV LY FM GG AM CC WS TO SH AC AG BZ VC LA NU MD GD SO ST IM TK ML GA CF"
)


_DIGIT_WORDS = {
    "zero": "0", "nought": "0", "naught": "0", "oh": "0", "o": "0", "one": "1", "two": "2",
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9",
}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3}
# Numbers read in pairs ("fifty five, twelve, thirty four"), as many countries do.
_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
    "eighty": "8", "ninety": "9",
}  # fmt: skip
_ZEROS_AFTER = {"hundred": "00", "thousand": "000"}
_FILLERS = frozenset({"uh", "um", "er", "erm", "ah", "eh", "hmm", "and", "then"})
_MIN_SPOKEN_DIGITS = 7  # fewer is a count or a code, not a phone number


# What a recognizer writes for a digit said on a bad line: "for", "to", "won", "ate".
# Only between two spoken digits ("oh one for two") or ending a run of them ("... seven
# won won"): anywhere else they are words.
_SOUND_ALIKES = {
    "for": "4",
    "fore": "4",
    "to": "2",
    "too": "2",
    "won": "1",
    "ate": "8",
    "tree": "3",
}


def _digit_word(tokens: list[str], index: int) -> str | None:
    """The digit a word stands for; "oh" only beside another spoken digit."""
    word = tokens[index]
    if word in _SOUND_ALIKES:
        # Past any sound-alikes beside it ("seven won won"): a spoken digit on the left,
        # and on the right another one or the end of what was said.
        left, right = index - 1, index + 1
        while left >= 0 and tokens[left] in _SOUND_ALIKES:
            left -= 1
        while right < len(tokens) and tokens[right] in _SOUND_ALIKES:
            right += 1

        def digit(i: int) -> bool:
            return tokens[i] in _DIGIT_WORDS or tokens[i].isdigit()

        if left >= 0 and digit(left) and (right == len(tokens) or digit(right)):
            return _SOUND_ALIKES[word]
        if (left < 0 or not digit(left)) and _digits_from(tokens, right) >= _MIN_SPOKEN_DIGITS - 1:
            # "tree one two five five five oh one for seven": the number's first digit,
            # before a phone number's worth of them
            return _SOUND_ALIKES[word]
        return None
    if word in ("oh", "o"):
        # "five seven oh, oh oh six": a run of ohs next to another spoken digit
        left, right = index - 1, index + 1
        while left >= 0 and tokens[left] in ("oh", "o"):
            left -= 1
        while right < len(tokens) and tokens[right] in ("oh", "o"):
            right += 1
        beside = [i for i in (left, right) if 0 <= i < len(tokens)]
        if not any(
            tokens[i] in _REPEATS
            or (tokens[i] in _DIGIT_WORDS and tokens[i] not in ("oh", "o"))
            # "... three won for oh": a sound-alike that is a digit there
            or (tokens[i] in _SOUND_ALIKES and _digit_word(tokens, i) is not None)
            for i in beside
        ):
            return None
    return _DIGIT_WORDS.get(word)


def _digits_from(tokens: list[str], start: int) -> int:
    """How many spoken digits (or sound-alikes of them) run on from `start`."""
    end = start
    while end < len(tokens) and (
        tokens[end] in _DIGIT_WORDS or tokens[end] in _SOUND_ALIKES or tokens[end].isdigit()
    ):
        end += 1
    return end - start


def _pair(tokens: list[str], index: int, *, tens_alone: bool = False) -> tuple[str, int] | None:
    """A two-digit group read as a number ("fifty five", "fifty", "twelve") and how many
    words it took; with `tens_alone`, a tens word followed by single digits is its own
    group ("thirty, one two three")."""
    word = tokens[index]
    if word in _TEENS:
        return _TEENS[word], 1
    if word not in _TENS:
        return None
    unit = tokens[index + 1] if index + 1 < len(tokens) else ""
    if (
        unit in _DIGIT_WORDS
        and unit not in ("zero", "nought", "naught", "oh", "o")
        and not (tens_alone and index + 2 < len(tokens) and tokens[index + 2] in _DIGIT_WORDS)
    ):
        return _TENS[word] + _DIGIT_WORDS[unit], 2
    return _TENS[word] + "0", 1


def spoken_digits(text: str, *, tens_alone: bool = False) -> str:
    """A number read out in words as digits: "oh seven four double oh five two seven nine
    one three" is 07400527913, "fifty-five twelve thirty-four fifty six" 55123456. Runs
    shorter than a phone number are left as they are."""
    text = re.sub(r"\b(" + "|".join(_TENS) + r")-(?=[a-z])", r"\1 ", text, flags=re.I)
    raw = text.split()
    tokens = [t.lower().strip(",.;:!?()") for t in raw]
    out: list[str] = []
    index = 0
    while index < len(tokens):
        run, end = "", index
        if tokens[end] == "plus":
            run, end = "+", end + 1
        while end < len(tokens):
            repeat = _REPEATS.get(tokens[end])
            if repeat and end + 1 < len(tokens) and (digit := _digit_word(tokens, end + 1)):
                run, end = run + digit * repeat, end + 2
            elif (digit := _digit_word(tokens, end)) is not None:
                run, end = run + digit, end + 1
            elif (pair := _pair(tokens, end, tens_alone=tens_alone)) is not None:
                run, end = run + pair[0], end + pair[1]
            elif tokens[end].isdigit():
                run, end = run + tokens[end], end + 1
            elif (
                tokens[end] in _FILLERS
                and run
                and end + 1 < len(tokens)
                and (
                    _digit_word(tokens, end + 1)
                    or tokens[end + 1].isdigit()
                    or _pair(tokens, end + 1)
                )
            ):
                end += 1  # "two one four, uh, five five five": a caller thinking
            elif tokens[end] in _ZEROS_AFTER and run[-1:].isdigit() and end > index:
                # "seven seven hundred", "nine hundred": a digit then its zeros
                run, end = run + _ZEROS_AFTER[tokens[end]], end + 1
            else:
                break
        if sum(ch.isdigit() for ch in run) >= _MIN_SPOKEN_DIGITS and any(
            _digit_word(tokens, i) or _pair(tokens, i) for i in range(index, end)
        ):
            out.append(run)
            index = end
        else:
            out.append(raw[index])
            index += 1
    return " ".join(out)


def phone_matches(text: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """The numbers written in `text`: valid ones, else the example ranges we accept."""
    matches = [*phonenumbers.PhoneNumberMatcher(text, region)]
    possible = phonenumbers.Leniency.POSSIBLE
    return matches or [
        m
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=possible)
        if usable_number(m.number)
    ]


# Where a national number nobody hinted at may be from: tried only when exactly one of
# them reads it ("oh seven seven double oh nine..." from a caller with a .com address is
# a UK mobile; no other of these countries has such a number).
_FALLBACK_REGIONS = ("GB", "IE", "AU", "NZ", "IN", "ZA", "SG", "FR")


def _first_phone(text: str, regions: tuple[str, ...]) -> phonenumbers.PhoneNumberMatch | None:
    """The first number read in the hinted regions, in order; failing them, in the one
    fallback region that reads it (or whose reading is in the UK's drama range)."""
    hinted = [(region, found[0]) for region in regions if (found := phone_matches(text, region))]
    if hinted:
        first_region, first = hinted[0]
        if not _written_as_in(first, first_region):
            # "98450 12345" from someone at an .in address: a valid US number too, but
            # grouped as an Indian mobile is, and not as a US number is written; so too
            # with no address to tell by, when one other country writes it so.
            for region, other in hinted[1:]:
                if other.number != first.number and _written_as_in(other, region):
                    return other
            grouped = [
                found[0]
                for r, found in _fallback_readings(text, regions)
                if found[0].number != first.number and _written_as_in(found[0], r)
            ]
            if len(grouped) == 1:
                return grouped[0]
        return first
    if sum(ch.isdigit() for ch in text) < _MIN_SPOKEN_DIGITS:
        return None
    readers = _fallback_readings(text, regions)
    fictional = [found for _, found in readers if any(_is_fictional(m.number) for m in found)]
    if fictional:
        return fictional[0][0]  # a drama range is nobody's real number elsewhere
    if len(readers) > 1:
        # "98220 45163": of the countries that read it, only India groups it so
        readers = [(r, found) for r, found in readers if _written_as_in(found[0], r)]
    return readers[0][1][0] if len(readers) == 1 else None


def _fallback_readings(
    text: str, hinted: tuple[str, ...]
) -> list[tuple[str, list[phonenumbers.PhoneNumberMatch]]]:
    """(region, its readings) for each fallback region, not hinted, that reads a number."""
    return [
        (r, found)
        for r in _FALLBACK_REGIONS
        if r not in hinted and (found := phone_matches(text, r))
    ]


def _written_as_in(match: phonenumbers.PhoneNumberMatch, region: str) -> bool:
    """Whether the digits were grouped as `region` writes its numbers at home (its trunk
    0 left out or not): "(212) 555-0199" as the US does, "98450 12345" as India does."""
    typed = [len(g) for g in re.findall(r"\d+", match.raw_string)]
    if len(typed) < 2:
        return False  # "9845012345": no grouping to tell by
    if phonenumbers.region_code_for_number(match.number) != region:
        return False
    national = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.NATIONAL)
    home = re.findall(r"\d+", national)
    groups = [len(g) for g in home]
    trunk_left_out = [groups[0] - 1, *groups[1:]] if home and home[0].startswith("0") else groups
    return typed in (groups, trunk_left_out)


def _take_phone(
    text: str, regions: tuple[str, ...], requested: LeadField | None, reading: Reading
) -> str:
    said = text
    text = spoken_digits(said)
    match = _first_phone(text, regions)
    alone = spoken_digits(said, tens_alone=True) if match is None else text
    if alone != text and (match := _first_phone(alone, regions)) is not None:
        # "plus four nine thirty one two three...": "thirty" is the 30 of Berlin's area
        # code when "thirty-one" gives no number.
        text = alone
    if match is not None and given_as_someone_elses(text[: match.start]):
        if requested == "phone":
            reading.problems["phone"] = "someone_elses"
        return text[: match.start] + " " + text[match.end :]
    if match is not None:
        reading.values["phone"] = phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164
        )
        return text[: match.start] + " " + text[match.end :]
    if requested == "phone" or _looks_like_phone_attempt(text):
        reading.problems["phone"] = "invalid_phone" if _digit_count(text) else "no_phone"
    return text


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _looks_like_phone_attempt(text: str) -> bool:
    return _digit_count(text) >= 6 and bool(
        re.search(r"\b(?:phone|number|mobile|cell)\b", text, re.I)
    )


# --- one message ---------------------------------------------------------------------

_COMMAND = re.compile(r"/[A-Za-z_][\w-]*(?:\{.*\})?", re.DOTALL)


_LIST_SEPARATOR = re.compile(r"\s+[/|]\s+")


_THIS_NUMBER = re.compile(
    r"\b(?:(?:on|at|use|try|ring|call)\s+(?:me\s+)?(?:on\s+|at\s+)?this (?:number|phone|line|one)|"
    r"(?:the )?(?:number|phone|line|one) i'?m (?:calling|ringing|phoning|texting) (?:from|on)|"
    r"(?:the )?same (?:number|one)(?: i'?m (?:calling|ringing) (?:from|on))?|"
    r"you(?:'ve| have) (?:already )?got my number)\b",
    re.I,
)


_NOISE_MAX_CHARS = 40  # longer is read (and refused as too long), not dropped
_LATIN_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouy]")


def is_keyboard_noise(text: str) -> bool:
    """Letters that make no word: every word of three letters or more (and every word)
    lower-case Latin letters with no vowel, as in "qwv nnx" or "zzkq"; names in other
    scripts, acronyms ("BMW") and "Ng" are words."""
    words = _LATIN_WORD.findall(text)
    if (
        not words
        or len(text) > _NOISE_MAX_CHARS
        or any(not w.isascii() or not w.islower() or _VOWEL.search(w) for w in words)
    ):
        return False
    return any(len(w) >= 3 for w in words)


# "Jen Kowalcyzk - sorry, typo, Kowalczyk": one word typed again, put right.
_TYPO_PUT_RIGHT = re.compile(
    r"^(?P<said>.*?[^\W\d_][^\s]*)[\s,;.:-]+(?:sorry|oops|sry|soz|i mean|correction|\*)"
    r"(?:[\s,;.:-]+(?:typo|spelling|mis-?typed?|autocorrect))?[\s,;.:-]+"
    r"(?P<fix>[^\W\d_][\w'’-]*)"
    # "Smyth.. sorry Smith with an i", then maybe the whole name again
    r"(?:\s+with\s+(?:an?\s+|two\s+|double\s+|one\s+|the\s+)?[^\W\d_]{1,2}\b)?(?P<rest>.*)$",
    re.I | re.S,
)


def _typo_put_right(text: str) -> str:
    """The message with the word a correction after it puts right written as corrected:
    the word most like it, sharing its first letter ("Enegry - sorry, Energy")."""
    typed = _TYPO_PUT_RIGHT.match(text.strip())
    if typed is None:
        return text
    said, fix, rest = typed["said"], typed["fix"], typed["rest"]
    if re.search(r"[^\W_]", rest):
        # "Cruz-Santoz.. sorry Santos with s 😅 Ma. Corazon dela Cruz-Santos": the whole
        # of it said again, as put right.
        again = re.sub(r"^[\W_]+|[\W_]+$", "", rest)
        if re.search(rf"(?<![\w'’]){re.escape(fix)}(?![\w'’])", again, re.I):
            return again
        if not re.match(r"(?:not|instead|rather|as in|like)\b", again, re.I):
            return text  # "...sorry Smith with an i, not a y" is put right below
    alike = respellings(re.findall(r"[^\W\d_][\w'’-]*", said), fix, 0.7)
    if not alike:
        return text
    closest = max(alike, key=lambda word: _alike(word, fix))
    return re.sub(rf"(?<![\w'’-]){re.escape(closest)}(?![\w'’-])", fix, said, count=1)


# A pause asked for before anything is said: "hang on", "hold on a sec", "one moment".
_HOLD_ON = re.compile(
    r"^\W*(?:(?:oh|um+|uh+|sorry|ok(?:ay)?|yeah|right)\W+)*(?:(?:hang|hold) on(?: (?:a )?(?:sec|second|"
    r"minute|moment|mo))?|(?:one|just a|wait a|give me a) (?:sec|second|minute|moment|mo)|wait|"
    r"bear with me)\b[\s,.!:;-]*",
    re.I,
)


def read_message(
    text: str,
    *,
    region: str,
    requested: LeadField | None = None,
    persons: Iterable[str] = (),
    organizations: Iterable[str] = (),
    email_hint: str | None = None,
    excluded: Iterable[str] = (),
    caller: str | None = None,
    others: Iterable[str] = (),
    own_name: str | None = None,
) -> Reading:
    """Everything a message says about the lead, with the asked-for field read generously.

    Explicit statements ("my company is ...") may change a known field. A name or company
    spaCy spotted (`persons`, `organizations`) only answers the question asked, and only
    when the words of the answer do not read as one. `excluded` names the company running
    the bot, which is never the person's own. `caller` is the number a phone or text
    conversation comes from: its country is the first guess for a national number.
    `others` are names the person gave as someone else's (bot/third_parties.py): neither
    they nor an address made of them is the person's own.
    """
    others = tuple(others)

    def read_part(part: str, *also_others: str) -> Reading:
        """A part of the message read as the whole would be."""
        return read_message(
            part,
            region=region,
            requested=requested,
            persons=persons,
            organizations=organizations,
            email_hint=email_hint,
            excluded=excluded,
            caller=caller,
            others=(*others, *also_others),
            own_name=own_name,
        )

    if _COMMAND.fullmatch(text.strip()):
        return Reading()  # a button payload or a carrier keyword (START -> /opt_in), not words
    said = text
    if is_keyboard_noise(text):
        return Reading()  # "qwv nnx", "pffft ~~": no detail of anyone's
    text = with_field_words(_typo_put_right(text))  # "the compnay is ...", "... full stop"
    if hindi := _HINDI_NAME.match(text):
        text = f"my name is {hindi['name']}"  # "mera naam gurpreet singh bains hai"
    if requested in ("company", "role", "need") and asks_to_hear_it_again(text):
        return Reading()  # "sorry i didnt catch that" is no role and no need
    if requested in ("company", "role") and (hold := _HOLD_ON.match(text)) is not None:
        rest = text[hold.end() :]
        if not _LEAD_INS[requested].match(rest):
            # "hang on the tractor's after starting": a pause, and what is going on around
            # the person; the answer comes after it ("hang on, it's Acme" gives it)
            return Reading()
        return read_part(rest)
    # "lukas brenner / lukas@feldhaus.de / Feldhaus GmbH": a spaced slash or bar lists
    # details as a comma does ("24/7" and "and/or" keep theirs).
    text = _LIST_SEPARATOR.sub(", ", text)
    if requested == "name" and names_someone_else(text):
        # "It's for Richard Hale, he's the one you need": the boss's name, not theirs.
        return Reading(problems={"name": "someone_elses"})
    if requested == "name":
        text = _name_answer(text)
    elif requested == "company":
        text = _company_answer(text)
    reading = Reading(declined=requested is not None and declines(text, requested))
    banned = tuple(excluded)
    rest = _take_email(text, requested, reading)
    email = reading.values.get("email") or email_hint
    rest = _take_phone(rest, phone_regions(region, email, caller), requested, reading)
    if caller and "phone" not in reading.values and _THIS_NUMBER.search(text):
        # "just call me back on this number": the one the call or the texts come from.
        with contextlib.suppress(ValueError):  # a caller ID that is no number: none
            reading.values["phone"] = normalize_phone(caller, region)
    statements = statement_text(rest)
    found: dict[LeadField, str] = {}
    if (in_parts := _name_in_parts(rest)) is not None:
        found["name"] = in_parts
    _find_statements(statements, requested, banned, found)
    if (full := _FULL_NAME.search(rest)) is not None:
        # "call me Bea, full name is Beatriz Nogueira": the full name is the one to store.
        name, _company, _problem = _read_name_answer(rest[full.end() :], banned)
        if name is not None:
            found["name"] = name
    for field_name, value in found.items():
        reading.values.setdefault(field_name, value)
    if others:
        _drop_someone_elses(reading, requested, others, own_name)
    if requested is None or requested in reading.values:
        return reading
    if leaves_for_now(text) or wants_no_details(text):
        # "oh shoot, meeting starting, catch you later": the words of someone leaving or
        # keeping their details are read for nothing but what they state outright ("I'm
        # Tom, gotta run" still gives the name it introduces).
        kept = [c for c in _CLAUSE.split(text) if c.strip() and not _leaving_words(c)]
        rest = ", ".join(c.strip() for c in kept)
        lead_in = _LEAD_INS.get(requested)
        said_outright = (lead_in is not None and lead_in.match(rest)) or (
            # "Aiyo, no need my name yet lah": a name turned down leaves no name behind
            requested == "name" and not reading.declined and name_problem(rest, banned) is None
        )
        if rest and rest != text and said_outright and requested != "need":
            # "...for my manager, Femke de Groot": hers, here too
            again = read_part(rest, *names_of_others([text]))
            if requested in again.values:
                return again
        values = {f: v for f, v in reading.values.items() if not (f == "need" and v == text)}
        return Reading(values=values, problems=reading.problems, declined=True)
    if reading.declined:
        reading.problems.pop(requested, None)
        if requested != "name" or refuses_outright(text):
            return reading  # "no phone, thanks" answers nothing else either
    if requested == "name":
        _answer_name(statements, banned, persons, reading)
        if others:
            _drop_someone_elses(reading, requested, others, own_name)
    elif requested == "company":
        _answer_company(statements, banned, organizations, reading)
    elif requested == "role":
        _read_role_answer(_answer_part(statements, reading), banned, reading)
    elif requested == "need" and (
        statements.strip() or _WISH.match(rest) or _CURIOUS_WHETHER.match(rest)
    ):
        # A need is told in the person's own words, "integrates with HubSpot" and all;
        # "I want to know which ads bring buyers" is a need, not a question to the bot.
        _take_free_text(requested, rest, reading)
    elif requested == "need":
        reading.problems["need"] = "empty"
    if requested in ("name", "company") and not reading.declined:
        _answered_first(said, requested, reading, region, persons, organizations, banned)
    return reading


# The end of a first sentence: "Graham Ashworth. No relation to the Ashworth on the firm's
# name...", "Rooiklip Wine Estate. Rooiklip means red rock - ...".
_FIRST_SENTENCE_END = re.compile(r"(?<=[^\s.]{3})[.!]\s+(?=[A-Z])|\s+[-–—]\s+")
_SHORT_ANSWER_WORDS = 6
_A_REMARK = re.compile(
    r"^\W*(?:(?:a |that'?s a |what a )?(?:good|great|fair|tricky|funny|interesting|hard|tough|odd) "
    r"(?:question|one)|long story|funny you ask|where do i (?:start|begin)|hm+|um+|uh+|er+m?|well|"
    r"ok(?:ay)?|sure|right|so|honestly|oh|ah|ha(?:ha)*|lol|sorry|pardon|excuse me|hang on|"
    r"one (?:sec|second|moment)|let me (?:think|see|check)|yes|yeah|no|nope)\W*$",
    re.I,
)
# "... we're still deciding on a name", "we don't have one yet": no name to take.
_NONE_YET = re.compile(
    r"\b(?:still (?:deciding|choosing|thinking|working)|haven'?t (?:got|decided|picked|chosen)|"
    r"(?:don'?t|do not) have (?:a|one|any)|no (?:name|company) yet|not yet)\b",
    re.I,
)


def _answered_first(
    said: str,
    requested: LeadField,
    reading: Reading,
    region: str,
    persons: Iterable[str],
    organizations: Iterable[str],
    banned: tuple[str, ...],
) -> None:
    """The asked-for name or company said first, in a short sentence of its own, and a story
    after it: the first sentence answers. A full name said first beats the short one the
    story offers ("Priya Raghunathan. You can call me Priya")."""
    parts = _FIRST_SENTENCE_END.split(said.strip(), maxsplit=1)
    if len(parts) < 2 or len(parts[0].split()) > _SHORT_ANSWER_WORDS:
        return
    if _A_REMARK.match(parts[0]) or is_greeting(parts[0]) or _NONE_YET.search(parts[1]):
        return  # "Good question. We're still deciding on a name."
    if declines(parts[1], requested):
        return
    alone = read_message(
        parts[0],
        region=region,
        requested=requested,
        persons=persons,
        organizations=organizations,
        excluded=banned,
    )
    first = alone.values.get(requested)
    if first is None or alone.declined:
        return
    known = reading.values.get(requested)
    if known is None or (requested == "name" and first.lower().startswith(known.lower() + " ")):
        reading.values[requested] = first
        reading.problems.pop(requested, None)


def _drop_someone_elses(
    reading: Reading, requested: LeadField | None, others: tuple[str, ...], own_name: str | None
) -> None:
    """A name or address that is someone else's (said so earlier) is not the person's."""
    name = reading.values.get("name")
    if name is not None and is_someone_elses_name(name, others):
        del reading.values["name"]
        if requested == "name":
            reading.problems["name"] = "someone_elses"
    email = reading.values.get("email")
    if email is not None and is_someone_elses_address(email, others, own_name or name):
        del reading.values["email"]
        if requested == "email":
            reading.problems["email"] = "someone_elses"


_CLAUSE = re.compile(r"[,.;!]+|\s+-\s+")


def _leaving_words(clause: str) -> bool:
    return leaves_for_now(clause) or wants_no_details(clause) or declines(clause)


# Asked what they hope to solve: "curious whether a bot could answer the usual questions"
# says what they want it for.
_CURIOUS_WHETHER = re.compile(
    r"^\W*(?:(?:i'?m|i am|just|mostly|really|we'?re|we are)\s+)*(?:curious|wondering)\s+"
    r"(?:whether|if)\s+[^?]{12,}$",
    re.IGNORECASE,
)
_FULL_NAME = re.compile(r"\b(?:full|legal|proper|real) name(?:'s|’s| is|:| would be)?\s+", re.I)
_WISH = re.compile(
    r"^\W*(?:i|we)(?:'d| would)? (?:want|need|like|wanna|wish|hope)(?: to)? [^?]*$", re.IGNORECASE
)


def _answer_name(
    statements: str, excluded: tuple[str, ...], persons: Iterable[str], reading: Reading
) -> None:
    answer = statements  # the parts around an email or number are read one by one
    name, company, problem = _read_name_answer(answer, excluded)
    if name is None:
        # The words did not read as a name; one spaCy found inside them still may be.
        for person in persons:
            if person in _restore(answer) and name_problem(person, excluded) is None:
                try:
                    name, problem = clean_free_text("name", person), None
                except ValueError:
                    continue  # "Nah, I'll keep that to myself": spaCy's PERSON is no name
                break
    if name is None:
        if not reading.declined:
            reading.problems["name"] = problem or "not_a_name"
        return
    reading.values["name"] = name
    if company:
        found: dict[LeadField, str] = {}
        _offer_company(company, excluded, found)
        for field_name, value in found.items():
            reading.values.setdefault(field_name, value)


def _answer_company(
    statements: str, excluded: tuple[str, ...], organizations: Iterable[str], reading: Reading
) -> None:
    answer = _answer_part(statements, reading)
    value, problem = _read_company_answer(answer, excluded, others=bool(reading.values))
    if value is None:
        for organization in organizations:
            if organization in _restore(answer) and company_problem(organization, excluded) is None:
                value, problem = clean_free_text("company", organization), None
                break
    if value is not None:
        reading.values["company"] = value
    else:
        reading.problems["company"] = problem or "empty"


def _answer_part(statements: str, reading: Reading) -> str:
    # A message that also carried other details ("Dana, dana@acme.io") answers with its
    # first part; a plain answer is taken whole.
    if not reading.values:
        return statements
    return re.split(r"[,;\n]| - ", statements.strip())[0]


def _take_free_text(requested: LeadField, text: str, reading: Reading) -> None:
    answer = text
    if requested != "need" and reading.values:
        answer = re.split(r"[,;\n]| - ", text.strip())[0]
        for other in reading.values.values():
            answer = re.sub(rf"\s*(?:\b(?:at|from|with|of)\s+)?{re.escape(other)}", "", answer)
    try:
        reading.values[requested] = clean_free_text(requested, answer)
    except ValueError as error:
        reading.problems[requested] = str(error)


_EXPLICIT_FIELD = re.compile(
    r"\bmy (?:full )?(?:name|e-?mail(?: address)?|company|"
    r"business|organi[sz]ation|employer|role|title|job title|job|position)(?:'s| is)\s+\S|"
    # A number is a number: "my phone is already chaos" gives none.
    r"\bmy (?:phone(?: number)?|number|mobile|cell)(?:'s| is)\s+(?:actually\s+)?"
    r"(?:\+|\(|\d|plus\b|zero\b|oh\b|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|"
    r"eight\b|nine\b|double\b)|"
    r"\bi (?:work|am working) (?:at|for)\s+\S",
    re.IGNORECASE,
)


def states_lead_details(text: str, region: str) -> bool:
    """Whether a message plainly gives lead details: an email (typed or read out), a phone
    number, "my X is ...", "I work at ..."."""
    if _EMAIL_CANDIDATE.search(text) or _EXPLICIT_FIELD.search(text):
        return True
    if read_spoken_email(text) is not None and re.search(r"\bdot\b", text, re.I):
        return True
    return bool(phone_matches(spoken_digits(text), region))

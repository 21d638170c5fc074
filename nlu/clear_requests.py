"""Corrections to the statistical classifier where the wording itself is clear.

1. A long, rambling message ("Hi, hope you're well, we've been comparing a few tools for
   the team and honestly I'd love to see a demo next week") that DIET could not place
   (nlu_fallback) or took for small talk still carries one clear request: a demo,
   pricing or sales. The words say which, unless they say "no demo" or the like.
2. "Works with hubspot?" that DIET could not place is a question about integrations (and
   "what happens after this?" one about next steps, "why do you want my number" one
   about why a detail is needed), and
   "I have a few questions" (often taken for a request for information) announces
   questions: the bot invites them rather than starting the lead form.
3. A data-subject access request (`request_data`) needs data-subject wording: "what do
   you hold on me", "send me my personal data", "GDPR access request". "Send me some info
   about your product" is a request for product information, so it becomes the next
   guess DIET had among the product intents, or `request_info`.
4. "Just calling about your marketing software" or "I'd like to know more", which DIET
   could not place, asks to hear about the product: `request_info`.

Placed after the FallbackClassifier and before nlu.explicit_details, which still makes a
message that gives details `inform`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.interruptions import (
    ANNOUNCED_QUESTIONS,
    defers,
    has_cue,
    is_question,
    is_topic,
    only_announces,
    puts_questions_first,
    states_opt_out,
)
from bot.lead_vocabulary import names_a_tool
from bot.meeting_choice import asks_for_meeting, wants_time_first
from bot.needs import fits_question, states_a_need
from bot.question_topics import asked_topics, question_sentences
from bot.repair import asks_to_hear_it_again, opens_with_what_is_meant
from nlu.explicit_details import settle_intent

LONG_MESSAGE_WORDS = 10
# What DIET says when a long request confused it: no guess, or a greeting's or small
# talk's share of the words.
UNPLACED_INTENTS = frozenset({"nlu_fallback", "greet", "chitchat", "out_of_scope", "thank"})
_NEGATION = re.compile(
    r"\b(?:no|not|don'?t|do not|never|without|rather than|instead of|skip(?:ping)?|"
    r"no need for|neither|nor)\b[^.,;!?]{0,30}$",
    re.IGNORECASE,
)
# In order: a demo asked for with a price question is still above all a demo.
REQUEST_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "request_demo",
        re.compile(
            r"\b(?:demo|demos|demonstration|demostration|demonstation|demontration|walk ?-?through|product tour|guided tour|"
            r"show (?:me|us) (?:round|around|how (?:it|this|that|parley) works|"
            r"(?:the|your) (?:product|platform|software|tool|system|solution|app))|"
            r"see how (?:it|this|parley|your (?:system|software|product|platform)) works|"
            r"see (?:it|parley|the (?:product|platform|software|tool)) (?:in action|working|live))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "ask_pricing",
        re.compile(
            r"\b(?:price|prices|pricing|priced|cost|costs|costing|how much|fees?|charges?|"
            r"tariffs?|rates? card|price list|per (?:seat|user|month|year))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "talk_to_sales",
        re.compile(
            r"\b(?:sales (?:team|rep|reps|person|people|department|folks)|salesperson|"
            r"account (?:exec|executive|manager)|"
            # A quote asked of us, not one the person's own clients ask them for
            r"(?:(?:i|we)(?:'d| would)? (?:like|want|need)|(?:can|could|may) (?:i|we) (?:get|have)|"
            r"(?:send|give|get|email|do) (?:me|us)|request(?:ing)?|after)\s+(?:a |an |some )?"
            r"(?:\w+ )?(?:quote|quotation|proposal)|^\W*(?:a |for a )?(?:quote|quotation)s?(?: please)?\W*$|"
            r"(?:buy|purchase|licen[cs]e) (?:it|parley|this|licen[cs]es|seats))\b",
            re.IGNORECASE,
        ),
    ),
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

_ASKS_WHAT_HAPPENS = re.compile(
    r"\W*(?:(?:and|so|but|ok|okay|also|first|first of all|hmm+|um+|sorry|wait|quick question|"
    r"before (?:we|i) (?:start|begin|go on|carry on|do that|book))\W+)*(?:what|how)\b[^?]{0,40}\b(?:happens?|go through|"
    r"cover|involve|works?|look like|long)\b",
    re.IGNORECASE,
)
_MEETING_NAMED = re.compile(r"\b(?:demo|demonstration|call|meeting|walk-?through)\b", re.I)
# What DIET says when a meeting asked for in plain words confused it.
# "I'd like to set up a call with sales" is a meeting asked for, whoever it is with.
_MEETING_GUESSES = UNPLACED_INTENTS | {"request_info", "ask_capabilities", "talk_to_sales"}
_DEMO_WORDS = re.compile(
    r"\b(?:demo|demonstration|demostrations?|demonstation|demostracion|demonstracion|walk-?through|"
    r"product tour|screen ?share|live|in action)\b",
    re.I,
)
REQUEST_DATA = "request_data"
_PERSONAL = re.compile(
    r"\b(?:my|mine|myself)\b|\b(?:about|on|of|re|regarding|concerning) me\b|"
    r"\bon (?:file|record) for me\b|\bi (?:gave|told|shared|entered|typed|provided)\b|"
    r"\b(?:you|u)(?:'ve|’ve| have)? (?:\w+ )?(?:have|hold|keep|store|got) on (?:file|record)\b|"
    r"\bthis (?:chat|conversation)\b|\bwhat(?:'s| is| you have| you've got)? on (?:file|record)\b",
    re.IGNORECASE,
)
_DATA_WORDS = re.compile(
    r"\b(?:data|info|information|details|profile|records?|file|stored|store|storing|saved|"
    r"save|kept|keep|keeping|hold|holding|collected|know|got|have)\b",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(?:gdpr|dsgvo|rgpd|dsar|subject access|article 15|art\.? ?15|ccpa|dpdp|lgpd|"
    r"privacy act|data protection act|access request|right (?:of|to) access|request to know)\b",
    re.IGNORECASE,
)
PRODUCT_INTENTS = frozenset(
    {"ask_pricing", "ask_capabilities", "request_info", "request_demo", "talk_to_sales",
     "ask_integrations", "ask_data_use"}
)  # fmt: skip
REQUEST_INFO = "request_info"
REQUEST_ERASURE = "request_erasure"
_ERASURE_WORDS = re.compile(
    r"\b(?:delet\w*|eras\w*|remov\w*|forget|forgotten|wipe\w*|scrub\w*|get rid|destroy\w*|purge\w*|"
    r"clear (?:out )?(?:my|all|everything)|take (?:me|my \w+|it all) (?:off|out)|"
    r"gdpr|article 17|right to (?:be forgotten|erasure|deletion))\b",
    re.IGNORECASE,
)


# A question about integrations that DIET could not place ("works with hubspot?").
_INTEGRATION = re.compile(
    r"\b(?:integrat\w*|works? (?:together |along ?side |along )?(?:with|w/?|alongside)|connect\w* (?:to|with|into)|"
    r"sync\w* (?:to|with|into)|plugs? in(?:to)?|hooks? (?:up|in)\w*|compatible with|"
    r"links? (?:up )?(?:to|with|into)|feeds? (?:in)?to|(?:it|this|parley) (?:talk|talks) (?:to|with)|"
    r"(?:push|pushes|send|sends|pull|pulls) (?:\w+ )?(?:in)?to (?:my|our|the) \w+|"
    # "would the leads land in Jobber?", "do the contacts go straight into our CRM?"
    r"(?:leads?|contacts?|enquiries|inquiries|bookings?|details) (?:\w+ )?(?:land|go|end up|show up|"
    r"appear)s? (?:straight |directly |automatically )?(?:in|into|on)\b)\b",
    re.IGNORECASE,
)
# Working on a messaging app or network: "can it reply to tiktok messages", "does it do
# instagram dms".
_APPS = (
    r"tiktok|instagram|insta|facebook|messenger|linkedin|whatsapp|telegram|slack|discord|"
    r"wechat|viber|signal"
)
_ON_A_CHANNEL = re.compile(
    rf"\b(?:{_APPS}|tik tok|ig|fb|twitter|x|line|google business|gmb|snapchat|youtube)\b"
    r"[\w\s]{0,12}\b(?:messages?|dms?|comments?|chats?|inbox|page|account)\b|"
    # "does it work on whatsapp?", "can I use it on my wordpress site"
    r"\b(?:work|works|run|runs|available|live|use it|used|deploy\w*|install\w*|set (?:it )?up|"
    r"put it|add it)\s+(?:on|in|through|via|over|to)\s+(?:my |our |the |a )?"
    rf"(?:{_APPS}|wordpress|wix|shopify|squarespace|webflow|hubspot|salesforce)\b",
    re.IGNORECASE,
)
# What happens next, and why a detail is wanted, asked in words DIET could not place.
_NEXT_STEPS = re.compile(
    r"\b(?:what|wat|wot|wht) (?:actually |exactly |then |really )?(?:happens|happen|comes|will happen|"
    r"would happen|do (?:i|we) do|is the next step|"
    r"are the next steps|'s the next step|'s next)\b(?:\W+\w+){0,2}\W*"
    r"(?:next|now|then|after|afterwards|once|when|$)|"
    r"\bnext steps?\b|\bhow long (?:until|till|before) (?:i|we|someone|somebody|you)\b",
    re.IGNORECASE,
)
_WHY_NEEDED = re.compile(
    r"\bwhy (?:do|would|did|does) (?:you|u|ya|parley|your team) (?:need|want|ask(?: for)?|"
    r"require)\b|\bwhat (?:do|will|would) you (?:need|want|use) (?:my|the|it|that|this) "
    r"(?:\w+ ){0,2}for\b|"
    # "for what do you need the email", "what would that be used for?"
    r"\bfor what (?:do|would|will) (?:you|u) (?:need|want|use)\b|"
    r"\bwhat (?:would|will|is|'s|are) (?:that|it|this|they|those) (?:be )?(?:used|needed) for\b|"
    # "Do you genuinely need a phone number?", "is my email really necessary?"
    r"\b(?:do|does) (?:you|u|ya|parley|your team) (?:genuinely |really |actually |honestly |even )"
    r"(?:need|require)\b|"
    r"\b(?:is|are) (?:my|the|a) (?:\w+ ){0,2}(?:really |actually |genuinely )?(?:necessary|needed|"
    r"required|compulsory|mandatory)\b|"
    # "Is that required?", asked of the question just put: "is it mandatory?"
    r"^\W*(?:(?:and|but|so|sorry|wait|hmm+|um+)\W+)?(?:is|are) (?:that|it|this|those|these) "
    r"(?:one )?(?:really |actually |absolutely |strictly )?(?:necessary|needed|required|compulsory|"
    r"mandatory|obligatory)\b(?:[^.?!]{0,20})\?*\W*$",
    re.IGNORECASE,
)
# "What does it do that a plain contact form doesn't?", "what does the bot do exactly"
_WHAT_IT_DOES = re.compile(
    r"\b(?:what|wat|wot|wht) (?:does|would|can|will|dose|do) (?:it|this|the bot|your bot|parley|the (?:tool|product|"
    r"software|system|platform|assistant)|your (?:tool|product|software|system|platform))"
    r" (?:actually |exactly |really )?do\b|"
    # In a second language's word order: "what exactly your system is doing for us", "what
    # the assistant do"
    r"\b(?:what|wat) (?:exactly |actually |really )?(?:your|the|this) (?:tool|product|software|system|"
    r"platform|assistant|bot|chat ?bot|service|app) (?:is |are )?(?:do|does|doing)\b",
    re.IGNORECASE,
)
_SHARED_OR_SOLD = re.compile(
    r"\b(?:do|will|would|did) (?:you|u|ya|parley) (?:share|sell|pass (?:it |them )?on|give (?:it |them )?"
    r"(?:away|out)|rent)\b",
    re.IGNORECASE,
)
_WHAT_HAPPENS_TO_WHAT_IS_SAID = re.compile(
    r"\bwhat (?:happens|will happen|would happen|becomes of|do you do) (?:to|with) (?:what (?:they|i|we|people|"
    r"customers|visitors|you) (?:type|say|write|send|enter|give)|(?:my|our|their|the|this|that|these|"
    r"those|all (?:the|that|this)) "
    r"(?:data|details|info\w*|messages|chats?|conversations?|answers|words|recordings?))\b",
    re.IGNORECASE,
)
# "What would you do with our supporters' data?", "how do you handle my details?"
_DATA_USE = re.compile(
    r"\bwhat (?:do|would|will|does|did) (?:you|u|parley|your team|your company)"
    r"(?: guys| all| lot| folks)?(?: actually| really| exactly| then)? (?:do|use) "
    r"(?:\w+\W*){0,2}\b(?:with |w/? )?(?:my|our|the|their|\w+'?s?)?\W*(?:\w+\W+){0,2}"
    r"(?:data|details|information|info|email|emails|number)\b|"
    r"\bhow (?:do|would|will|does) (?:you|parley) (?:use|handle|store|protect|keep|process|look after) "
    r"(?:my|our|the|their|\w+'?s?)?\W*(?:\w+\W+){0,2}(?:data|details|information|info)\b|"
    # "do u sell my data", "will you share my number with anyone", "what's all this used for"
    r"\b(?:do|will|would|are|did) (?:you|u|ya|parley|you guys) (?:going to |gonna )?"
    r"(?:sell|share|pass (?:on|along)|give away|rent|trade)\b[^.?!]{0,25}?"
    r"\b(?:data|details|info|information|email|number|address)\b|"
    # "ur not gonna spam me right?"
    r"\b(?:you|u|ya|you guys|you're|youre|ur)\s+(?:are\s+|r\s+)?(?:not|never|n'?t)\s+"
    r"(?:gonna|going to|going|gunna)\s+(?:spam|sell|share)\b|"
    r"\bwhat(?:'s| is|s)? (?:all )?(?:this|that|my (?:data|info|information|details)) (?:used|going to be used|for)\b|"
    # Where it is kept: "do you keep the data in Europe?", "where is customer data stored?"
    r"\b(?:do|does|will|is|are) (?:you|u|parley|it|the data|my data|our data)\s+(?:\w+\s+){0,3}?"
    r"(?:kept|keep|stored?|host(?:ed)?|held|hold|process(?:ed)?) (?:\w+\s+){0,2}?(?:in|inside|within|on) "
    r"(?:the )?(?:eu|europe|uk|us|usa|germany|india|australia|canada|our country|the cloud|servers?)\b|"
    r"\bwhere (?:is|are|do you|does parley|will) (?:\w+\s+){0,3}?(?:data|details|information|info)?\s*"
    r"(?:be\s+)?(?:stored|kept|held|hosted|store|keep|hold|host)\b",
    re.IGNORECASE,
)
_PUNCTUATION_ONLY = re.compile(r"[\s!?.,;:'\"()\[\]{}\-_*#~…¿¡]+")
_THANKS_WORDS = re.compile(
    r"\b(?:thank\w*|thx|thnx|thanx|ty|tysm|tq|cheers|ta|appreciat\w*|grateful|obliged|"
    r"help\w*|great|brilliant|perfect|awesome|lovely|cool|nice|legend|star|kind|"
    r"gracias|merci|danke|grazie|obrigad\w*|shukriya|dhanyavad\w*|arigato|asante|spasibo)\b|"
    r"[\U0001f44d\U0001f64f\u2764]",
    re.IGNORECASE,
)
_MUST_I = re.compile(
    r"\b(?:do|must|should|have) (?:i|we) (?:really )?(?:have to|need to|got to|gotta|to)\s+"
    r"(?:give|tell|share|say|provide|answer|fill in|hand over)\b|"
    r"\bis (?:it|that|this|the \w+) (?:really )?(?:required|mandatory|necessary|compulsory|"
    r"obligatory|needed)\b|\b(?:is|are) (?:it|that|this|they) optional\b",
    re.IGNORECASE,
)
# "Wait, am I talking to a real person?" sits between asking for one and asking what the
# bot is; the words ask what it is.
_BOT_CHALLENGE = re.compile(
    r"\b(?:am i|are we|i am|i'm|we are|we're) (?:talking|speaking|chatting|writing|texting) "
    r"(?:to|with) (?:a |an |the |this |your )?(?:real |actual |live )?"
    r"(?:person|human|bot|robot|machine|computer|ai|recording)\b|"
    r"\bare you (?:a |an )?(?:real|human|bot|robot|machine|computer|ai|person|actual person)\b|"
    # "is this the bot itself", "is that your robot"
    r"\bis (?:this|that) (?:a |an |the |your )?(?:bot|robot|real person|human|machine|computer|ai)\b"
    r"(?!\s+(?:that|which|for|to|i|we|you)\b)|"
    # In the speaker's own language: "bot po ba kayo or tao?", "je parle à un robot ou à une
    # vraie personne?", "¿eres un bot?", "é um robô?", "aap asli insaan ho"
    r"\bbot (?:po )?ba\b|\btao (?:po )?ba\b|\b(?:je parle|c'est|vous êtes|t'es|tu es) (?:à |a )?un robot\b|"
    r"\beres (?:un )?(?:bot|robot|humano|persona real)\b|\b(?:é|e|você é|vc é) (?:um )?rob[oô]\b|"
    r"\b(?:asli|real) (?:insaan|insan|aadmi)\b",
    re.IGNORECASE,
)
# "Just calling about your marketing software", "I want to know more about your program":
# the person wants to hear about the product, in words DIET could not place.
_PRODUCT_NOUN = (
    r"(?:products?|software|program(?:me)?s?|platforms?|tools?|services?|systems?|apps?|"
    r"solutions?|bots?|chat ?bots?|assistants?|parley|offerings?|things?|widgets?)"
)
_ABOUT_PRODUCT = re.compile(
    rf"\b(?:about|regarding|re|on|in|for)\s+(?:your|the|this|parley'?s?)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?{_PRODUCT_NOUN}\b|"
    # "I'm calling regarding a lead management solution"
    rf"\b(?:calling|ringing|phoning|writing|reaching out|enquiring|inquiring|asking)\s+"
    rf"(?:about|regarding|re|concerning|for)\s+"
    rf"(?:(?:getting|buying|setting up|trying|using|adding|having|signing up for)\s+)?"
    rf"(?:a|an|the|some|these|those|one of (?:these|those|your|them|the))\s+"
    rf"(?:[\w-]+\s+){{0,3}}?{_PRODUCT_NOUN}\b|"
    r"\b(?:know|hear|learn|find out|understand|read)\s+(?:a (?:bit|little) |some(?:thing)? )?"
    r"more\b|\binterested in (?:parley|you|what you do)\b|"
    # "keen to see how your platform handles sms campaigns"
    r"\b(?:see|know|hear|learn|find out|understand|check out|look at)\s+how\s+(?:your|the|this|parley)\s+"
    r"(?:\w+\s+)?(?:works?|handles?|does|manages?|deals with|runs?|copes)\b|"
    # "asked to gather information on website enquiry tools"
    r"\b(?:gather|collect|get|find|pull together|look for)(?:ing)?\s+(?:some\s+)?"
    r"info(?:rmation)?\s+(?:on|about|regarding|for)\b|"
    r"\b(?:comparing|evaluating|assessing|looking at|shortlisting|researching)\s+(?:a few\s+|some\s+|different\s+)?"
    r"(?:vendors|options|tools|solutions|providers|platforms|products|suppliers|chatbots?)\b|"
    r"\bshopping around\b|"
    # "kindly share details of your marketing automation product"
    r"\b(?:share|send|give|tell)\s+(?:me\s+|us\s+)?(?:some\s+|more\s+|the\s+|full\s+)?"
    r"(?:details|info|information|particulars)\s+(?:of|about|on|regarding)\s+(?:your|the|this)\b|"
    # "I'd like some information please", "can I get more info"
    r"\b(?:like|want|need|get|have|send|give|after|looking for)\s+(?:to\s+(?:know|get|have|see|hear)\s+)?"
    r"(?:me\s+|us\s+)?(?:some|more|a bit of|"
    r"a little|any|further)\s+(?:info|information|details)\b",
    re.IGNORECASE,
)
# What DIET says when a need or a fit question confused it (chosen from how it misread
# them: a fit question as one about integrations; never opting in or out, which "no
# texts, my phone is already chaos" is).
_NEED_GUESSES = UNPLACED_INTENTS | {
    "bot_challenge",
    "ask_integrations",
    "ask_next_steps",
    "affirm",
}


# A question in the words, even without its question mark ("does it work with xero",
# "it work with salesforce" from a caller).
_ASKS = re.compile(
    r"\?\s*$|^\s*(?:and\s+|so\s+|but\s+)?(?:does|do|can|will|would|could|is|are|it|has)\b",
    re.IGNORECASE,
)
_DATA_MENTIONED = re.compile(
    r"\b(?:data|details|info|information|privacy|gdpr|personal|email|number|address|stored?|"
    r"sell|share|used? for)\b",
    re.IGNORECASE,
)
# Asking to see one's own data in words DIET took for a product question or could not place.
_YOU_HOLD = (
    r"(?:do |did |does )?(?:you|u|y'?all|you guys)(?:'ve|’ve| have)?\s+(?:\w+\s+)?"
    r"(?:have|hold|keep|store|stored|kept|got|collected)"
)
_ASKS_FOR_OWN_DATA = re.compile(
    r"\b(?:what|which|whatever|see|know|find out|check|show me|tell me|copy of)\b[^.?!]{0,40}?"
    r"\b(?:(?:personal )?(?:data|info\w*|details|records?) "
    rf"(?:{_YOU_HOLD}|about me|on me|of mine)|"
    rf"{_YOU_HOLD} (?:on|about) (?:me|file|record)|"
    # "I would only like to see the data, thank you." (in a conversation about it)
    r"(?<=see )(?:the|my) (?:personal )?data(?=\W*(?:,|\.|$|thank|please))|"
    # "what personal information your company has on file about me"
    r"(?:personal )?(?:data|info\w*|details|records?)\b[^.?!]{0,40}?\b(?:about|on|of) me)\b",
    re.IGNORECASE,
)
# "...I downloaded a pricing guide... I would like to see what you have stored about me": the
# product words tell the story, the last words ask for the person's data.
_DATA_REQUEST_GUESSES = UNPLACED_INTENTS | PRODUCT_INTENTS
_STATEMENT_GUESSES = frozenset({"inform", "chitchat", "out_of_scope"})
# "Am I talking to a robot?" is taken for a request for a person as often as not.
_CHALLENGE_GUESSES = frozenset({"nlu_fallback", "human_handoff", "chitchat", "out_of_scope"})
# "Just connect me", "put me through": asking to be passed to a person, in words DIET
# could not place.
# Someone at Parley, as a person asks to speak with one.
_A_PERSON = (
    r"(?:someone|somebody|a\s+(?:real\s+|actual\s+|live\s+)?(?:person|human|rep|agent|salesperson|"
    r"human being)|an\s+(?:actual|real)\s+person)"
)
_CONNECT_ME = re.compile(
    r"\b(?:connect|put|transfer|patch|pass|send)\s+me\s+(?:through|over|on|to\s+"
    r"(?:someone|somebody|a\s+(?:person|human|rep|agent)|sales|your\s+team|the\s+team))\b|"
    r"^\W*(?:just\s+|please\s+|ok(?:ay)?,?\s+)?connect\s+me\W*(?:now|please)?\W*$|"
    # "I just need to speak to somebody", "let me talk to a real person"
    rf"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:{_A_PERSON}|some\s+one|a\s+real\s+one)\b|"
    # In the speaker's own language: Swahili, Hindi, Tagalog, Spanish, French, Portuguese
    r"\bkuongea na mtu\b|\b(?:kisi )?(?:insaan|insan|aadmi|person) se baat\b|\bmakausap (?:ang |ng |po ang )?"
    r"(?:tao|tunay na tao|agent)\b|\bhablar con (?:una persona|alguien|un humano|ventas)\b|"
    r"\bparler (?:à|a|avec) (?:quelqu'un|une personne|un humain|un conseiller)\b|"
    r"\bfalar com (?:uma pessoa|algu[eé]m|um humano|um atendente)\b|"
    # "I'd rather go through all that with a person", "prefer to discuss it with a human"
    r"\b(?:discuss|go(?:ing)?\s+(?:through|over)|run\s+through|sort|deal\s+with|talk\s+about|"
    rf"handle)\b[^.?!]{{0,30}}?\bwith\s+{_A_PERSON}\b|"
    # "just get someone to ring me back", "have somebody call me"
    r"\b(?:get|have|ask|send)\s+(?:someone|somebody|some\s+one|a\s+(?:person|human|rep)|one of "
    r"(?:your|the)\s+(?:team|people|guys|staff))\s+(?:to\s+)?(?:call|ring|phone|contact|get back to)"
    r"\s+me\b|"
    # "just a human pls, no offence", "a real person please": a person, and only a person
    r"^\W*(?:(?:just|only|ok(?:ay)?|look|please|pls|plz)\W+)*(?:a|an)\s+(?:real\s+|actual\s+|live\s+)?"
    r"(?:human(?:\s+being)?|person|agent|rep|representative|operator)"
    r"(?:\W+(?:please|pls|plz|thanks|thx|now|mate|sorry|no offen[cs]e|lol))*\W*$",
    re.IGNORECASE,
)
# Asking a question about people rather than for one: "why do you need me to speak to
# someone?" is answered, not handed off.
_OTHER_PERSON_INTENTS = frozenset({"human_handoff", "talk_to_sales"})
# "Connect me now" is taken for a goodbye as often as for nothing at all.
_CONNECT_GUESSES = UNPLACED_INTENTS | {"goodbye"}
ANNOUNCED_AS = frozenset(
    {"request_info", "ask_why_needed", "nlu_fallback", "cancel", "book_meeting", "request_demo",
     "greet", "chitchat", "out_of_scope", "affirm"}
)  # fmt: skip
ASK_CAPABILITIES = "ask_capabilities"
_ASKED_THE_PRODUCT = frozenset({ASK_CAPABILITIES, REQUEST_INFO})
# What DIET says when an erasure request in plain words confused it.
_ERASURE_GUESSES = UNPLACED_INTENTS | {"cancel", "opt_out"}
# "i don't want any more messages just remove my information" taken for a question about
# the product: the verb asks to erase (never "GDPR" alone, which asks to see as often).
_PRODUCT_GUESSES = frozenset({"request_info", "ask_capabilities"})
_ERASE_VERB = re.compile(
    r"\b(?:delet\w*|eras\w*|remov\w*|wipe\w*|scrub\w*|get rid|destroy\w*|purge\w*)\b", re.I
)
# A deferral DIET already read as a refusal, or as asking for a person (handled as one).
_DEFERRAL_KEPT = frozenset({"skip", "deny", "human_handoff", "talk_to_sales"})


def announces_questions(text: str) -> bool:
    return only_announces(text, ANNOUNCED_QUESTIONS)


def clear_request(text: str) -> str | None:
    """The one request a long message makes, or None when it makes none (or is short)."""
    if len(WORD.findall(text)) < LONG_MESSAGE_WORDS:
        return None
    return _first_request(text)


def _first_request(text: str) -> str | None:
    """The first request cue in the words that no negation turns down."""
    for intent, cue in REQUEST_CUES:
        for match in cue.finditer(text):
            before = text[: match.start()]
            if _NEGATION.search(before) or _SOMEONE_ELSES_REQUEST.search(before):
                continue
            if intent in _PERSON_ASKED_FOR and _A_TIME_TO.search(before):
                continue  # "set up a time to talk to somebody": a meeting, asked for below
            return intent
    return None


# "which of those people actually want a demo", "customers ask for pricing": what the
# person's own customers ask of them, not a request to us.
_SOMEONE_ELSES_REQUEST = re.compile(
    r"\b(?:people|customers|clients|leads|visitors|prospects|guests|patients|parents|buyers|"
    r"users|signups|sign-ups|they|them|who|ones|folks)\s+(?:\w+\s+)?(?:actually\s+|really\s+|just\s+)?"
    r"(?:want|wants|wanted|ask|asks|asked|request|requests|requested|book|books|booked|need|"
    r"needs)\s+(?:for\s+)?(?:a\s+|an\s+|the\s+|some\s+)?$",
    re.IGNORECASE,
)


def _any_request(text: str) -> str | None:
    """A clear request in a message of any length, or a wish to hear about the product."""
    return (
        _first_request(text)
        or _about_the_product(text)
        or (REQUEST_INFO if states_a_need(text) else None)
    )


def _about_the_product(text: str) -> str | None:
    match = _ABOUT_PRODUCT.search(text)
    if match is None or _NEGATION.search(text[: match.start()]):
        return None
    return REQUEST_INFO


# Words any question about price has: "what's the damage", "is there a free tier".
_MONEY_WORDS = re.compile(
    r"\b(?:pric\w*|cost\w*|ballpark|worth it|cheap\w*|expensive|pricey|afford\w*|money|pay\w*|paid|fees?|"
    r"charg\w*|rates?|tariffs?|budget\w*|plans?|tiers?|packages?|quotes?|quotation|subscription\w*|"
    r"licen[cs]\w*|trial|free|discount\w*|invoice\w*|billing|bill|much|damage|outlay|set (?:me|us) back|"
    r"per (?:seat|user|month|year)|monthly|annual\w*|dollars?|euros?|pounds?|bucks|quid|grand|"
    r"precio|preis|prix|prezzo|preço)\b|[$€£¥₹]",
    re.IGNORECASE,
)
_SPEAK_TO_SALES = re.compile(
    r"\b(?:speak|talk|chat|call)\w*\s+(?:with|to)\s+(?:someone\s+(?:from|in|on)\s+)?(?:your|the|a)\s+"
    r"sales\b",
    re.IGNORECASE,
)


# A job with "operator" in it, said as what the person does.
_OPERATOR_ROLE = re.compile(
    r"^\W*(?:(?:i'?m|i am|im|just|the|an?|me|it'?s)\s+)*(?:owner|machine|equipment|plant|crane|"
    r"forklift|tour|system|network|camera|radio|telecoms?|computer|fleet|site)[- ]?operators?"
    r"(?:\s+(?:here|really|mate|basically|and \w+))*\W*$",
    re.IGNORECASE,
)


# "can i just speak to whoever i spoke to before", "can I talk to the same person as last
# time": a request, whatever its question form.
_SAME_PERSON_AGAIN = re.compile(
    r"\b(?:can|could|may)\s+i\s+(?:just\s+|please\s+)?(?:speak|talk)\s+(?:to|with)\s+"
    r"(?:whoever|the (?:same )?(?:person|guy|lady|woman|man|one)|the same|him|her|them)\b.{0,40}"
    r"\b(?:before|last time|earlier|last week|yesterday|previously|again)\b",
    re.IGNORECASE,
)


# "can i talk to one of your people", "could I speak with a real person": asked as a
# question, meant as a request.
_CAN_I_TALK_TO_SOMEONE = re.compile(
    r"\b(?:can|could|may)\s+i\s+(?:please\s+|just\s+)?(?:talk|speak|chat)\s+(?:to|with)\s+"
    r"(?:one of your (?:people|team|staff|colleagues)|some(?:one|body)(?! (?:about|who))|a (?:real |live |actual )?"
    r"(?:person|human|rep|representative|salesperson)|an? (?:actual |real )?(?:agent|human))\b",
    re.IGNORECASE,
)


def _asks_for_a_person(text: str) -> bool:
    """ "Look, I just need to speak to somebody": the person asks for one for themselves,
    not about one ("my team will speak to someone", "can I speak to someone?" is asked)."""
    if _SAME_PERSON_AGAIN.search(text) or _CAN_I_TALK_TO_SOMEONE.search(text):
        return True
    found = _CONNECT_ME.search(text)
    if found is None or is_question(text):
        return False
    before = text[: found.start()]
    return not _SOMEONE_ELSE_SPEAKS.search(before) and not _A_TIME_TO.search(before)


# A time asked for, to speak to someone then: "arrange a time to speak with somebody" is a
# meeting, not a person now.
_A_TIME_TO = re.compile(
    r"\b(?:a|some|the) (?:good |convenient |suitable )?(?:time|date|slot|call|meeting|appointment)"
    r"\s+(?:to|for|when i can|where i can)\s*$",
    re.IGNORECASE,
)


# The one who would speak, just before the words: "my team will speak to someone" (not
# "we've a glamping site and I'd rather talk to a real person").
_SOMEONE_ELSE_SPEAKS = re.compile(
    r"\b(?:we|they|he|she|my (?:team|boss|manager|colleague)|our (?:team|staff|people)|"
    r"the (?:team|staff))(?:'d|'ll|'re|'ve)?\s+(?:[\w']+\s+){0,3}$",
    re.IGNORECASE,
)


def is_data_subject_request(text: str) -> bool:
    """Whether the words ask about the person's own data (or name the legal right)."""
    if _LEGAL.search(text):
        return True
    if _MY_DATA.search(text):
        return True
    # "my nephew told me to give you a call, I've got a hardware store": "my" and "got"
    # in a story about the business are no request about the person's data.
    personal = [m for m in _PERSONAL.finditer(text) if m.group(0).lower() not in ("my", "mine")]
    return bool(personal and _DATA_WORDS.search(text))


_MY_DATA = re.compile(
    r"\b(?:my|mine|myself)\b(?:\s+\w+)?\s+(?:personal\s+)?(?:data|info|information|details|"
    r"profile|records?|file|email|number|address|conversation|chat|messages)\b|"
    r"\b(?:my|mine)\b[^.?!]{0,40}\b(?:stored|storing|store|saved|kept|keep|keeping|holding|hold|"
    r"collected)\b",
    re.IGNORECASE,
)


def product_intent_instead(ranking: list[dict[str, Any]]) -> str:
    """DIET's best guess among the product intents, else a request for information."""
    for candidate in ranking:
        name = candidate.get("name")
        if name in PRODUCT_INTENTS:
            return str(name)
        if name not in (REQUEST_DATA, "nlu_fallback"):
            break  # the next guess is something else entirely: not worth trusting
    return REQUEST_INFO


# A goodbye said alone, in the words of English speakers abroad and of other languages.
# "please don't text me before noon": when to be contacted, not a withdrawal.
_WHEN_TO_CONTACT = re.compile(
    # not "before I go", "after all": no time of day
    r"\b(?:before(?! (?:i|you|we) (?:go|forget|leave)\b)|after(?! all\b)|until|till|during|between|"
    r"except|unless|at night|in the (?:morning|"
    r"evening|afternoon)|on (?:week(?:end|day)s?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?))\b",
    re.I,
)
_PERSON_ASKED_FOR = frozenset({"human_handoff", "talk_to_sales"})
_AGENT_AS_A_JOB = re.compile(
    r"\b(?:(?:real estate|estate|insurance|travel|sales|leasing|letting|lettings|booking|listing|buyer'?s?|"
    r"seller'?s?|property|customs|shipping|talent|literary|mortgage|freight|ticket|rental|support|"
    r"customer service|call cent(?:er|re)|licensed|senior|junior|lead|principal|managing)\s+agents?\b|"
    r"\bagent\s*(?:/|&|\band\b|,)\s*(?:team lead|broker|owner|manager|director|realtor|partner|founder)|"
    r"(?:team lead|broker|owner|manager|director|realtor|partner|founder)\s*(?:/|&|\band\b|,)\s*agent\b|"
    r"\bi(?:'m| am) (?:an?|the) (?:\w+ )?agent\b)",
    re.I,
)
_ASKS_FOR_ONE = re.compile(
    r"\b(?:talk|speak|chat|connect|transfer|put (?:me )?through|get (?:me )?|give me|want|need|"
    r"like|prefer|rather|reach|call me|an? (?:real|live|human|actual)|please|pls|can i|could i|"
    r"is there)\b",
    re.I,
)
_FAREWELL_ALONE = re.compile(
    r"(?:(?:ok(?:ay)?|right|well|thanks?|thank you|cheers)\W+)?"
    r"(?:doei|dag|tot ziens|doeg|tschü(?:ss|s)|tschuess|tschau|auf wiedersehen|ciao|"
    r"hej ?då|ha det(?: bra)?|farvel|moi moi|näkemiin|adiós|adios|hasta luego|chao|"
    r"au revoir|à plus|a plus|arrivederci|tchau|até logo|do widzenia|"
    r"ta[- ]?ra|cheerio|ta ta|toodle[- ]?oo|laters|catch ya|catch you later|see ya|"
    r"bye[- ]?bye|bye for now|goodbye|good bye|bye|alvida|khuda hafiz|sayonara|totsiens|"
    r"hamba kahle|sala kahle|hooroo|ooroo|catch you round|see you round|see ya later|"
    r"bonne journée|bonne journee|bonne soirée|bonne soiree|"
    r"que tengas (?:un )?buen día|schönen tag(?: noch)?|fijne dag|prettige dag|"
    r"tenha um bom dia|rab rakha|allah hafiz|phir milenge|"
    r"ingat|paalam|kwaheri|jumpa lagi|ma'?a ?salama|"
    # "mi gone, likkle more" (Jamaican), "gotta go", "I'm off now"
    r"(?:mi|me|i'?m) gone|likkle more|walk good|(?:gotta|got to|have to|gtg) go|i'?m off now)"
    r"(?:\W+(?:then|now|all|folks|mate|everyone|and thanks|thanks|thank you|cheers|likkle more|"
    r"laters|bye))*\W*",
    re.IGNORECASE,
)


# A word of leaving anywhere in a message, beyond the goodbye cue's: the farewells above,
# and "kind regards", "I'll be off now", "that's me done", "until next time", "gtg".
_FAREWELL_SAID = re.compile(
    rf"(?:^|\W)(?:{_FAREWELL_ALONE.pattern})(?:$|\W)|"
    r"\b(?:regards|sincerely|farewell|until next time|(?:be|i'?m) off|that'?s me done|me done|"
    r"done here|that'?ll be all|that'?s it from me|leave it there|gtg|g2g|ttfn|laters|adios|"
    r"hasta|sayonara|bient[oô]t|toodle\w*|ta[- ]ta|at[eé] (?:[aà] )?(?:pr[oó]xima|logo|amanh[aã]|breve)|peace out|catch (?:ya|you)|logging off|"
    r"no more questions|(?:that'?s|that is) everything i (?:wanted|needed)|all clear now|"
    r"night|(?:i'?m|i am) (?:done|finished)|bslama|besslama|salaam|shalom|do zobaczenia|"
    r"hoşça ?kal|görüşürüz|selamat tinggal|tot straks|mabuhay|chào|tạm biệt|ha det|"
    r"heading (?:out|off|home)|head(?:ing)? off|talk to (?:you|ya|u) (?:tomorrow|then|soon|later|"
    r"next \w+|another time)|leave you (?:to it|be)|love you and leave you|i'?m away|off now|"
    r"signing out)\b",
    re.IGNORECASE,
)


_MEETING_IN_THE_PAST = re.compile(
    r"\b(?:booked|had|did|attended|requested|asked for|signed up for|filled (?:in|out)|left|sat in on)"
    r"\b[^.?!]{0,30}\b(?:demo|call|meeting|form|webinar|trial)s?\b",
    re.IGNORECASE,
)


# Deleting asked about for some other time: "if I change my mind", "later on", "ever".
_ERASE_LATER = re.compile(
    r"\b(?:if|when|once|in case|should)\s+(?:i|we)\b|\b(?:later(?: on)?|in (?:the )?future|"
    r"down the (?:line|road)|any ?time|afterwards|ever|at some point)\b|"
    r"\b(?:is it possible|would i be able|will i be able|am i able)\b",
    re.IGNORECASE,
)


# The common questions' intents, by the topic whose plain words a question uses.
_TOPIC_INTENTS = {
    "pricing": "ask_pricing",
    "integrations": "ask_integrations",
    "data_use": "ask_data_use",
    "bot": "bot_challenge",
    "what_it_does": "ask_capabilities",
}


# "does your chat widget work on an iphone?": a yes-or-no question about the product.
_YES_NO_QUESTION = re.compile(
    r"(?:^|[.!?]\s+|^\W*(?:hi|hello|hey|hiya)(?: there)?\W+)(?:does|do|is|are|will|would|can it|"
    r"can your|can the)\b",
    re.IGNORECASE,
)
# "do you have a brochure?", "is there a datasheet you can send": material asked for.
_MATERIAL = re.compile(
    r"\b(?:brochures?|deck|pdf|data ?sheets?|leaflets?|flyers?|one[- ]pagers?|documents?|docs|"
    r"info|information|details|summary|overview|catalog(?:ue)?|price ?list|send|e-?mail|mail|"
    r"forward)\b",
    re.IGNORECASE,
)
# Guesses that say little about what was asked: a marketer's topic close behind wins.
_GENERIC_GUESSES = frozenset({REQUEST_INFO, "nlu_fallback", "out_of_scope", "chitchat", "inform"})
_TOPIC_CLOSE_BEHIND = 0.05


def _marketers_topic(ranking: list[dict[str, Any]]) -> str | None:
    """A marketer's topic intent among DIET's first three guesses, with some confidence."""
    for guess in ranking[:3]:
        name = str(guess.get("name") or "")
        if is_topic(name) and float(guess.get("confidence") or 0.0) >= _TOPIC_CLOSE_BEHIND:
            return name
    return None


# Guesses that say little when the message asks one of the common questions, with the
# topics each already leads to: a request for information answers what Parley does and
# what it costs; an unplaced message's own checks (above) find what comes next.
_UNPLACED_QUESTION_GUESSES: dict[str, frozenset[str]] = {
    "nlu_fallback": frozenset({"next_steps"}),
    "chitchat": frozenset(),
    "out_of_scope": frozenset(),
    "inform": frozenset(),
    "skip": frozenset(),
    "deny": frozenset(),
    "request_info": frozenset({"what_it_does", "pricing"}),
}
_ASKED_TOPIC_INTENTS = {
    **{t: i for t, i in _TOPIC_INTENTS.items() if t != "bot"},
    "next_steps": "ask_next_steps",
    "why_needed": "ask_why_needed",
}


# Topics whose words leave no doubt ("a bot that books demos" asks what it does).
_NAMED_PLAINLY = frozenset({"pricing", "integrations", "data_use", "why_needed"})
# Requests the classifier may guess for a short question about something else.
_ALREADY_ASKED_FOR = frozenset({"request_demo", "book_meeting"})
_MEETING_WORDS = re.compile(
    r"\b(?:demo\w*|meet\w*|call|calls|book\w*|appointment|slot|walk ?through|show (?:me|us)|"
    r"see it|schedule|sales|someone|somebody|person|talk)\b",
    re.I,
)


def _topic_named_plainly(text: str) -> str | None:
    """The one topic the message asks about, when its words leave no doubt."""
    topics = asked_topics(text)
    if len(topics) != 1 or topics[0] not in _NAMED_PLAINLY:
        return None
    # "could this work with a dental practice?" asks whether it fits, not what it
    # connects to: a tool named, or connecting words, make it integrations.
    if topics[0] == "integrations" and not (names_a_tool(text) or _INTEGRATION.search(text)):
        return None
    return topics[0]


_LEAVES_ONE_OUT = re.compile(
    r"\b(?:leave|keep)\s+(?:the|my|that|this|it)\s*(?:phone|number|mobile|cell|e-?mail|company|role|"
    r"job title|title|name|address|one)?\s*(?:number\s+)?(?:off|out|blank|empty)\b",
    re.IGNORECASE,
)
# Erasing one's own data asked for outright, with the verb: "please remove all my personal
# data", "delete my details from your system".
_ERASE_MY_DATA = re.compile(
    r"\b(?:please\s+|kindly\s+|i want you to\s+|i'?d like you to\s+|can you\s+|could you\s+)?"
    r"(?:delete|erase|remove|wipe|purge|destroy|get rid of)\s+(?:all\s+(?:of\s+)?)?(?:my|our)\s+"
    r"(?:personal\s+|contact\s+)?(?:data|details|information|info|records?|profile|contact details)\b",
    re.IGNORECASE,
)
# Stopping marketing weighed, not asked for: "whether to unsubscribe or not", "I might opt
# out later".
_UNDECIDED_OPT_OUT = re.compile(
    r"\b(?:whether|if)\s+(?:or not\s+)?(?:to|i should|i'?ll|i will|i want to|we should)\s+"
    r"(?:\w+\s+)?(?:unsubscribe|opt(?:-| )?out)\b|"
    r"\b(?:decid\w*|thinking (?:about|of)|consider\w*|wondering)\b[^.?!]{0,25}?"
    r"\b(?:unsubscrib\w*|opt(?:-| )?out|opting out)\b|"
    r"\b(?:might|may|could)\s+(?:\w+\s+)?(?:unsubscribe|opt(?:-| )?out)\b",
    re.IGNORECASE,
)


# The person's customers asking for prices, told as their situation.
_OTHERS_WANT_PRICES = re.compile(
    r"\b(?:people|customers|clients|visitors|folks|buyers|users|leads|they|patients|guests|"
    r"homeowners|callers|shoppers|families|couples|tourists)\s+(?:\w+\s+)?(?:want|wants|ask|asks|"
    r"asking|need|needs|request|requests|are after|looking)\s+(?:for\s+)?(?:a\s+|an\s+)?"
    r"(?:quotes?|pric\w+|estimates?|quotations?)\b",
    re.IGNORECASE,
)
_I_WANT_PRICES = re.compile(
    r"\b(?:i|we|i'?d|we'?d)\s+(?:\w+\s+)?(?:want|need|like|would like)\s+(?:to\s+(?:get|have|see)\s+)?"
    r"(?:a\s+|your\s+)?(?:quote|pric\w+|estimate|quotation)\b",
    re.IGNORECASE,
)
# The person's own customers getting in touch, told as their situation.
_THEIR_ENQUIRIES = re.compile(
    r"\b(?:enquir\w*|inquir\w*|leads|bookings?|reservations?|messages|calls|questions|orders|"
    r"requests)\b[^.?!]{0,30}?\b(?:come in|comes in|coming in|pour(?:s|ing)? in|flood(?:s|ing)? in|"
    r"pil(?:e|es|ing) up|from everywhere|go unanswered|get missed|get lost|slip through)\b|"
    r"\b(?:we|i) (?:get|receive|miss|lose)\s+(?:so many|a lot of|lots of|loads of|tons of|too many|"
    r"hundreds of|dozens of)\s+(?:\w+\s+)?(?:enquir\w*|inquir\w*|leads|bookings|messages|calls|"
    r"questions|requests)\b",
    re.IGNORECASE,
)
# Below this, a "cancel" said in no words of stopping is DIET's guess, not the person's wish.
_SURE_OF_A_STOP = 0.6


def corrected_intent(text: str, intent: str, ranking: list[dict[str, Any]]) -> str | None:
    """The intent the wording calls for, or None to leave DIET's choice alone."""
    if (
        intent != "nlu_fallback"
        and opens_with_what_is_meant(text)
        and not asked_topics(text)
        # "what do you mean you need my email?" asks why
        and not re.search(r"\b(?:need|want|why)\b", text, re.I)
    ):
        # "what you mean, like who's the boss": what the question asked means, which the
        # fallback explains; no question about the product (DIET guessed data use).
        return "nlu_fallback"
    if intent in ("goodbye", "skip", "cancel") and puts_questions_first(text):
        # "later later first the questions": the details later, the questions now; no
        # goodbye (it had ended the conversation of someone with questions to ask).
        return "ask_capabilities"
    corrected = _corrected_intent(text, intent, ranking)
    if (
        corrected is None
        and intent == "cancel"
        and not has_cue("cancel", text)
        and float((ranking[0] if ranking else {}).get("confidence") or 0.0) < _SURE_OF_A_STOP
    ):
        # "i want to ask if it can handle the moving quote requests that come in on
        # weekends": no word of stopping, and DIET unsure; stopping the form on a guess
        # loses what the person was telling us.
        topics = asked_topics(text)
        return _ASKED_TOPIC_INTENTS.get(topics[0], "inform") if len(topics) == 1 else "inform"
    final = corrected or intent
    if final in _DETAIL_PREEMPTED and _only_the_address_names_it(text):
        # "karthik dot r plus demo at rks exports dot in": an address with "demo" in it
        # is the address asked for, not a request for a demo that would set it aside.
        return "inform"
    if final in _GENERIC_GUESSES and (topic := _marketers_topic(ranking)) is not None:
        # "got any vacancies for designers?": a topic the marketers taught (studio/topics.py)
        # that DIET ranked close behind a generic guess is what the person asked about.
        return topic
    if (
        final == REQUEST_INFO
        and is_question(text)
        and not (asks_for_meeting(text) or fits_question(text) or states_a_need(text))
        and not _ABOUT_PRODUCT.search(text)
        and not _DATA_MENTIONED.search(text)
        and _YES_NO_QUESTION.search(text)
        and not _MATERIAL.search(text)
    ):
        # "does your chat widget work on an iphone?" taken for a request for information:
        # a question, answered as one (the marketers' list first), not the lead form.
        final = corrected = ASK_CAPABILITIES
    if (
        final == "ask_data_use"
        and not _DATA_MENTIONED.search(text)
        and asked_topics(text) == ["what_it_does"]
    ):
        # "Concretely, what does your bot do when a client writes on our site?": what it
        # does with the client's message, no word of anyone's data.
        return _ASKED_TOPIC_INTENTS["what_it_does"]
    if (
        final == "ask_why_needed"
        and not _WHY_NEEDED.search(text)
        and not _A_DETAIL_NAMED.search(text)
        and asked_topics(text) == ["what_it_does"]
    ):
        # "Hi, just curious what this is about": what Parley is, no detail asked about.
        return _ASKED_TOPIC_INTENTS["what_it_does"]
    plain = _topic_named_plainly(text)
    if (final in _TOPIC_INTENTS.values() or final == REQUEST_INFO) and plain is not None:
        # "does it work with wordpress because that's what my site is on", taken for a
        # question about what it does: the question's own words name its topic.
        named = _ASKED_TOPIC_INTENTS[plain]
        if named != final:
            return named
    if (
        final in _ALREADY_ASKED_FOR
        and plain is not None
        # "Do I really have to give you all this just to book a call?" asks why, whatever
        # it is for
        and (
            plain == "why_needed"
            or not (
                asks_for_meeting(text)
                # "would the leads land in Jobber? That's where we schedule everything":
                # the words of the question, not of the remark after it
                or any(_MEETING_WORDS.search(q) for q in question_sentences(text) or [text])
            )
        )
    ):
        # "hubspot?" or "is it a locked in contract or month to month?" taken for a demo
        # request: a question about one topic, with no word of a demo or a meeting in it.
        return _ASKED_TOPIC_INTENTS[plain]
    if (
        (corrected or intent) == "request_erasure"
        and is_question(text)
        and _ERASE_LATER.search(text)
    ):
        # "if I change my mind later, can I get my details removed?" asks about the right,
        # it does not use it: the answer on how data is used says how.
        return "ask_data_use"
    return corrected


_DETAIL_PREEMPTED = frozenset(
    {"request_demo", "book_meeting", "talk_to_sales", "human_handoff", "request_data", "greet"}
)
_TYPED_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+")
_SPOKEN_ADDRESS = re.compile(
    r"\b[\w+.-]+(?:\s+(?:dot|plus|underscore|dash|hyphen)\s+[\w+.-]+)*\s+at\s+[\w-]+"
    r"(?:\s+[\w-]+){0,4}?\s+dot\s+[a-z]{2,}(?:\s+dot\s+[a-z]{2,})?\b",
    re.IGNORECASE,
)
_REQUEST_WORDS = re.compile(
    r"\b(?:demo|meeting|call|book|appointment|person|human|agent|sales|someone|somebody|data|"
    r"hello|hi|hey)\b",
    re.IGNORECASE,
)


def _only_the_address_names_it(text: str) -> bool:
    """Whether the message gives an email address and its request words are all inside it."""
    bare = _TYPED_ADDRESS.sub(" ", _SPOKEN_ADDRESS.sub(" ", text))
    return bare != text and _REQUEST_WORDS.search(bare) is None


_SIGNS_OFF = re.compile(
    r"\bhave a (?:good|nice|great|lovely|wonderful|blessed|fab|good one|safe) ?(?:day|evening|night|"
    r"weekend|one|afternoon|morning|week|christmas|holiday)?\b|\btake care\b|\ball the best\b|"
    r"\b(?:speak|talk|chat) (?:to you )?soon\b|"
    # a greeting said last, after something else, closes: "... Good afternoon."
    r"\S[^.!?]*[.!?,]\s*good (?:afternoon|evening|night|day)\W*$",
    re.IGNORECASE,
)
_THANKS_FOR_WHAT_WAS_SAID = re.compile(
    r"\b(?:thank you|thanks|thank u|cheers)\s+(?:so much\s+|very much\s+)?for\s+"
    r"(?P<what>showing|telling|explaining|letting|checking|looking|that|this|"
    r"the (?:info\w*|help|answer)|your (?:help|time|answer))\b[^?]*$",
    re.IGNORECASE,
)
# Asking on after the thanks: "thanks for explaining, show me how it works"
_ASKS_ON = re.compile(r"\b(?:show|book|see|want|like|need|can|could|would|arrange)\b", re.I)
_THANKS_FIRST = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|great|lovely|brilliant|perfect|wonderful|super|fab|awesome|right|"
    r"alright|all right)\W+)?"
    r"(?:thank you|thanks|thank u|thx|ty|cheers|many thanks|much appreciated)\b",
    re.IGNORECASE,
)


_ASKS_FOR_MORE = re.compile(
    r"\b(?:tell|show|send|give|explain|walk me|more (?:about|on|info|information|details)|what|"
    r"how|can you|could you|would you|i'?d like|i want|i need|please)\b",
    re.IGNORECASE,
)


def _next_steps_asked(text: str) -> re.Match[str] | None:
    """Where a question asks what comes next ("say I went ahead, what happens then?")."""
    return _NEXT_STEPS.search(text) if is_question(text) else None


def _only_thanks(text: str, intent: str) -> bool:
    """Thanks, and a remark at most, that DIET took for a request: "Thank you so much, this
    was really useful, I will share with my founder" (for more about the product),
    "Alright, thank you for showing me" (for a demo)."""
    if (
        intent not in ("ask_capabilities", "request_info", "request_demo")
        or not _THANKS_FIRST.match(text)
        or is_question(text)
        or clear_request(text) is not None
    ):
        return False
    if intent in ("ask_capabilities", "request_info"):
        return not _ASKS_FOR_MORE.search(text)
    return (
        intent == "request_demo"
        and (thanked := _THANKS_FOR_WHAT_WAS_SAID.search(text)) is not None
        and not _ASKS_ON.search(text, thanked.end("what"))
        and not (asks_for_meeting(text) or _DEMO_WORDS.search(text))
    )


def _corrected_intent(text: str, intent: str, ranking: list[dict[str, Any]]) -> str | None:
    if not text or text.startswith("/"):
        return None
    if _PUNCTUATION_ONLY.fullmatch(text):
        return None if intent == "nlu_fallback" else "nlu_fallback"  # "??? !!!" says nothing
    if intent in UNPLACED_INTENTS and _SIGNS_OFF.search(text) and not is_question(text):
        # "Have a good day, and thank you again.", "I'll look out for the invitation. Good
        # afternoon.": a sign-off, not a greeting or a message to put another way
        return "goodbye"
    if intent == "thank" and not _THANKS_WORDS.search(text):
        return "nlu_fallback"  # "qwv nnx" is no thanks, however DIET placed it
    if (
        intent not in (REQUEST_ERASURE, "request_data")
        and (asked := _ERASE_MY_DATA.search(text)) is not None
        and not _NEGATION.search(text[: asked.start()])
        and not is_question(text)
    ):
        # "Last spring I left my contact for a demo, but the company has closed. Please
        # remove all my personal data": the demo is the story, the erasure the request.
        return REQUEST_ERASURE
    if (
        intent in ("request_demo", "book_meeting")
        and _MEETING_IN_THE_PAST.search(text)
        and is_data_subject_request(text)
    ):
        # "I booked a demo through this chat a few weeks back. Could you show me which
        # details you've got saved about me?": the demo is the story, the data the request.
        return "request_data"
    if intent == "opt_out" and _UNDECIDED_OPT_OUT.search(text):
        # "Before I decide whether to unsubscribe, I'd like to see what you have about me":
        # not decided yet, so nothing is withdrawn; what they ask for now is answered.
        if is_data_subject_request(text):
            return "request_data"
        return clear_request(text) or "nlu_fallback"
    if (
        intent in _PERSON_ASKED_FOR
        and _AGENT_AS_A_JOB.search(text)
        and not _ASKS_FOR_ONE.search(text)
    ):
        # "team lead / agent", "I'm an insurance agent": the job, not a request for one
        return "inform"
    if _only_thanks(text, intent) or (
        # "salamat po", "asante sana": thanks in the person's language, no greeting in it
        intent == "greet" and has_cue("thank", text) and not has_cue("greet", text)
    ):
        return "thank"
    if _FAREWELL_ALONE.fullmatch(text.strip()):
        return None if intent == "goodbye" else "goodbye"  # "doei", "tschüss", "ta-ra"
    if (
        intent in UNPLACED_INTENTS
        and states_opt_out(text)
        and not is_question(text)
        and not _WHEN_TO_CONTACT.search(text)
    ):
        # "Actually, I've changed my mind on the texts - please don't text me, email only":
        # a withdrawal inside a longer message DIET could not place is still one.
        return "opt_out"
    if intent == "opt_out" and not has_cue("opt_out", text) and is_question(text):
        # "What exactly the assistant do? We receive many messages...": a question with
        # "messages" in it stops nothing.
        return clear_request(text) or _about_the_product(text) or "nlu_fallback"
    if intent == "goodbye" and not has_cue("goodbye", text):
        # "Want to see it working" is no goodbye: ending the conversation on a guess
        # loses the person who asked for something. (Farewells come in too many words
        # to ask for known ones: "hooroo", "I'll love you and leave you".)
        if _asks_for_a_person(text):
            return "human_handoff"  # "connect me now"
        if found := clear_request(text) or ("request_demo" if asks_for_meeting(text) else None):
            return found
        if not _FAREWELL_SAID.search(text):
            # "Ask Graham.", "Send me the invitation, nothing else", "Hau, sab barabar hai":
            # no word of leaving in them. Taken for a goodbye they ended the questions
            # still open; not understood, the question is put another way.
            return "thank" if has_cue("thank", text) else "nlu_fallback"
    if wants_time_first(text):
        # "can we sort out a time first?": the meeting, before any detail (the lead form
        # says why the details come first; actions/lead_form.py).
        return None if intent == "book_meeting" else "book_meeting"
    if (
        (
            intent in ("request_demo", "book_meeting")
            or (
                intent in ("nlu_fallback", "request_info", "ask_capabilities", "greet")
                and _MEETING_NAMED.search(text)
            )
        )
        and _ASKS_WHAT_HAPPENS.match(text)
        and is_question(text)
    ):
        # "and what happens on one of your demo calls?" asks about the meeting, not for one
        return "ask_next_steps"
    if (
        intent in _MEETING_GUESSES
        and asks_for_meeting(text)
        and not re.match(r"\W*(?:what|how|why|when|where|which|who)\b", text, re.IGNORECASE)
        # "say I went ahead, what happens then, do I get a call from someone?"
        and _next_steps_asked(text) is None
    ):
        # "I'd like to set up a call with sales please", "I'd love to see yours live"
        return "request_demo" if _DEMO_WORDS.search(text) else "book_meeting"
    if asks_to_hear_it_again(text):
        # "come again?" is no yes to a consent question, "you've lost me" no goodbye: the
        # fallback says it again, or in other words.
        return None if intent == "nlu_fallback" else "nlu_fallback"
    if intent == "cancel" and _LEAVES_ONE_OUT.search(text):
        # "Could I leave the phone off? It's the family one": that detail, not the whole.
        return "skip"
    if intent not in _DEFERRAL_KEPT and defers(text):
        # "can we leave that for the demo?" puts the question off; it asks for no demo.
        return "skip"
    if _MUST_I.search(text):
        # "do I have to give that?" asks, it does not refuse: the answer says it's optional.
        return None if intent == "ask_why_needed" else "ask_why_needed"
    if intent in ANNOUNCED_AS and announces_questions(text) and not _asks_for_a_person(text):
        return ASK_CAPABILITIES  # answered with an invitation to ask (actions/help.py)
    if intent == "nlu_fallback" and (
        _INTEGRATION.search(text)
        or (is_question(text) and (names_a_tool(text) or _ON_A_CHANNEL.search(text)))
    ):
        # "does it push contacts into HubSpot?": a question that names a product.
        return "ask_integrations"
    if intent in _STATEMENT_GUESSES and _INTEGRATION.search(text) and _ASKS.search(text):
        return "ask_integrations"  # "it work with salesforce" is asked, not told
    if (
        intent == "ask_integrations"
        and not (_INTEGRATION.search(text) or names_a_tool(text))
        and (found := clear_request(text) or _about_the_product(text))
    ):
        return found  # "gather information on website enquiry tools" names no tool
    if (
        intent == "ask_integrations"
        and _WHAT_IT_DOES.search(text)
        and not _INTEGRATION.search(text)
        and not _ON_A_CHANNEL.search(text)
    ):
        # "what does Parley do that HubSpot's free chat widget doesn't?" compares, it asks
        # about no connection.
        return "ask_capabilities"
    if intent in _ASKED_THE_PRODUCT and _ON_A_CHANNEL.search(text) and is_question(text):
        return "ask_integrations"  # "can it reply to tiktok messages too?"
    if intent in _ASKED_THE_PRODUCT and _INTEGRATION.search(text) and is_question(text):
        return "ask_integrations"  # "does it hook into cliniko?"
    if _BOT_CHALLENGE.search(text) and (
        intent in _CHALLENGE_GUESSES
        or (intent in _ASKED_THE_PRODUCT and is_question(text) and not _asks_for_a_person(text))
    ):
        # "first can you tell me if i am speaking to a machine" asks about this chat.
        return "bot_challenge"
    if intent == "bot_challenge" and not _BOT_CHALLENGE.search(text):
        # "What happens after this chat, exactly?" asks what comes next, not who is chatting.
        topics = asked_topics(text)
        if len(topics) == 1 and (other := _ASKED_TOPIC_INTENTS.get(topics[0])) is not None:
            return other
    if (
        intent == "talk_to_sales"
        and _OTHERS_WANT_PRICES.search(text)
        and not _I_WANT_PRICES.search(text)
    ):
        # "people want a quote for scorpions or termites and they go with whoever answers
        # the chat first": what the person's customers want, not a request for sales
        return "inform"
    if intent == "out_of_scope" and _THEIR_ENQUIRIES.search(text) and not is_question(text):
        # "agriturismo near bologna, booking + wedding inquiries come in from everywhere":
        # the enquiries Parley is for, told as the person's situation
        return REQUEST_INFO
    if intent == "ask_pricing" and not _MONEY_WORDS.search(text):
        # "Ask Richard." asks nothing about money, however DIET placed it.
        return "nlu_fallback"
    if intent in ("request_info", "ask_capabilities") and _SPEAK_TO_SALES.search(text):
        # "my manager wants to speak with your sales team about a chatbot": sales, now.
        return "talk_to_sales"
    if intent in ("human_handoff", "talk_to_sales") and _OPERATOR_ROLE.search(text):
        return "inform"  # "owner operator" is what they do, not a request for an operator
    if intent not in _OTHER_PERSON_INTENTS and _asks_for_a_person(text):
        return "human_handoff"
    if intent in ("nlu_fallback", "ask_data_use") and _WHY_NEEDED.search(text):
        return None if intent == "ask_why_needed" else "ask_why_needed"
    if (
        intent in _ASKED_THE_PRODUCT | {"ask_next_steps"}
        and _WHY_NEEDED.search(text)
        and _A_DETAIL_NAMED.search(text)
    ):
        # "Before I give you a phone number, what would you use it for?"
        return "ask_why_needed"
    if intent == "nlu_fallback" and _WHAT_IT_DOES.search(text):
        return ASK_CAPABILITIES
    if intent == "nlu_fallback" and _NEXT_STEPS.search(text):
        return "ask_next_steps"
    if (
        intent in _ASKED_THE_PRODUCT
        and (next_steps := _next_steps_asked(text)) is not None
        and not ((does := _WHAT_IT_DOES.search(text)) and does.start() < next_steps.start())
    ):
        # "say I wanted to go ahead, what happens then, do I get a call from someone?":
        # what comes next, asked first, not what the product does.
        return "ask_next_steps"
    if (
        intent == "ask_why_needed"
        and not _WHY_NEEDED.search(text)
        and (_DATA_USE.search(text) or _SHARED_OR_SOLD.search(text))
    ):
        # "what would you do with my email exactly? do you share it?" asks where it goes,
        # not why it is asked for.
        return "ask_data_use"
    if intent in _ASKED_THE_PRODUCT | {
        "ask_next_steps",
        "nlu_fallback",
    } and _WHAT_HAPPENS_TO_WHAT_IS_SAID.search(text):
        # "when someone chats with the bot, what happens to what they type?" asks where
        # the words go, not what happens next.
        return "ask_data_use"
    if (
        intent in ("ask_data_use", "ask_why_needed")
        and _NEXT_STEPS.search(text)
        and not (_DATA_USE.search(text) or _WHY_NEEDED.search(text))
    ):
        # "what happens after I give you my details?" asks what comes next, not how the
        # details are used
        return "ask_next_steps"
    if intent == "nlu_fallback" and _DATA_USE.search(text):
        return "ask_data_use"
    if intent in _ASKED_THE_PRODUCT and _DATA_USE.search(text) and is_question(text):
        return "ask_data_use"  # "wait, what do you actually do with all this info?"
    if intent in UNPLACED_INTENTS and (found := clear_request(text) or _about_the_product(text)):
        return found
    if (
        intent in _NEED_GUESSES
        and not _INTEGRATION.search(text)
        and states_a_need(text)
        # "say I wanted to go ahead, what happens then?" asks what comes next
        and not (intent == "ask_next_steps" and _next_steps_asked(text) is not None)
    ):
        return REQUEST_INFO
    if intent == "ask_data_use" and not _DATA_MENTIONED.search(text) and states_a_need(text):
        return REQUEST_INFO  # "you guys do like a chat bot for websites" names no data
    if intent == "inform" and _ASKS.search(text) and fits_question(text):
        return REQUEST_INFO  # "could this work for a car dealership?" asks, tells nothing
    if intent in _DATA_REQUEST_GUESSES and _ASKS_FOR_OWN_DATA.search(text):
        return REQUEST_DATA  # "what personal information do you have about me"
    if intent == REQUEST_DATA and not is_data_subject_request(text):
        return product_intent_instead(ranking)
    if (
        (intent in _ERASURE_GUESSES or (intent in _PRODUCT_GUESSES and _ERASE_VERB.search(text)))
        and _ERASURE_WORDS.search(text)
        and is_data_subject_request(text)
        and not re.match(r"\W*(?:how|what|why|when|where|which)\b", text, re.IGNORECASE)
    ):
        # "could you remove my information, i don't want to be contacted anymore"
        return REQUEST_ERASURE
    if intent in _GONE_GUESSES and _wants_it_gone(text):
        # "i just want my details gone please", taken for a question why they are needed
        return REQUEST_ERASURE
    if (
        intent in _COMPARISON_GUESSES
        and _COMPARES.search(text)
        and (is_question(text) or _PUT_TO_US.search(text))
    ):
        # "Convince me: how is this different from Qualified?", "give me a reason to switch"
        return "ask_capabilities"
    if intent in _WHAT_FOR_GUESSES and _WHAT_FOR.search(text) and _A_DETAIL_NAMED.search(text):
        # "Let me guess, you want my cell next. What for?"
        return "ask_why_needed"
    if intent == REQUEST_ERASURE and not _ERASURE_WORDS.search(text):
        # Deleting someone's data is asked for in words that say so; "I'm wanting to see
        # how your system works" is not such a request, whatever DIET guessed.
        return _any_request(text) or "nlu_fallback"
    if (
        intent in _UNPLACED_QUESTION_GUESSES
        and is_question(text)
        and not is_data_subject_request(text)
        and not _asks_for_a_person(text)
        and len(topics := asked_topics(text)) == 1
        and topics[0] not in _UNPLACED_QUESTION_GUESSES[intent]
        # "looking around for a chatbot for our website": a bot named is no question about
        # this one (_BOT_CHALLENGE above finds those)
        and topics[0] != "bot"
    ):
        # "we use odoo for everything, so my question is if your system can work with it",
        # "is the number of our staff really important": one of the common questions, in
        # words DIET missed.
        return _ASKED_TOPIC_INTENTS.get(topics[0])
    return None


# The person's own details wanted gone, in words without an erasure verb.
_WANTS_IT_GONE = re.compile(
    r"\b(?:want|like|need)\s+(?:all\s+)?(?:of\s+)?my\s+(?:\w+\s+)?(?:details|data|info\w*|records?|"
    r"profile|number|email|address)\s+(?:to be\s+)?(?:gone|deleted|removed|erased|wiped|destroyed|"
    # "i'd like my details taken off your computer please"
    r"taken (?:off|out of|out)|(?:taken |wiped |removed )?off (?:your|the) (?:computer|system|list|"
    r"database|records?|files?))\b",
    re.I,
)


def _wants_it_gone(text: str) -> bool:
    found = _WANTS_IT_GONE.search(text)
    return found is not None and not _NEGATION.search(text[: found.start()])


_GONE_GUESSES = UNPLACED_INTENTS | {
    "ask_why_needed", "ask_data_use", "request_data", "cancel", "opt_out", "inform", "deny",
    "request_info",
}  # fmt: skip
# Parley set against another tool, or asked to make its case.
_COMPARES = re.compile(
    r"\b(?:how|what)(?:'s| is| are| makes)? (?:this|it|parley|you|your (?:\w+ )?(?:tool|product|bot|"
    r"platform|software))\s+(?:\w+\s+)?(?:different|better|unique|stand out|differ)\b|"
    r"\b(?:different|better) (?:from|than)\b|\bdiffers? from\b|\bcompare[sd]? (?:to|with)\b|"
    r"\bvs\.?\s|\bversus\b|\breasons? to (?:switch|change|move|choose|pick|go with)\b|"
    r"\bwhy (?:should|would) (?:i|we) (?:switch|change|move|choose|pick|use|go with)\b|\bconvince me\b|"
    r"\bsell (?:it|this|parley) to me\b",
    re.I,
)
_PUT_TO_US = re.compile(
    r"\b(?:give|tell|show) (?:me|us)\b|\bconvince me\b|\bsell (?:it|this)", re.I
)
_COMPARISON_GUESSES = UNPLACED_INTENTS | {"inform", "request_info", "ask_integrations"}
# "What for?", "for what?", "what's that for?" after a detail is named
_WHAT_FOR = re.compile(
    r"\b(?:what for|for what|what(?:'s| is) (?:that|it|this) for|what do you need (?:it|that) for)\b",
    re.I,
)
_A_DETAIL_NAMED = re.compile(
    r"\b(?:cell|mobile|phone|number|email|e-mail|address|name|company|budget|role|title)\b", re.I
)
_WHAT_FOR_GUESSES = UNPLACED_INTENTS | {"ask_next_steps", "inform", "skip", "ask_data_use"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ClearRequestClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClearRequestClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = str((message.get("intent") or {}).get("name") or "")
            ranking = list(message.get("intent_ranking") or [])
            corrected = corrected_intent(message.get("text") or "", intent, ranking)
            if corrected is not None:
                settle_intent(message, corrected)
        return messages

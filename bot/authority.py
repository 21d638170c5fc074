"""Who decides, read from an answer to "Will you be the one making the decision?".

People rarely answer with one of the three options. They say who signs ("my boss decides
but she listens to me"), what they are ("it's my shop so me"), what they do ("I just
collect options for the partners") or who they decide with ("me and my brother"). This
reader weighs those statements; the regular expressions in `bot.qualification` that
came first still catch the set phrases it leaves.

- Someone else signs, approves or has the last word: `influences`, or `researching`
  when the person says they only gather options or look into it for them.
- The person recommends, has input, makes the case or decides in a group: `influences`.
- The person decides, alone or with a peer (a partner, co-founder or family member they
  run the business with): `decides`. Peers are co-decision makers; a boss is not a peer.
- Only looking, comparing or researching: `researching`.
"""

from __future__ import annotations

import re

# Typed in a hurry: "im", "n", "recomend", "desicion". Only words the reader looks for.
_TYPOS = (
    (re.compile(r"\bim\b"), "i'm"),
    (re.compile(r"\bits\b"), "it's"),
    (re.compile(r"\b(?:n|nd|an)\b(?= my\b)"), "and"),
    (re.compile(r"\brecc?omm?end"), "recommend"),
    (re.compile(r"\bdesc?ic?ion|\bdecison"), "decision"),
    (re.compile(r"\bdicide|\bdecied"), "decide"),
    (re.compile(r"\bi'?d\b"), "i would"),
    (re.compile(r"\bi am\b"), "i'm"),
    (re.compile(r"\bi'?ll\b"), "i will"),
    (re.compile(r"\bthat'?d\b"), "that would"),
    # A recognizer's "my bass" and "the bored"; Nigerian English "oga" is the boss.
    (re.compile(r"\b(?:my|the|our) bass\b"), "my boss"),
    (re.compile(r"\bthe bored\b"), "the board"),
    # "sine off", "go threw procurement": homophones typed or heard
    (re.compile(r"\bsine(?=s? off\b)"), "sign"),
    (
        re.compile(
            r"\bthrew(?= (?:procurement|purchasing|finance|legal|compliance|it|security|"
            r"approvals?|the)\b)"
        ),
        "through",
    ),
    (re.compile(r"\b(?:my|the|our) oga\b"), "my boss"),
    # A recognizer spells titles out: "the c f o", "our v p"
    (re.compile(r"\bc ([efmoit]) o\b"), r"c\1o"),
    (re.compile(r"\bv p\b"), "vp"),
    (re.compile(r"\bg m\b"), "gm"),
)

_OTHER = (
    r"(?:boss|owners?|ceo|cfo|cto|coo|cmo|vp|svp|evp|gm|md|president|directors?|board|"
    r"manager|partners|head of \w+|(?<=the )head(?:teacher| teacher)?|headteacher|headmaster|headmistress|dad|mum|mom|father|mother|dentist|doctor|principal|"
    r"committee|procurement|finance|management|leadership|(?<!co-)(?<!co)founders?|higher[- ]ups|"
    r"council|trustees|governors|hq|head office|headquarters|department|dept|legal|purchasing|accounts|"
    r"members|shareholders|investors|chair(?:man|woman|person)?|executives?|execs|c-suite|cio|"
    r"cmo|parent company|corporate|franchisor|franchise|regional manager|area manager)"
)
_DECIDE_VERB = (
    r"(?:decides?|signs?(?: off)?|approves?|chooses?|picks?|finali[sz]es?|has (?:got )?the (?:final |last )?"
    r"(?:say|word|call|choice)|has (?:got )?(?:final|last) (?:say|word|call)|makes? the (?:final |last )?(?:call|decision|choice)|calls the shots|"
    r"holds? the purse|signs? the (?:checks|cheques)|(?:gets?|has) the final say|"
    r"(?:is|'s) the decision[- ]?maker|will decide|would decide|decide|"
    r"handles? (?:that|it|this|purchasing|buying|the buying)|pays|vote|votes|"
    # "our MD gives the final approval on anything we pay for"
    r"gives? (?:the |his |her |their )?(?:final )?(?:approval|sign[- ]?off|go[- ]ahead|green light)|"
    r"(?:owns?|holds?|controls?) the (?:budget|purse strings)|"
    # "my dad owns it": the business, and with it the decision
    r"owns (?:it|the (?:business|company|firm|shop|place|practice|store|salon|restaurant))\b|"
    # "the two vets who own the place would sign off": owners other than the person
    r"(?<!\bwe )(?<!\bus )(?:who|that) own (?:it|the (?:business|company|firm|shop|place|practice|"
    r"store|salon|restaurant|clinic))\b|"
    # "the MD will want to nod it through before anything's signed"
    r"(?:will|would|'ll|'d) (?:want|need|have) to (?:nod|wave|sign|approve|okay|ok|rubber[- ]stamp)\w*"
    r"(?: (?:it|this|that))?(?: (?:through|off))?)"
)
_SOMEONE_ELSE_DECIDES = re.compile(
    rf"(?<!i'm )(?<!i'm the )(?<!as )(?<!as the )(?<!are )(?<!'re )(?<!are the )(?<!'re the )"
    rf"\b(?:(?:(?:my|the|our|a|their)\s+(?:\w+\s+){{0,2}})?{_OTHER}|"
    rf"(?:dr|doc|mr|mrs|ms|miss|sir|madam)\.?\s+\w+|he|she|they)\b(?:(?!\bi\b|\bme\b|\bwe\b)[^.;!?]){{0,30}}?"
    # "he does not approve each tool" leaves it with the person
    rf"(?<!not )(?<!n't )(?<!never )\b{_DECIDE_VERB}|"
    # "Karthik decides, I do the shortlisting": a name, said first in its clause
    rf"(?:^|[,.;!?]\s*|\bbut\s+)(?!(?:i|we|me|it|that|this|who|which|what|nobody|noone|everyone|"
    rf"everybody|somebody|someone|one|each|all|both|he|she|they|you)\b)[a-z]+\s+"
    rf"(?:decides|will decide|signs (?:it |this )?off|approves|has the (?:final|last) (?:say|word|call)|"
    rf"makes the (?:final |last )?(?:call|decision|choice))\b|"
    # "someone else will make the decision", "somebody above me signs"
    rf"\b(?:someone|somebody|some1) (?:else|above me|higher up|more senior)\b[^.;!?]{{0,20}}?\b{_DECIDE_VERB}|"
    # "we talk it over but craig has the final say", "it's their call"
    rf"\bbut\s+(?!i\b|me\b|we\b|it\b)\w+\s+(?:has|gets|makes) the (?:final|last) (?:say|word|call|decision)\b|"
    rf"\b(?:it'?s|it is|that'?s|that is) (?:their|his|her|the \w+'s) (?:decision|call)\b|"
    # "our Geschäftsführer signs off": whoever it is, the decision is theirs
    rf"\b(?:my|our)\s+(?!own\b)\w+\s+(?:signs? (?:it )?off|decides|approves|has the (?:final|last) "
    rf"(?:say|word|call))\b|"
    rf"\b(?:approved|signed off|decided|authori[sz]ed|okayed|ok'?d|rubber[- ]stamped) by\b|"
    # "I do the legwork and put a proposal to the directors": theirs to accept
    rf"\b(?:put|puts|putting|take|takes|taking|bring|brings|bringing|present|presents|presenting|"
    rf"submit|submits|submitting|send|sends|sending)\s+(?:a |the |my |our )?(?:proposal|case|"
    rf"recommendation|shortlist|business case)\s+(?:to|before)\s+(?:the|my|our)\b|"
    # "IT has to sign it off", "the regional office needs to approve it": the approval is
    # someone else's, whoever chooses
    rf"\b(?!(?:i|we|me)\b)[a-z]+\s+(?:has|have|needs?|must|will have|would have|'ll have)\s+to\s+"
    rf"(?:sign|approve|okay|ok|authori[sz]e|finali[sz]e|rubber[- ]stamp|green[- ]?light|"
    rf"give (?:it |this |the )?(?:ok|okay|nod|go[- ]ahead|green light))\b|"
    rf"\b(?:send|put|pass|submit|take)\w*\s+(?:it\s+|this\s+|that\s+|one\s+)?(?:up\s+)?for\s+"
    rf"(?:approval|sign[- ]?off)\b|\b(?:the|a) nod from\b|"
    rf"\b(?:go|goes|going)\s+(?:through|thru)\s+(?:the\s+|our\s+)?(?:\w+\s+)?(?:procurement|purchasing|"
    rf"compliance|approvals?)\b|"
    # "I submit a request and it gets approved or not"
    rf"\b(?:gets?|getting|to be|be|is) (?:approved|signed off|okayed|authori[sz]ed)\b|"
    rf"\b(?:it|this|that)\s+(?:goes|will go|would go|has to go|needs to go|would have to go|"
    rf"will have to go|'d have to go|'ll have to go|must go|would need to go|'d need to go)\s+"
    rf"(?:to|through|past|before|up to)\b|"
    # "I'd need the other partner to agree"
    rf"\b(?:need|needs|needing|have to get|has to get)\s+(?:the\s+|my\s+|our\s+)?(?:other\s+)?"
    rf"(?:\w+\s+)?(?:{_OTHER}|partner|co-?founder|co-?owner|wife|husband)\s+to\s+"
    rf"(?:agree|approve|sign|ok|okay|say yes|buy in|be on board)|"
    rf"\b(?:need|needs|needing|get|getting)\s+(?:\w+\s+)?(?:approval|sign[- ]?off|ok|okay|"
    rf"go[- ]ahead)\b|\b(?:approval|sign[- ]?off) from\b|\babove my pay ?grade\b|"
    # "the decision is of the general director", "final say is with head office"
    rf"\b(?:decision|final say|last word|approval|sign[- ]?off|budget)(?:'s| is| lies| rests| sits| stays)?"
    rf" (?:of|with|by|from|on|for) (?:(?:my|the|our|a|their)\s+(?:\w+\s+){{0,2}})?{_OTHER}\b|"
    # "I'd have to ask my boss first", "I need to check with head office"
    rf"\b(?:ask|check|confirm|clear (?:it|this|that)|discuss (?:it|this|that)?|consult)\w*\s+"
    rf"(?:with\s+)?(?:(?:my|the|our)\s+(?:\w+\s+)?)?{_OTHER}\b|"
    rf"\b(?:not|isn'?t|wasn'?t) (?:really |totally |entirely |just |only )?(?:me|my call|"
    rf"my decision|up to me|mine|the (?:final |main |ultimate )?decision[- ]?maker|the one (?:who|that) "
    rf"(?:decides|signs))\b|\bi (?:don'?t|do not|can'?t|cannot) "
    rf"(?:decide|sign|approve|make the call)",
)
_SELF_INVOLVED = re.compile(
    rf"\bi (?:will |would |can |just |only |then |usually |mostly )?(?:\w+ and )?"
    r"(?:recommend|suggest|advise|influence|propose|present|pitch|shortlist|evaluate|"
    r"make the case|put (?:it|this|a case) (?:forward|to)|have (?:a |some )?(?:input|say|voice))|"
    r"\b(?:listens?|listen) to me\b|\bgo(?:es)? with what i (?:say|recommend|suggest)\b|"
    # "the owner signs off, but he'll do whatever I tell him"
    r"\b(?:do|does|go with|goes with|follow|follows|take|takes) (?:whatever|what|anything) i "
    r"(?:tell|say|suggest|recommend|put)\w*|"
    r"\bhave (?:a |some )?(?:input|say)\b|\bmy (?:recommendation|input|opinion) (?:matters|counts)\b|"
    r"\bi(?:'ll)? (?:only |just |can |will |would )?give (?:them |him |her )?(?:my |an |the |some )?(?:opinion|input|advice|"
    r"feedback|recommendations?|suggestions?|views?)\b|"
    r"\bi(?:'ll| will|'m| am)? (?:do|doing) (?:the |a )?(?:shortlist(?:ing)?|"
    r"evaluation|evaluating|assessment|recommending)\b|\bput(?:ting)? it (?:to|in front of|before) (?:him|her|them|the \w+)\b|"
    r"\b(?:get|have) (?:the |my |our )?\w+ to (?:approve|sign off|sign|okay|ok)\b|\b(?:i|i'?m|i'?d|i'?ll|me)\b[^.;!?]{0,20}?\b(?:mak|giv)\w* (?:the |a |my )?(?:recommendation|case|proposal)s?\b|\b(?:prepare|write|draft)\w* (?:the |a )?(?:papers?|proposal|case|brief|decision|recommendation)\b|"
    rf"\b(?:i|me|myself)\b(?:\s+\w+){{0,5}}?\s+(?:with|and) (?:my|the|our) (?:\w+ )?{_OTHER}\b|"
    r"\b(?:joint|group|team|shared|collective|committee) decision\b|\bdecide (?:as a team|as a group)\b|"
    # "partly yeah": a share of the decision, not all of it
    r"\b(?:partly|partially|in part|to (?:some|an) extent|somewhat)\b|"
    r"\bone of the (?:decision[- ]?makers|people (?:who|that) decide)\b|"
    r"\bi'?m (?:on|part of) the (?:\w+ )?(?:panel|committee|steering group|working group|board)\b|"
    r"\b(?:a|one|key) stakeholder\b|\bput\w* (?:the |a )?(?:business )?case together\b|"
    r"\bpart of the (?:buying |decision(?:[- ]making)? )?(?:committee|group|team|panel|process)\b|"
    r"\bwe (?:all )?vote\b|\bvote on it\b|\bone of (?:the |\w+ )?(?:partners|owners|directors)\b|"
    # "I've got a say in it", "I'll be involved", "I'd be consulted", "I'm a big part of
    # it", "one voice of several", "I'd champion it"
    r"\bgot (?:a |some )?(?:say|input|voice)\b|"
    r"\bi(?:'m| am|'ll be|'d be| will be| would be) (?:\w+ )?(?:involved|consulted)\b|"
    r"\b(?:a big|a large|a major|a key) part of (?:it|this|the decision)\b|\bone voice\b|"
    r"\bi(?:'d| would| will|'ll)? (?:champion|push for|advocate for|sponsor) (?:it|this)\b|"
    r"\bthe team decides\b|\btell (?:him|her|them|the \w+) what i think\b|"
    # "i'd be the one bringing it to them": the person brings it, someone else decides
    r"\bthe one (?:who |that )?(?:bring|tak|present|put|pitch|pass|recommend|suggest|propos)\w*\b|"
    # "I'd have to convince him", "I need to get the partners on board": the person argues
    # for it, someone else agrees
    r"(?<!not )(?<!n't )\b(?:convinc(?:e|ing)|persuad(?:e|ing)|win (?:\w+ ){0,2}over|"
    r"talk (?:him|her|them) (?:into|round|around)|sell (?:it|this|the idea) to|"
    r"get (?:\w+ ){0,2}on board|bring (?:\w+ ){0,2}on board)\b|"
    # "he said this is my project", "anything I've put in front of him", "she asked me to
    # find something": the choice put to the person, the signature someone else's
    r"\b(?:this|it) is my project\b|\bit'?s my project\b|"
    r"\b(?:i'?ve |i have |i )?put in front of (?:him|her|them)\b|"
    r"\b(?:asked|told|wants?|wanted|got) me (?:to )?(?:go )?find (?:something|a solution|a tool|one|"
    r"a system|the right)|"
    r"\b(?:i|me|we)\b[^.;!?]{0,30}?\b(?:along|together) with (?:the|our|a)\b",
)
_ONLY_GATHERING = re.compile(
    r"\b(?:research|researching|browsing|browse|just looking|only looking|looking (?:into|around)|"
    r"exploring|explore|gathering|(?:collect|gather)(?:ing|s)? (?:some |the )?(?:options|info\w*|quot(?:es|ations?))|"
    # "I am only arranging the demo for them", "i just put the paperwork together"
    r"(?:just|only) (?:arrang|organi[sz]|book|sett?)\w* (?:up )?(?:the |a )?(?:demo|meeting|call)|"
    # "I only organise", "I just coordinate things"
    r"(?:just|only) (?:organi[sz]|arrang|coordinat|schedul)\w*(?= *(?:[.,;!?]|$|things|stuff|it|the "
    r"logistics))|"
    # "I just write up the options", "I only report back"
    r"(?:just|only) (?:write|writing) up (?:the |some )?(?:options|report|notes|findings)|"
    r"(?:just|only) report(?:ing)? back|"
    r"(?:just|only) (?:put|putting|do|doing|handl\w*|sort\w*|fill\w*) (?:together )?(?:the |all the )?"
    r"(?:paperwork|admin|forms)|"
    r"comparing|scoping|scouting|investigating|fact[- ]finding|window[- ]shopping|"
    r"checking (?:out )?options|(?:looking|asking|checking|enquiring) on behalf of|"
    r"doing (?:some |the )?(?:research|homework|due diligence)|"
    r"putting together (?:a |an |some )?(?:report|proposal|summary|comparison|overview|brief)|"
    r"(?:pull|put|get)\w* together (?:some |a few |the )?(?:options|info\w*|quotes|prices|pricing|a shortlist)|"
    r"(?:pull|put|get)\w* (?:some |a few |the )?(?:options|info\w*|quotes|prices|pricing|numbers) together|"
    r"(?:pull|put)\w* (?:a |an |the )?(?:comparison|shortlist|overview|summary|report) together|"
    r"i'?m (?:just |only )?(?:an |a )?(?:intern|analyst|student)\b|no (?:purchase|budget|buying) (?:is )?planned|"
    r"(?:compil|writ|prepar)\w* (?:a |an )?(?:vendor|market) (?:landscape|overview|scan|report)|"
    # "I'm compiling a shortlist for our COO", "they asked me to look into it", "I'm just
    # finding out some info for him", "I just check first"
    r"(?:compil|draw|mak|build|writ)\w* (?:up )?(?:a |the )?(?:shortlist|short list|list of options)|"
    r"(?:got|been|was|were|am|i'?m) (?:just )?(?:told|asked) to (?:look|find|research|check|"
    r"gather|compare|get)|"
    r"(?:asked|asks?|told|tells?|wants?|wanted|got) me (?:to )?(?:look into|look at|look|"
    r"find(?! (?:something|a solution|a tool|one|a system|the right))|search|research|"
    r"check|gather|collect|get|compare|scope|source)|"
    r"check(?:ing)? (?:the )?(?:prices|costs|options|quotes)|"
    # "I will just give him the info", "I only pass it on"
    r"(?:just|only) (?:give|giving|pass|passing|send|sending|forward|forwarding) (?:him|her|them|it|this|the info\w*)"
    r"(?: (?:the )?info\w*| on| along)?|"
    r"finding out (?:some |a bit of |more )?(?:info\w*|details|options|prices)|(?:only|just) finding out\b|"
    r"i (?:just|only) (?:check|look|find out|gather|collect|compare)\w*|"
    # "having a nosey", "only here to see what's out there", "nobody's buying"
    r"having a (?:nosey|nose|look|peek|browse)|nosing around|poking around|(?:just|only) curious|"
    r"(?:nobody|no one|no-one)(?:'s| has) asked me to buy|"
    r"(?:just|only) here to (?:see|look|learn|find out)|(?:nobody|no one|no-one)(?:'s| is) buying|"
    r"i'm (?:a |just a |only a )?student|(?:school|uni|university|class|college) (?:project|assignment)|"
    r"(?:an|my) assignment|coursework|(?:my|a) (?:thesis|dissertation))\b",
)
# Doing it for someone else: "for our COO", "on behalf of my boss", "for him".
_FOR_SOMEONE_ELSE = re.compile(
    rf"\b(?:for|on behalf of) (?:(?:my|our|the)\s+(?:\w+\s+)?{_OTHER}|him|her|them)\b"
)
_PEER = (
    r"(?:(?:business |biz )?partner|socio|socia|sócio|sócia|associé|teilhaber|"
    r"co[- ]?founder|co[- ]?owner|co[- ]?(?:director|principal|partner|manager|head|ceo|md)|brother|sister|wife|husband|missus|missis|hubby|"
    r"spouse|dad|father|mum|mom|mother|son|daughter|other half|bruther|brotha|bro|sis|"
    # "me and the other principal": another of those who own it, as the person is
    r"other (?:principal|director|owner|partner|founder|shareholder))"
)
_WITH_A_PEER = re.compile(
    rf"\b(?:me|myself|i)\s+(?:and|&|\+|with)\s+(?:my\s+|the\s+|our\s+)?(?:other\s+)?"
    rf"(?:(?:two|three|four|\d)\s+)?(?:other\s+)?(?:(?!boss\b)[a-z]+\s+)?{_PEER}s?\b|"
    rf"\b(?:my\s+)?{_PEER}\s+and\s+(?:me|i|myself)\b|\bwe both (?:decide|own|run)\b|"
    rf"\b(?:i|we) (?:co-?own|co-?run)\b|\bwe(?:'re| are) (?:both|two|the two) (?:co-?)?owners\b|"
    # "me n shay, we own it 50/50"
    r"\bwe (?:both )?own (?:it|the (?:\w+ )?(?:business|shop|company|firm|place|gym|salon|practice))\s+"
    r"(?:50/50|50-50|fifty[- ]fifty|half and half|together|jointly|between us)|"
    r"\b(?:me|i)\s+(?:n|and|&)\s+[a-z]+,?\s+we (?:both )?(?:own|run) (?:it|the)\b|"
    rf"\b(?:with|alongside) my (?:business |biz )?(?:partner|co-?founder|cofounder|co-?owner)\b|"
    # "It's mine and the wife's business, so it's us two, I guess that counts as me"
    rf"\b(?:it'?s|its)\s+(?:mine|my)\s+and\s+(?:the|my)\s+{_PEER}'?s\b|"
    r"\b(?:it'?s|its|that'?s|thats)\s+(?:us two(?=\s*(?:$|[,.;!?]|and\b))|the two of us|both of us)\b|"
    # "I run it with my wife"
    rf"\bi (?:run|own|manage|co-?run) (?:it|the (?:\w+ )?(?:business|shop|company|firm|place|"
    rf"practice|salon|studio|restaurant|cafe|gym|farm|agency)) (?:with|alongside|together with) "
    rf"(?:my|our) {_PEER}\b|"
    # "me and Dev, my partner in the business", "my partner Siew Ling and me"
    rf"\b(?:me|myself|i)\s+(?:and|&)\s+[a-z]+,?\s+(?:my|our)\s+(?:business\s+)?{_PEER}\b|"
    rf"\b(?:my|our)\s+(?:business\s+)?{_PEER}(?:\s+[a-z]+){{1,2}}\s+and\s+(?:me|i|myself)\b|"
    # "we're two co-founders and we decide everything jointly"; "... my business partner
    # but we decide together"
    rf"\bwe(?:'re| are)?\s+(?:the\s+)?(?:two|both|three)?\s*(?:co-?founders|co-?owners)\b|"
    rf"\b{_PEER}s?\b[^.;!?]*\bwe (?:\w+ )?(?:decide|choose|sign off|agree)\w* (?:on )?(?:it |this |that |"
    rf"everything |all )?(?:together|jointly|between us)\b",
)
# "I decide together with our CFO", "the three partners decide together, I'm one of them":
# the person is among those who decide, and nobody above them is named.
_DECIDES_JOINTLY = re.compile(
    # "I'm one of the partners who'd decide"
    r"\bi(?:'m| am) one of (?:the |\w+ )?(?:partners|owners|directors|founders|co-?founders|"
    r"people|ones)\s+(?:who|that)(?:'d|'ll| would| will| get to)?\s+(?:decide|sign|choose|approve)\w*|"
    # "three partners and it's a partners' decision. I'm one of the three."
    r"\b(?:partners|owners|directors|founders|co-?founders)'?\s+decision\b[^!?]{0,40}\bi(?:'m| am) one of\b|"
    r"\bi (?:\w+ )?(?:decide|choose|make (?:the|this|that) (?:call|decision)|sign (?:it )?off)\s+"
    r"(?:it |this |that )?(?:together|jointly) with\b(?! (?:my|our|the) (?:boss|manager|supervisor|line manager)\b)|"
    r"\b(?:decide|choose|own it|run it|sign off)\s+(?:it\s+)?(?:together|jointly)\b[^.;!?]*"
    r"\bi(?:'m| am) one of (?:them|the (?:\w+ )?(?:partners|owners|directors|founders))\b|"
    # "I'm one of three directors, we'd all agree on it together"
    r"\bone of (?:the |\w+ )?(?:partners|owners|directors|founders|co-?founders)\b[^.;!?]*"
    r"\b(?:together|jointly|between us|all agree)\b|"
    # "the founders (me and Jo) decide everything jointly", "Tom and myself would decide it
    # between us"
    # "we three directors decide together, so yes, I'm one of the people deciding"
    r"\bi(?:'m| am) (?:one of|among) (?:the|those|the people|the ones|us)\s*(?:\w+\s+)?"
    r"(?:deciding|who (?:decide|make|sign|choose)|that (?:decide|make|sign|choose)|making (?:the|that|this) "
    r"(?:decision|call)|(?:decision[- ]?makers|deciders))\b|"
    r"\b(?:(?!my\b|our\b|the\b)[a-z]+ and (?:me|myself|i)|(?:me|myself|i) and (?!my\b|our\b|the\b)[a-z]+)\b[^.;!?]{0,30}?\b(?:decid\w*|settle\w*|choos\w*|sort (?:it|this) out)"
    r"[^.;!?]*\b(?:together|jointly|between us|between the two of us|between ourselves)\b|"
    # "me and our CFO sign it off together", "myself and the md we decide together": the
    # person among those who decide, whoever the other is
    r"\b(?:me|myself|i)\s+(?:and|&)\s+(?:my\s+|our\s+|the\s+)?(?:[a-z]+\s+){1,2}(?:we\s+)?(?:would\s+|will\s+)?"
    r"(?:decide|sign (?:it |this |that )?off|choose|approve)\w*\s+"
    r"(?:it\s+|this\s+|that\s+|(?:these|those|such) (?:things|decisions)\s+)?"
    r"(?:together|jointly|between us)\b|"
    # "we decide together": "we" puts the person among those who decide
    r"\bwe (?:both |all |\w+ )?(?:decide|choose|sign (?:it |this |that )?off)\w*\s+"
    r"(?:it\s+|this\s+|everything\s+|(?:things|stuff) like (?:this|that)\s+|(?:these|such) things\s+)?"
    r"(?:together|jointly|between us)\b|"
    # "the three directors decide between us": "us" puts the person among them
    r"\b(?:decide|choose|sign (?:it |this |that )?off|agree)\w*\s+(?:it\s+|this\s+|on it\s+)?"
    r"(?:between us|among(?:st)? ourselves)\b",
)
_CAN_SIGN = re.compile(
    r"\bi (?:can|do|will|am able to|have (?:the )?(?:authority|power) to) (?:sign (?:it |this |that )?off|"
    r"approve (?:it|this|that)|sign (?:for )?(?:it|this|that)(?! off))\b(?! (?:up to|under|below|if|once|with))"
)
# "she has the final say", "the board gets the last word"
_ANOTHERS_FINAL_SAY = (
    r"\b(?:he|she|they|the \w+|my \w+|our \w+) (?:has|have|gets?) (?:the )?(?:final|last)\b"
)
_FINAL_WORD_ELSEWHERE = re.compile(
    # "we decide together but let's do that later" puts the question off, not the decision
    rf"\bbut\b(?!\s+(?:let'?s|lets|can we|we can|maybe|later)\b)|{_ANOTHERS_FINAL_SAY}|"
    rf"\b(?:the|my|our) {_OTHER} (?:signs?|approves?|(?:has|needs) to (?:sign|approve))\b"
)
_WE_WITH_A_PEER = re.compile(
    rf"\b(?:me|myself|i)\s+(?:and|&|\+)\s+(?:my\s+|the\s+|our\s+)?(?:other\s+)?"
    rf"(?:(?:two|three|four|\d)\s+)?(?:other\s+)?(?:(?!boss\b)[a-z]+\s+)?{_PEER}s?\b|"
    rf"\b(?:my\s+)?{_PEER}\s+and\s+(?:me|i|myself)\b"
)
_SELF_DECIDES = re.compile(
    r"\bi(?:'m| am) (?:only|alone) decid\w*|"
    r"\bi (?:(?:will|would|can|do|get to|usually|always|only|alone|myself) ){0,2}(?:be )?(?:the one (?:who |to |that )?(?!bring|tak|present|put|pitch|pass|run|recommend|suggest|"
    r"propos|research|look|find|gather|shortlist)\w*|"
    r"decid\w*|sign\w*|approv\w*|choos\w*|pick\w*|mak\w* (?:the|that|this) (?:final |last )?"
    r"(?:calls?|decisions?)|mak\w* (?:all )?the (?:purchasing |buying |spending )(?:calls?|decisions?)|"
    r"call\w* the shots|"
    r"ha(?:ve|ving) the (?:final |last )?(?:say|word|call)|hold\w* the purse strings)\b|"
    r"\bi (?:have|hold|control|own|manage|run) the (?:\w+ )?(?:budget|purse strings|money)\b|"
    r"\bi (?:have|hold|'ve got|got) (?:full |delegated |signing |spending |budget )+authority\b|"
    # "I only take the decision" (Indian English: I myself), "it's myself that'd be deciding"
    r"\bi (?:only |myself |alone |will |would )?(?:take|takes|taking) (?:the |all the |all )?"
    r"(?:final |last )?(?:decisions?|calls?)\b|"
    r"\b(?:it'?s|it is) (?:me|myself)(?: \w+){0,2}? (?:that|who)(?: would| will|'s| is)? (?:be )?"
    r"(?:decid|sign|approv|choos|pick)\w*|"
    r"\b(?:i'?ve got|i have|i've|i hold|with|from|out of) my own budget\b|"
    r"\b(?:it'?s|it is) (?:all )?my (?:own )?(?:call|decision|budget|business|shop|company|firm|practice|"
    r"store|salon|agency|place|studio|restaurant|clinic)\b|"
    r"\b(?:call|decision|budget|say)(?:'s| is| will be| would be) (?:all )?mine\b|"
    # "so this one lands on me", "it falls to me"
    r"\b(?:lands?|falls?|rests?|sits?) (?:squarely )?(?:on|with|to) me\b|"
    r"\bmine to (?:make|decide)\b|"
    # "oh it's me", "that'd be me": the answer to who decides
    r"^\W*(?:(?:oh|ah|well|um+|uh+|yeah|yes|ha)\W+)*(?:it'?s|it is|that'?s|that'?d be|that would be|"
    r"it'?d be|it would be|it'?ll be|it will be) "
    r"(?:me|myself|yours truly)\b(?!\s+(?:and|&|with|plus)\b)|"
    # "the approval authority is with me", "final say rests with me"
    r"\b(?:approval|decision|decision-making|signing|final|purchasing) (?:authority|say|power|"
    r"call|rights?)(?: \w+)? (?:is|lies|rests|sits|stays) (?:entirely |solely )?with me\b|"
    r"\b(?:(?:it'?s|it is|that'?s|all) )?(?:down|up) to me\b|\bbudget holder\b|"
    r"\bi'?m (?:the one )?holding the (?:budget|purse strings)\b|"
    r"\bas (?:the )?(?:owner|founder|co-?founder|ceo|md|managing director|president|"
    r"proprietor|principal|boss)\b|\b(?:on my own|by myself)\b|"
    r"\bi (?:own|run) (?:the|this|my|our|a) (?:\w+ )?(?:business|company|shop|place|firm|"
    r"practice|store|agency|studio|salon|restaurant|clinic)\b|"
    r"\bi'?m (?:the |a )?(?:owner|founder|co-?founder|ceo|md|managing director|president|"
    r"co-?owner|principal|proprietor|sole proprietor|sole trader|boss|decision[- ]?maker|"
    r"director|managing partner|general manager|gm|"
    r"sole decision[- ]?maker)\b|\bsole (?:proprietor|trader|owner)\b|"
    r"\b(?:i'?m )?self[- ]employed\b|\bone[- ](?:man|woman|person) (?:band|show|business)\b|"
    r"\b(?:ultimately|mostly|mainly|basically|largely|usually|primarily) me\b|"
    r"\bbuck stops with me\b|"
    # "he leaves all that to me", "they leave it up to me"
    r"\b(?:he|she|they|everyone|the \w+) (?:leaves?|left) (?:all )?(?:that|it|this|those things|"
    r"the (?:decisions?|buying|choosing)|such things)(?: stuff)? (?:up )?to me\b|\bna me\b(?:\s+(?:get|go|dey|be|de))?|"
    r"\b(?:i|me) (?:get|have|hold|got) (?:the )?(?:final|last) (?:say|word|call)\b|\bthat(?: would| will|'s|s| is)? (?:be )?me\b|"
    r"^\W*(?:(?:yes|yeah|yep|yup|ya|yah|yea|aye|sure|well|uh|um|oh|just|only|it'?s|that'?s|"
    r"definitely|absolutely|certainly|totally|defo|100%|all|that'?d be)\W+){0,3}"
    r"(?:me|myself|moi|mine)(?:\W+(?:obviously|of course|really|alone|only|myself|lol|haha|sir|mate|"
    r"then|i guess|i suppose|yes|yeah|and only me|and me alone|and nobody else|and no one else|"
    r"nobody else|no one else|100%|(?:there'?s )?(?:nobody|no one) else to (?:ask|check with|answer to)))*"
    r"\W*$",
)


# Weighing in on the decision, beyond gathering options for it.
_RECOMMENDS = re.compile(
    r"\b(?:i|and)\s+(?:(?:will|would|can|then|also|usually|normally|might|'ll)\s*)?(?:be\s+)?"
    r"(?:recommend\w*|advis\w*|influenc\w*|pitch\w*|propos\w*|mak\w* (?:the|a) case|"
    r"(?:have|get) (?:a |some )?(?:big |real |fair |good )?(?:say|input|voice)|"
    r"mak\w* (?:a |the |my )?(?:recommendation|shortlist|pick)|"
    # "I gather options and put a recommendation to our VP"
    r"(?:put|giv|send|bring|tak)\w* (?:a |my |the |our )?(?:recommendation|proposal|shortlist)s?)|"
    r"\blisten\w* to (?:me|my)\b|\bmy (?:recommendation|input|opinion|advice)\b|"
    # "he usually goes with my pick", "she takes my advice"
    r"\b(?:goes|go|going|went|tends to go)\s+(?:along\s+)?with\s+(?:my|what i)\b|"
    r"\btakes?\s+my\s+(?:advice|word|recommendation|lead)\b|"
    # "...find a few options and bring her the best one": the pick is the person's
    r"\b(?:bring|take|give|show|send|present)\w* (?:her|him|them|the \w+) (?:the best(?: one)?|my "
    r"(?:pick|choice|favou?rite|recommendation)|the one i (?:like|prefer|pick|recommend))\b"
)


# Someone else signs, but what the person says goes: "mostly my decision, the CEO just
# signs what I say".
_RUBBER_STAMP = re.compile(
    r"\b(?:just|only|simply) (?:signs?|approves?|rubber[- ]stamps?|okays?) (?:off )?"
    r"(?:what(?:ever)?|anything) i (?:say|recommend|suggest|want|choose|pick|decide)\b|"
    r"(?<!not )(?<!n't )\b(?:mostly|mainly|basically|largely|really|practically|effectively|"
    r"in practice|in reality|de facto|day to day)(?:,)? (?:it'?s |it is |is )?"
    r"my (?:decision|call|choice)\b|"
    # "i decide, cfo just signs the invoice": someone else only does the paperwork
    r"\b(?:just|only|simply|merely) (?:signs?|pays?|approves?|okays?|processes) (?:off )?(?:the )?"
    r"(?:invoices?|cheques?|checks?|paperwork|contracts?|pos?|purchase orders?|bills?|payments?)\b",
)


# The decision handed to the person: "they've given me full authority to decide", "I was
# told to pick one", "the director delegated it to me".
# "the owner gave me this project and said choose what you think is best": the choice is
# theirs to make, unless the last word is kept ("...options for him to approve").
_CHOICE_HANDED_OVER = re.compile(
    r"\b(?:said|says|told me|tells me|lets me|let me)(?: to)? (?:choose|pick|decide|select|go with)\b"
    r"(?! (?:a few|some|two|three|options|a shortlist|between|from))"
    r"(?![^.;]*\b(?:for|and) (?:him|her|them|the \w+) to (?:approve|sign|decide|choose|pick))",
    re.I,
)
_DELEGATED = re.compile(
    r"\b(?:given|gave|giving|handed|delegated|left|passed)\s+(?:\w+\s+){0,2}?(?:to\s+)?me\b"
    r"[^.;!?]{0,25}?\b(?:authority|the (?:decision|call|final say|budget|go-ahead)|to (?:decide|"
    r"choose|pick|sign))|"
    r"\b(?:leaves?|leaving)\s+(?:all\s+)?(?:these|those|such|the|that|this|it|them)\s*"
    r"(?:decisions?|things|calls?|stuff|matters)?\s*(?:up\s+)?to me\b|"
    r"\b(?:delegated|handed(?: over)?|left|passed)\s+(?:\w+\s+){0,3}?to me\b"
    r"(?!\s+to (?:research|look|find|gather|collect|compare|check|scope|investigate|report))|"
    r"\bi(?: have|'ve)? been (?:given|handed) (?:the |full |a free hand|free rein)"
    r"(?:budget|authority|decision|go-ahead|green light|say)?|"
    r"\b(?:told|asked|wants?|wanted) (?:me )?to (?:pick|choose|decide on|decide)\b"
    r"(?! (?:a few|some|options|a shortlist|between))",
)


# The person's own part in a decision someone else makes: bringing it to them, asking them,
# weighing in. "Ask my boss" or "the owner picks" says whose it is, not what theirs is.
_OWN_PART = re.compile(
    r"\b(?:influenc\w*|recommend\w*|advis\w*|suggest\w*|make the case|shortlist\w*|propos\w*|"
    r"put (?:it|this) forward|(?:a |some )?(?:say|input|voice) in|i (?:have|get|'?ve got) (?:a |some )?"
    r"(?:say|input|voice)|jointly|together|team|part of|between us|"
    r"(?:run|put|take|bring|present|pitch|pass|send)(?:ing)? (?:it |this )?(?:by|past|to|up to)|"
    r"present\w*|pitch\w*|i'?d|i'?ll|i will|i would|i need|i have to|i'?ve (?:got )?to|i must|"
    r"i (?:can|could|should|might)|i'?m (?:the one|going|gonna)|me and|and me|and i|"
    r"(?:(?:asked|told|wants?|wanted|got) me|(?:been|was|were|am|i'?m) (?:asked|told)) to "
    r"(?:pick|choose|find|select|recommend|decide)|"
    r"(?:my|our) (?:lead|judge?ment|input|opinion|views?|recommendation|advice|requests?|requirements)|"
    r"(?:asks?|wants?|want to know) what (?:i|we) think|what(?:ever)? (?:i|we) (?:say|ask|want|put forward|suggest|"
    r"recommend|propose)|(?:give|put in|send)s? (?:(?:our|my|some|the) )?(?:input|requests?|views?)|"
    r"put\w* (?:it |this |things )?forward|\bi (?:only |just |also |usually |mostly )?(?:decide|choose|pick|select|write|score|draft|prepare|"
    r"manage|run|handle|evaluate|shortlist|test|trial)\w*|i'?m (?:\w+ )?(?:helping|writing|scoring|"
    r"running|managing|evaluating|leading|the (?:project|team|store|office|site|branch) (?:lead|manager))|"
    r"(?:project|team|store|branch|site|office) (?:lead|manager)|helping with|"
    r"involved|votes?|(?:sit|sits|i'?m) on the|(?:i am|i'?m) one of (?:it'?s|the|their|our|his|her) "
    r"(?:\w+ )?(?:members|directors|partners|trustees|governors)|lead\w* (?:the|this) (?:project|evaluation|search|process)|"
    r"\bwe (?:\w+ )?(?:discuss|talk|decide|agree|look|weigh|go through|chat)|"
    r"(?:need|get|getting|needs) (?:\w+ )?(?:approval|sign[- ]?off|ok|okay|go[- ]ahead)|"
    r"(?:approval|sign[- ]?off|go[- ]ahead) from|for (?:their|his|her|its) (?:approval|sign[- ]?off))\b"
)


def _as_read(text: str) -> str:
    """Lower case, straight apostrophes, typos put right: what the patterns here read."""
    said = text.lower().replace("’", "'")
    for pattern, replacement in _TYPOS:
        said = pattern.sub(replacement, said)
    return said


def states_own_part(text: str) -> bool:
    """Whether an answer naming someone else as the decider also says what the person's
    own part is (researching, weighing in, bringing it to them)."""
    said = _as_read(text)
    return any(
        p.search(said)
        for p in (_OWN_PART, _SELF_INVOLVED, _RECOMMENDS, _ONLY_GATHERING, _WITH_A_PEER)
    )


# "Me? Zero say, I just put the comparison together": no part in the decision at all.
# Deciding said in the speaker's own language, alone or with a partner: "main hi decide karti
# hoon" (Hindi), "mijn vrouw en ik beslissen samen" (Dutch), "c'est moi qui décide",
# "yo decido", "eu decido", "ich entscheide", "ako ang magdedesisyon".
_DECIDES_IN_ANOTHER_LANGUAGE = re.compile(
    r"\bmain (?:hi |khud |akela |akeli )?decide kar(?:ti|ta|unga|ungi|te|enge)\b|"
    r"\b(?:budget|decision|faisla) (?:bhi )?mera (?:hi )?hai\b|\bmera (?:hi )?(?:decision|faisla)\b|"
    r"\b(?:ik|wij|we) (?:beslis|beslissen)\b|\bik en (?:mijn )?\w+ beslissen\b|\w+ en ik beslissen\b|"
    r"\bc'est moi qui d[eé]cide\b|\bje d[eé]cide\b|\b(?:yo|nosotros) decid(?:o|imos)\b|\bdecido yo\b|"
    r"\bla decisi[oó]n es m[ií]a\b|\beu (?:que )?decido\b|\bquem decide sou eu\b|"
    r"\bich entscheide\b|\bako (?:po )?ang (?:magdedesisyon|nagdedesisyon|magde-?decide|nagde-?decide)\b",
    re.IGNORECASE,
)
# "for this kind of thing I decide alone", "the two of us decide"
_DECIDES_ALONE = re.compile(
    r"\bi (?:can |could |will |would |do )?(?:decide|sign|choose|approve)\w* (?:it |this |that )?(?:alone|myself|on my own|by myself|"
    r"single-handedly)\b|\bi alone (?:decide|sign|choose)\b|"
    r"\b(?:the (?:two|three|four) of us|both of us|us (?:two|three)) (?:would |will |'d |'ll |can |"
    r"get to |usually |always )?(?:decide|choose|sign|approve)\w*\b|"
    # "there's no boss above us, so we decide": the person among the top
    r"\b(?:no(?:body| one|-one)|no boss|no one else) (?:above|over) (?:us|me)\b",
    re.IGNORECASE,
)
# "I make the final decision, although I'd ask my office manager first", "I'll tell the
# owners, but it's my signature": the last word is the person's, whoever else is heard.
_FINAL_SAY_MINE = re.compile(
    r"\bi (?:make|have|get|take|hold)(?: got)? the (?:final|last) (?:decision|say|call|word)\b|"
    # "well i'd decide but my daughter would have a say": heard, not deciding
    r"^\W*(?:(?:well|so|yes|yeah|oh|um|uh)\W+)*(?:i(?:'d| would|'ll| will)? decide|"
    # "yeah well me i reckon but the missus'll have a say"
    r"me(?:\W+(?:i reckon|i guess|i suppose|i think|really|mostly))?)\W+but\b"
    r"(?=[^.;!?]*\b(?:have|get|has|gets) (?:a|some|her|his|their) (?:say|input)\b)|"
    r"\b(?:it'?s|it is|that'?s|that is) (?:ultimately |really |still |always )?my "
    r"(?:decision|call|signature)\b|\bi(?:'m| am) the one (?:who|that)?(?:'ll| will| would|'d| is going to|"
    r" gets? to)?\s*(?:be\s+)?(?:decid|approv|sign|choos|pick)\w*"
)
# Someone else with the last word: "...but the board signs it", "it needs Tom's sign-off".
_ANOTHER_HAS_THE_LAST_WORD = re.compile(
    rf"{_ANOTHERS_FINAL_SAY}|"
    rf"\b(?:the|my|our) {_OTHER} (?:signs?|approves?|decides?|(?:has|needs|will need) to (?:sign|approve))\b|"
    r"\b(?:needs?|get|getting|requires?) (?:\w+ )?(?:approval|sign[- ]?off|go[- ]ahead)\b"
)
_NO_SAY = re.compile(
    r"\b(?:zero|no|not much of a|not really any) say\b|\bi (?:don'?t|do not) (?:really )?(?:have|get) "
    r"(?:a|any) say\b|\bhave no say\b|"
    # "i'm not part of the decision", "I have no part in it"
    r"\b(?:not|never) (?:really )?(?:part of|involved in) the (?:decision|choice|buying|decision[- ]making)\b|"
    r"\bno part in (?:it|the decision|that)\b"
)


# "Me. Well, me and the bank manager, ha. No, me.": the last word, taken back to the person.
_TAKEN_BACK_TO_ME = re.compile(
    r"(?:^|[.!?;]\s*)(?:no|nah|actually|seriously|honestly|really)\W+(?:(?:it'?s|just|only)\s+)?"
    r"(?:me|myself)\W*$|"
    # "Any of the three directors can sign off something this size, so: me."
    r"[,;.]\s*(?:so|which means|meaning)\W+(?:me|myself)\W*$"
)


def read_authority_statement(text: str) -> str | None:
    """decides, influences or researching from what the answer says; None when it says
    none of these plainly."""
    said = _as_read(text)
    if _TAKEN_BACK_TO_ME.search(said.strip()):
        return "decides"
    if _NO_SAY.search(said):
        return "researching"
    if _FINAL_SAY_MINE.search(said) and not _ANOTHER_HAS_THE_LAST_WORD.search(said):
        return "decides"
    if _DECIDES_IN_ANOTHER_LANGUAGE.search(said) or _DECIDES_ALONE.search(said):
        return "decides"
    if _RUBBER_STAMP.search(said):
        return "decides"
    if _CHOICE_HANDED_OVER.search(said) and not _FINAL_WORD_ELSEWHERE.search(said):
        return "decides"
    if _DELEGATED.search(said):
        # "she's asked me to pick a tool" picks it; "...but the director approves
        # spending" leaves the last word with her.
        return "influences" if _SOMEONE_ELSE_DECIDES.search(said) else "decides"
    if _DECIDES_JOINTLY.search(said) and not _FINAL_WORD_ELSEWHERE.search(
        _DECIDES_JOINTLY.sub(" ", said)
    ):
        return "decides"
    if (
        _CAN_SIGN.search(said)
        and not _SOMEONE_ELSE_DECIDES.search(said)
        and not _FINAL_WORD_ELSEWHERE.search(said)
    ):
        return "decides"  # "I'm one of two directors, so yes, I can sign it off"
    # "me and my dad decide": they decide, with the person among them.
    someone_else = bool(_SOMEONE_ELSE_DECIDES.search(_WE_WITH_A_PEER.sub("we", said)))
    gathering = bool(_ONLY_GATHERING.search(said))
    if gathering and _RECOMMENDS.search(said):
        return "influences"  # "I pull the options together and recommend one"
    if gathering and _FOR_SOMEONE_ELSE.search(said):
        return "researching"  # options gathered for the one who decides
    if someone_else and gathering and not _SELF_INVOLVED.search(said):
        return "researching"
    if _WITH_A_PEER.search(said) and not someone_else:
        return "decides"
    if someone_else or _SELF_INVOLVED.search(said):
        return "influences"
    if _SELF_DECIDES.search(said):
        return "decides"
    if gathering:
        return "researching"
    return None

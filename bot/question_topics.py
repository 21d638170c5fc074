"""Which of the common questions a message asks, sentence by sentence: "Does it plug into
HubSpot? And do you charge per seat?" asks two, and both get their answer.

The classifier gives a message one intent; a second question in the same message was
left unanswered. Each sentence that reads as a question is matched against the plain
words of each topic, and only a sentence naming exactly one topic counts: a wrong answer
is worse than none.
"""

from __future__ import annotations

import re

from bot.interruptions import is_question, opens_as_question
from bot.typos import with_chat_words

# Tools and channels people ask Parley to work with: naming one in a question asks about
# integrations ("so does it do whatsapp", "depends if it plugs into hubs pot").
_TOOLS = (
    r"whats ?app|shopify|hubs? ?pot|salesforce|sales force|zoho|pipedrive|mailchimp|klaviyo|"
    r"zapier|google (?:calendar|sheets)|outlook|calendly|slack|ms teams|microsoft teams|wordpress|"
    r"wix|squarespace|woocommerce|facebook|messenger|instagram|telegram|crm|apis?|webhooks?|xero|"
    r"quickbooks|gmail|dynamics|freshdesk|zendesk|intercom|twilio|odoo|servicetitan|rezdy|jobber|"
    r"housecall pro|mindbody|fresha|square|stripe|clio|monday\.com|asana|trello|notion|airtable|"
    r"sage|netsuite|sap|marketo|activecampaign|constant contact|brevo|sendinblue|google ads|"
    r"tiktok|linkedin|viber|line app|wechat|simplybook|acuity|booksy|opentable|resy|cliniko"
)
# The product asked about, and what it would do for the person's own visitors.
_IT_WORDS = r"it|this|parley"
_IT = rf"(?:{_IT_WORDS})"
_THE_PRODUCT = (
    rf"(?:{_IT_WORDS}|(?:your|the) (?:system|bot|tool|product|software|assistant|platform|chat ?bot|"
    r"thing))"
)
_DOES_FOR_THEM = (
    r"(?:also |even |really |actually )?(?:reply|replies|answer|respond|handle|book|take|schedule|"
    r"qualify|collect|capture|chat|cover)"
)
_MAINLY_FOR = r"(?:mainly|mostly|just|only|really) for"
_TOPIC_WORDS: dict[str, re.Pattern[str]] = {
    "pricing": re.compile(
        r"\b(?:price|prices|pricing|priced|cost|costs|(?<!\bin )charges?|(?:is it|it'?s|billed|charged|pay|"
        r"paid) per (?:seat|user|month|conversation)|"
        # "what would something like this usually run?"
        r"what(?:'?d|\s+would|\s+does|\s+will|\s+might)\s+(?:\w+\s+){0,4}?(?:usually |typically |normally )?run(?: (?:me|us|you|to))?(?=\s*(?:\?|$))|"
        r"subscription|plans?|free (?:trial|tier|version|plan)|trial|how much|"
        r"expensive|cheap|paid|fees?|rates?|quotes?|afford\w*|money|month[- ]to[- ]month|pricey|"
        # "would it be terribly dear for a wee business like mine?"
        r"(?:be|is|it'?s|it|too|very|terribly|awfully|that|so|pretty|quite|a bit) dear|"
        r"(?:locked[- ]in|lock[- ]in|long|annual|yearly|minimum|fixed)[- ](?:term )?contract|"
        r"contract (?:length|term|period)|(?:is there|any) (?:a |an )?(?:\w+ )?contract|"
        r"tied (?:in|into) (?:a |any )?contract|"
        r"locked[- ]in|lock[- ]?in|minimum (?:term|commitment|contract)|cancel (?:any ?time|whenever)|"
        r"(?:is it|it'?s not|isn'?t it|it "
        r"isn'?t) free|"
        # asked in the speaker's own language: French, Spanish, Portuguese, Hindi, Tagalog
        r"combien|co[uû]te|tarifs?|cu[aá]nto (?:cuesta|vale|cobran)|precios?|quanto (?:custa|cobra)|"
        r"pre[cç]os?|kitna|kitne (?:ka|ki|mein|me)|magkano|presyo|bayad|"
        # "what does this thing run me", "what'll it set us back", "what's the damage"
        r"(?:run|runs|set|sets) (?:me|us|you|a (?:business|company))(?: back)?(?=\W*$)|"
        r"what'?s the damage|what'?s (?:this|it|that) (?:gonna |going to )?run\b|\w+\s+(?:[$£€₹]|rs\.? ?)\d[\d,.]*\s*(?:k\s*)?(?:a|per|/)\s*(?:month|mo|year|yr)"
        r"[^.?!]{0,40}\b(?:get (?:me|us|you) anything|enough|way off|in the ballpark|realistic|cover it))\b",
        re.I,
    ),
    "integrations": re.compile(
        r"\b(?:integrat\w*|connects? (?:to|with|into|up)|plugs? (?:in|into)|works? (?:with|on|in)|"
        r"syncs? (?:with|to)|plug[- ]?ins?|an api|compatible with|hooks? (?:up )?(?:to|into|in)|"
        rf"talks? to (?:our|my) (?:crm|tools?|system)|supports?|{_TOOLS}|"
        # "do leads from your chat land in our CRM", "can it work together with our system"
        r"lands? (?:in|into)|(?:go|goes|feed|feeds|push|pushes|flow|flows) (?:straight )?into|"
        # "Could it open a work order in Yardi when a tenant calls?"
        r"(?:open|create|raise|log|add|make|file|push)\w*\s+(?:a |an |the )?(?:new )?(?:\w+\s+)?"
        r"(?:work orders?|tickets?|tasks?|jobs?|deals?|records?|contacts?|leads?|bookings?|appointments?|"
        r"cases?|invoices?)\s+(?:in|into|on)\s+(?!the (?:morning|evening|night|day|week|weekend)\b)\w+|"
        r"work together with|link\w* (?:up )?(?:with|to|into)|copy[- ]?past\w*|"
        r"(?:push|pushed|pushes|sync|synced|sent|send) (?:there|(?:straight |directly )?(?:to|into|over to) "
        r"(?:our|my|the) (?:crm|system|tool|software|calendar))|"
        # "can it pick up leads directly from IndiaMART": a source it would read from
        r"(?:pick|pull|import|fetch|grab|bring)\w*\s+(?:up\s+|in\s+)?(?:the\s+|our\s+)?(?:leads|enquiries|"
        r"inquiries|contacts|orders|bookings|messages)\s+(?:directly\s+|automatically\s+|straight\s+)?from|"
        r"(?:our|my) (?:booking|ordering|crm|pos|point of sale|practice management) (?:system|software|tool)|"
        r"marche avec|fonctionne avec|funciona (?:con|com)|ke saath (?:connect|chal|kaam)|connect ho|"
        r"gumagana (?:ba )?sa|konektado sa)\b",
        re.I,
    ),
    "data_use": re.compile(
        r"\b(?:gdpr|g d p r|privacy|private|stored|store (?:it|them|this|that|the|our|my)|storing|"
        r"kept|keep (?:it|them|this|that|the|our|my)|hosted|servers?|"
        # "How long does the deletion take, and will I get a confirmation that it's gone?"
        r"how (?:long|soon|quickly|fast) (?:does|will|would|is|do|can) (?:the |my |a |it )?"
        r"(?:deletion|erasure|removal|deleting|erasing|removing|delete|erase|remove|take to delete)|"
        r"confirmation (?:that |when |once )?(?:it'?s|it is|they'?re|my (?:data|details|info\w*) (?:is|are)|"
        r"everything(?:'s| is)) (?:gone|deleted|erased|removed|wiped)|"
        # "where does it keep what couples type in", "where does everything I write go"
        r"(?:keep|keeps|store|stores|save|saves|hold|holds)\s+(?:what|whatever|everything|all)\s+"
        r"(?:\w+\s+){0,2}?(?:types?|typed|writes?|wrote|says?|said|sends?|sent|tells?|told|enters?)\b|"
        r"where (?:does|do|will|would|is|are) (?:it|this|that|parley|everything|all (?:of )?(?:it|that|this)|"
        r"(?:the|my|our) (?:data|info\w*|details|messages|chats?|conversations?))\s+(?:\w+\s+){0,3}?"
        r"(?:keep|kept|store|stored|save|saved|go|end up|live|held|hold)\b|"
        # "who at your company sees what I type here?"
        r"who (?:(?:at|in|on|from) (?:your|the) \w+ (?:end )?|actually |else )?(?:sees|can see|has access|reads|can read|"
        r"gets to (?:see|look|read)|will see|would see|'?d see|looks? at)|"
        # "how long do you keep what I write here?", "can I have it removed later?"
        r"how long (?:do|will|would|does|can) (?:you|u|ya|parley|it|they) (?:\w+ )?(?:keep|hold|store|"
        r"retain)|(?:have|get) (?:it|that|this|them|all (?:of )?(?:it|that)|my \w+) (?:all )?(?:removed|"
        r"deleted|erased|wiped)|"
        r"(?:data|info|information|details) (?:safe|secure|protected)|data protection|data|"
        r"(?:sell|sold|selling|share|shared|sharing|pass(?:ed)? on|passed along|hand(?:ed)? over)\b"
        r"(?:\s+[\w']+){0,3}?\s*(?:data|info|information|details|number|email|inbox|name|on|to)|"
        r"spam\w*|end up|ends up|(?:mailing|marketing|e-?mail|spam|call) lists?|"
        # "do you use the conversations to train any AI models?"
        r"(?:use|using|uses) (?:the |our |my |these |this |your |people'?s )?(?:(?:chat|text|customer|visitor) )?"
        r"(?:conversations?|chats?|messages?|data|info\w*) (?:to (?:train|improve|teach|feed|build)|for training)|"
        # "not be shared with other companies, right?", "you will not be selling them", "is this
        # call recorded", "who will be seeing it", "used to train some AI model"
        r"(?:shared|sharing|share|sold|selling|sell|given|passed|handed)\b(?:\s+\w+){0,2}?\s+(?:with|to)\s+"
        r"(?:other|third|outside|any|another)\b|sell(?:ing)? (?:them|it|those|these)\b|"
        r"(?:use|using) (?:them|it) for your own|(?:call|calls|conversation|chat) (?:being |be |is |are )?"
        r"recorded|(?:is|are) (?:this|these|the) (?:call|calls|conversation|chat)s? (?:being )?recorded|"
        r"who (?:listens|will listen|is listening|hears)|who (?:will be |is |gets to )?see(?:ing|s)? "
        r"(?:it|them|this|that)\b|used to train|"
        # "do the things people type get read by your staff", "used for anything else"
        r"read by|who reads|(?:used|use (?:it|them|that))\s+for\s+(?:anything|something)\s+(?:else|beyond|"
        r"other)|training data|train(?:ing)? (?:your|the|an?) (?:ai|model|bot)|"
        # "what do you use them for?" (the details just asked about, not one of them)
        r"what (?:will|would|do|are|'ll) (?:you|u)(?: guys)? (?:going to |gonna )?(?:actually )?use "
        r"(?:them|my data|my details|the data|the details|my info\w*|the info\w*|"
        r"all (?:of )?(?:this|that|it)) for|"
        r"do (?:you )?with (?:my|our|the|this|all this|that|it|them) ?(?:data|info|information|details|"
        r"email|e-mail|number|phone number|address)?)\b",
        re.I,
    ),
    "bot": re.compile(
        r"\b(?:robot|a bot|bots?|chat ?bot|automated|an ai|ai|a machine|a computer|a recording|"
        r"real person|a human|person typing|real human|live person|actual person|real people|"
        # "am i talking to a real lady or is this one of those recordings"
        r"(?:a )?real (?:lady|woman|man|guy|girl|fella|bloke)|one of (?:those|them|these) (?:recordings|"
        r"machines|robots|computers|automated (?:things|systems|lines))|"
        r"(?:chatting|talking|speaking|writing) (?:to|with) an? (?:actual|live) human|"
        r"(?:are you|r u|is this|is it|am i) an? (?:actual|live) human|"
        r"(?:nobody|no one|anyone|someone|somebody) (?:actually |really )?(?:there|typing|real)|"
        r"(?:r|are|is) (?:u|you|ya|this|it) (?:a )?(?:human|real|person|bot|robot|ai|machine)|chat ?gpt|"
        r"an? llm|an? (?:large )?language model|"
        r"bot (?:po )?ba|tao (?:po )?ba|un robot|une? (?:vraie|vrai) personne|un humain|"
        r"eres (?:un )?(?:bot|robot|humano|persona)|persona real|(?:é|e) (?:um )?rob[oô]|pessoa de verdade|"
        r"(?:asli|koi) (?:insaan|aadmi|insan))\b",
        re.I,
    ),
    "next_steps": re.compile(
        r"\b(?:(?:how does it|how would it|what) (?:work|works|happen|happens) (?:from there|after that)|"
        r"what happens (?:next|now|then|after|afterwards|once|when|if|with (?:all )?"
        r"(?:this|that|it))|what'?s next|what is next|what are the next steps|what(?:'s| is) the "
        r"next step|then what|what now|(?:the|your) process|do i (?:just )?wait|"
        # "what actually happens at one of these demo things", "what happens on the call"
        # "What will the demo cover, and how long does it take?"
        r"what (?:will|would|does|do|is) (?:the|a|your) (?:demo|call|meeting|session)s? (?:cover|"
        r"involve|include|look like|be about)|"
        r"what (?:actually |exactly |really )?happens (?:at|in|on|during) (?:the|a|an|one of "
        r"(?:these|those|your)|your|this|that) (?:\w+ ){0,2}?(?:demo|call|meeting|session)s?|"
        r"(?:(?:will|does|would|is|do) (?:someone|somebody|anyone|a (?:person|human|rep|salesperson|"
        r"sales ?(?:rep|person|guy)|real person)|your (?:team|sales \w+|people|folks))|(?:will|would) "
        r"(?:you|u)(?: guys)?)\b(?:\s+(?:actually|then|just|soon|also|ever|be|going|to|gonna)){0,3}\s+"
        r"(?:call|ring|contact|reach|get back|get in touch|"
        r"email|phone|follow up)\w*|"
        r"(?:get|getting|come|coming) back to (?:me|us|people|ppl)|hear back|hear from|"
        r"what(?:'s| is| will| would)? (?:actually |really |exactly )?(?:going to |gonna )?happen\b|"
        # "somebody from your company will contact me or must I write to you", "what's the
        # go", "do I sign up online or does someone give me a bell"
        r"(?:someone|somebody|anyone|a person|your (?:team|company|people|staff))\b(?:\s+[\w']+){0,4}?\s+"
        r"(?:will|would|is going to|gonna)\s+(?:\w+\s+)?(?:contact|call|ring|email|reach|get back|"
        r"get in touch|follow up)|(?:do|should|must|shall) i (?:\w+ )?(?:sign up|write to you|contact you|"
        r"call you|email you|book)|what'?s the go|what comes (?:after|next)|"
        r"give (?:me|us) a (?:bell|call|ring|buzz|shout)|"
        r"(?:ke baad|uske baad|iske baad) kya hoga|kya hoga|koi call karega|qu'est-ce qui se passe|"
        r"quelqu'un va m'appeler|(?:me|nos) van a llamar|qu[eé] pasa despu[eé]s|o que acontece depois|"
        r"(?:v[aã]o|vai) me ligar|ano (?:po )?(?:ang )?(?:susunod|mangyayari)|"
        r"how (?:long|soon|fast|quickly)\b(?:\s+\w+){0,6}?\s+(?:hear|get back|contact|call|"
        r"respond|reply|touch|until|before|till)\w*|"
        r"when (?:will|would|do|does|can|should) (?:i|someone|somebody|you|your \w+)\b"
        r"(?:\s+\w+){0,5}?\s+(?:hear|contact|call|ring|reach|get back|in touch|expect))\b",
        re.I,
    ),
    "what_it_does": re.compile(
        r"\b(?:(?:what|wat|wht|wut) (?:exactly |actually )?(?:does|do|would|can|will|could|dose)?\s*"
        r"(?:it|this|parley|ur \w+|"
        r"the (?:assistant|bot|tool|product|software|platform|service|app|thing)|your (?:assistant|"
        r"bot|tool|product|software|platform|service|app|company))"
        r" (?:actually |exactly |really )?(?:do|does|offer|offers|offering|is)|"
        r"how does (?:it|this|parley) work|what is parley|"
        # "I saw your chatbot on LinkedIn. Can you tell me a bit?"
        r"tell (?:me|us) (?:a (?:bit|little)|a (?:bit|little) more|more|something)(?: (?:more )?(?:about|on) "
        r"(?:it|this|that|parley|(?:your|the) (?:assistant|bot|chat ?bot|tool|product|software|platform|service))"
        r")?(?=\W*$)|"
        # "what is it you actually do", "what do you guys do exactly" (not "what do you do
        # with my number")
        r"what(?:'s| is) it (?:that )?(?:you|u|ya)(?: guys| lot| folks| people)? (?:actually |really |"
        r"exactly )?(?:do|sell|offer|make)\b(?!\s*(?:with|w/|w|con|to|about|for|if|when|after|on|in)\b)|"
        r"what (?:do|does) (?:you|u|ya)(?: guys| lot| folks| people)? (?:actually |really |exactly )?"
        r"(?:do|sell|offer|make)\b(?!\s*(?:with|w/|w|con|to|about|for|if|when|after|on|in)\b)|"
        r"what (?:are|is) (?:you|u|ya) (?:selling|offering)|"
        r"what (?:it|this|parley)(?: thing)? (?:actually |really |exactly )?(?:does|do|is|is for)|"
        r"what (?:it'?s|its|this is) (?:for|about)|who (?:is )?(?:it|this) (?:for|aimed at)|"
        r"(?:is it|it'?s|is this) (?:like |just |basically |only )?(?:a|an) [\w-]+(?: \w+)? "
        r"(?:that|which|for)|more than that|"
        # "can your system reply to our students at night", "I'm wondering if your system can
        # reply...", "is this mainly for leads", "whether this is mainly for leads"
        rf"(?:can|could|would|will|does) {_THE_PRODUCT} {_DOES_FOR_THEM}\b|"
        rf"(?:whether|if) {_THE_PRODUCT} (?:can|could|would|will) (?:{_DOES_FOR_THEM})\b|"
        rf"(?:is|'s) {_IT} {_MAINLY_FOR}|(?:whether|if) {_IT} (?:is|'s) {_MAINLY_FOR})\b",
        re.I,
    ),
    "why_needed": re.compile(
        r"\b(?:why (?:do|would|did|does|are)? ?(?:you|u|ya) (?:need|want|ask|require|asking)|"
        r"how come (?:you|u|ya) (?:need|want|ask)|"
        r"why (?:is|are|'s) (?:my |the |an? |your )?\w+ (?:needed|necessary|neccesary|required|"
        r"important|relevant)|what (?:do|would|'d|did) (?:you|u) (?:need|want) (?:my |an? |the |it |"
        r"that |this )?\w* ?for|what'?s (?:my|the) (?:\w+ ){1,2}got to do with|"
        r"why (?:[\w']+\s+){0,6}?(?:needs?|needed|needing|wants?|wanting|necessary|neccesary|requires?|required|matters?|asking|"
        r"ask)|"
        r"(?:really|actually|even) (?:needed|necessary|neccesary|required)|"
        # "do you actually need a mobile number?"
        r"do (?:you|u|ya) (?:actually |really |even |definitely |absolutely )?need (?:my |an? |the |your )?"
        r"(?:\w+ )?(?:number|phone|mobile|cell|e-?mail|address|name|details|company|budget)|"
        r"pourquoi (?:vous avez|avez-vous|tu as) besoin|por qu[eé] (?:necesitan?|quieren?)|"
        r"para qu[eé] (?:necesitan?|quieren?|sirve)|pra que|para que serve|kyun chahiye|kis liye|"
        r"bakit (?:po )?(?:kailangan|nyo kailangan)|"
        # "is the number of our staff really important for the system"
        r"(?:is|are) (?:the|my|our|your) (?:[\w']+ ){0,4}?(?:really |actually |so )?(?:important|necessary|"
        r"needed|required|relevant)|does (?:it|that) (?:really )?matter|"
        r"(?:need|want) (?:my|an|the|your) \w+ for|for what (?:reason|purpose)|"
        # "Do I really have to give you all this just to book a call?"
        r"(?:do|must|should) i (?:really |actually |even |still )?(?:have|need|got) to (?:give|tell|share|"
        r"provide|hand over) (?:you )?(?:all (?:of )?)?(?:this|that|these|those|(?:my|an?|the|your) (?:\w+ )?"
        r"(?:details|name|e-?mail|number|phone|mobile|company|budget|address|info|information))\b|"
        r"what (?:will|would|do|are) (?:you|u) (?:going to )?use (?!(?:them|my data|my details|"
        r"the data|the details|my info\w*|the info\w*|all (?:of )?(?:this|that|it))\s+for\b)"
        r"(?:my|the|an?|this|that|it) ?(?:\w+ ){0,2}for|"
        r"what (?:would|will) (?:that|it|this) be used for|"
        # "what's the phone number for exactly?", "what is my email for"
        r"what(?:'s| is| are) (?:my|the|your|an?) (?:\w+ ){0,2}?(?:e-?mail|phone|number|mobile|"
        r"name|budget|address|details|info|company|role) for|"
        # "what is the phone number actually used for?", "and the telephone, what for?"
        r"what(?:'s| is| are| would| will) (?:my|the|your|an?|that|this|it) (?:\w+ ){0,2}?(?:actually |really |"
        r"even )?(?:be )?(?:used|needed) for|"
        r"(?:phone|telephone|mobile|number|e-?mail|name|company|role|budget)\W+what for)\b",
        re.I,
    ),
}
# Said as a wondering, not a question: "I still don't get what your product does", "not
# sure why you'd need my email", "I don't want my number sold on".
_WONDERS = re.compile(
    r"\b(?:(?:don'?t|do not|dont|didn'?t) (?:really |quite |fully )?(?:get|understand|know|see|"
    r"follow) (?:what|why|how|who|where|whether|if)|not (?:really |quite |entirely )?(?:sure|clear)"
    r"(?: on| about)? (?:what|why|how|who|where|whether|if)|(?:fuzzy|unclear|confused|lost) "
    r"(?:on|about|as to) (?:what|why|how)|none the wiser|i (?:wonder|was wondering|am wondering|'?m "
    r"wondering)|(?:curious|wondering) (?:what|why|how|if|whether|about)|tell me (?:what|why|how|"
    r"more about|about)|(?:explain|walk me through) (?:what|why|how)|(?:know|knew|understand|see) why|"
    r"(?:don'?t|do not|dont) want (?:my|our|me) (?:\w+ )?(?:sold|shared|passed|spammed|"
    r"on (?:a|every|some) \w+ list))",
    re.I,
)
_COST_ASKED = re.compile(r"\b(?:run|runs|cost|costs|price|how much)\b", re.I)
_KEPT_OR_DELETED = re.compile(r"\b(?:kept|keep|stored|store|held|hold|delet\w*|backups?)\b", re.I)
# A chatbot asked for by what it would do or whom it is for, not whether this is one.
_A_BOT_FOR = re.compile(
    r"^\W*(?:(?:a|any|the|your)\s+)?chat ?bots?\s+(?:for|on|in|that|which|to)\b|"
    r"\b(?:do you (?:have|do|make|sell)|have you got|looking for|need|want)\s+(?:a|any)\s+"
    r"chat ?bots?\b",
    re.I,
)
_TRAINING = re.compile(
    r"\btrain\w*|\bchat ?gpt\b|\b(?:improve|teach|feed|build)\w* (?:your|the|an?|their) (?:ai|model|bot)",
    re.I,
)
_CONNECTING = re.compile(
    r"\b(?:works?|working) (?:on|with|in)\b|\bconnect|\bintegrat|\bplugs?\b|"
    # "can it answer people who write to us on WhatsApp Business?"
    r"\b(?:answer|reply|respond)\w*\b(?:\s+\w+){0,6}?\s+on\b|"
    # "can it take the messages from our whatsapp and our facebook page"
    r"\b(?:take|takes|pull|pulls|read|reads|get|gets|handle|handles|bring|brings)\s+(?:in\s+)?(?:the\s+|our\s+|my\s+)?"
    r"(?:messages?|chats?|dms?|enquiries|inquiries|leads|comments|reviews)\s+(?:from|on|in)\b",
    re.I,
)
_SENTENCE = re.compile(r"[^?.!]+(?:\?+|[.!]+|$)")
# "how much is it and does it work with Shopify?": two questions in one sentence.
_AND_ASKS = re.compile(
    r",?\s+(?:and|also|plus)(?:,?\s+if so)?,?\s+(?=(?:does|do|is|are|can|could|will|would|what|how|where|who)\b)",
    re.I,
)


# A question word starting a clause, after a greeting or a word or two ("oh btw whats the
# price", "g'day mate whats the damage"): asked without the question mark.
_ASKS_IN_A_CLAUSE = re.compile(
    r"(?:^|[,;:]\s*|\b(?:so|and|but|oh|btw|um+|uh+|hi|hey|hello|ok|okay|yeah|well|then|also|mate|"
    r"po|ah|right|sorry|quick one|first|anything)\s+)(?:what|whats(?! ?app\b)|wat|how|hows|why|who|where|when|which|"
    r"does|do|did|is|are|can|could|will|would|should|r|got|any|has|have)\b|"
    # "before i do that what does your product do", "after this bit is someone going to call"
    r"\b(?:what|how|why|who|where|when|which)\s+(?:does|do|did|is|are|was|would|will|can|could|"
    r"should|happens|'s)\b|\bis (?:someone|somebody|anyone|it|this|there)\b|"
    # "before i give you anything who actually gets to see what i say", "the customer numbers
    # and all where it will be stored": who sees, where it is kept, asked without a "?"
    r"\bwho (?:actually |exactly |really |else )?(?:gets to see|sees|can see|reads|has access)\b|"
    r"\bwhere (?:it|they|all (?:this|that)|(?:my|our|the) \w+) (?:will|would|is|are|gets?|'?ll) "
    r"(?:be |get )?(?:stored|kept|saved|hosted)\b|"
    # "it's not cheap is it", "it works with Slack doesn't it", "..., right"
    r"(?:,\s*|\s)(?:is|isn'?t|does|doesn'?t|do|don'?t|are|aren'?t|will|won'?t|can|can'?t) "
    r"(?:it|they|you|there|he|she)\s*(?:eh|lol|then)?\s*[?!.]*$|,\s*(?:right|eh|yeah|no)\s*[?!.]*$",
    re.I,
)


def _sentences(text: str) -> list[str]:
    """The sentences of `text`, two questions joined by "and" counted as two."""
    return [p.strip() for s in _SENTENCE.findall(text) for p in _AND_ASKS.split(s)]


def question_sentences(text: str) -> list[str]:
    """The sentences (and joined questions) of `text` that ask something."""
    text = with_chat_words(text)  # "wat dose it acshully do", "and wats the pryce"
    return [p for p in _sentences(text) if p and _asks(p)]


def _asks(sentence: str) -> bool:
    return bool(
        is_question(sentence) or _WONDERS.search(sentence) or _ASKS_IN_A_CLAUSE.search(sentence)
    )


# The product called a bot: "what does your bot do", "how would the chatbot handle it".
_WHAT_THE_BOT_DOES = re.compile(
    r"\b(?:what|how)\s+(?:exactly\s+|actually\s+)?(?:does|do|can|could|would|will|is)\s+"
    r"(?:your|the|this|that)\s+(?:chat ?)?bot\s+(?:\w+\s+)?(?:do|handle|work|answer|reply|respond|say)\b",
    re.IGNORECASE,
)


def asked_topics(text: str) -> list[str]:
    """The topics the message asks about, in the order asked, each once."""
    topics: list[str] = []
    for sentence in question_sentences(text):
        named = [topic for topic, words in _TOPIC_WORDS.items() if words.search(sentence)]
        if (
            set(named) == {"integrations", "what_it_does"}
            and _CONNECTING.search(sentence)
            and re.search(rf"\b(?:{_TOOLS})\b", text, re.I)
        ):
            # "Most reach us on WhatsApp. Does your product work on those, or is it only for
            # websites?" (not "what does Parley do that HubSpot's chat doesn't?")
            named = ["integrations"]
        if set(named) == {"next_steps", "what_it_does"}:
            named = ["next_steps"]  # "if we want to go ahead, how does it work from there?"
        if set(named) == {"pricing", "what_it_does"} and _COST_ASKED.search(sentence):
            named = ["pricing"]  # "what's this gonna run me a month?"
        if set(named) == {"what_it_does", "bot"} and _WHAT_THE_BOT_DOES.search(sentence):
            named = ["what_it_does"]  # "what does your bot do when a client writes?"
        if named == ["bot"] and _A_BOT_FOR.search(sentence):
            named = ["what_it_does"]  # "Chatbot for electrician website?": what it is for
        if set(named) == {"pricing", "bot"}:
            named = ["pricing"]  # "how much is your chatbot?": the product's price
        if set(named) == {"data_use", "bot"} and _TRAINING.search(sentence):
            named = ["data_use"]  # "is data from this chat used to train some AI model?"
        if set(named) == {"data_use", "integrations"} and _KEPT_OR_DELETED.search(sentence):
            named = ["data_use"]  # "will anything be kept after you delete it, like in a CRM?"
        if "why_needed" in named:
            # "why should I tell a bot my budget": the reason for the detail is asked, the
            # bot or the spam only mentioned.
            named = ["why_needed"]
        if len(named) == 1 and named[0] not in topics:
            topics.append(named[0])
    return topics


def only_asks_topics(text: str) -> bool:
    """Whether the message is nothing but questions about Parley, opening as one: "Is
    there a contract for one year or can I stop every month?" names a year, but it asks
    about the contract, and answers no question the bot asked."""
    parts = [p for p in _sentences(text) if p.strip(" .,!?")]
    return (
        bool(parts)
        and opens_as_question(parts[0])
        and all(_asks(with_chat_words(p)) and asked_topics(p) for p in parts)
    )

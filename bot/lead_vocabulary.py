"""Small curated word lists the lead readers check answers against.

The readers in bot/leads.py work on sentence structure ("I work at ...", "<name> from
<company>"); these lists say what a value can never be. A product, a social network, a
place or a job title is what people mention *around* their details ("we sell on
Shopify", "I'm in Leeds", "I'm the CMO"), so a lone one is never stored as the company
they work for. Entries are lower-case, words separated by single spaces (see `key`).
"""

from __future__ import annotations

import re


def _entries(text: str) -> frozenset[str]:
    return frozenset(" ".join(e.split()) for e in text.split(",") if e.strip())


def word_set(text: str) -> frozenset[str]:
    """The words of `text`, for lists written as prose."""
    return frozenset(text.split())


# Software people ask whether Parley works with, or say they already use.
TOOLS = _entries(
    """
    hubspot, salesforce, salesforce crm, sales cloud, pardot, marketo, shopify, shopify plus,
    woocommerce, magento, bigcommerce, wix, squarespace, webflow, wordpress, wordpress.com,
    drupal, joomla, slack, microsoft teams, ms teams, teams, zoom, google meet, mailchimp,
    klaviyo, activecampaign, active campaign, constant contact, sendinblue, brevo,
    mailerlite, convertkit, campaign monitor, sendgrid, zapier, make.com, integromat, ifttt,
    zendesk, freshdesk, freshworks, freshsales, intercom, drift, help scout, gorgias,
    livechat, tawk.to, crisp, excel, microsoft excel, ms excel, google sheets, sheets,
    spreadsheets, a spreadsheet, spreadsheet, google docs, google forms, typeform, jotform,
    airtable, notion, trello, asana, monday.com, jira, clickup, basecamp, pipedrive, zoho,
    zoho crm, copper crm, insightly, keap, infusionsoft, dynamics, dynamics 365,
    microsoft dynamics, netsuite, quickbooks, xero, myob, stripe, paypal, calendly, acuity,
    outlook, gmail, google workspace, g suite, gsuite, office 365, microsoft 365, twilio,
    google analytics, google ads, facebook ads, meta ads, hotjar, mixpanel, amplitude,
    tableau, power bi, looker, hootsuite, canva, unbounce, leadpages, instapage, kajabi,
    teachable, thinkific, chatgpt, openai, dropbox, google drive, onedrive, sharepoint, crm,
    erp, a crm, an erp, the crm
    """
)
SOCIAL_NETWORKS = _entries(
    """
    linkedin, linked in, facebook, fb, meta, instagram, insta, ig, tiktok, tik tok, x,
    twitter, x twitter, x.com, whatsapp, whats app, youtube, you tube, snapchat, pinterest,
    reddit, threads, messenger, facebook messenger, wechat, telegram, signal, viber, line,
    google, google search, bing
    """
)
# Places people say they are in or from; a lone one is never a company.
PLACES = _entries(
    """
    uk, u.k, united kingdom, great britain, britain, england, scotland, wales,
    northern ireland, ireland, eire, us, u.s, usa, u.s.a, america, united states, the states,
    canada, australia, new zealand, nz, india, pakistan, bangladesh, sri lanka, nepal,
    singapore, malaysia, indonesia, philippines, vietnam, thailand, japan, china, hong kong,
    taiwan, korea, south korea, uae, united arab emirates, saudi arabia, saudi, qatar, kuwait,
    oman, bahrain, egypt, nigeria, kenya, ghana, south africa, ethiopia, uganda, tanzania,
    morocco, germany, france, spain, portugal, italy, netherlands, holland, belgium,
    switzerland, austria, poland, czechia, czech republic, hungary, romania, greece, sweden,
    norway, denmark, finland, iceland, estonia, latvia, lithuania, ukraine, turkey, israel,
    mexico, brazil, argentina, chile, colombia, peru, europe, asia, africa, oceania,
    north america, south america, latin america, latam, emea, apac, anz, middle east, eu,
    london, manchester, birmingham, leeds, liverpool, glasgow, edinburgh, bristol, cardiff,
    belfast, newcastle, sheffield, nottingham, leicester, brighton, oxford, cambridge,
    aberdeen, dundee, dublin, cork, galway, limerick, waterford, new york, new york city,
    nyc, san francisco, sf, los angeles, la, chicago, boston, seattle, austin, denver, miami,
    atlanta, dallas, houston, washington, toronto, vancouver, montreal, calgary, ottawa,
    sydney, melbourne, brisbane, perth, adelaide, canberra, hobart, darwin, gold coast,
    auckland, wellington, christchurch, mumbai, bombay, delhi, new delhi, ncr, bangalore,
    bengaluru, chennai, madras, hyderabad, pune, kolkata, calcutta, ahmedabad, jaipur, kochi,
    karachi, lahore, islamabad, dhaka, colombo, kathmandu, kuala lumpur, kl, jakarta, manila,
    bangkok, ho chi minh city, saigon, hanoi, shanghai, beijing, shenzhen, tokyo, osaka,
    seoul, dubai, abu dhabi, riyadh, jeddah, doha, cairo, lagos, abuja, nairobi, accra,
    johannesburg, joburg, cape town, durban, pretoria, paris, berlin, munich, hamburg,
    frankfurt, madrid, barcelona, lisbon, porto, rome, milan, amsterdam, rotterdam, brussels,
    zurich, geneva, vienna, warsaw, krakow, kraków, prague, budapest, bucharest, athens,
    stockholm, oslo, copenhagen, helsinki, tallinn, riga, vilnius, kyiv, kiev, istanbul,
    tel aviv, mexico city, sao paulo, são paulo, rio, rio de janeiro, buenos aires, santiago,
    bogota, bogotá, lima, california, texas, florida, new york state, ontario, quebec,
    british columbia, alberta, new south wales, nsw, victoria, queensland, qld,
    western australia, south australia, tasmania, bavaria, punjab, kerala, maharashtra,
    karnataka, tamil nadu, gujarat, gauteng, western cape, kwazulu-natal, yorkshire,
    the midlands, midlands, cornwall, kent, essex, surrey, down under, the north,
    the south, up north, down south
    """
)
# Nouns that make a phrase a job title ("head of growth", "marketing manager").
JOB_TITLES = word_set(
    """
    ceo cto cfo coo cmo cro cio cpo cso cco cdo cxo md gm dgm agm vp svp evp avp
    president founder cofounder co-founder owner proprietor director manager head lead
    chief officer executive exec partner principal consultant advisor adviser analyst
    engineer developer dev designer architect coordinator co-ordinator specialist
    assistant administrator admin associate intern representative rep agent
    recruiter accountant bookkeeper marketer strategist officer supervisor secretary
    chairman chairwoman chair chairperson boss entrepreneur freelancer contractor
    researcher scientist editor writer copywriter producer planner buyer trainer teacher
    doctor dentist nurse lawyer solicitor attorney paralegal pharmacist vet
    """
)
# Words that may stand beside a job noun in a title without making it a name.
JOB_MODIFIERS = word_set(
    """
    of the a an and & for in senior sr junior jr lead chief vice deputy assistant associate
    general managing executive regional global national digital product business
    development account accounts customer customers success sales marketing growth
    operations ops people hr human resources finance financial technical technology tech
    it information data content brand communications comms social media commercial
    strategy strategic creative design engineering software web ecommerce e-commerce
    revenue demand generation lead-gen partnerships partner channel field inside outside
    office practice clinic store shop project programme program team community events
    support service services client clients relations public pr legal compliance
    procurement purchasing supply chain logistics quality research medical nursing
    principal staff co full stack front end back end frontend backend
    """
)
# Lower-case words that belong inside names ("María de la Cruz", "Ahmad bin Ismail").
NAME_PARTICLES = word_set(
    """
    de da di do dos das du del della delle dei la le lo las los van von der den ter ten
    te het bin binti bint ibn ben bat al el y e zu af av ap st. st
    """
)
# Legal forms that end company names; a dot after one is not the end of a sentence.
COMPANY_SUFFIXES = word_set(
    """
    inc inc. incorporated llc l.l.c. llp l.l.p. lp ltd ltd. limited plc pvt pvt. pte pte.
    pty pty. co co. corp corp. corporation company gmbh ag kg kgaa ohg ug e.v. ev mbh
    s.a. sa s.a.s. sas sarl s.a.r.l. s.r.l. srl s.p.a. spa s.l. sl s.c. sc n.v. nv b.v. bv
    bvba sprl a/s as aps ab oy oyj asa k.k. kk sdn sdn. bhd bhd. tbk pt cv ltda ltda.
    cia cía s.de r.l. sp. sp z o.o. o.o. sp.k. & and group holdings
    şti şti. sti sti. a.ş. aş kft kft. zrt zrt. bt bt. d.o.o. doo s.r.o. sro a.s. jsc ooo
    sac s.a.c. eirl fze fzco fz-llc w.l.l. wll spc saog psc pjsc
    """
)
# Abbreviations whose dot never ends a sentence ("Dr. Patel", "Pvt. Ltd.").
ABBREVIATIONS = word_set(
    """
    pvt ltd inc co corp bhd sdn pty pte ltda cia cía mfg intl bros assn dept univ est
    zn gebr cie hnos assoc san tic şti sti kft zrt
    st dr mr mrs ms mx prof jr sr rev hon capt sp fr revd engr atty ma sta sto wm
    """
)
# Words before the name someone trades under, said after "it's just me": "trading as
# Bright Sparks", "the car says Haigh School of Motoring".
TRADING_NAME_CUE = (
    r"trading as|trade as|t/a|called|named|go(?:es)? by|(?:the )?(?:car|van|vans|truck|ute|sign|"
    r"card|cards|invoices?|website|logo|door|shopfront) (?:says|reads|has)"
)
# The company running the bot is never the visitor's; Parley is the bot's own name.
BOT_NAMES = ("Parley",)

# Greetings as people type them in a hurry: "helo", "hii", "heyyy", "gday", "good mornin".
_GREETING_CORE = (
    r"(?:h+i+[iy]*e*|h+e+y+[ayo]*|h+e+l+o+[ow]*|h+a+l+o+|h+u+l+o+|hiy+a+|h+e+y+a+|howdy|hola|"
    r"yo+|sup|wa+s+u+p+|what'?s ?up|g'?day|gidday|g'?morning|gm|"
    r"(?:good|gud|gd)[\s-]*(?:morning|mornin'?|morn|afternoon|evening|eve|day|night|nite)|"
    r"morning|mornin'?|afternoon|evening|namaste|namaskar|salaam|salam|salaams|"
    r"as+alamu? ?[ae]laikum|kia\s+ora|bonjour|salut|ciao|hej|greetings|aloha|'?ello|wotcha|"
    r"ahoy|oi|hiho|top of the morning)"
)
_GREETING_TAIL = (
    r"(?:there|all|everyone|everybody|folks|team|guys|y'?all|mate|mates|friend|friends|bot|"
    r"again|ya|you|to you|sir|madam|ma'?am|bro|buddy|pal|love)"
)
_GREETING_GAP = r"[\s,!.~:;-]+"
GREETING = re.compile(
    rf"^{_GREETING_CORE}(?:{_GREETING_GAP}(?:{_GREETING_CORE}|{_GREETING_TAIL}))*[\s,!.~:;-]*$",
    re.IGNORECASE,
)
# A greeting before an answer ("hi there, it's Dana"), to be set aside.
GREETING_LEAD = re.compile(
    rf"^{_GREETING_CORE}(?:{_GREETING_GAP}{_GREETING_TAIL})*(?:{_GREETING_GAP}|$)",
    re.IGNORECASE,
)

_KEY_DROP = re.compile(r"[^\w\s&.'/+\-]")


def key(text: str) -> str:
    """The form of `text` the lists hold: lower case, plain apostrophes, single spaces."""
    cleaned = _KEY_DROP.sub(" ", text.replace("’", "'").casefold())
    return " ".join(cleaned.strip(" .,'-").split())


def _without_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an|our|my)\s+", "", text)


def is_tool_or_network(text: str) -> bool:
    """ "Salesforce", "Google Sheets", "X/Twitter", "our CRM": software, not an employer."""
    parts = [_without_article(key(p)) for p in re.split(r"[/|]|\bor\b|\band\b|,", text)]
    parts = [p for p in parts if p]
    return bool(parts) and all(p in TOOLS or p in SOCIAL_NETWORKS for p in parts)


# Tool names that are everyday words too ("our teams", "the outlook", "a quick zoom").
_TOOLS_THAT_ARE_WORDS = frozenset(
    {"teams", "sheets", "outlook", "drift", "crisp", "notion", "dynamics", "zoom", "line",
     "signal", "threads", "meta", "x", "keap", "spreadsheet", "a spreadsheet", "crm", "erp",
     "a crm", "an erp", "the crm"}
)  # fmt: skip
_WORD = re.compile(r"[\w.]+")


def names_a_tool(text: str) -> bool:
    """Whether `text` names a product by its own name ("push contacts into HubSpot")."""
    words = [w.strip(".").lower() for w in _WORD.findall(text)]
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in TOOLS and phrase not in _TOOLS_THAT_ARE_WORDS:
                return True
    return False


def is_place(text: str) -> bool:
    """ "Melbourne", and a place in a place: "seoul korea", "Leeds, UK"."""
    value = key(text)
    if _one_place(value):
        return True
    words = value.replace(",", " ").split()
    return any(
        _one_place(" ".join(words[:cut])) and _one_place(" ".join(words[cut:]))
        for cut in range(1, len(words))
    )


def _one_place(value: str) -> bool:
    return value in PLACES or _without_article(value) in PLACES


def is_job_title(text: str) -> bool:
    """ "CEO", "marketing manager", "head of growth": a title, with no other words in it."""
    words = key(text).replace("/", " ").split()
    return (
        bool(words)
        and any(w in JOB_TITLES for w in words)
        and all(w in JOB_TITLES or w in JOB_MODIFIERS for w in words)
    )


def mentions_job_title(text: str) -> bool:
    return any(w in JOB_TITLES for w in key(text).replace("/", " ").split())


def is_greeting(text: str) -> bool:
    """Nothing but greeting words: "hii there", "good mornin", "heyyy team"."""
    return bool(GREETING.match(text.strip()))


def company_core(text: str) -> str:
    """A company name without its legal form, for comparing "Acme Test Co." with "acme test"."""
    words = key(text).replace(",", " ").split()
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)

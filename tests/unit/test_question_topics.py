import pytest

from bot.question_topics import asked_topics, only_asks_topics, question_sentences


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Can it hook into Pipedrive? Also what are the plans like?", ["integrations", "pricing"]),
        ("how much is it per user and is there an api", ["pricing", "integrations"]),
        ("we run a vet clinic. where would our clients' details be kept?", ["data_use"]),
        ("What exactly would your tool do for a bakery?", ["what_it_does"]),
        ("wat does it do exactly", ["what_it_does"]),
        ("Kindly confirm where our records would be stored.", ["data_use"]),
        ("Is there a free plan? Is this automated or a real human?", ["pricing", "bot"]),
        ("How long do you keep what I write here? And can I have it removed later?", ["data_use"]),
        (
            "before i give you anything who actually gets to see what i say on this call",
            ["data_use"],
        ),
        (
            "and the customer numbers and all where it will be stored in india or outside",
            ["data_use"],
        ),
        ("is it a locked in contract or month to month?", ["pricing"]),
        ("Do I really have to give you all this just to book a call?", ["why_needed"]),
        ("do I have to give my phone number?", ["why_needed"]),
    ],
)
def test_each_question_in_a_message_is_read_for_its_topic(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "our shop works with Shopify and we pay about 200 a month",  # statements, no question
        "We're 40 people and I decide.",
        "my brother sees the accounts",
        "we're a contract cleaning company",
        # one sentence naming two topics: which one is asked is a guess
        "does the price include the hubspot integration?",
    ],
)
def test_statements_and_mixed_sentences_ask_no_topic(text: str) -> None:
    assert asked_topics(text) == []


def test_questions_joined_by_and_are_split() -> None:
    assert question_sentences("what does it cost and does it do voice?") == [
        "what does it cost",
        "does it do voice?",
    ]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        # Asked without a question mark, after a word or two, or as a tag question.
        ("sorry to jump in but what does your platform actually offer", ["what_it_does"]),
        ("quick one whats the monthly fee", ["pricing"]),
        ("it's a paid thing though isn't it", ["pricing"]),
        ("so once i'm done here is somebody going to phone me", ["next_steps"]),
        # Said as a wondering or a worry.
        ("still not clear on why you'd want my mobile number", ["why_needed"]),
        ("I don't want my details passed on to a call centre", ["data_use"]),
        ("I'm wondering whether it syncs with our Xero", ["integrations"]),
        ("r u a real person", ["bot"]),
        # Why a detail is needed wins over whatever else the sentence mentions.
        ("why would a chatbot need my budget", ["why_needed"]),
        ("what's my job title got to do with anything?", ["why_needed"]),
        ("how soon would your team get back to me?", ["next_steps"]),
        # Why a detail is wanted, not when someone calls: "would you need my email".
        ("For what purpose would you want my mobile?", ["why_needed"]),
        ("what are you going to use my postcode for?", ["why_needed"]),
        ("and what do you do with my phone number after?", ["data_use"]),
    ],
)
def test_questions_said_without_a_question_mark_or_as_a_worry(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "Priya Raman",
        "we're about 30 staff",
        "per month or per year?",  # asks what the budget question means, not the price
        "my partner and I decide, it's our shop",
    ],
)
def test_answers_and_questions_about_the_question_ask_no_topic(text: str) -> None:
    assert asked_topics(text) == []


@pytest.mark.parametrize(
    ("said", "topic"),
    [
        ("hmm what's the phone number for exactly? can't we just do email", "why_needed"),
        ("before we start what actually happens at one of these demo things", "next_steps"),
        ("Before I go on - who at your company sees what I type here?", "data_use"),
        (
            "right so what is it you actually do and do i need to be good with computers",
            "what_it_does",
        ),
        ("what do you guys do exactly?", "what_it_does"),
        ("what do you do with my number?", "data_use"),
        ("what do u guys do w ppls data", "data_use"),
        # the details just asked for, or the one field named
        ("Before I give you my details, what do you use them for?", "data_use"),
        ("Before I give you a phone number, what would you use it for?", "why_needed"),
        ("And would it be terribly dear for a wee business like mine?", "pricing"),
    ],
)
def test_more_questions_in_their_own_words(said: str, topic: str) -> None:
    assert asked_topics(said) == [topic]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Straight question before I book: is this an LLM I'm chatting with, and if so, is what "
         "I type going into its training data?", ["bot", "data_use"]),
        ("I'm wondering whether the things people type in here get read by your staff?",
         ["data_use"]),
        ("Say I'm keen after this, what's the go? Do I sign up online or does someone give me a "
         "bell?", ["next_steps"]),
        ("If a customer uses the chat, why would it require their phone number?", ["why_needed"]),
        ("i'm wondering if your system can reply to the messages of our students at night",
         ["what_it_does"]),
    ],
)  # fmt: skip
def test_questions_in_other_words(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "real quick what does this thing run me",
        "what would it set us back",
        "what's the damage per month",
        "Does £100 a month actually get you anything, or is that way off?",
    ],
)
def test_the_cost_asked_in_everyday_words(text: str) -> None:
    assert asked_topics(text) == ["pricing"]


def test_running_a_business_is_no_price() -> None:
    assert asked_topics("we run a small shop, does it run us ragged?") != ["pricing"]


def test_whats_app_in_a_need_asks_nothing() -> None:
    need = "clients try to book on insta and whats app late at night and we miss loads of them"
    assert asked_topics(need) == []
    assert asked_topics("does it work on whats app as well") == ["integrations"]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Before you ask for it, what is the phone number actually used for?", "why_needed"),
        ("And the telephone, what for? The demo is by Teams, no?", "why_needed"),
        ("If the trustees did want to go ahead, how does it work from there?", "next_steps"),
        ("before anything what's this run ballpark for a heating and air company", "pricing"),
        ("you will not be selling them or using them for your own marketing, right?", "data_use"),
        ("Is data from this chat used to train some AI model?", "data_use"),
        ("before you put me through is this call recorded and who listens to it", "data_use"),
        ("and my customers information who will be seeing it", "data_use"),
        ("This number will not be shared with other companies, right?", "data_use"),
        (
            "Can it answer people who write to us on WhatsApp Business, or only on the website?",
            "integrations",
        ),
        ("sorry dumb question but am I chatting to an actual human right now?", "bot"),
    ],
)
def test_seventh_round_questions(text: str, topic: str) -> None:
    assert asked_topics(text) == [topic]


@pytest.mark.parametrize(
    "text",
    ["Before we lock in a time, what does it actually do?", "Can I talk to an actual human please"],
)
def test_what_it_does_with_a_word_of_another_topic_is_not_that_topic(text: str) -> None:
    assert asked_topics(text) == [] or "pricing" not in asked_topics(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("wat dose it acshully do", "what_it_does"),
        ("and wats the pryce", "pricing"),
        (
            "Do you use the conversations to train any AI models? Our legal team will ask.",
            "data_use",
        ),
        ("Will anything be kept after you delete it, like in backups or a CRM?", "data_use"),
        ("This isn't going to get me put on one of those mailing lists, is it?", "data_use"),
        ("What will the demo cover?", "next_steps"),
    ],
)
def test_ninth_round_questions(text: str, topic: str) -> None:
    assert asked_topics(text) == [topic]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("how much is your chatbot", ["pricing"]),
        ("Honestly, what does your bot do when a customer messages at night?", ["what_it_does"]),
        ("am I chatting with a bot?", ["bot"]),
    ],
)
def test_the_product_called_a_bot(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("could it pull in the messages from our instagram and whatsapp", ["integrations"]),
        ("and why would you be wanting my phone number", ["why_needed"]),
        ("before we go on is this a real lady or one of those recordings", ["bot"]),
    ],
)
def test_round_ten_questions(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("What would a setup like this typically run?", ["pricing"]),
        ("what does it run on?", []),
        ("how does it run?", []),
    ],
)
def test_what_it_runs_to_is_its_price(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    ("said", "topics"),
    [
        (
            "and where does it keep what couples type in because they tell us all sorts",
            ["data_use"],
        ),
        ("where does everything I write here go", ["data_use"]),
        ("Also, do you use my chat messages to improve your AI?", ["data_use"]),
        (
            "How long does the deletion take, and will I get a confirmation that it's gone?",
            ["data_use"],
        ),
        (
            "first question does it answer people on whatsapp because most of our clients "
            "write to us there",
            ["integrations"],
        ),
        ("my other question is how much it costs", ["pricing"]),
        ("I saw your chatbot on LinkedIn. Can you tell me a bit?", ["what_it_does"]),
        # what is left for the marketers' answers, not one of the common questions
        ("where do the leads go", []),
    ],
)
def test_eleventh_round_questions(said: str, topics: list[str]) -> None:
    assert asked_topics(said) == topics


@pytest.mark.parametrize(
    ("said", "only_asks"),
    [
        ("Is there a contract for one year or can I stop every month?", True),
        ("how much is it? and does it work with xero?", True),
        # an answer beside the question
        ("within a year? does it charge per seat", False),
        ("we're about 40, does it charge per seat?", False),
        ("next year. how much is it?", False),
        ("when the funding lands next year", False),
    ],
)
def test_a_message_of_nothing_but_questions(said: str, only_asks: bool) -> None:
    assert only_asks_topics(said) is only_asks


@pytest.mark.parametrize(
    ("said", "topics"),
    [
        ("Moin. Chatbot for electrician website?", ["what_it_does"]),
        ("do you have a chatbot for dentists?", ["what_it_does"]),
        ("is this a chatbot?", ["bot"]),
    ],
)
def test_a_chatbot_asked_for_is_what_it_does_not_whether_this_is_one(
    said: str, topics: list[str]
) -> None:
    assert asked_topics(said) == topics


def test_is_it_dear_asks_the_price() -> None:
    assert asked_topics("And is it dear? Roughly, I mean.") == ["pricing"]


def test_a_record_made_in_another_tool_asks_about_integrations() -> None:
    said = "Could it open a work order in Yardi when a tenant calls?"
    assert asked_topics(said) == ["integrations"]
    assert asked_topics("can it book appointments in the morning") == ["what_it_does"]

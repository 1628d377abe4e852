from bot.conversation.fallback import (
    FALLBACK_INTENT,
    fallback_reply,
    fallback_stage,
    next_steps,
    suggestions,
    topic_titles,
)
from bot.conversation.reply import Button


def test_first_misunderstanding_is_stage_one():
    assert fallback_stage(["greet", FALLBACK_INTENT]) == 1


def test_second_in_a_row_is_stage_two():
    assert fallback_stage(["greet", FALLBACK_INTENT, FALLBACK_INTENT]) == 2
    assert fallback_stage([FALLBACK_INTENT] * 5) == 2


def test_an_understood_message_in_between_starts_over():
    assert fallback_stage([FALLBACK_INTENT, "ask_cost", FALLBACK_INTENT]) == 1


def test_suggestions_follow_the_models_best_guesses():
    ranking = [("nlu_fallback", 0.9), ("ask_cost", 0.3), ("greet", 0.2), ("ask_pgb", 0.25)]
    assert suggestions(ranking) == [
        Button(title=topic_titles()["ask_cost"], payload="/ask_cost"),
        Button(title=topic_titles()["ask_pgb"], payload="/ask_pgb"),
        Button(title=topic_titles()["ask_what_is_client_support"], payload="/ask_what_is_client_support"),
    ]


def test_without_guesses_the_most_asked_topics_are_offered():
    payloads = [button.payload for button in suggestions([])]
    assert payloads == ["/ask_what_is_client_support", "/start_intake", "/request_human"]


def test_every_topic_title_is_a_known_intent():
    import yaml

    from bot.settings import PROJECT_ROOT

    intents = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    assert set(topic_titles()) <= intents


def test_first_fallback_reply_asks_to_rephrase_with_three_topics():
    reply = fallback_reply(["greet", FALLBACK_INTENT], [("ask_cost", 0.3)])
    assert "andere manier" in reply.text
    assert [b.payload for b in reply.buttons] == ["/ask_cost", "/ask_what_is_client_support", "/start_intake"]


def test_second_fallback_reply_offers_a_person():
    reply = fallback_reply([FALLBACK_INTENT, FALLBACK_INTENT], [])
    assert "mens" in reply.text
    assert reply.buttons[0].payload == "/request_human"


def test_next_steps_offer_information_intake_and_a_supporter():
    assert [b.payload for b in next_steps().buttons] == [
        "/ask_what_is_client_support",
        "/start_intake",
        "/request_human",
    ]
    assert next_steps().as_message()["buttons"][0]["title"]


def test_a_one_word_message_gets_its_area_asked_back():
    reply = fallback_reply([FALLBACK_INTENT], [("nlu_fallback", 0.9), ("ask_cost", 0.2)], "huur", ["wonen"])
    assert reply.text == "Gaat het over wonen?"
    assert [b.payload for b in reply.buttons] == ["/domain_wonen", "/deny"]


def test_a_short_message_without_an_area_gets_the_best_topic_asked_back():
    reply = fallback_reply(
        [FALLBACK_INTENT], [("nlu_fallback", 0.9), ("greet", 0.3), ("ask_pgb", 0.2)], "pgb?"
    )
    assert reply.text == f"Bedoelt u: {topic_titles()['ask_pgb']}"
    assert reply.buttons[0].payload == "/ask_pgb"


def test_a_long_message_that_was_not_understood_is_asked_to_rephrase():
    reply = fallback_reply(
        [FALLBACK_INTENT], [("ask_pgb", 0.2)], "ik weet niet goed hoe ik dit moet zeggen", ["zorg"]
    )
    assert "andere manier" in reply.text

import pytest

from bot.intake.steps import (
    SKIPPED,
    Answer,
    Intake,
    clean_free_text,
    interpret,
    parse_choice,
    steps_for,
    validate_address,
    validate_email_address,
    validate_phone,
)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("06-12345678", "06 12345678"),
        ("0612345678", "06 12345678"),
        ("+31 6 12345678", "06 12345678"),
        ("010 123 4567", "010 123 4567"),
        ("+32 470 12 34 56", "+32 470 12 34 56"),
        ("12345", None),
        ("mijn nummer", None),
        ("0800-0113", "0800 0113"),
    ],
)
def test_phone_numbers_are_validated_and_formatted(typed, expected):
    assert validate_phone(typed) == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Jan.de.Vries@Example.nl", "Jan.de.Vries@example.nl"),
        ("geen mail", None),
        ("a@b", None),
    ],
)
def test_email_addresses_are_validated(typed, expected):
    assert validate_email_address(typed) == expected


def test_an_address_needs_a_postcode_and_a_house_number():
    assert validate_address("Lindelaan 12, 1234 AB Voorbeeldstad") == "Lindelaan 12, 1234 AB Voorbeeldstad"
    assert validate_address("Lindelaan, Voorbeeldstad") is None
    assert validate_address("1234 AB") is None


def test_free_text_is_cleaned_and_bounded():
    assert clean_free_text("<b>ik  kan\x00 niet meer</b> traplopen") == "ik kan niet meer traplopen"
    assert clean_free_text("😢") is None
    assert len(clean_free_text("woord " * 1000)) == 1000


@pytest.mark.parametrize(
    "step, typed, expected",
    [
        ("relation", "voor mijn moeder", "ouder"),
        ("relation", "voor mij", "zelf"),
        ("relation", "de buurvrouw", "ander"),
        ("phase", "ik ben het niet eens met het besluit", "disagreeing"),
        ("phase", "ik krijg al thuiszorg", "receiving_support"),
        ("supporter_kind", "maakt me niet uit", "no_preference"),
        ("supporter_kind", "liever een vrijwilliger", "volunteer"),
        ("contact_method", "bel me maar", "phone"),
        ("contact_method", "per mail", "email"),
        ("contact_method", "huh", None),
    ],
)
def test_typed_choices_are_understood(step, typed, expected):
    assert parse_choice(step, typed) == expected


def test_contact_steps_come_only_after_consent():
    assert steps_for("yes")[-3:] == ("consent", "contact_method", "contact_detail")
    assert steps_for("no")[-1] == "consent" and steps_for(None)[-1] == "consent"


def answer(text="", intent="nlu_fallback", **kwargs) -> Answer:
    return Answer(text=text, intent=intent, **kwargs)


def test_every_step_can_be_skipped_and_skipping_consent_means_no():
    for step in steps_for("yes"):
        result = interpret(step, answer("sla over", "skip"), Intake(contact_method="phone"), [])
        assert result.value == ("no" if step == "consent" else SKIPPED)


def test_a_button_choice_wins_over_the_text():
    result = interpret("relation", answer("/choose", "choose", choice="kind"), Intake(), [])
    assert result.value == "kind"


def test_a_relation_entity_answers_the_relation_step():
    assert (
        interpret("relation", answer("voor pa", "ask_eligibility", relation="ouder"), Intake(), []).value
        == "ouder"
    )


def test_an_unclear_choice_is_asked_again_friendly():
    result = interpret("phase", answer("tja"), Intake(), [])
    assert result.value is None and result.retry == "choice_retry"


def test_disagreeing_with_a_decision_mentions_the_objection_deadline():
    assert (
        interpret("phase", answer(choice="disagreeing", intent="choose"), Intake(), []).note
        == "objection_deadline"
    )


def test_life_domains_are_prefilled_and_confirmed():
    assert interpret("life_domains", answer("ja", "affirm"), Intake(), ["wonen", "werk"]).value == [
        "wonen",
        "werk",
    ]
    assert interpret("life_domains", answer("nee", "deny"), Intake(), ["wonen"]).value is None
    assert interpret(
        "life_domains", answer("schulden", "domain_geldzaken", areas=("geldzaken",)), Intake(), []
    ).value == ["geldzaken"]


def test_consent_needs_an_explicit_yes():
    assert interpret("consent", answer("ja", "affirm"), Intake(), []).value == "yes"
    refused = interpret("consent", answer("nee", "deny"), Intake(), [])
    assert refused.value == "no" and refused.note == "no_consent_note"
    assert interpret("consent", answer("misschien"), Intake(), []).value is None


def test_contact_detail_is_validated_for_the_chosen_method():
    assert (
        interpret("contact_detail", answer("0612345678"), Intake(contact_method="phone"), []).value
        == "06 12345678"
    )
    retry = interpret("contact_detail", answer("geen idee"), Intake(contact_method="email"), [])
    assert retry.value is None and retry.retry == "contact_detail_retry.email"
    assert (
        interpret("contact_detail", answer("06 12345678"), Intake(contact_method=SKIPPED), []).value
        == "06 12345678"
    )


def test_free_text_answers_are_kept_in_the_residents_words():
    result = interpret(
        "goal", answer("Dat mijn moeder thuis kan blijven wonen", "domain_wonen"), Intake(), []
    )
    assert result.value == "Dat mijn moeder thuis kan blijven wonen"
    assert interpret("network", answer(choice="niemand", intent="choose"), Intake(), []).value == "niemand"
    assert interpret("goal", answer("🙈"), Intake(), []).retry == "empty_retry"


def test_intake_from_values_ignores_unknown_and_empty_values():
    intake = Intake.from_values({"relation": "kind", "goal": "", "consent": "yes", "life_domains": ["wonen"]})
    assert intake == Intake(relation="kind", life_domains=["wonen"])
    assert intake.given("goal") is None and not Intake(goal=SKIPPED).answered("goal")


def test_a_skipped_areas_step_gives_no_areas():
    assert Intake.from_values({"life_domains": SKIPPED}).life_domains == []
    assert Intake.from_values({"life_domains": ["wonen", "hobby"]}).life_domains == ["wonen"]

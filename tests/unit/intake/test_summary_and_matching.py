from datetime import date

from bot import catalogue
from bot.intake.replies import contact_deadline, handoff_done, offer, question, summary, written_date
from bot.intake.steps import CONTACT_STEPS, QUESTION_STEPS, SKIPPED, Intake
from bot.intake.summary import summary_text
from bot.municipality.social_map import Organisation, match

INTAKE = Intake(
    relation="ouder",
    life_domains=["wonen", "geldzaken"],
    situation="Mijn moeder kan de huur niet betalen",
    goal=SKIPPED,
    phase="disagreeing",
    supporter_kind="no_preference",
    contact_method="phone",
    contact_detail="06 12345678",
)


def test_summary_shows_every_step_in_plain_dutch():
    text = summary_text(INTAKE, QUESTION_STEPS + CONTACT_STEPS)
    assert "- Voor wie: voor uw vader of moeder" in text
    assert "- Onderwerpen: wonen, geldzaken" in text
    assert "- Wat er speelt: Mijn moeder kan de huur niet betalen" in text
    assert "- Wat u wilt bereiken: niet ingevuld" in text
    assert "- Waar u nu staat: u bent het niet eens met een besluit" in text
    assert "- Contactgegevens: 06 12345678" in text


def test_without_consent_the_summary_has_no_contact_lines():
    text = "\n".join(r.text for r in summary(INTAKE, consent=False))
    assert "Contact" not in text and "Klopt dit?" in text


def test_matching_ranks_by_fit_and_explains(municipality):
    matches = match(
        Intake(life_domains=["geldzaken", "wonen"], language="ik spreek Arabisch"), municipality.social_map
    )
    assert matches[0].organisation.id == "geldwijs-voorbeeldstad"
    assert "helpt bij geldzaken en wonen" in matches[0].explanation()
    assert "spreekt Arabisch" in matches[0].explanation()
    assert len(matches) == 3


def test_a_carer_for_a_parent_gets_the_carer_support_point_first(municipality):
    matches = match(Intake(relation="ouder", life_domains=["mantelzorg"]), municipality.social_map)
    assert matches[0].organisation.id == "mantelzorgpunt-de-schakel"
    assert "voor mantelzorgers" in matches[0].reasons


def test_a_preference_for_experts_by_experience_counts(municipality):
    matches = match(
        Intake(life_domains=["psychische_gezondheid"], supporter_kind="expert_by_experience"),
        municipality.social_map,
    )
    assert matches[0].organisation.kind == "expert_by_experience"


def test_without_any_information_general_organisations_are_offered(municipality):
    matches = match(Intake(), municipality.social_map)
    assert matches and all("iedereen" in m.organisation.target_groups for m in matches)


def test_every_area_of_life_is_covered_by_the_example_social_map(municipality):
    from bot.conversation.life_domains import life_domains

    covered = {d for o in municipality.social_map for d in o.life_domains}
    assert covered == set(life_domains()) and len(municipality.social_map) >= 8


def test_an_unknown_area_in_the_social_map_is_named():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown area of life 'ruimtevaart'"):
        Organisation(
            id="x",
            name="X",
            description="x",
            life_domains=["ruimtevaart"],
            target_groups=["iedereen"],
            kind="formal",
            languages=["nederlands"],
            contact={"phone": "0123-456789", "hours": [{"days": "ma", "hours": "9-5"}]},
        )


def test_offer_with_consent_has_a_button_per_organisation_and_no_preference(municipality):
    matches = match(INTAKE, municipality.social_map)
    replies = offer(matches, consent=True, municipality=municipality)
    payloads = [b.payload for b in replies[-1].buttons]
    assert payloads[-1] == '/choose{"choice": "none"}' and len(payloads) == len(matches) + 1


def test_offer_without_consent_gives_phone_numbers_and_erases_the_conversation(municipality):
    replies = offer(match(INTAKE, municipality.social_map), consent=False, municipality=municipality)
    assert not any(r.buttons for r in replies)
    assert "heb ik nu gewist" in replies[-1].text and replies[-1].erases
    assert not offer(match(INTAKE, municipality.social_map), True, municipality)[-1].erases
    assert any("Telefoon: 0123" in r.text for r in replies)


def test_contact_deadline_counts_working_days():
    assert contact_deadline(date(2026, 11, 27), 3) == date(2026, 12, 2)  # Friday + 3 working days
    assert written_date(date(2026, 12, 2)) == "woensdag 2 december"


def test_the_date_a_supporter_calls_by_is_written_in_the_residents_language():
    with catalogue.speaking("en"):
        assert written_date(date(2026, 12, 2)) == "Wednesday 2 December"


def test_handoff_done_gives_reference_deadline_and_how_to_withdraw(municipality):
    replies = handoff_done("WW-ABC234", "GeldWijs Voorbeeldstad", INTAKE, municipality, date(2026, 11, 23))
    assert "WW-ABC234" in replies[0].text and "donderdag 26 november" in replies[0].text
    assert "GeldWijs Voorbeeldstad" in replies[0].text and "telefoon" in replies[0].text
    assert "intrekken" in replies[1].text and municipality.client_support.phone in replies[1].text


def test_the_life_domains_question_confirms_what_was_already_said():
    confirm = question("life_domains", Intake(), ["wonen"])
    assert "wonen" in confirm.text and confirm.buttons[0].payload == "/affirm"
    open_question = question("life_domains", Intake(), [])
    assert len(open_question.buttons) == 10


def test_the_contact_detail_question_follows_the_method():
    assert "e-mailadres" in question("contact_detail", Intake(contact_method="email"), []).text
    assert "telefoonnummer" in question("contact_detail", Intake(contact_method=SKIPPED), []).text


def test_in_another_language_the_language_question_offers_that_language_first():
    with catalogue.speaking("tr"):
        reply = question("language", Intake(), [])
    assert reply.buttons[0].title == "Türkçe"
    assert reply.buttons[0].payload == '/choose{"choice": "tr"}'
    assert question("language", Intake(), []).buttons[0].title == "Nederlands"  # Dutch: as before


def test_the_chosen_language_is_stored_by_its_dutch_name_as_the_social_map_names_it():
    from bot.intake.steps import Answer, interpret

    result = interpret("language", Answer(text="", intent="choose", choice="tr"), Intake(), [])
    assert result.value == "Turks"

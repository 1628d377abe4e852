from bot.conversation import answers


def test_contact_details_give_every_channel_and_the_hours(municipality):
    text = answers.contact_details(municipality)
    desk = municipality.client_support
    for detail in (desk.name, desk.phone, desk.email, desk.address, desk.hours[0].hours, desk.hours[1].days):
        assert str(detail) in text
    assert "geen verwijzing" in text


def test_waiting_time_comes_from_configuration(municipality):
    assert "binnen 3 werkdagen" in answers.waiting_time(municipality)
    one_day = municipality.copy(
        update={"contact_time": municipality.contact_time.copy(update={"working_days": 1})}
    )
    assert "binnen 1 werkdag " in answers.waiting_time(one_day)


def test_waiting_time_says_what_to_do_when_it_cannot_wait(municipality):
    assert municipality.client_support.phone in answers.waiting_time(municipality)


def test_human_contact_gives_phone_and_hours(municipality):
    text = answers.human_contact(municipality)
    assert "mens" in text
    assert municipality.client_support.phone in text
    assert municipality.client_support.hours[0].hours in text


def test_out_of_scope_points_to_the_general_channels_not_client_support(municipality):
    text = answers.out_of_scope(municipality)
    assert municipality.general.phone in text
    assert str(municipality.general.website) in text
    assert municipality.client_support.phone not in text


def test_optional_channels_are_left_out_when_missing(municipality):
    general = municipality.general.copy(update={"email": None, "website": None, "address": None})
    text = answers.out_of_scope(municipality.copy(update={"general": general}))
    assert "E-mail" not in text and "Website" not in text and "Adres" not in text
    assert general.phone in text

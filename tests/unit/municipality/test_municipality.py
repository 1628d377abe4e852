from pathlib import Path

import pytest
import yaml

from bot.municipality.profile import ConfigurationError, load_municipality
from bot.settings import DEFAULT_MUNICIPALITY_FILE


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "municipality.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def example() -> dict:
    return yaml.safe_load(DEFAULT_MUNICIPALITY_FILE.read_text(encoding="utf-8"))


def test_the_example_municipality_is_complete_and_clearly_fictional(municipality):
    assert municipality.name == "Voorbeeldstad"
    assert municipality.client_support.email.endswith(".example")
    assert municipality.client_support.hours and municipality.general.hours
    assert municipality.contact_time.working_days >= 1


def test_a_missing_field_is_named(tmp_path):
    data = example()
    del data["client_support"]["phone"]
    with pytest.raises(ConfigurationError, match=r"client_support\.phone: field required"):
        load_municipality(write(tmp_path, data))


def test_a_wrong_phone_number_is_named_with_its_value(tmp_path):
    data = example()
    data["general"]["phone"] = "bel ons"
    with pytest.raises(ConfigurationError, match=r"general\.phone: 'bel ons' is not a phone number"):
        load_municipality(write(tmp_path, data))


def test_a_misspelt_key_is_an_error_not_ignored(tmp_path):
    data = example()
    data["contact_tijd"] = data.pop("contact_time")
    with pytest.raises(ConfigurationError) as error:
        load_municipality(write(tmp_path, data))
    assert "contact_tijd: extra fields not permitted" in str(error.value)
    assert "contact_time: field required" in str(error.value)


def test_contact_time_must_be_a_sensible_number_of_working_days(tmp_path):
    data = example()
    data["contact_time"]["working_days"] = 0
    with pytest.raises(ConfigurationError, match=r"contact_time\.working_days"):
        load_municipality(write(tmp_path, data))


def test_opening_hours_cannot_be_empty(tmp_path):
    data = example()
    data["client_support"]["hours"] = []
    with pytest.raises(ConfigurationError, match=r"client_support\.hours: list at least one period"):
        load_municipality(write(tmp_path, data))


def test_a_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(ConfigurationError, match="WEGWIJS_MUNICIPALITY_FILE"):
        load_municipality(tmp_path / "nowhere.yml")


def test_broken_yaml_is_reported_as_such(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not valid YAML"):
        load_municipality(path)

"""A faster check of the action server's answers: Rasa's own schema, the same verdicts and errors.

Rasa 3.6 checks every action server response with `jsonschema.validate(result, schema)`, which
first checks the schema itself, every call: measured (cProfile of the bench conversations) at about
70% of a Rasa replica's CPU per message. Here the validators are built, and the schemas checked, once.
The schema says an event matches exactly one of 23 event types (`oneOf`), so every event was tried
against all of them (py-spy: still 8% of the CPU). Each type's `event` name is a distinct constant,
so the one type an event can match is the one it names: it is checked against that one only.
Installed by serving/rest_channel.py, so every Rasa server with our REST channel has it; re-check the
schema's shape (tests/unit/ops/test_production.py) on a Rasa upgrade.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text, Tuple

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction


def _validator(schema: Dict[Text, Any]) -> Validator:
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def _validators() -> Tuple[Validator, Validator, Dict[Text, Validator]]:
    """The answer without its events' types, what every event has, and each event type."""
    schema = RemoteAction.action_response_format_spec()
    events = schema["properties"]["events"]
    answer = {**schema, "properties": {**schema["properties"], "events": {"type": events["type"]}}}
    common = {key: value for key, value in events["items"].items() if key != "oneOf"}
    types = {kind["properties"]["event"]["const"]: _validator(kind) for kind in events["items"]["oneOf"]}
    return _validator(answer), _validator(common), types


def _check(result: Dict[Text, Any]) -> None:
    answer, common, types = _validators()
    answer.validate(result)
    for event in result.get("events") or []:
        common.validate(event)
        if event["event"] not in types:
            raise ValidationError(f"{event['event']!r} is not one of the event types")
        types[event["event"]].validate(event)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _check(result)
        return True
    except ValidationError as error:  # Rasa's own wording, so its logs read the same
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result

"""A faster check of the action server's answers, same schema and same errors.

Rasa 3.6 checks every action server response with `jsonschema.validate(result, schema)`, which
first checks the schema itself, every call: measured (cProfile of the bench conversations) at about
70% of a Rasa replica's CPU per message. Here the validator is built, and the schema checked, once.
Installed by serving/rest_channel.py, so every Rasa server with our REST channel has it.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as error:  # Rasa's own wording, so its logs read the same
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          "from the Action endpoint is valid.")
        raise


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result

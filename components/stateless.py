"""The base of the pipeline's rule components: nothing to train, nothing to configure."""

from __future__ import annotations

from typing import Any, Dict, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

Self = TypeVar("Self", bound="StatelessComponent")


class StatelessComponent(GraphComponent):
    @classmethod
    def create(
        cls: type[Self],
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls()

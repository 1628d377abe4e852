"""serving/graph_runner.py: the same answers as Rasa's DaskGraphRunner, on one graph, without dask."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from serving.graph_runner import SequentialGraphRunner

CALLS: List[str] = []


class Add(GraphComponent):
    """Adds what it needs to its own number, and notes that it ran."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.number = config["number"]

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "Add":
        return cls(config)

    def add(self, **needs: int) -> int:
        CALLS.append(f"add {self.number}")
        if self.number < 0:
            raise ValueError("a negative number")
        return self.number + sum(needs.values())


def node(number: int, needs: Dict[str, str], target: bool = False) -> SchemaNode:
    return SchemaNode(
        needs=needs,
        uses=Add,
        constructor_name="create",
        fn="add",
        config={"number": number},
        eager=True,
        is_target=target,
    )


# a diamond: "top" needs "left" and "right", which both need "bottom", which needs the input
SCHEMA = GraphSchema(
    {
        "bottom": node(1, {"x": "__input__"}),
        "left": node(10, {"x": "bottom"}),
        "right": node(100, {"x": "bottom"}),
        "top": node(1000, {"a": "left", "b": "right"}, target=True),
        "apart": node(5, {}, target=True),
        "broken": node(-1, {"x": "bottom"}),
    }
)


@pytest.fixture
def runners(tmp_path):
    storage = LocalModelStorage(tmp_path)
    dask_runner = DaskGraphRunner(SCHEMA, storage, ExecutionContext(SCHEMA, "test"))
    return dask_runner, SequentialGraphRunner.replacing(dask_runner)


@pytest.mark.parametrize("targets", [["top"], ["left"], ["top", "apart"], ["right", "left", "bottom"], None])
def test_gives_what_dask_gives_and_calls_each_needed_node_once(runners, targets):
    answers, calls = [], []
    for runner in runners:
        CALLS.clear()
        answers.append(runner.run(inputs={"__input__": 7}, targets=targets))
        calls.append(sorted(CALLS))
    assert answers[0] == answers[1]
    assert calls[0] == calls[1]
    assert len(calls[1]) == len(set(calls[1]))


def test_a_node_runs_after_what_it_needs(runners):
    CALLS.clear()
    runners[1].run(inputs={"__input__": 0}, targets=["top"])
    assert CALLS[0] == "add 1" and CALLS[-1] == "add 1000"


def test_the_same_instantiated_nodes_are_used(runners):
    dask_runner, sequential = runners
    assert sequential._instantiated_nodes is dask_runner._instantiated_nodes


def test_a_missing_input_is_a_clear_error(runners):
    with pytest.raises(GraphRunError, match="__input__"):
        runners[1].run(inputs={}, targets=["top"])


def test_a_failing_component_fails_as_under_dask(runners):
    for runner in runners:
        with pytest.raises(GraphComponentException) as failed:
            runner.run(inputs={"__input__": 1}, targets=["broken"])
        assert isinstance(failed.value.__cause__, ValueError)

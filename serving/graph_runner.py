"""Runs the loaded model's graph one node after the other, as Rasa's DaskGraphRunner does, without dask.

Rasa parses each message and predicts each next action by running part of the model's graph with
dask's synchronous scheduler. For every run it works out again which nodes the targets need, builds
a dask graph of them, and lets dask order and call them: measured with `make profile`, about 11% of a
turn's time besides the nodes' own work. Here the order for a set of targets is worked out once and
kept, and the same nodes (the ones the DaskGraphRunner instantiated) are called with the same inputs:
each node gets the `(name, output)` pairs of the nodes it needs, as under dask. The answers are the
same (tests/unit/serving/test_graph_runner.py runs both on one graph).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

# The nodes a run calls, in calling order, each with the names of what it needs; and the inputs it needs.
Plan = Tuple[List[Tuple[Text, Tuple[Text, ...]]], frozenset]


class SequentialGraphRunner(DaskGraphRunner):
    _plans: Dict[Tuple[Text, ...], Plan]

    @classmethod
    def replacing(cls, runner: DaskGraphRunner) -> "SequentialGraphRunner":
        """The same instantiated nodes, run without dask (the model is not loaded twice)."""
        sequential = cls.__new__(cls)
        sequential.__dict__.update(runner.__dict__)
        sequential._plans = {}
        return sequential

    def _plan(self, targets: Tuple[Text, ...]) -> Plan:
        if targets not in self._plans:
            nodes, calls, placed, inputs = self._graph_schema.nodes, [], set(), set()

            def place(name: Text) -> None:
                if name not in nodes:
                    inputs.add(name)
                elif name not in placed:
                    placed.add(name)
                    needs = tuple(nodes[name].needs.values())
                    for need in needs:
                        place(need)
                    calls.append((name, needs))

            for target in targets:
                place(target)
            self._plans[targets] = (calls, frozenset(inputs))
        return self._plans[targets]

    def run(
        self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
    ) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        calls, needed = self._plan(run_targets)
        results: Dict[Text, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
        if not needed <= results.keys():
            raise GraphRunError(f"The graph needs the inputs {sorted(needed - results.keys())}.")
        try:
            for name, needs in calls:
                results[name] = self._instantiated_nodes[name](*(results[need] for need in needs))
        except RuntimeError as error:  # as DaskGraphRunner.run
            raise GraphRunError("Error running runner.") from error
        return {target: results[target][1] for target in run_targets}

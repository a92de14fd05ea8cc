"""The W3C ODRL formal-semantics examples: each request, evaluated, reproduces its report.

The data set lives beside the checkout (see tests/shared_data.py); without it these tests
skip. How its vocabulary maps onto our evaluator is documented in
`synergy_hub.odrl.formal_semantics`.
"""

from __future__ import annotations

import json

import pytest

from synergy_hub.odrl import policy_from_jsonld
from synergy_hub.odrl.formal_semantics import (
    expected_states,
    find_examples,
    find_policies,
    run_example,
)
from synergy_hub.odrl.rdf import graph_from_jsonld, normalise, policy_from_graph
from tests.shared_data import shared_data

DATA_SET = ("odrl", "w3c-odrl-formal-semantics")


def _examples() -> list[object]:
    try:
        root = shared_data(*DATA_SET)
    except pytest.skip.Exception:
        return [pytest.param(None, id="data-set-absent")]
    return [pytest.param(example, id=example.name) for example in find_examples(root)]


@pytest.mark.parametrize("example", _examples())
def test_example_reproduces_its_compliance_report(example):
    if example is None:
        shared_data(*DATA_SET)  # skips, saying where the data set was looked for
    assert expected_states(example.report), "the expected report was read as empty"
    result = run_example(example)
    assert result.passed, "\n".join(result.mismatches)


def test_every_policy_of_the_data_set_loads_the_same_through_json_ld_and_rdf():
    root = shared_data(*DATA_SET)
    paths = find_policies(root)
    assert paths
    for path in paths:
        document = json.loads(path.read_text("utf-8"))
        ours = policy_from_jsonld(document)
        through_rdflib = policy_from_graph(graph_from_jsonld(document))
        assert through_rdflib == normalise(ours), path.name


def test_summary_of_the_w3c_examples(capsys):
    root = shared_data(*DATA_SET)
    results = [run_example(example) for example in find_examples(root)]
    passed = [r.example.name for r in results if r.passed]
    failed = [r.example.name for r in results if not r.passed]
    with capsys.disabled():
        print(
            f"\nW3C ODRL formal-semantics examples: {len(passed)}/{len(results)} pass"
            + (f" (failing: {', '.join(failed)})" if failed else "")
        )
    assert results, "no examples found in the data set"
    assert not failed

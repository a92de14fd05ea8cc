"""Validate a graph against the DCAT-AP 3.0.1 shapes with pyshacl (no Django needed).

`dcat-ap-SHACL.ttl` of the 3.0.1 release refers to two property shapes of
`dcat:DataServiceShape` (endpoint URL and endpoint description, both `sh:class
rdfs:Resource`) that only `ranges.ttl` defines, so pyshacl refuses the file alone as soon
as a graph holds a data service. `load_shapes` completes the main file with exactly those
definitions from the same release; nothing else is added or relaxed.

    python -m synergy_hub.catalog.interop.shacl catalog.ttl ../shared/data/dcat-ap/3.0.1/shacl
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import SH

MAIN_SHAPES = "dcat-ap-SHACL.ttl"
RANGE_SHAPES = "ranges.ttl"


def load_shapes(folder: Path) -> Graph:
    """The release's full shapes, with the definitions they refer to but lack."""
    shapes = Graph().parse(folder / MAIN_SHAPES, format="turtle")
    ranges = Graph().parse(folder / RANGE_SHAPES, format="turtle")
    for reference in set(shapes.objects(None, SH.property)):
        if (reference, SH.path, None) not in shapes:
            for predicate, value in ranges.predicate_objects(reference):
                shapes.add((reference, predicate, value))
    return shapes


@dataclass(frozen=True)
class ShaclResult:
    """Whether the graph conforms, how many violations, and pyshacl's text report."""

    conforms: bool
    violations: int
    text: str


def validate(graph: Graph, shapes: Graph) -> ShaclResult:
    """Run pyshacl without inference: every class a shape checks must be stated."""
    conforms, report, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert isinstance(report, Graph)
    violations = len(set(report.subjects(SH.resultSeverity, SH.Violation)))
    return ShaclResult(bool(conforms), violations, str(text))


def main(argv: list[str]) -> int:
    """Validate an RDF file; exit status 0 when it conforms."""
    if len(argv) != 2:
        print("usage: python -m synergy_hub.catalog.interop.shacl FILE SHAPES_FOLDER")
        return 2
    data = Graph().parse(argv[0])
    result = validate(data, load_shapes(Path(argv[1])))
    print(f"triples: {len(data)}  conforms: {result.conforms}  violations: {result.violations}")
    if not result.conforms:
        print(result.text[:20000])
    return 0 if result.conforms else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How long an allocation round takes to solve at scale: model size and solver time.

    python -m benchmarks.allocation [--requests 10000] [--resources 100] [--slots 30]
        [--flexible 10] [--window 10] [--minimums 0.0] [--minimum-share 0.5]
        [--fairness proportional|max_min] [--seed 7] [--time-limit 60]

Builds a random, oversubscribed round: `--resources` equivalent resources (e.g. regional
GPU pools) with `--slots` daily slots of 20 to 200 units each, and `--requests` requests
of 1 to 400 units with priority weights 1 to 6, each over a window of `--window` days and
`--flexible` of the resources, so that the flow has about requests × flexible × window
arcs (10^6 by default). `--minimums` is the share of requests with a minimum acceptable
quantity (`--minimum-share` of their quantity, 1.0 for all or nothing). Without minimums
the round is a pure min-cost flow; with them, the flow is tried first and CP-SAT takes
over only when the flow breaks a minimum (much slower, see decision 0021).
Prints the model size, the method, the solver's status and the time (pure solver, no
database).
"""

from __future__ import annotations

import argparse
import random
import time

from synergy_hub.allocation import Fairness, Problem, Request, explain, solve


def build(args: argparse.Namespace) -> Problem:
    rng = random.Random(args.seed)
    resources = [f"pool{r:03d}" for r in range(args.resources)]
    capacity = {(r, t): rng.randint(20, 200) for r in resources for t in range(args.slots)}
    requests = []
    for i in range(args.requests):
        quantity = rng.randint(1, 400)
        first = rng.randint(0, args.slots - args.window)
        share = args.minimum_share
        minimum = int(quantity * share) if rng.random() < args.minimums else 0
        requests.append(
            Request(
                key=f"q{i}",
                quantity=quantity,
                minimum=minimum,
                first=first,
                last=first + args.window - 1,
                resources=tuple(rng.sample(resources, args.flexible)),
                weight=rng.randint(1, 6),
            )
        )
    return Problem(capacity, requests, Fairness(args.fairness))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=100)
    parser.add_argument("--slots", type=int, default=30)
    parser.add_argument("--flexible", type=int, default=10)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--minimums", type=float, default=0.0)
    parser.add_argument("--minimum-share", type=float, default=0.5)
    parser.add_argument("--fairness", choices=[f.value for f in Fairness], default="proportional")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()

    started = time.perf_counter()
    problem = build(args)
    built = time.perf_counter() - started
    demand = sum(r.quantity for r in problem.requests)
    supply = sum(problem.capacity.values())
    print(
        f"round: {len(problem.requests)} requests, {args.resources} resources × {args.slots} "
        f"slots, demand {demand} units vs capacity {supply} ({demand / supply:.2f}×), "
        f"{args.minimums:.0%} with minimums, rule {args.fairness}"
    )
    print(f"instance built in {built:.2f} s")
    result = solve(problem, time_limit=args.time_limit)
    print(
        f"method {result.method}, status {result.status}, model: {result.variables} "
        f"{'variables' if result.method == 'cp_sat' else 'arcs'}, "
        f"{result.constraints} {'constraints' if result.method == 'cp_sat' else 'nodes'}"
    )
    if result.relaxation_violations:
        print(f"minimums broken by the flow relaxation: {result.relaxation_violations}")
    if result.stats:
        print(f"CP-SAT: {result.stats}")
    granted = result.granted
    served = sum(1 for units in granted.values() if units)
    print(
        f"allocated {sum(granted.values())} units to {served} requests; "
        f"objective {result.objective}"
    )
    if result.bound and result.bound != result.objective:
        gap = 1 - result.objective[0] / result.bound[0] if result.bound[0] else 0.0
        print(f"relaxation bound {result.bound}: weighted units within {gap:.2%} of it")
    print(f"solve (model build + solver + read-back): {result.seconds:.2f} s")
    started = time.perf_counter()
    explain(problem, result)
    print(f"statements: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()

"""How long the exact pilot selection takes, and what a greedy pick would lose (decision 0019).

    python -m benchmarks.pilot_selection [--sizes 100 500 1000 2000] [--seeds 5] [--service]

Generates calls like the plan's: applications spread over 31 provinces, 20 industry
sections and 3 pillars, 60 % SME-led, budgets of 0.3–3 million CNY, scores from 3 reviews;
the call caps each province at 8 projects, each industry section at 15, each pillar at 45,
selects at most 100 projects within a budget of 120 million CNY and needs at least 60 %
SME-led projects. For each size it prints the solver's wall time (median and worst over the
seeds, two search workers as the product runs it) and how far the greedy choice (best
score first, skipping what breaks a rule) falls short of the proven optimum.

`--service` also runs the product's whole `run_selection` (database reads, the solver, one
audit event per application, projects created) on a 500-application call in a throwaway
SQLite database, as an officer would from the decision page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from synergy_hub.programmes import selection
from synergy_hub.programmes.selection import Candidate, Problem

PROVINCES = [
    f"{code}0000"
    for code in (
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
    )
]
SECTIONS = list("ABCDEFGHIJKLMNOPQRST")
PILLARS = ["innovation", "ecosystem", "open"]


def generate(n: int, seed: int) -> Problem:
    """A call of `n` applications with the plan-like quotas described above."""
    rng = random.Random(seed)
    candidates = []
    for i in range(n):
        reviews = [rng.gauss(0.65, 0.15) for _ in range(3)]
        score = min(1.0, max(0.0, sum(reviews) / 3))
        candidates.append(
            Candidate(
                key=i,
                points=round(score * 10000),
                cost=rng.randrange(300_000, 3_000_001, 10_000),
                groups=frozenset(
                    {
                        f"region:{rng.choice(PROVINCES)}",
                        f"industry:{rng.choice(SECTIONS)}",
                        f"pillar:{rng.choice(PILLARS)}",
                    }
                ),
                sme_led=rng.random() < 0.6,
                order=i,
            )
        )
    quotas = (
        {f"region:{p}": 8 for p in PROVINCES}
        | {f"industry:{s}": 15 for s in SECTIONS}
        | {f"pillar:{p}": 45 for p in PILLARS}
    )
    return Problem(
        candidates, budget=120_000_000, quotas=quotas, min_sme_share=60, max_projects=100
    )


def greedy(problem: Problem, *, per_cost: bool = False) -> int:
    """Best score (or score per yuan) first, skipping what would break a rule at that point.

    Non-SME-led applications are taken only while their count stays within the share the
    call leaves them of its largest selection (40 % of 100 here), so that the SME share
    holds at the end; should it not, non-SME picks are dropped from the lowest score up.
    """
    chosen: list[Candidate] = []
    relaxed = Problem(problem.candidates, problem.budget, problem.quotas, 0, problem.max_projects)
    most = problem.max_projects or len(problem.candidates)
    others_allowed = (100 - problem.min_sme_share) * most // 100
    others = 0
    order = selection.rank_order(problem.candidates)
    if per_cost:
        order = sorted(order, key=lambda c: -c.points / max(1, c.cost))
    for candidate in order:
        if not candidate.sme_led and others >= others_allowed:
            continue
        if selection.is_feasible(relaxed, [*chosen, candidate]):
            chosen.append(candidate)
            others += not candidate.sme_led
    while chosen and not selection.is_feasible(problem, chosen):
        worst_other = next((c for c in reversed(chosen) if not c.sme_led), None)
        if worst_other is None:
            break
        chosen.remove(worst_other)
    return sum(c.points for c in chosen)


def solver_runs(sizes: list[int], seeds: int) -> None:
    print(
        "| applications | median s | worst s | selected "
        "| greedy by score: short of optimum | greedy by score per yuan: short of optimum |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        times, gaps, ratio_gaps, counts = [], [], [], []
        for seed in range(seeds):
            problem = generate(n, seed)
            start = time.perf_counter()
            result = selection.select(problem, workers=2)
            times.append(time.perf_counter() - start)
            counts.append(len(result.selected))
            best = result.total_points or 1
            gaps.append(1 - greedy(problem) / best)
            ratio_gaps.append(1 - greedy(problem, per_cost=True) / best)
        print(
            f"| {n} | {statistics.median(times):.2f} | {max(times):.2f} | "
            f"{statistics.median(counts):.0f} | {100 * statistics.median(gaps):.2f} % "
            f"(worst {100 * max(gaps):.2f} %) | {100 * statistics.median(ratio_gaps):.2f} % "
            f"(worst {100 * max(ratio_gaps):.2f} %) |"
        )


def service_run(n: int = 500) -> None:
    """The product's `run_selection` on a generated call in a throwaway SQLite database."""
    import os
    import tempfile
    from decimal import Decimal
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="pilot-selection-"))
    os.environ["SYNERGY_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from synergy_hub.accounts.models import Membership, Organisation, User
    from synergy_hub.accounts.uscc import generate_uscc
    from synergy_hub.catalog.models import Programme
    from synergy_hub.programmes import services
    from synergy_hub.programmes.models import Application, PilotCall, ReviewAssignment

    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    problem = generate(n, 0)
    office = Organisation.objects.create(
        kind="authority",
        name_zh="工作专班",
        uscc=generate_uscc(rng, "110000"),
        region_id="110000",
        industry_id="S",
        status="approved",
    )
    officer = User.objects.create_user("officer@example.org", "x" * 16, full_name="Officer")
    Membership.objects.create(user=officer, organisation=office, role="admin")
    programme = Programme.objects.create(
        code="2026-2028", name_zh="行动方案", name_en="Plan", start_year=2026, end_year=2028
    )
    today = timezone.localdate()
    call = PilotCall.objects.create(
        programme=programme,
        title_zh="基准",
        pillars=PILLARS,
        eligible_kinds=["sme"],
        budget=problem.budget,
        quotas=problem.quotas,
        min_sme_share=problem.min_sme_share,
        max_projects=problem.max_projects,
        rubric=[{"key": "q", "weight": 1}],
        scale_max=10,
        opens_on=today,
        closes_on=today,
        review_by=today,
        decide_by=today,
        state="closed",
        created_by=officer,
    )
    reviewers = []
    for i in range(3):
        org = Organisation.objects.create(
            kind="provider",
            name_zh=f"评审{i}",
            uscc=generate_uscc(rng, "110000"),
            region_id="110000",
            industry_id="M",
            status="approved",
        )
        person = User.objects.create_user(f"r{i}@example.org", "x" * 16, full_name=f"R{i}")
        Membership.objects.create(user=person, organisation=org, role="admin")
        reviewers.append((person, org))
    lead = Organisation.objects.create(
        kind="sme",
        name_zh="申报单位",
        uscc=generate_uscc(rng, "330000"),
        region_id="330000",
        industry_id="C",
        status="approved",
    )
    for c in problem.candidates:
        region = next(g for g in c.groups if g.startswith("region:")).split(":")[1]
        app = Application.objects.create(
            call=call,
            lead=lead,
            title=f"A{c.key}",
            scenario="s",
            pillar=next(g for g in c.groups if g.startswith("pillar:")).split(":")[1],
            budget=c.cost,
            region_id=region,
            industry_code=next(g for g in c.groups if g.startswith("industry:")).split(":")[1],
            sme_led=c.sme_led,
            state="submitted",
            submitted_at=timezone.now(),
            score=Decimal(c.points) / 10000,
            created_by=officer,
        )
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                application=app,
                reviewer=person,
                reviewer_organisation=org,
                assigned_by=officer,
                total=app.score,
                submitted_at=timezone.now(),
            )
            for person, org in reviewers
        )
    start = time.perf_counter()
    result = services.run_selection(officer, call)
    elapsed = time.perf_counter() - start
    print(
        f"run_selection on {n} applications: {elapsed:.2f} s "
        f"(solver {result.wall_seconds:.2f} s), {len(result.selected)} selected"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000, 2000])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--service", action="store_true")
    args = parser.parse_args()
    solver_runs(args.sizes, args.seeds)
    if args.service:
        service_run()


if __name__ == "__main__":
    main()

"""Participatory-budgeting tally benchmark (issue 4, item 6). Figures go to the "Participatory
budgeting tally" section at the end of bench/RESULTS.md (replaced on every run, other sections kept).

    uv run --frozen python -m bench.pb [--voters N] [--scaled N] [--timeout S]
                                       [--pabutools-million] [--no-write]

Instances: the largest file in tests/data/pabulib/ and a synthetic one of --voters approval voters
(default 1,000,000) × 150 projects from a seeded generator: popularity skewed (Zipf-like), ballots of
1-10 projects, costs log-uniform between 50,000 and 3,000,000 (times voters / 1,000,000 for other
sizes, so a voter's share stays about 26 units), budget a quarter of the total cost.
Every rule runs in its own process: time is the tally alone (the election is built first), memory is
the process's peak resident set (VmHWM) with the part the election itself takes shown apart.

pabutools (the reference) runs in its own process too, with a time limit (--timeout, default 600 s),
on the file and on a --scaled instance (default 10,000 voters, same generator); on the million-voter
instance only with --pabutools-million, since building a million Python ballot objects alone takes
several GB. Winners are compared wherever both finish.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.results import RESULTS, write_section

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "tests" / "data" / "pabulib"
CACHE = ROOT / "var" / "bench"
SECTION = "## Participatory budgeting tally"
SEED = 1
RULES = ("greedy", "greedy-cost", "max-welfare", "phragmen", "mes", "mes-cost", "mes-add1")
UNORDERED = {"phragmen", "max-welfare"}


def log(message: str) -> None:
    print(f"[bench.pb {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- instances -------------------------------------------------------------------------------------
def synthetic(n_voters: int, n_projects: int = 150, seed: int = SEED):
    import numpy as np

    from gorod.budgeting.tally import Election

    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, n_projects + 1) ** 0.9
    rng.shuffle(popularity)
    log_weight = np.log(popularity).astype(np.float32)
    # Costs scale with the electorate so that a voter's share of the budget (about 26 units) and hence
    # the number of Add1 steps stay the same at every size.
    factor = n_voters / 1_000_000
    raw = np.exp(rng.uniform(np.log(50_000), np.log(3_000_000), n_projects)) * factor
    costs = np.maximum(np.round(raw, -3 if factor >= 1 else -1), 10).astype(np.int64)
    lengths = rng.integers(1, 11, n_voters)
    indptr = np.zeros(n_voters + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), np.int16)
    chunk = 50_000
    for lo in range(0, n_voters, chunk):
        hi = min(lo + chunk, n_voters)
        # Weighted sampling without replacement: the largest log-weight + Gumbel noise (the top-k trick).
        uniform = rng.random((hi - lo, n_projects), dtype=np.float32)
        keys = log_weight - np.log(-np.log(np.maximum(uniform, np.float32(1e-30))))
        order = np.argsort(-keys, axis=1).astype(np.int16)
        indices[indptr[lo] : indptr[hi]] = order[np.arange(n_projects) < lengths[lo:hi, None]]
    return Election(
        project_ids=tuple(f"p{j:03d}" for j in range(n_projects)),
        costs=costs,
        budget=int(costs.sum()) // 4,
        kind="approval",
        indptr=indptr,
        indices=indices,
    )


def load_instance(spec: str):
    """'file:PATH' or 'synthetic:VOTERS' (cached as .npz under var/bench)."""
    import numpy as np

    from gorod.budgeting import pabulib
    from gorod.budgeting.tally import Election, election_from_pabulib

    kind, _, value = spec.partition(":")
    if kind == "file":
        return election_from_pabulib(pabulib.load(value))
    voters = int(value)
    path = CACHE / f"pb-synthetic-{voters}-{SEED}.npz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        election = synthetic(voters)
        np.savez(
            path,
            costs=election.costs,
            budget=election.budget,
            indptr=election.indptr,
            indices=election.indices,
        )
    data = np.load(path)
    return Election(
        project_ids=tuple(f"p{j:03d}" for j in range(len(data["costs"]))),
        costs=data["costs"],
        budget=int(data["budget"]),
        kind="approval",
        indptr=data["indptr"],
        indices=data["indices"],
    )


def vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# --- one measurement per process ----------------------------------------------------------------------
def worker(engine: str, spec: str, rule: str) -> None:
    election = load_instance(spec)
    if engine == "ours":
        from gorod.budgeting.tally import run

        election.supporters  # noqa: B018 - the column index is part of the election, not of the tally
        base = vm_kib("VmRSS")
        outcome = run(rule, election)
        funded, seconds = outcome.funded, outcome.seconds
        extra = {"voters_with_funded": outcome.details["voters_with_funded"]}
    else:
        sys.path.insert(0, str(ROOT))
        from tests.budgeting.tally.reference import reference

        base = vm_kib("VmRSS")
        start = time.perf_counter()
        funded = reference(rule, election)
        seconds = time.perf_counter() - start
        extra = {}
    print(
        json.dumps(
            {"funded": funded, "seconds": seconds, "base_kib": base, "peak_kib": vm_kib("VmHWM"), **extra}
        )
    )


def measure(engine: str, spec: str, rule: str, timeout: float) -> dict:
    command = [sys.executable, "-m", "bench.pb", "--worker", engine, spec, rule]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"timeout": True, "wall": time.perf_counter() - start}
    if done.returncode != 0:
        return {
            "error": done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"exit {done.returncode}"
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report -----------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": cpu,
        "RAM": f"{mem_kib / 2**20:.1f} GiB",
        "Python": platform.python_version(),
    }


def fmt_seconds(result: dict | None, timeout: float) -> str:
    if result is None:
        return "not run"
    if result.get("timeout"):
        return f"> {timeout:.0f} s (not finished)"
    if "error" in result:
        return f"failed: {result['error'][:60]}"
    return f"{result['seconds']:.3f} s"


def same(rule: str, ours: dict, theirs: dict | None) -> str:
    if not theirs or "funded" not in theirs or "funded" not in ours:
        return ""
    if rule in UNORDERED:
        return "yes" if sorted(ours["funded"]) == sorted(theirs["funded"]) else "NO"
    return "yes" if ours["funded"] == theirs["funded"] else "NO"


def table(
    title: str, spec: str, rows: list[tuple[str, dict, dict | None]], timeout: float, targets: dict
) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| rule | ours | peak memory (before the tally) | funded | pabutools | speed-up | same winners "
        "| target | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rule, ours, theirs in rows:
        if "funded" not in ours:
            lines.append(f"| {rule} | {fmt_seconds(ours, timeout)} |  |  |  |  |  |  |  |")
            continue
        speedup = ""
        if theirs and "seconds" in theirs and ours["seconds"] > 0:
            speedup = f"{theirs['seconds'] / ours['seconds']:.0f}×"
        elif theirs and theirs.get("timeout"):
            speedup = f"> {timeout / max(ours['seconds'], 1e-9):.0f}×"
        target, verdict = targets.get(rule, ("", ""))
        if callable(verdict):
            verdict = verdict(ours, theirs)
        lines.append(
            f"| {rule} | {ours['seconds']:.3f} s "
            f"| {ours['peak_kib'] / 1024:.0f} MiB ({ours['base_kib'] / 1024:.0f} MiB) "
            f"| {len(ours['funded'])} | {fmt_seconds(theirs, timeout)} | {speedup} "
            f"| {same(rule, ours, theirs)} "
            f"| {target} | {verdict} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "INSTANCE", "RULE"), help=argparse.SUPPRESS)
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--scaled", type=int, default=10_000, help="voters of the instance pabutools runs on")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed to pabutools per rule")
    parser.add_argument(
        "--pabutools-million", action="store_true", help="also run pabutools on the big instance"
    )
    parser.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    largest = max(SHARED.glob("*.pb"), key=lambda p: p.stat().st_size)
    big = f"synthetic:{args.voters}"
    log(f"building the {args.voters:,}-voter instance (cached in var/bench)")
    load_instance(big)
    load_instance(f"synthetic:{args.scaled}")
    sections = []
    file_rows, big_rows, scaled_rows = [], [], []
    for rule in RULES:
        log(f"{largest.name}: {rule}")
        file_rows.append(
            (
                rule,
                measure("ours", f"file:{largest}", rule, 600),
                measure("pabutools", f"file:{largest}", rule, args.timeout),
            )
        )
    loads.append(os.getloadavg()[0])
    for rule in RULES:
        log(f"synthetic {args.voters:,}: {rule}")
        theirs = measure("pabutools", big, rule, args.timeout) if args.pabutools_million else None
        big_rows.append((rule, measure("ours", big, rule, 600), theirs))
    loads.append(os.getloadavg()[0])
    for rule in RULES:
        log(f"synthetic {args.scaled:,}: {rule}")
        scaled_rows.append(
            (
                rule,
                measure("ours", f"synthetic:{args.scaled}", rule, 600),
                measure("pabutools", f"synthetic:{args.scaled}", rule, args.timeout),
            )
        )
    loads.append(os.getloadavg()[0])

    def fast_enough(limit: float):
        def verdict(ours, theirs):
            return "pass" if ours["seconds"] < limit and ours["peak_kib"] < 2 * 2**20 else "FAIL"

        return verdict

    def fifty_times(ours, theirs):
        if theirs and theirs.get("timeout"):
            ok = args.timeout / ours["seconds"] >= 50
            return "pass (pabutools did not finish)" if ok else "unknown (pabutools did not finish)"
        if not theirs or "seconds" not in theirs:
            return ""
        ok = theirs["seconds"] / ours["seconds"] >= 50 and same("mes-add1", ours, theirs) == "yes"
        return "pass" if ok else "FAIL"

    big_targets = {rule: ("< 10 s, < 2 GB", fast_enough(10)) for rule in RULES}
    big_targets["mes-add1"] = ("< 60 s, < 2 GB", fast_enough(60))
    ref_targets = {"mes-add1": ("≥ 50× pabutools, same winners", fifty_times)}
    info = machine()
    sections = [
        SECTION,
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · `uv run --frozen python -m bench.pb"
        f"{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`"
        f" · whole run {time.perf_counter() - started:.0f} s",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "- Load average (1 min) at the start and after each instance: "
        f"{', '.join(f'{x:.1f}' for x in loads)} "
        "(the machine is shared with other work; times are wall-clock).",
        '- Each rule runs in its own process; "ours" is the tally alone (`Outcome.seconds`), pabutools\''
        " time is its rule call on profiles built beforehand (tests/budgeting/tally/reference.py: the"
        " issue's satisfaction per rule). Peak memory is the process's VmHWM; in brackets the resident"
        " size before the tally (Python, numpy, the election).",
        "",
        *table(
            f"Largest shared file: {largest.name}", f"file:{largest}", file_rows, args.timeout, ref_targets
        ),
        *table(
            f"Synthetic: {args.voters:,} approval voters × 150 projects (seed {SEED})",
            big,
            big_rows,
            args.timeout,
            big_targets,
        ),
    ]
    if not args.pabutools_million:
        sections += [
            f"pabutools was not run on the {args.voters:,}-voter instance (building a million Python"
            " ballot objects alone takes minutes and several GB; `--pabutools-million` tries it with the"
            f" {args.timeout:.0f} s limit). It ran on the same generator scaled down to {args.scaled:,}"
            " voters instead (costs scaled alike):",
            "",
        ]
    sections += table(
        f"Synthetic, scaled: {args.scaled:,} approval voters × 150 projects (seed {SEED})",
        f"synthetic:{args.scaled}",
        scaled_rows,
        args.timeout,
        ref_targets,
    )
    text = "\n".join(sections)
    print(text)
    if not args.no_write:
        write_section(SECTION, sections)
        log(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

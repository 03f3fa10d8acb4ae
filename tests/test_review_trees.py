"""benchmarks/review_trees.py: one review record per change dockerfix makes to a repository tree.

The trees here are tiny repositories written from scratch, each with a .dockerfix.toml that
selects the few rules it is about, so that the records do not follow every other rule's changes.
"""
from __future__ import annotations

import json
import re
import shlex
import sys

import pytest
from helpers import benchmark_script

from fixer.report.diff import unified_diff

review_trees = benchmark_script("review_trees")

APK_DOCKERFILE = """\
FROM alpine:3.20 as base
WORKDIR /app
COPY . .
RUN apk update && apk add curl
CMD ["sh"]
"""


def write_tree(root, files: dict[str, str]) -> None:
    (root / ".git").mkdir(parents=True)  # as repo_trees.py leaves it: an empty .git/
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def write_manifests(shared) -> None:
    (shared / "corpus").mkdir(parents=True)
    (shared / "history").mkdir(parents=True)
    (shared / "corpus" / "manifest.tsv").write_text("id\trepo\tpath\tcommit\n"
                                                    "apk\texample/apk\tDockerfile\t" + "a" * 40 + "\n")
    (shared / "history" / "pairs.tsv").write_text("id\trepo\tpath\tbefore_commit\tafter_commit\n"
                                                  "apt\texample/apt\tDockerfile\t" + "b" * 40 + "\t" + "c" * 40 + "\n")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    write_manifests(root / "shared")
    write_tree(root / "trees" / "corpus" / "apk", {
        ".dockerfix.toml": 'select = ["DF001", "DF002", "DF003", "DF020"]\n',
        "Dockerfile": APK_DOCKERFILE,
        "tools/Dockerfile": "FROM alpine:3.20 as tools\nRUN echo hi\n",
    })
    write_tree(root / "trees" / "history" / "apt", {
        ".dockerfix.toml": 'select = ["DF004", "DF010"]\n',
        "Dockerfile": "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y git\n",
    })
    return root


def contents(root) -> dict:
    return {str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
            for path in sorted(root.rglob("*"))}


def review(workspace, *options: str) -> list[dict]:
    out = workspace / "records.jsonl"
    code = review_trees.main([str(workspace / "trees"), "--manifests", str(workspace / "shared"),
                              "--out", str(out), "--jobs", "2", *options])
    assert code == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.fixture(scope="module")
def records(workspace):
    before = contents(workspace / "trees")
    found = review(workspace)
    assert contents(workspace / "trees") == before  # nothing written, no .dockerignore created
    return found


def the(records, tree: str, file: str, rule: str) -> dict:
    [found] = [item for item in records if (item["tree"], item["file"], item["rule"]) == (tree, file, rule)]
    return found


def test_one_record_per_change_with_the_tree_it_is_in(records):
    assert sorted((item["tree"], item["file"], item["rule"]) for item in records) == [
        ("corpus/apk", ".dockerignore", "DF020"),
        ("corpus/apk", "Dockerfile", "DF001"),
        ("corpus/apk", "Dockerfile", "DF002"),
        ("corpus/apk", "Dockerfile", "DF003"),
        ("corpus/apk", "tools/Dockerfile", "DF001"),
        ("history/apt", "Dockerfile", "DF010"),
    ]
    casing = the(records, "corpus/apk", "Dockerfile", "DF001")
    assert casing["repository"] == "example/apk" and casing["commit"] == "a" * 40
    assert casing["hunk"].startswith("@@ -1,4 +1,4 @@\n-FROM alpine:3.20 as base\n+FROM alpine:3.20 AS base\n")
    assert (casing["at"], casing["applicability"], casing["run"]) == (["Dockerfile:1"], "safe", "default")
    assert (casing["hunk_from"], casing["in_combined"]) == ("alone", True)
    assert casing["message"] == "'as' should match the casing of 'FROM'"
    assert the(records, "corpus/apk", "tools/Dockerfile", "DF001")["at"] == ["tools/Dockerfile:1"]
    assert all(re.fullmatch("[0-9a-f]{16}", item["key"]) for item in records)
    assert len({item["key"] for item in records}) == len(records)


def test_a_fix_that_only_appears_after_another_rules_fix(records):
    no_cache = the(records, "corpus/apk", "Dockerfile", "DF002")
    assert "-RUN apk update && apk add curl\n+RUN apk update && apk add --no-cache curl\n" in no_cache["hunk"]
    assert no_cache["in_combined"] is False  # DF003 then takes `apk update` out of the same line
    update = the(records, "corpus/apk", "Dockerfile", "DF003")  # DF003 alone changes nothing
    assert update["hunk_from"] == "after the other rules" and update["in_combined"] is None
    assert "-RUN apk update && apk add --no-cache curl\n+RUN apk add --no-cache curl\n" in update["hunk"]
    assert update["at"] == ["Dockerfile:4"]


def test_a_context_file_goes_with_the_dockerfile_that_asks_for_it(records):
    ignore = the(records, "corpus/apk", ".dockerignore", "DF020")
    assert ignore["at"] == ["Dockerfile:3"]
    assert ignore["hunk"].startswith("@@ -0,0 +1,") and "\n+.git\n" in ignore["hunk"]


def test_a_rule_whose_change_another_rule_makes_first(records):
    apt = the(records, "history/apt", "Dockerfile", "DF010")
    assert (apt["repository"], apt["commit"]) == ("example/apt", "b" * 40)
    assert apt["at"] == ["Dockerfile:2", "Dockerfile:3"]
    assert "+RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n" in apt["hunk"]
    # DF004 alone would merge the two RUNs; in the full run DF010 does, and DF004 fixes nothing
    assert not [item for item in records if item["tree"] == "history/apt" and item["rule"] == "DF004"]


def test_unsafe_fixes(workspace, records):
    found = review(workspace, "--unsafe-fixes")
    apt = the(found, "history/apt", "Dockerfile", "DF010")
    assert (apt["applicability"], apt["run"]) == ("unsafe", "unsafe-fixes")
    assert apt["at"] == ["Dockerfile:2", "Dockerfile:3", "Dockerfile:3"]
    assert "+RUN apt-get update && apt-get install --no-install-recommends -y git && rm" in apt["hunk"]
    casing = the(records, "corpus/apk", "Dockerfile", "DF001")
    assert the(found, "corpus/apk", "Dockerfile", "DF001")["key"] == casing["key"]  # the same change, the same key


def test_verdicts_carry_over_by_key(workspace, records, capsys):
    reviewed = workspace / "reviewed.jsonl"
    verdicts = {("Dockerfile", "DF001"): "CORRECT", ("tools/Dockerfile", "DF001"): "POINTLESS"}
    with open(reviewed, "w") as handle:
        for item in records:
            verdict = verdicts.get((item["file"], item["rule"]))
            handle.write(json.dumps({**item, "verdict": verdict, "note": verdict and "looked at it"}) + "\n")
    tools = workspace / "trees" / "corpus" / "apk" / "tools" / "Dockerfile"
    tools.write_text("FROM alpine:3.21 as tools\nRUN echo hi\n")  # its change, and so its key, is new
    try:
        again = review(workspace, "--previous", str(reviewed))
    finally:
        tools.write_text("FROM alpine:3.20 as tools\nRUN echo hi\n")
    casing = the(again, "corpus/apk", "Dockerfile", "DF001")
    assert (casing["verdict"], casing["note"]) == ("CORRECT", "looked at it")
    assert sum("verdict" in item for item in again) == 1
    said = capsys.readouterr().err
    assert "5 of 6 records have no verdict; 1 previous verdicts matched no record" in said
    assert re.search(r"corpus/apk  tools/Dockerfile  DF001  tools/Dockerfile:1", said)


def test_summary_table(tmp_path, capsys):
    reviewed = tmp_path / "reviewed.jsonl"
    verdicts = [("DF001", "from-as-casing", "CORRECT"), ("DF001", "from-as-casing", "CORRECT"),
                ("DF001", "from-as-casing", "WRONG"), ("DF001", "from-as-casing", None),
                ("DF020", "dockerignore", "POINTLESS"), ("DF020", "dockerignore", None)]
    reviewed.write_text("".join(json.dumps({"key": str(n), "rule": rule, "name": name, "verdict": verdict}) + "\n"
                                for n, (rule, name, verdict) in enumerate(verdicts)))
    assert review_trees.main(["--summary", str(reviewed)]) == 0
    assert capsys.readouterr().out == (
        "| rule | changes | correct | pointless | wrong | unreviewed | precision |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| DF001 from-as-casing | 4 | 2 | 0 | 1 | 1 | 66.7% |\n"
        "| DF020 dockerignore | 2 | 0 | 1 | 0 | 1 | 0.0% |\n"
        "| all | 6 | 2 | 1 | 1 | 2 | 50.0% |\n")


def test_distinct_summary_counts_a_change_of_several_trees_once_with_its_worst_verdict(tmp_path, capsys):
    reviewed = tmp_path / "reviewed.jsonl"
    same = {"repository": "o/r", "file": "Dockerfile", "rule": "DF002", "name": "apk-no-cache", "hunk": "@@ -1 +1 @@"}
    records = [{**same, "key": "1", "tree": "corpus/a", "verdict": "CORRECT"},
               {**same, "key": "2", "tree": "corpus/b", "verdict": "POINTLESS"},
               {**same, "key": "3", "tree": "corpus/c", "hunk": "@@ -2 +2 @@", "verdict": "CORRECT"}]
    reviewed.write_text("".join(json.dumps(item) + "\n" for item in records))
    assert review_trees.main(["--summary", str(reviewed), "--distinct"]) == 0
    assert "| DF002 apk-no-cache | 2 | 1 | 1 | 0 | 0 | 50.0% |" in capsys.readouterr().out


def test_a_verdict_must_be_one_of_three(tmp_path):
    reviewed = tmp_path / "reviewed.jsonl"
    reviewed.write_text(json.dumps({"key": "1", "rule": "DF001", "verdict": "FINE"}) + "\n")
    with pytest.raises(SystemExit, match="verdict 'FINE' is not one of CORRECT, POINTLESS, WRONG"):
        review_trees.main(["--summary", str(reviewed)])


def test_a_dockerfix_that_writes_in_a_tree_stops_the_review(tmp_path, capsys):
    write_tree(tmp_path / "trees" / "corpus" / "one", {"Dockerfile": "FROM alpine:3.20 as base\n"})
    writing = f"sh -c 'touch written; exec \"$0\" -m fixer \"$@\"' {shlex.quote(sys.executable)}"
    code = review_trees.main([str(tmp_path / "trees"), "--manifests", str(tmp_path), "--dockerfix", writing,
                              "--out", str(tmp_path / "records.jsonl")])
    assert code == 2
    assert "dockerfix changed the tree" in capsys.readouterr().err
    assert not (tmp_path / "records.jsonl").exists()


@pytest.mark.parametrize("before, after", [
    ("FROM a\nRUN b\n", "FROM a\nRUN c\n"),
    ("FROM a\nRUN b", "FROM a\nRUN b\nUSER 1\n"),               # no newline at the end, before
    ("FROM a\r\nRUN b\r\n", "FROM a\r\nRUN b \\\r\n  c\r\n"),  # CRLF kept in the lines
    ("FROM a\nRUN b \f c\nCMD d\n", "FROM a\nRUN b \f c\nCMD [\"d\"]\n"),  # \f is no line break
    ("", "# new\n.git\n"),                                     # a file created
    ("".join(f"RUN {n}\n" for n in range(30)), "".join(f"RUN {n}\n" for n in range(30) if n not in (3, 20))),
])
def test_diffs_read_back_and_applied(before, after):
    [hunks] = review_trees.parse_diffs(unified_diff(before, after, "Dockerfile")).values()
    assert review_trees.patched(before, hunks) == after


def test_findings_between_the_diffs_are_passed_over():
    diff = unified_diff("FROM a\nRUN b\n", "FROM a\nRUN c\n", "Dockerfile")
    findings = "Dockerfile:2: DF005 the final stage runs as root (not fixed: --- not here)\n"
    assert review_trees.parse_diffs(findings + diff + findings) == review_trees.parse_diffs(diff)


def test_lines_followed_through_a_diff():
    before = "".join(f"RUN {n}\n" for n in range(1, 21))
    after = before.replace("RUN 2\n", "RUN 2\nRUN 2b\nRUN 2c\n").replace("RUN 15\n", "")
    [hunks] = review_trees.parse_diffs(unified_diff(before, after, "Dockerfile")).values()
    assert [review_trees.line_after(hunks, line) for line in (1, 2, 3, 14, 15, 16, 20)] == [1, 2, 5, 16, 17, 17, 21]


def test_context_files_named_either_way(tmp_path):
    tree = review_trees.Tree("corpus/one", tmp_path)
    assert review_trees.tree_relative(tree, str(tmp_path.resolve() / "sub" / ".dockerignore")) == "sub/.dockerignore"
    assert review_trees.tree_relative(tree, "sub/.dockerignore") == "sub/.dockerignore"

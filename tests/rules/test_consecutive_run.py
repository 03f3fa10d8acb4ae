"""DF004 consecutive-run on what a rule fixture cannot show: a Dockerfile's path in its
repository (a fixture's Dockerfile is always named `Dockerfile`), and the Dockerfiles beside
it in its directory, as the project model lists them."""
from __future__ import annotations

import fixer
from fixer.context import BuildContext
from fixer.rules import find_rule
from fixer.rules.base import SAFE, UNSAFE

TWO_RUNS = "FROM alpine:3.20\nRUN apk add --no-cache ca-certificates\nRUN apk add --no-cache tzdata\nUSER svc\n"


def _findings(tmp_path, relative: str, beside: dict[str, str] | None = None):
    """DF004's findings for TWO_RUNS at `relative` in a repository, with other files in it."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    for name, text in (beside or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TWO_RUNS)
    result = fixer.fix(TWO_RUNS, rules=[find_rule("DF004")], unsafe_fixes=True, context=BuildContext(path.parent, path))
    return result.applied + result.remaining


def test_a_test_image_is_reported_without_a_fix(tmp_path):
    [finding] = _findings(tmp_path, "tests/bud/simple/Dockerfile")
    assert finding.fix is None
    assert finding.reason.startswith("tests/bud/simple/Dockerfile lies under tests/")
    assert finding.reason.endswith("; its layers ship nowhere")


def test_a_development_image_is_reported_without_a_fix(tmp_path):
    [finding] = _findings(tmp_path, "Dockerfile.dev")
    assert finding.fix is None and finding.reason.startswith("Dockerfile.dev looks like a development image")


def test_a_dockerfile_of_the_same_directory_with_the_same_first_steps_makes_the_merge_unsafe(tmp_path):
    [finding] = _findings(tmp_path, "deploy/Dockerfile", {"deploy/Dockerfile.debug": TWO_RUNS + "RUN apk add gdb\n"})
    assert finding.fix.applicability == UNSAFE
    assert finding.reason.startswith("Dockerfile.debug starts a stage with the same steps as this one up to the RUN "
                                     "on line 2:")


def test_a_dockerfile_of_another_directory_shares_nothing_that_counts(tmp_path):
    [finding] = _findings(tmp_path, "deploy/Dockerfile", {"tools/Dockerfile": TWO_RUNS})
    assert finding.fix.applicability == SAFE


def test_a_dockerfile_beside_that_starts_otherwise_leaves_the_merge_safe(tmp_path):
    other = TWO_RUNS.replace("ca-certificates", "ca-certificates curl")
    [finding] = _findings(tmp_path, "Dockerfile", {"Dockerfile.full": other})
    assert finding.fix.applicability == SAFE


def test_what_the_files_beside_share_is_worked_out_once_a_stage_not_once_a_merge(tmp_path, monkeypatch):
    """Many RUNs with a Dockerfile beside: the steps are read once per stage (a step list per
    merge made 8,000 RUN lines take most of a minute)."""
    from fixer.rules import consecutive_run

    calls = []
    steps = consecutive_run._steps
    monkeypatch.setattr(consecutive_run, "_steps", lambda chain: calls.append(chain) or steps(chain))
    many = "FROM alpine:3.20\n" + "".join(f"RUN echo {n}\n" for n in range(59)) + "RUN rm -f /tmp/0\n"
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile.debug").write_text(many + "RUN apk add gdb\n")
    (tmp_path / "Dockerfile").write_text(many)
    context = BuildContext(tmp_path, tmp_path / "Dockerfile")
    result = fixer.fix(many, rules=[find_rule("DF004")], context=context)
    assert not result.changed and len(result.remaining) == 59
    assert all(finding.fix.applicability == UNSAFE for finding in result.remaining)
    assert len(calls) == 2  # this stage's steps and the one stage beside, whatever the number of RUNs

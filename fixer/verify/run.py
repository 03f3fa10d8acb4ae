"""`dockerfix verify`: build the original and the fixed Dockerfile, and show the fix is sound.

The fixed Dockerfile is what `dockerfix --write` would write with the same options and the
same configuration file (`fixed_build`, which needs no engine). Both are built from the same
context, the one fixing used, with a real engine, once every base image of both is made
sure of under the pull policy (a base that cannot be had is an error, never a failed fix).
The fixed image must build; its config may differ from the original's only where an
applied fix explains it; it must not run as root; the program its ENTRYPOINT/CMD names
must be in it, statically linked on scratch and distroless. Optionally both run
(networking off) and must agree on exit code and output. Sizes, layer counts and the
rebuild time after a source change are reported. Nothing is written to the user's files;
the images and containers made are removed.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..context import BuildContext
from ..files import clean_path
from ..records import record
from ..rules._support.images import DISTROLESS, SCRATCH, external_base, family
from ..rules._support.stages import variables_set
from ..run import FileResult, Overrides, SettingsFinder, fix_files
from ..syntax import parse
from ..syntax.tree import Instruction
from .compare import Difference, differences
from .elf import is_elf, is_static
from .engines import BuildFailed, Engine, EngineError, detect, ensure_base_images


@dataclass
class Build:
    seconds: float
    size: int
    layers: int
    config: dict
    rebuild_seconds: float | None = None


@dataclass
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass
class VerifyReport:
    path: str
    context: str
    engine: str
    rules: list[str]
    before: Build | None = None
    after: Build | None = None
    differences: list[Difference] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    note: str = ""
    images: tuple[str, str] | None = None   # (before, after) tags, when kept

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def to_json(self) -> dict:
        def build(item: Build | None):
            return None if item is None else {"seconds": round(item.seconds, 2), "size": item.size,
                                              "layers": item.layers, "rebuild_seconds": item.rebuild_seconds}
        return {
            "path": self.path, "context": self.context, "engine": self.engine, "rules": self.rules,
            "passed": self.passed, "note": self.note, "before": build(self.before), "after": build(self.after),
            "differences": [{"field": d.field, "before": d.before, "after": d.after,
                             "explained_by": list(d.explained_by)} for d in self.differences],
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
        }


@record
class FixedBuild:
    """What verify builds besides the original: the Dockerfile as `dockerfix --write PATH`
    fixes it, and the .dockerignore it then has, from the same build context."""

    path: str                 # the original Dockerfile, as `--write` names it
    context: str              # the build context of both builds
    result: FileResult        # the fix: its output, the findings applied, the context files it changes
    ignore_text: str | None   # the .dockerignore the fixed build uses; None: there is none

    @property
    def output(self) -> str:
        return self.result.output  # type: ignore[return-value]  # fixed_build: a file that was fixed

    @property
    def changed(self) -> bool:
        return self.result.changed or bool(self.result.files)

    @property
    def rules(self) -> list[str]:
        return sorted({finding.rule_id for finding in self.result.applied})


class FixFailed(Exception):
    """The Dockerfile cannot be read or fixed; `message` and `line` are what `dockerfix` says."""

    def __init__(self, path: str, message: str, line: int = 0):
        from ..console import shown_path

        super().__init__(f"{shown_path(path)}: {message}")
        self.path, self.message, self.line = path, message, line


def fixed_build(path: str, overrides: Overrides | None = None) -> FixedBuild:
    """The Dockerfile `path` fixed exactly as `dockerfix --write PATH` fixes it with the same
    options: the same configuration file (found from the file, or --config, or none with
    --isolated) with the command line's overrides on it, and the same build context, through
    the same function. Raises ConfigError (a bad configuration) and FixFailed."""
    path = clean_path(path)
    [result] = fix_files([path], SettingsFinder(overrides or Overrides()), jobs=1)
    if result.error:
        raise FixFailed(path, result.error, result.error_line)
    context_path: str = result.context  # type: ignore[assignment]  # a Dockerfile read from disk has one
    context = BuildContext(context_path, os.path.abspath(path))
    return FixedBuild(path, context_path, result, _fixed_ignore_text(result, context))


def _fixed_ignore_text(result: FileResult, context: BuildContext) -> str | None:
    """The .dockerignore the fixed build uses: the one the fixes plan (DF020), or the context's own."""
    planned = next((change for change in result.files if change.path == context.dockerignore_path), None)
    return planned.after if planned is not None else context.dockerignore_text


def verify(fixed: FixedBuild, *, engine_name: str | None = None, run: bool = False, run_args: tuple[str, ...] = (),
           stdin: bytes | None = None, rebuild: bool = True, progress: Callable[[str], None] = lambda message: None,
           engine: Engine | None = None, keep_images: bool = False) -> VerifyReport:
    """Build the original and `fixed` and check the fixed image. Raises EngineError: the
    engine missing or in trouble, a base image that cannot be had (MissingBaseImage: every
    base of both Dockerfiles is made sure of before anything is built), or the original not
    building. Only a step of the fixed build that fails is a failed check."""
    engine = engine or detect(engine_name)
    report = VerifyReport(fixed.path, fixed.context, engine.name, fixed.rules)
    if not fixed.changed:
        report.note = "dockerfix changes nothing here: nothing to verify"
        return report
    progress(f"checking the base images (--pull {engine.pull})")
    ensure_base_images(engine, base_images_of(fixed), progress)
    workspace = Path(tempfile.mkdtemp(prefix="dockerfix-verify-"))
    name = f"dockerfix-verify-{uuid.uuid4().hex[:10]}"
    try:
        dockerfile = workspace / "Dockerfile"
        dockerfile.write_text(fixed.output, encoding="utf-8")
        ignore_file = _write_ignore_file(workspace, fixed.ignore_text)
        progress(f"building the original {fixed.path} ({engine.name})")
        try:
            report.before = _build(engine, str(Path(fixed.path).absolute()), fixed.context, f"{name}:before", None)
        except BuildFailed as error:
            raise EngineError(f"the original {fixed.path} does not build, so there is nothing to compare the fix "
                              f"with; make it build first. {error}") from None
        progress("building the fixed Dockerfile")
        try:
            report.after = _build(engine, str(dockerfile), fixed.context, f"{name}:after", ignore_file)
        except BuildFailed as error:
            report.checks.append(Check("fixed image builds", False, str(error)))
            return report
        report.checks.append(Check("fixed image builds", True, f"{report.after.seconds:.1f} s"))
        report.differences = differences(report.before.config, report.after.config, set(report.rules))
        unexplained = [d.field for d in report.differences if not d.explained]
        report.checks.append(Check("config differences are the fixes'", not unexplained,
                                   f"unexplained: {', '.join(unexplained)}" if unexplained else ""))
        report.checks.append(_not_root(report.after.config))
        report.checks.append(_program_check(engine, f"{name}:after", report.after.config, fixed.output))
        if run:
            progress("running both images (networking off)")
            report.checks.append(_same_run(engine, name, run_args, stdin))
        if rebuild:
            progress("rebuilding both after touching a Go source file")
            _rebuild_times(engine, report, fixed.path, dockerfile, ignore_file, fixed.context, workspace, name)
        if keep_images:
            report.images = (f"{name}:before", f"{name}:after")
            engine.created = [tag for tag in engine.created if tag not in report.images]
        return report
    finally:
        engine.cleanup()
        shutil.rmtree(workspace, ignore_errors=True)


def base_images_of(fixed: FixedBuild) -> dict[str, str]:
    """Every base image the two builds start from, each with the first Dockerfile that uses it."""
    bases: dict[str, str] = {}
    for where, text in (("FROM in the original Dockerfile", fixed.result.source),
                        ("FROM in the fixed Dockerfile", fixed.output)):
        for image in base_images(text):  # type: ignore[arg-type]  # fixed_build: a file that was read
            bases.setdefault(image, where)
    return bases


def base_images(text: str) -> list[str]:
    """The images a Dockerfile's stages start from: neither scratch nor an earlier stage,
    with the global ARGs' defaults put in. One that still names a variable (an ARG without
    a default) is left to the build."""
    tree = parse(text)
    defaults: dict[str, str] = {}
    for node in tree.nodes:
        if not isinstance(node, Instruction):
            continue
        if node.keyword == "FROM":
            break
        if node.keyword == "ARG":
            defaults.update((name, _unquoted(value)) for name, value in variables_set(node) if value is not None)
    stages, images = tree.stages(), []
    for index, stage in enumerate(stages):
        image = _expand(stage.base, defaults)
        earlier = {other.name.lower() for other in stages[:index] if other.name}
        if image and "$" not in image and image.lower() not in earlier | {"scratch"} and image not in images:
            images.append(image)
    return images


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" else value


_VARIABLE = re.compile(r"\$(?:\{(\w+)(?:(:?[-+])([^}]*))?\}|(\w+))")


def _expand(word: str, values: dict[str, str]) -> str:
    """`$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` as BuildKit expands a FROM;
    a variable without a value is left as it is written."""
    def value(match: re.Match) -> str:
        known = values.get(match.group(1) or match.group(4))
        operator, alternative = match.group(2), match.group(3)
        if operator is None:
            return match.group(0) if known is None else known
        if operator.endswith("-"):
            return known if known or (known is not None and operator == "-") else alternative
        return alternative if known or (known is not None and operator == "+") else ""
    return _VARIABLE.sub(value, word)


def _build(engine: Engine, dockerfile: str, context: str, tag: str, ignore_file: str | None) -> Build:
    seconds = engine.build(dockerfile, context, tag, ignore_file=ignore_file)
    facts = engine.facts(tag)
    return Build(seconds, facts.size, facts.layers, facts.config)


def _write_ignore_file(workspace: Path, text: str | None) -> str | None:
    """Beside the fixed Dockerfile, where Docker looks for `<Dockerfile>.dockerignore`."""
    if text is None:
        return None
    path = workspace / "Dockerfile.dockerignore"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _not_root(config: dict) -> Check:
    user = (config.get("User") or "").split(":", 1)[0]
    return Check("runs as a non-root user", user not in ("", "root", "0"), f"User={config.get('User') or 'root'}")


def _program_check(engine: Engine, tag: str, config: dict, dockerfile_text: str) -> Check:
    argv = list(config.get("Entrypoint") or []) or list(config.get("Cmd") or [])
    if not argv:
        return Check("the program is in the image", False, "no ENTRYPOINT or CMD")
    program = _resolve(argv[0], config)
    data = engine.read_file(tag, program) if program else None
    if program is None or data is None:
        return Check("the program is in the image", False, f"{argv[0]} not found in the image")
    stages = parse(dockerfile_text).stages()
    base = external_base(stages, stages[-1])
    minimal = family(base) in (SCRATCH, DISTROLESS)
    if minimal and is_elf(data) and not is_static(data):
        return Check("the program is in the image", False, f"{program} is dynamically linked on a base without libc")
    linked = " (statically linked)" if is_elf(data) and is_static(data) else ""
    return Check("the program is in the image", True, program + linked)


def _resolve(program: str, config: dict) -> str | None:
    if program.startswith("/"):
        return program
    if "/" in program:
        return posixpath.normpath(posixpath.join(config.get("WorkingDir") or "/", program))
    env = dict(item.split("=", 1) for item in config.get("Env") or [] if "=" in item)
    directories = (env.get("PATH") or "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":")
    return next((posixpath.join(d, program) for d in directories if d), None)


def _same_run(engine: Engine, name: str, args: tuple[str, ...], stdin: bytes | None) -> Check:
    before = engine.run(f"{name}:before", list(args), stdin)
    after = engine.run(f"{name}:after", list(args), stdin)
    same = before.exit_code == after.exit_code and before.stdout == after.stdout
    detail = f"exit {before.exit_code} → {after.exit_code}" + ("" if before.stdout == after.stdout
                                                               else "; the output differs")
    return Check("both images run alike", same, detail)


def _rebuild_times(engine, report, path, fixed, ignore_file, context: str, workspace, name) -> None:
    copy = workspace / "context"
    shutil.copytree(context, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    source = next((p for p in sorted(copy.rglob("*.go")) if not p.name.endswith("_test.go")
                   and "vendor" not in p.parts), None)
    if source is None:
        report.note = "no Go source file to touch: rebuild time not measured"
        return
    original = copy / Path(path).absolute().relative_to(context) if _inside(path, context) else None
    dockerfile = str(original) if original is not None else str(Path(path).absolute())
    engine.build(dockerfile, str(copy), f"{name}:warm-before")
    engine.build(str(fixed), str(copy), f"{name}:warm-after", ignore_file=ignore_file)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("\n// touched by dockerfix verify\n")
    report.before.rebuild_seconds = round(engine.build(dockerfile, str(copy), f"{name}:rebuilt-before"), 2)
    report.after.rebuild_seconds = round(engine.build(str(fixed), str(copy), f"{name}:rebuilt-after",
                                                      ignore_file=ignore_file), 2)


def _inside(path: str, context: str) -> bool:
    try:
        Path(path).absolute().relative_to(context)
        return True
    except ValueError:
        return False

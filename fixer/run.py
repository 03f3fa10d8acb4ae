"""Fixing many files: the settings of each (its configuration file, overridden by the
command line), its build context, and the fix itself — in parallel when there are many —
with results as plain data, in input order, ready for any report format."""
from __future__ import annotations

import bisect
import os
from functools import lru_cache

from .config import (
    DEFAULT_FAIL_LEVEL,
    ConfigError,
    HadolintSettings,
    Settings,
    excluded_by,
    find_config,
    find_hadolint_config,
    load,
    load_hadolint,
    with_hadolint,
)
from .context import BuildContext, find_build_context
from .engine import FixError, fix
from .files import FileError, decode, is_compose_path, read, skipped_by_default
from .records import field, record, replace
from .syntax import DockerfileError, parse

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from .rules import FileChange

PARALLEL_THRESHOLD = 8  # fewer files than this are not worth starting worker processes


@record(frozen=True)  # not slots: a frozen record with slots cannot be unpickled (from a worker process)
class Replacement:
    """One edit of a fix, placed in the text it changes: 1-based lines and columns (characters),
    the end just past what it replaces (equal to the start: an insertion)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@record(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    line: int                # in the file as it was read
    end_line: int
    message: str
    fix: str | None          # None, "safe" or "unsafe"
    output_line: int = 0     # in the fixed text: where a finding that stays is after --write
    reason: str = ""         # why the fix is unsafe, or why there is none
    evidence: tuple[str, ...] = ()   # what the fix, or its refusal, rests on
    severity: str = "warning"        # as configured for the file (config.Settings.severities)
    column: int = 0                  # 1-based; 0: not known (on the line as the rule read it: after
    end_column: int = 0              # other fixes, as fixed); the end just past it, on end_line
    edits: tuple[Replacement, ...] = ()         # the fix's edits of the file as read; () where they are in
                                                # a text only a later fix pass saw
    output_edits: tuple[Replacement, ...] = ()  # the same of the fixed text (a finding that stays)
    files: tuple[tuple[str, bool, Replacement], ...] = ()  # other files the fix writes: (absolute path,
                                                           # created, the whole text replaced)


@record
class FileResult:
    path: str
    source: str | None = None
    output: str | None = None
    applied: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)
    context: str | None = None
    context_how: str = ""
    error: str | None = None
    error_line: int = 0
    mode: int = 0
    fail_level: str = DEFAULT_FAIL_LEVEL   # what --check fails on in this file (Settings.failing_level)

    @property
    def changed(self) -> bool:
        return self.output is not None and self.output != self.source


@record
class Overrides:
    """What the command line says; None leaves the configuration's value."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: bool | None = None
    exclude: list[str] | None = None      # replaces the default exclusions; relative to the current directory
    extend_exclude: list[str] = field(default_factory=list)   # relative to the current directory
    runtime_base: str | None = None
    context: str | None = None
    config: str | None = None
    isolated: bool = False
    fail_level: str | None = None
    named: frozenset[str] = frozenset()   # the files named on the command line (absolute), without --force-exclude


def builds_it(dockerfile: str) -> bool:
    """Whether a build of its repository names the Dockerfile, or one that could not be read may."""
    from .context.project import project_for

    project = project_for(os.path.dirname(dockerfile))
    return project is not None and bool(project.builds_of(dockerfile) or project.incomplete_for(dockerfile))


def ignored_outside_git(path: str) -> bool:
    """Outside a git repository (where discovery asks git itself), whether the .gitignore files
    of the directories above `path` ignore it, read as git reads them."""
    from .context.project import project_for

    directory = os.path.dirname(os.path.abspath(path))
    if project_for(directory) is not None:  # a repository: its roots are looked up once a directory
        return False
    ignores = _directory_ignores(directory)
    name = os.path.basename(path)
    return (ignores.ignores_directory(name) if os.path.isdir(path) else ignores.ignores(name)).ignored


@lru_cache(maxsize=4096)
def _directory_ignores(directory: str):
    """The .gitignore files that decide for a directory's names (one answer for all of them)."""
    from .context.gitignore import repository_ignores

    return repository_ignores(directory, os.path.sep)


class SettingsFinder:
    """The settings for each file, with each configuration file read once."""

    def __init__(self, overrides: Overrides):
        self.overrides = overrides
        self.loaded: dict[str, Settings] = {}
        self.hadolint: dict[str, HadolintSettings] = {}
        self.explicit = load(overrides.config) if overrides.config else None

    def for_path(self, path: str) -> Settings:
        return with_hadolint(self._apply(self._configured(path), path), self._hadolint(path))

    def excluded(self, path: str, with_ancestors: bool = False) -> bool:
        """Whether `exclude` or `extend-exclude` (of the command line, or of the configuration
        for `path`; the command line's `exclude` replaces the configuration's) leaves `path`
        out of a directory walk (see Settings.excludes)."""
        patterns = [*(self.overrides.exclude or ()), *self.overrides.extend_exclude]
        if patterns and excluded_by(patterns, path, os.curdir, with_ancestors):
            return True
        if ignored_outside_git(path):
            return True
        settings = self._configured(path)
        if self.overrides.exclude is None and settings.exclude and any(
                excluded_by(patterns, path, directory, with_ancestors)
                for directory, patterns in settings.exclude.items()):
            return True
        return settings.excludes(path, with_ancestors)

    def skipped(self, parent: str, name: str) -> bool:
        """Whether a directory walk leaves out the directory `name` in `parent` by default
        (files.skipped_by_default); where `exclude` replaces the default exclusions, only .git."""
        if self.overrides.exclude is not None or self._configured(os.path.join(parent, name)).exclude is not None:
            return name == ".git"
        return skipped_by_default(parent, name)

    def keeps_test_input(self, path: str) -> bool:
        """Whether a search keeps a Dockerfile below a test suite's directory (files.TEST_DIRS):
        only when something in its repository builds it (CI, Compose, bake, a Makefile, or a
        build that could not be read), or when `exclude` replaced the default exclusions. Else
        it is a test's input, and a fix would change what the suite tests."""
        if self.overrides.exclude is not None or self._configured(path).exclude is not None:
            return True
        return builds_it(path)

    def _hadolint(self, path: str) -> HadolintSettings | None:
        """hadolint's configuration for `path` (see config.with_hadolint)."""
        found = None if self.overrides.isolated else find_hadolint_config(path)
        if found is not None and found not in self.hadolint:
            self.hadolint[found] = load_hadolint(found)
        return self.hadolint.get(found) if found else None

    def _configured(self, path: str) -> Settings:
        if self.overrides.isolated:
            return Settings()
        if self.explicit is not None:
            return self.explicit
        found = find_config(path)
        if found is None:
            return Settings()
        if found not in self.loaded:
            self.loaded[found] = load(found)
        return self.loaded[found]

    def _apply(self, base: Settings, path: str) -> Settings:
        o = self.overrides
        settings = replace(base)
        if o.select is not None:
            settings.select = o.select
        settings.extend_select = [*base.extend_select, *o.extend_select]
        settings.ignore = [*base.ignore, *o.ignore, *base.ignored_for(path)]
        if o.unsafe_fixes is not None:
            settings.unsafe_fixes = o.unsafe_fixes or base.unsafe_fixes
        if o.runtime_base is not None:
            settings.options = {**settings.options, "runtime-base": o.runtime_base}  # a new table: the loaded is shared
        if o.context is not None:
            settings.context = o.context
        if o.fail_level is not None:
            settings.command_line_fail_level = o.fail_level
        settings.named = os.path.abspath(path) in o.named
        return settings


def rules_for(settings: Settings, kind: str):
    """The rules the settings run on `kind` files ("dockerfile" or "compose")."""
    return _rules(tuple(settings.select) if settings.select is not None else None, tuple(settings.extend_select),
                  tuple(settings.ignore), kind)


@lru_cache(maxsize=64)
def _rules(select: tuple | None, extend_select: tuple, ignore: tuple, kind: str):
    from .rules import resolve, rules_of_kind

    if extend_select:
        base = select if select is not None else [rule.id for rule in rules_of_kind(kind) if rule.default]
        select = (*base, *extend_select)
    return resolve(list(select) if select is not None else None, list(ignore), kind)


def fix_file(path: str, settings: Settings) -> FileResult:
    """Read and fix one file. Never raises for a bad file: the error is in the result."""
    try:
        source = read_source(path)
    except FileError as error:
        return FileResult(path, error=error.message, error_line=error.line)
    result = fix_text(path, source.text, settings)
    result.mode = source.mode
    return result


def kind_of(name: str) -> str:
    """What dockerfix reads the file `name` as, in messages: "Compose files" or "Dockerfiles"."""
    return "Compose files" if is_compose_path(os.path.basename(name)) else "Dockerfiles"


def read_source(path: str):
    """The Dockerfile or Compose file at `path` (files.SourceFile), or FileError saying why it
    cannot be one: its encoding when that is UTF-16."""
    try:
        return read(path, kind_of(path))
    except FileError as error:
        if error.message.startswith("binary file"):
            from .context.reading import read_bytes

            _refuse_utf16(read_bytes(path, 4096) or b"", kind_of(path))
        raise _with_the_encoding_wanted(error, kind_of(path)) from None


def decode_source(data: bytes, name: str) -> str:
    """The text of `data`, read as the file `name` (standard input), or FileError as read_source."""
    try:
        return decode(data, kind_of(name))
    except FileError as error:
        if error.message.startswith("binary file"):
            _refuse_utf16(data[:4096], kind_of(name))
        raise _with_the_encoding_wanted(error, kind_of(name)) from None


def _with_the_encoding_wanted(error: FileError, kind: str) -> FileError:
    """"not valid UTF-8 (byte 0xe9)" says what is wrong; this adds what the file must be."""
    if error.message.startswith("not valid UTF-8"):
        return FileError(f"{error.message}; {kind} must be UTF-8", error.line)
    return error


def _refuse_utf16(start: bytes, kind: str) -> None:
    """FileError naming UTF-16 for text that is UTF-16 without a byte order mark (files.decode
    knows it by the mark): ASCII characters then have a NUL byte each, before or after them."""
    pairs = len(start) // 2
    if pairs < 2:
        return
    high, low = start[0:pairs * 2:2], start[1:pairs * 2:2]
    for nuls, text, order in ((low, high, "little-endian"), (high, low, "big-endian")):
        if nuls.count(0) >= pairs * 0.9 and 0 not in text:
            raise FileError(f"file is UTF-16 encoded ({order}, without a byte order mark); {kind} must be UTF-8",
                            1)


def fix_text(name: str, text: str, settings: Settings, with_context: bool = True) -> FileResult:
    """Fix `text` as the file `name` (a Dockerfile, or a Compose file by its name), with the
    build context found for it unless `with_context` is false (standard input)."""
    result = FileResult(name, source=text, fail_level=settings.failing_level()[0])
    try:
        if is_compose_path(os.path.basename(name)):
            from .engine.compose import fix_compose

            fixed = fix_compose(text, rules=rules_for(settings, "compose"), unsafe_fixes=settings.unsafe_fixes,
                                options=settings.rule_options(), context=os.path.dirname(os.path.abspath(name)))
        else:
            tree = parse(text)
            context = None
            if settings.context:
                context = BuildContext(os.path.abspath(settings.context), os.path.abspath(name), settings.context_how)
            elif with_context:
                context = find_build_context(name, tree)
            if context is not None:
                context.named = settings.named
                result.context, result.context_how = context.root, context.how
            fixed = fix(text, rules=rules_for(settings, "dockerfile"), unsafe_fixes=settings.unsafe_fixes,
                        context=context, options=settings.rule_options(), tree=tree)
    except DockerfileError as error:
        result.error, result.error_line = error.message, error.line
        return result
    except FixError as error:
        result.error, result.error_line = f"{error} (file left as it was)", error.line
        return result
    except Exception as error:  # noqa: BLE001 - one file's bug must not stop the others
        result.error = f"internal error: {error.__class__.__name__}: {error} (file left as it was; please report it)"
        return result
    result.output = fixed.output
    kind = "compose" if is_compose_path(os.path.basename(name)) else "dockerfile"
    severities = settings.severities(rules_for(settings, kind))
    place = _Placer(text, fixed.output, kind)
    result.applied = [_finding(d, severities, place) for d in fixed.applied]
    result.remaining = [_finding(d, severities, place) for d in fixed.remaining]
    result.files = list(fixed.files)
    return result


def _finding(diagnostic, severities: dict[str, str], place: "_Placer") -> Finding:
    fix = diagnostic.fix
    shift = diagnostic.source_line - diagnostic.line
    edits = fix.edits if fix else ()
    return Finding(diagnostic.rule.id, diagnostic.rule.name, diagnostic.source_line, diagnostic.end_line + shift,
                   diagnostic.message, fix.applicability if fix else None, diagnostic.line, diagnostic.reason,
                   diagnostic.evidence, severities.get(diagnostic.rule.id, diagnostic.rule.severity),
                   diagnostic.column, diagnostic.end_column,
                   place.edits(edits, diagnostic.read, place.source), place.edits(edits, diagnostic.read, place.output),
                   tuple(place.file(change) for change in (fix.files if fix else ())))


class _Placer:
    """Edits (source offsets) as lines and columns of the file as read, or as fixed."""

    def __init__(self, source: str, output: str, kind: str):
        self.source, self.output, self.kind = source, output, kind
        self.starts: dict[int, list[int]] = {}   # id(text) -> where its lines start

    def edits(self, edits, read: str | None, text: str) -> tuple[Replacement, ...]:
        """`edits` placed in `text`, if they were made on it (the rule read it), else ()."""
        if not edits or read is None or (read is not text and read != text):
            return ()
        return tuple(Replacement(*self.position(text, edit.start), *self.position(text, edit.end),
                                 edit.replacement) for edit in edits)

    def file(self, change) -> tuple[str, bool, Replacement]:
        """A change to another file: its whole text replaced."""
        before = change.before or ""
        return change.path, change.before is None, Replacement(1, 1, *_end_position(before), change.after)

    def position(self, text: str, offset: int) -> tuple[int, int]:
        starts = self.starts.get(id(text))
        if starts is None:
            starts = self.starts[id(text)] = _line_starts(text, self.kind)
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


def _line_starts(text: str, kind: str) -> list[int]:
    """Where the lines start as the findings count them (a Compose file's end at more breaks)."""
    if kind == "compose":
        from .syntax.compose import yaml_line_starts

        return yaml_line_starts(text)
    from .syntax.tree import line_starts

    return line_starts(text)


def _end_position(text: str) -> tuple[int, int]:
    """The 1-based line and column just past the end of `text` (lines ending at `\\n`)."""
    last = text.rfind("\n")
    return text.count("\n") + 1, len(text) - last


def fix_files(paths: list[str], finder: SettingsFinder, jobs: int, progress=None) -> list[FileResult]:
    """Every file fixed, results in input order. Configuration errors are raised before any work.
    What is known of directories (configuration files, go.mod, .git) is from this call's start:
    a process that calls it again sees the files added or removed in between."""
    from . import config
    from .context import discovery, project

    config.forget_directories()
    discovery.forget_directories()
    project.forget_projects()
    contexts = compose_build_contexts(paths)
    work = []
    for path in paths:
        settings = finder.for_path(path)
        context = contexts.get(os.path.realpath(path)) if contexts else None
        if context is not None and settings.context is None:
            settings = replace(settings, context=context, context_how="the build: entry of a Compose file")
        work.append((path, settings))
    if jobs <= 1 or len(work) < PARALLEL_THRESHOLD:
        results = []
        for path, settings in work:
            results.append(fix_file(path, settings))
            if progress:
                progress(len(results), len(work))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if multiprocessing.get_start_method() == "fork":
        project.model_repositories(paths)  # the workers inherit the models
    with ProcessPoolExecutor(max_workers=jobs, initializer=_end_on_interrupt) as pool:
        # submit, not map: interrupted, map cancels the futures left, which races the pool's
        # clean-up after its workers ended (Python 3.11 prints an InvalidStateError: CPython
        # gh-107219)
        batches = [pool.submit(_fix_batch, work[start:start + BATCH]) for start in range(0, len(work), BATCH)]
        results = []
        for batch in batches:
            results += batch.result()
            if progress:
                progress(len(results), len(work))
        return results


BATCH = 4  # files per task sent to a worker: fewer round trips, still balanced


def _fix_batch(work: list[tuple[str, Settings]]) -> list[FileResult]:
    return [fix_file(path, settings) for path, settings in work]


def _end_on_interrupt() -> None:
    """In a worker: Ctrl-C (sent to the whole process group) ends it at once, and the pool, with
    its workers gone, lets the main process stop too (otherwise each worker finished the files
    queued for it first: seconds). Workers only read; the main process writes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def compose_build_contexts(paths: list[str]) -> dict[str, str]:
    """Dockerfile (real path) -> build context, from the `build:` entries of the Compose files
    among `paths`: a Dockerfile a Compose service builds is fixed with that service's context."""
    found: dict[str, str] = {}
    for path in paths:
        if not is_compose_path(os.path.basename(path)):
            continue
        from .syntax.compose import ComposeError, load

        try:
            with open(path, encoding="utf-8") as file:
                document = load(file.read())
        except (ComposeError, OSError, UnicodeDecodeError):
            continue  # reported when the file itself is fixed
        base = os.path.dirname(os.path.abspath(path))
        for _, _, service in document.services():
            build = service.get("build")
            context, dockerfile = (build, "Dockerfile") if isinstance(build, str) else (
                (build.get("context", "."), build.get("dockerfile", "Dockerfile")) if hasattr(build, "get")
                else (None, None))
            if not isinstance(context, str) or not isinstance(dockerfile, str) or "://" in context or "$" in context:
                continue
            root = os.path.normpath(os.path.join(base, context))
            found.setdefault(os.path.realpath(os.path.join(root, dockerfile)), root)
    return found


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


__all__ = ["ConfigError", "FileResult", "Finding", "Overrides", "Replacement", "SettingsFinder", "decode_source",
           "default_jobs", "fix_file", "fix_files", "fix_text", "kind_of", "read_source", "rules_for"]

"""The `dockerfix` command.

    dockerfix [PATH]...            show the diff of what would change (writes nothing)
    dockerfix --write [PATH]...    fix the files in place
    dockerfix --check [PATH]...    exit 1 if anything would change or a finding remains
    dockerfix - < Dockerfile       fix standard input, print the result
    dockerfix verify PATH          build the original and the fixed file, and compare them

Exit codes: 0 nothing to change (or changes written), 1 changes needed under --check,
2 usage, parse or I/O error. One bad file does not stop the others and is never written.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import click

from . import __version__

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


@dataclass
class Outcome:
    path: str
    changed: bool = False
    fixes: int = 0
    findings: list = field(default_factory=list)
    error: bool = False


def _split_names(values: tuple[str, ...]) -> list[str]:
    return [name for value in values for name in value.split(",") if name.strip()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-w", "--write", is_flag=True, help="Fix the files in place.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change or a finding remains.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check: also print the diffs.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (ids or names, comma-separated; ALL).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Leave these rules out.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that are not proven safe.")
@click.option("--runtime-base", type=click.Choice(["alpine", "scratch", "distroless"]), default="alpine",
              show_default=True, help="The base of runtime stages dockerfix writes (go-multi-stage).")
@click.option("--context", "context_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="The build context (default: the Dockerfile's directory, or the nearest ancestor with go.mod "
                   "where its COPY sources resolve).")
@click.option("-v", "--verbose", is_flag=True, help="Say which build context each file was fixed with.")
@click.option("--stdin-filename", metavar="NAME", help="The name of standard input in messages.")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--explain", metavar="RULE", help="Show a rule's documentation and exit.")
@click.version_option(__version__, "--version", prog_name="dockerfix")
def main(paths, write, check, show_diff, select, ignore, unsafe_fixes, runtime_base, context_dir, verbose,
         stdin_filename, list_rules, explain):
    """Fix Dockerfiles: lossless, BuildKit's grammar, Go-aware."""
    from .rules import UnknownRule, find_rule, resolve

    if list_rules:
        _list_rules()
        return
    if explain:
        try:
            rule = find_rule(explain)
        except UnknownRule as error:
            raise click.UsageError(str(error)) from None
        click.echo(f"{rule.id} {rule.name}: {rule.summary}\n\n{rule.doc.split(chr(10), 1)[1].strip()}")
        return
    if write and check:
        raise click.UsageError("--write and --check exclude each other")
    if not paths:
        raise click.UsageError("name at least one file or directory, or - for standard input")
    try:
        rules = resolve(_split_names(select), _split_names(ignore))
    except UnknownRule as error:
        raise click.UsageError(str(error)) from None
    if context_dir is not None and not os.path.isdir(context_dir):
        raise click.UsageError(f"--context {context_dir}: no such directory")
    options = dict(rules=rules, unsafe_fixes=unsafe_fixes, options={"runtime_base": runtime_base},
                   context=_Contexts(context_dir, verbose))
    if paths == ("-",):
        sys.exit(_run_stdin(stdin_filename or "-", check, show_diff, options))
    if "-" in paths:
        raise click.UsageError("- (standard input) cannot be combined with other paths")
    sys.exit(_run_paths(list(paths), write, check, show_diff, options))


def _list_rules() -> None:
    from .rules import ALL_RULES

    for rule in ALL_RULES:
        state = "on" if rule.default else "off"
        click.echo(f"{rule.id}  {rule.name:<26} {state:<4} {rule.fix_safety:<7} {rule.summary}")


class _Contexts:
    """The build context of each file: the one --context names, or the one found for it.
    One BuildContext per directory, so files sharing a context read its facts once."""

    def __init__(self, explicit: str | None, verbose: bool):
        self.explicit, self.verbose, self.known = explicit, verbose, {}

    def for_file(self, name: str, text: str):
        from pathlib import Path

        from .context import BuildContext, find_build_context
        from .syntax import parse

        if name == "-" or not os.path.isdir(os.path.dirname(os.path.abspath(name))):
            return None
        if self.explicit is not None:
            found = BuildContext(Path(self.explicit).absolute(), Path(name).absolute(), "--context")
        else:
            found = find_build_context(Path(name), parse(text))
        key = (found.root, found.dockerignore_path)
        context = self.known.setdefault(key, found)
        if self.verbose:
            click.echo(f"{name}: build context {context.root} ({found.how})", err=True)
        return context


def _fix_text(text: str, options: dict, name: str):
    from .engine import fix

    contexts = options["context"]
    return fix(text, **{**options, "context": contexts.for_file(name, text)})


def _run_stdin(name: str, check: bool, show_diff: bool, options: dict) -> int:
    from .engine import FixError
    from .files import FileError, decode
    from .report.diff import unified_diff
    from .report.text import error_line, finding_line
    from .syntax import DockerfileError

    data = sys.stdin.buffer.read()
    try:
        text = decode(data)
        result = _fix_text(text, options, name)
    except (FileError, DockerfileError) as error:
        click.echo(error_line(name, error.message, error.line), err=True)
        return EXIT_ERROR
    except FixError as error:
        click.echo(error_line(name, str(error), error.line), err=True)
        return EXIT_ERROR
    for diagnostic in result.applied if check else ():
        click.echo(finding_line(name, diagnostic), err=True)
    for diagnostic in result.remaining:
        click.echo(finding_line(name, diagnostic), err=True)
    for change in result.files:
        click.echo(f"{name}: would also {'create' if change.before is None else 'change'} {change.path} "
                   "(not written from standard input)", err=True)
    if check:
        if show_diff and result.changed:
            sys.stdout.write(unified_diff(text, result.output, name))
        return EXIT_CHANGES if result.changed or result.remaining else EXIT_OK
    if show_diff:
        sys.stdout.write(unified_diff(text, result.output, name))
    else:
        sys.stdout.buffer.write(result.output.encode("utf-8"))
    return EXIT_OK


def _run_paths(paths: list[str], write: bool, check: bool, show_diff: bool, options: dict) -> int:
    from .files import discover
    from .report.text import error_line

    found, path_errors = discover(paths)
    outcomes: list[Outcome] = []
    for name, message in path_errors:
        click.echo(error_line(name, message), err=True)
        outcomes.append(Outcome(name, error=True))
    context_files: dict[str, object] = {}
    for path in found:
        outcomes.append(_run_file(path, write, check, show_diff, options, context_files))
    outcomes += _context_files(context_files, write, check, show_diff)
    _summary(outcomes, write, check)
    if any(outcome.error for outcome in outcomes):
        return EXIT_ERROR
    if check and any(outcome.changed or outcome.findings for outcome in outcomes):
        return EXIT_CHANGES
    return EXIT_OK


def _run_file(path, write: bool, check: bool, show_diff: bool, options: dict, context_files: dict) -> Outcome:
    from .engine import FixError
    from .files import FileError, read, write_atomically
    from .report.diff import unified_diff
    from .report.text import error_line, finding_line
    from .syntax import DockerfileError

    name = str(path)
    outcome = Outcome(name)
    try:
        source = read(path)
        result = _fix_text(source.text, options, str(path))
    except (FileError, DockerfileError) as error:
        click.echo(error_line(name, error.message, error.line), err=True)
        outcome.error = True
        return outcome
    except FixError as error:
        click.echo(error_line(name, f"{error} (file left as it was)", error.line), err=True)
        outcome.error = True
        return outcome
    outcome.changed, outcome.findings = result.output != source.text, result.remaining
    outcome.fixes = sum(1 for diagnostic in result.applied if diagnostic.fix.edits)
    if check:
        for diagnostic in result.applied:
            click.echo(finding_line(name, diagnostic))
    for diagnostic in result.remaining:
        click.echo(finding_line(name, diagnostic), err=not check)
    for change in result.files:
        earlier = context_files.get(change.path)
        context_files[change.path] = earlier.merge(earlier, change) if earlier and earlier.merge else change
    dockerfile_changed = result.output != source.text
    if dockerfile_changed and (show_diff or not (write or check)):
        sys.stdout.write(unified_diff(source.text, result.output, name))
    if write and dockerfile_changed:
        try:
            write_atomically(source, result.output)
        except FileError as error:
            click.echo(error_line(name, error.message), err=True)
            outcome.error, outcome.changed = True, False
    return outcome


def _context_files(changes: dict, write: bool, check: bool, show_diff: bool) -> list[Outcome]:
    """Show or write the context files (.dockerignore) the Dockerfiles' fixes asked for, once each."""
    from .files import FileError, write_context_file
    from .report.diff import unified_diff
    from .report.text import error_line

    outcomes = []
    for absolute, change in changes.items():
        if change.after == (change.before or ""):
            continue
        path = absolute if os.path.relpath(absolute).startswith("..") else os.path.relpath(absolute)
        outcome = Outcome(path, changed=True, fixes=1)
        if show_diff or not (write or check):
            sys.stdout.write(unified_diff(change.before, change.after, path))
        if check:
            click.echo(f"{path}: would be {'created' if change.before is None else 'changed'}")
        if write:
            try:
                write_context_file(absolute, change.before, change.after)
            except FileError as error:
                click.echo(error_line(path, error.message), err=True)
                outcome.error, outcome.changed = True, False
        outcomes.append(outcome)
    return outcomes


def _summary(outcomes: list[Outcome], write: bool, check: bool) -> None:
    changed = sum(outcome.changed for outcome in outcomes)
    fixes = sum(outcome.fixes for outcome in outcomes if outcome.changed)
    errors = sum(outcome.error for outcome in outcomes)
    unchanged = len(outcomes) - changed - errors
    findings = sum(len(outcome.findings) for outcome in outcomes)
    verb = "fixed" if write else "would be fixed"
    parts = [f"{changed} file{'s' * (changed != 1)} {verb} ({fixes} fix{'es' * (fixes != 1)})",
             f"{unchanged} left unchanged"]
    if findings:
        parts.append(f"{findings} finding{'s' * (findings != 1)} without an automatic fix")
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    click.echo("dockerfix: " + ", ".join(parts), err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--context", "context_dir", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="The build context (default: found as for fixing).")
@click.option("--engine", "engine_name", type=click.Choice(["docker", "podman", "buildah"]),
              help="The engine to build with (default: docker with a running daemon, podman, buildah).")
@click.option("--run", "run_images", is_flag=True, help="Also run both images (networking off) and compare.")
@click.option("--run-args", default="", metavar="ARGS", help="Arguments for --run (implies --run).")
@click.option("--stdin", "stdin_file", type=click.File("rb"), metavar="FILE", help="Standard input for --run.")
@click.option("--no-rebuild", is_flag=True, help="Skip measuring the rebuild after touching a source file.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Leave these rules out.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that are not proven safe.")
@click.option("--runtime-base", type=click.Choice(["alpine", "scratch", "distroless"]), default="alpine",
              show_default=True, help="The base of runtime stages dockerfix writes.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(path, context_dir, engine_name, run_images, run_args, stdin_file, no_rebuild, select, ignore,
                   unsafe_fixes, runtime_base, as_json):
    """Build PATH as it is and as dockerfix fixes it, and show the fixed image is sound."""
    import json
    import shlex

    from .engine import FixError
    from .report.text import error_line
    from .rules import UnknownRule
    from .syntax import DockerfileError
    from .verify import EngineError, format_report, verify

    def progress(message: str) -> None:
        if sys.stderr.isatty() or not as_json:
            click.echo(f"dockerfix verify: {message} …", err=True)

    try:
        report = verify(path, context_dir=context_dir, engine_name=engine_name,
                        run=run_images or bool(run_args), run_args=tuple(shlex.split(run_args)),
                        stdin=stdin_file.read() if stdin_file else None, unsafe_fixes=unsafe_fixes,
                        select=_split_names(select) or None, ignore=_split_names(ignore),
                        options={"runtime_base": runtime_base}, rebuild=not no_rebuild, progress=progress)
    except UnknownRule as error:
        raise click.UsageError(str(error)) from None
    except (DockerfileError, FixError) as error:
        click.echo(error_line(path, getattr(error, "message", str(error)), getattr(error, "line", 0)), err=True)
        sys.exit(EXIT_ERROR)
    except EngineError as error:
        click.echo(f"dockerfix verify: {error}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else format_report(report))
    sys.exit(EXIT_OK if report.passed else EXIT_CHANGES)


def entry() -> None:
    """The console script: `dockerfix verify …` or `dockerfix [PATH]…`."""
    if sys.argv[1:2] == ["verify"]:
        verify_command.main(sys.argv[2:], prog_name="dockerfix verify")
    else:
        main.main(sys.argv[1:], prog_name="dockerfix")


if __name__ == "__main__":  # pragma: no cover
    entry()

"""The `dockerfix` command.

    dockerfix [PATH]...            show the diff of what would change (writes nothing)
    dockerfix --write [PATH]...    fix the files in place
    dockerfix --check [PATH]...    exit 1 if anything would change or a finding remains
    dockerfix - < Dockerfile       fix standard input, print the result
    dockerfix verify PATH          build the original and the fixed file, and compare them

Exit codes: 0 nothing to change (or changes written), 1 changes needed under --check (or
written, with --exit-non-zero-on-fix), 2 usage, configuration, parse or I/O error. One
bad file does not stop the others and is never written.
"""
from __future__ import annotations

import gc
import os
import sys

import click

from . import __version__

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json", "sarif", "github")


def _split_names(values: tuple[str, ...]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1)  # not click.Path: it stats every path, and discovery does that already
@click.option("-w", "--write", is_flag=True, help="Fix the files in place.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change or a finding remains.")
@click.option("--diff", "show_diff", is_flag=True, help="With --check: also print the diffs.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (ids or names, comma-separated; ALL).")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Leave these rules out.")
@click.option("--unsafe-fixes", is_flag=True, default=None, help="Also apply fixes that are not proven safe.")
@click.option("--runtime-base", type=click.Choice(["alpine", "scratch", "distroless"]), default=None,
              help="The base of runtime stages dockerfix writes (go-multi-stage); default alpine.")
@click.option("--context", "context_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="The build context (default: the Dockerfile's directory, or the nearest ancestor with go.mod "
                   "where its COPY sources resolve).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Use this configuration file for every file (default: the nearest .dockerfix.toml or "
                   "pyproject.toml with [tool.dockerfix]).")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How findings are reported.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --write: exit 1 when a file was changed.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output (auto: on a terminal, unless NO_COLOR is set).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Fix N files at a time (default: the number of cores).")
@click.option("--force-exclude", is_flag=True, help="Skip files .gitignore excludes even when named outright.")
@click.option("-v", "--verbose", is_flag=True, help="Say which build context each file was fixed with.")
@click.option("--stdin-filename", metavar="NAME", help="The name of standard input in messages.")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--explain", metavar="RULE", help="Show a rule's documentation and exit.")
@click.version_option(__version__, "--version", prog_name="dockerfix")
def main(paths, write, check, show_diff, select, extend_select, ignore, unsafe_fixes, runtime_base, context_dir,
         config_file, isolated, output_format, exit_non_zero_on_fix, color, jobs, force_exclude, verbose,
         stdin_filename, list_rules, explain):
    """Fix Dockerfiles and Compose files: lossless, BuildKit's grammar, Go-aware.

    `dockerfix verify PATH` builds a Dockerfile before and after fixing (see its --help).
    """
    from .config import ConfigError
    from .rules import UnknownRule, find_rule
    from .run import Overrides, SettingsFinder, default_jobs

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
    if context_dir is not None and not os.path.isdir(context_dir):
        raise click.UsageError(f"--context {context_dir}: no such directory")
    try:
        for name in _split_names(select) + _split_names(extend_select) + _split_names(ignore):
            if name.upper() != "ALL":
                find_rule(name)
    except UnknownRule as error:
        raise click.UsageError(str(error)) from None
    overrides = Overrides(select=_split_names(select) or None, extend_select=_split_names(extend_select),
                          ignore=_split_names(ignore), unsafe_fixes=unsafe_fixes, runtime_base=runtime_base,
                          context=os.path.abspath(context_dir) if context_dir else None, config=config_file,
                          isolated=isolated)
    output = _Output(output_format, _use_color(color), write, check, show_diff, verbose)
    try:
        finder = SettingsFinder(overrides)
        if paths == ("-",):
            sys.exit(_run_stdin(stdin_filename or "-", finder, output))
        if "-" in paths:
            raise click.UsageError("- (standard input) cannot be combined with other paths")
        sys.exit(_run_paths(list(paths), finder, output, jobs or default_jobs(), force_exclude,
                            exit_non_zero_on_fix))
    except ConfigError as error:
        click.echo(f"dockerfix: error: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _list_rules() -> None:
    from .rules import ALL_RULES

    for rule in ALL_RULES:
        state = "on" if rule.default else "off"
        click.echo(f"{rule.id}  {rule.name:<26} {state:<4} {rule.fix_safety:<7} {rule.summary}")


class _Output:
    """Where each part of a run's report goes, in the chosen format."""

    def __init__(self, fmt: str, color: bool, write: bool, check: bool, show_diff: bool, verbose: bool):
        self.format, self.color, self.write, self.check = fmt, color, write, check
        self.show_diff, self.verbose = show_diff, verbose

    @property
    def text(self) -> bool:
        return self.format == "text"

    def diffs_wanted(self) -> bool:
        return self.show_diff or (self.text and not (self.write or self.check))

    def diff(self, text: str) -> None:
        if self.color:
            text = "".join(_color_diff_line(line) for line in text.splitlines(keepends=True))
        sys.stdout.write(text)

    def finding(self, path: str, finding, fixed: bool) -> None:
        if not self.text:
            return
        from .report.text import finding_line

        rule = click.style(finding.rule_id, fg="yellow", bold=True) if self.color else None
        click.echo(finding_line(path, finding, fixed, rule), err=not self.check)

    def error(self, path: str, message: str, line: int = 0) -> None:
        from .report.text import error_line

        click.echo(error_line(path, message, line), err=True)

    def note(self, message: str) -> None:
        if self.verbose or self.text:
            click.echo(message, err=True)


def _color_diff_line(line: str) -> str:
    if line.startswith(("+++", "---")):
        return click.style(line, bold=True)
    if line.startswith("+"):
        return click.style(line, fg="green")
    if line.startswith("-"):
        return click.style(line, fg="red")
    if line.startswith("@@"):
        return click.style(line, fg="cyan")
    return line


def _run_stdin(name: str, finder, output: _Output) -> int:
    from .files import FileError, decode
    from .report.diff import unified_diff
    from .report.text import finding_line

    data = sys.stdin.buffer.read()
    settings = finder.for_path(name if name != "-" else os.path.join(os.getcwd(), "Dockerfile"))
    try:
        text = decode(data)
    except FileError as error:
        output.error(name, error.message, error.line)
        return EXIT_ERROR
    result = _fix_stdin(name, text, settings)
    if result.error:
        output.error(name, result.error, result.error_line)
        return EXIT_ERROR
    if output.verbose and result.context:
        click.echo(f"{name}: build context {result.context} ({result.context_how})", err=True)
    if not output.text:
        _machine_report([result], output, finder)
    for finding in result.applied if output.check and output.text else ():  # stdout is for the text itself
        click.echo(finding_line(name, finding), err=True)
    for finding in result.remaining if output.text else ():
        click.echo(finding_line(name, finding), err=True)
    for change in result.files:
        click.echo(f"{name}: would also {'create' if change.before is None else 'change'} {change.path} "
                   "(not written from standard input)", err=True)
    changed = result.changed or bool(result.files)
    if output.check:
        if output.show_diff and result.changed:
            sys.stdout.write(unified_diff(text, result.output, name))
        return EXIT_CHANGES if changed or result.remaining else EXIT_OK
    if output.text:
        if output.show_diff:
            sys.stdout.write(unified_diff(text, result.output, name))
        else:
            sys.stdout.buffer.write(result.output.encode("utf-8"))
    return EXIT_OK


def _fix_stdin(name: str, text: str, settings):
    """Fix standard input, with the build context of the path `--stdin-filename` names."""
    from .run import fix_text

    known = name != "-" and os.path.isdir(os.path.dirname(os.path.abspath(name)))
    return fix_text(name, text, settings, with_context=known)


def _run_paths(paths: list[str], finder, output: _Output, jobs: int, force_exclude: bool,
               exit_non_zero_on_fix: bool) -> int:
    from .files import discover
    from .run import FileResult, fix_files

    found, path_errors = discover(paths, force_exclude=force_exclude)
    for name, message in path_errors:
        output.error(name, message)
    progress = _progress_bar() if output.text and sys.stderr.isatty() and len(found) >= 20 else None
    results = fix_files([str(path) for path in found], finder, jobs, progress)
    if progress:
        click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    written = _apply(results, output)
    context_files = _context_files(results, output)
    all_results = results + [FileResult(name, error=message) for name, message in path_errors]
    if not output.text:
        _machine_report(all_results, output, finder)
    else:
        _summary(results, context_files, len(path_errors), output)
    if path_errors or any(result.error for result in results) or any(c.error for c in context_files):
        return EXIT_ERROR
    if output.check and any(r.changed or r.remaining for r in results) or (output.check and context_files):
        return EXIT_CHANGES
    if output.write and exit_non_zero_on_fix and (written or context_files):
        return EXIT_CHANGES
    return EXIT_OK


def _progress_bar():
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", nl=False, err=True)
    return show


def _apply(results, output: _Output) -> int:
    """Report each file in the text format, write it with --write; returns how many were written."""
    from .files import FileError, SourceFile, write_atomically

    written = 0
    for result in results:
        if result.error:
            output.error(result.path, result.error, result.error_line)
            continue
        if output.verbose:
            click.echo(f"{result.path}: build context {result.context} ({result.context_how})", err=True)
        if output.check:
            for finding in result.applied:
                output.finding(result.path, finding, False)
        for finding in result.remaining:  # written: where it is in the file now
            output.finding(result.path, _as_written(finding) if output.write else finding, False)
        if result.changed and output.diffs_wanted():
            from .report.diff import unified_diff

            output.diff(unified_diff(result.source, result.output, result.path))
        if output.write and result.changed:
            try:
                write_atomically(SourceFile(result.path, result.source, result.mode), result.output)
                written += 1
            except FileError as error:
                output.error(result.path, error.message)
                result.error, result.output = error.message, result.source
    return written


def _as_written(finding):
    from .records import replace

    shift = finding.output_line - finding.line
    return replace(finding, line=finding.output_line, end_line=finding.end_line + shift)


class _ContextFile:
    def __init__(self, path: str, change, error: str | None = None):
        self.path, self.change, self.error = path, change, error


def _context_files(results, output: _Output) -> list[_ContextFile]:
    """Show or write the context files (.dockerignore) the fixes asked for, once each."""
    from .files import FileError, write_context_file
    from .rules import merge_file_changes

    merged = merge_file_changes(change for result in results for change in result.files)
    done = []
    for absolute, change in merged.items():
        if change.after == (change.before or ""):
            continue
        relative = os.path.relpath(absolute)
        path = absolute if relative.startswith("..") else relative
        item = _ContextFile(path, change)
        if output.diffs_wanted():
            from .report.diff import unified_diff

            output.diff(unified_diff(change.before, change.after, path))
        if output.check and output.text:
            click.echo(f"{path}: would be {'created' if change.before is None else 'changed'}")
        if output.write:
            try:
                write_context_file(absolute, change.before, change.after)
            except FileError as error:
                output.error(path, error.message)
                item.error = error.message
        done.append(item)
    return done


def _summary_data(results, context_files, path_errors: int) -> dict:
    import collections

    by_rule = collections.Counter(f.rule_id for r in results if r.changed or r.files for f in r.applied)
    return {"files": len(results), "changed": sum(r.changed for r in results),
            "context_files": len(context_files),
            "errors": sum(bool(r.error) for r in results) + path_errors + sum(bool(c.error) for c in context_files),
            "findings": sum(len(r.remaining) for r in results), "fixes_by_rule": dict(sorted(by_rule.items()))}


def _summary(results, context_files, path_errors: int, output: _Output) -> None:
    data = _summary_data(results, context_files, path_errors)
    changed, fixes = data["changed"] + data["context_files"], sum(data["fixes_by_rule"].values())
    verb = "fixed" if output.write else "would be fixed"
    unchanged = data["files"] - data["changed"] - sum(bool(r.error) for r in results)
    parts = [f"{changed} file{'s' * (changed != 1)} {verb} ({fixes} fix{'es' * (fixes != 1)})",
             f"{unchanged} left unchanged"]
    if data["findings"]:
        parts.append(f"{data['findings']} finding{'s' * (data['findings'] != 1)} without an automatic fix")
    if data["errors"]:
        parts.append(f"{data['errors']} error{'s' * (data['errors'] != 1)}")
    click.echo("dockerfix: " + ", ".join(parts), err=True)
    if fixes and (output.verbose or data["files"] > 1):
        click.echo("dockerfix: fixes by rule: " + ", ".join(f"{rule} {count}" for rule, count
                                                            in data["fixes_by_rule"].items()), err=True)


def _machine_report(results, output: _Output, finder) -> None:
    from .report import formats

    written = output.write
    if output.format == "concise":
        sys.stdout.write(formats.concise(results, written))
    elif output.format == "json":
        sys.stdout.write(formats.as_json(results, written, _summary_data(results, [], 0)))
    elif output.format == "sarif":
        from .rules import ALL_RULES  # the Compose rules too: imported only for SARIF's rule list

        sys.stdout.write(formats.sarif(results, written, ALL_RULES))
    elif output.format == "github":
        sys.stdout.write(formats.github(results, written))


def entry() -> None:
    """`dockerfix verify …` or `dockerfix [PATH]…` (the console script is fixer.__main__.entry)."""
    gc.freeze()  # what is imported lives until the end: later collections need not look at it
    if sys.argv[1:2] == ["verify"]:
        from .verify.cli import verify_command

        verify_command.main(sys.argv[2:], prog_name="dockerfix verify")
    else:
        main.main(sys.argv[1:], prog_name="dockerfix")


if __name__ == "__main__":  # pragma: no cover
    entry()

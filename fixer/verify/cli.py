"""`dockerfix verify`, its own command: loaded only when asked for, to keep start-up short."""
from __future__ import annotations

import sys

import click

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _split_names(values: tuple[str, ...]) -> list[str]:
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


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

    from ..engine import FixError
    from ..report.text import error_line
    from ..rules import UnknownRule
    from ..syntax import DockerfileError
    from . import EngineError, format_report, verify

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
    sys.exit(EXIT_OK if report.passed else EXIT_FAILED)

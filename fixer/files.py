"""Finding Dockerfiles, reading them safely, and writing them back atomically."""
from __future__ import annotations

import errno
import os
import stat

from .records import record

MAX_BYTES = 4 * 1024 * 1024
PATTERNS = ("Dockerfile", "dockerfile", "Dockerfile.*", "Dockerfile-*", "Dockerfile_*", "*.Dockerfile", "*.dockerfile",
            "Containerfile", "containerfile", "Containerfile.*", "Containerfile-*", "Containerfile_*",
            "*.Containerfile", "*.containerfile")
# Names of those patterns that are no Dockerfiles: notes, data, scripts, backups, editor files.
# (Dockerfile.go, Dockerfile.py and the like are Dockerfiles: named for the language they build.)
NOT_DOCKERFILE_SUFFIXES = (".md", ".txt", ".rst", ".adoc", ".json", ".yaml", ".yml", ".toml", ".sh", ".ps1",
                           ".bak", ".orig", ".rej", ".swp", ".swo", "~", ".dockerignore")
COMPOSE_PATTERNS = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml",
                    "docker-compose.*.yml", "docker-compose.*.yaml", "compose.*.yml", "compose.*.yaml",
                    "docker-compose-*.yml", "docker-compose-*.yaml")
# Not searched inside a directory walk (a path named outright is still fixed, and so is a
# skipped directory named outright): git's own directory, other people's code (npm
# packages, Python virtual environments, the vendor/ of Go modules and Composer), and
# test inputs — Dockerfiles kept odd or broken on purpose, which a fix would spoil: Go's
# testdata (the go tool skips it too), fixture, golden and snapshot directories, and
# BuildKit's parser test suite (frontend/dockerfile/parser/testfiles, testfiles-negative) —
# and the caches and build outputs tools keep in a checkout, which hold no one's Dockerfile.
TOOL_CACHES = ("__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".nox", ".next",
               ".terraform", ".gradle")
# A directory holding this file is a Python virtual environment (venv, virtualenv, uv), whatever
# its name (`.venv-bench`, `env`): other people's code, walked by neither a search nor the project model.
VIRTUAL_ENVIRONMENT = "pyvenv.cfg"
SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", ".tox", "testdata", "test-data", "test_data",
                          "fixtures", "__fixtures__", "testfixtures", "test-fixtures", "test_fixtures", "golden",
                          "goldens", "__snapshots__", "testfiles", "testfiles-negative",
                          *TOOL_CACHES})
# Directories of test suites. A Dockerfile below one is a test's input (buildah's tests/bud,
# kaniko's integration/dockerfiles, a formatter's tests/in and tests/out), unless something in
# the repository builds it as an image (CI, Compose, bake, a Makefile: fixer.context.project).
TEST_DIRS = frozenset({"test", "tests", "testing", "integration", "integration-test", "integration-tests",
                       "integrationtest", "e2e", "e2e-tests"})


class FileError(Exception):
    """A file that cannot be read or written; `line` is 0 when no line is to blame."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


def is_dockerfile_name(name: str) -> bool:
    """Whether `name` matches PATTERNS (compared as text: compiling the globs cost a run more
    than the comparisons do)."""
    return (name in ("Dockerfile", "Containerfile", "dockerfile", "containerfile")
            or name.startswith(("Dockerfile.", "Dockerfile-", "Dockerfile_", "Containerfile.", "Containerfile-",
                                "Containerfile_"))
            or name.endswith((".Dockerfile", ".dockerfile", ".Containerfile", ".containerfile"))) \
        and not name.lower().endswith(NOT_DOCKERFILE_SUFFIXES)


def is_compose_name(name: str) -> bool:
    """Whether `name` matches COMPOSE_PATTERNS (each is a prefix, anything, a suffix)."""
    return name.startswith(("docker-compose.", "compose.", "docker-compose-")) and name.endswith((".yml", ".yaml"))


def is_compose_path(name: str) -> bool:
    """Whether a file is read as a Compose file: a Compose name, or any YAML file named outright
    (`compose-prod.yaml`: never a Dockerfile, though a directory search does not pick it up)."""
    return is_compose_name(name) or name.lower().endswith((".yml", ".yaml"))


def is_fixable_name(name: str) -> bool:
    return is_dockerfile_name(name) or is_compose_name(name)


def discover(paths: list[str], force_exclude: bool = False, excluded=None, skipped=None,
             keeps_test_input=None) -> tuple[list[str], list[tuple[str, str]]]:
    """The Dockerfiles named or found under `paths`, in order, each once; and path errors.

    In directories, files git ignores (.gitignore, .git/info/exclude, the global excludes)
    are skipped, and so are the directories `skipped(parent, name)` leaves out (default:
    skipped_by_default; `exclude` replaces that) and the files and directories
    `excluded(path)` says are; a path named outright is fixed even so, unless
    `force_exclude` (then `excluded(path, True)` also looks at the directories it is in).
    Given `keeps_test_input(path)`, a search also leaves out the Dockerfiles below a test
    suite's directory (TEST_DIRS) it says no to (fixer.run: those nothing in the repository
    builds, unless `exclude` replaced the default exclusions).
    """
    skipped = skipped or skipped_by_default
    found: list[str] = []
    errors: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()
    named: list[str] = []  # files named outright, for git to judge under force_exclude

    def add(path: str, info: os.stat_result | None = None) -> None:
        """Each file once, however it is named (symbolic links, `a/../a`, hard links)."""
        try:
            info = info or os.stat(path)
        except OSError:  # gone since it was found: reading it will say so
            found.append(path)
            return
        key = (info.st_dev, info.st_ino)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for name in paths:
        path = clean_path(name)
        try:
            info = os.stat(path)
            is_directory = stat.S_ISDIR(info.st_mode)
        except OSError:
            errors.append((name, f"broken symbolic link (points to {os.readlink(path)})" if os.path.islink(path)
                           else "no such file or directory"))
            continue
        if force_exclude and (_left_out_when_named(path, is_directory, excluded, skipped) or not is_directory
                              and _unbuilt_test_input(path, _repository_of(path), keeps_test_input)):
            continue
        if not is_directory:
            add(path, info)
            named.append(path)
            continue
        kept = _search(path, excluded, skipped)
        kept = [candidate for candidate in kept if not _unbuilt_test_input(candidate, path, keeps_test_input)]
        for candidate in kept:
            add(candidate)
        if not kept:
            errors.append((name, "no Dockerfiles or Compose files found in this directory"))
    if force_exclude and named:  # asked of git once per repository, not once per file (pre-commit names many)
        ignored = _git_ignored_anywhere(named)
        found = [path for path in found if path not in ignored]
    return found, errors


def _search(root: str, excluded, skipped) -> list[str]:
    """The Dockerfiles and Compose files under `root`, but for what is skipped, excluded or
    git-ignored."""
    def left_out(path: str) -> bool:
        return excluded is not None and excluded(path)

    walked = []
    for directory, subdirs, files in os.walk(root):
        if directory != root and VIRTUAL_ENVIRONMENT in files:
            subdirs[:] = []
            continue
        subdirs[:] = sorted(d for d in subdirs
                            if not skipped(directory, d) and not left_out(os.path.join(directory, d)))
        walked += [clean_path(os.path.join(directory, file)) for file in sorted(files)
                   if is_fixable_name(file) and not left_out(os.path.join(directory, file))]
    ignored = git_ignored(walked, root)
    return [candidate for candidate in walked if candidate not in ignored]


def _unbuilt_test_input(path: str, root: str, keeps_test_input) -> bool:
    """Whether `path`, found searching `root`, is a Dockerfile in a test suite's directory below
    `root` that `keeps_test_input` leaves out."""
    if keeps_test_input is None or not is_dockerfile_name(os.path.basename(path)):
        return False
    directories = os.path.relpath(path, root).split(os.sep)[:-1]
    return any(directory.lower() in TEST_DIRS for directory in directories) and not keeps_test_input(path)


def _left_out_when_named(path: str, is_directory: bool, excluded, skipped) -> bool:
    """Whether a search would leave out a named path or a directory it is in (--force-exclude),
    up to the repository's root: a checkout kept under a directory named `fixtures` is not
    test data."""
    directory = path if is_directory else os.path.dirname(path)
    return any(skipped(os.path.dirname(above), os.path.basename(above)) for above in _below_repository(directory)) \
        or (excluded is not None and excluded(path, True))


def _below_repository(directory: str):
    """`directory` and the directories above it, short of the root of the repository it is in
    (all the way up outside a repository)."""
    for above in _upwards(directory):
        if os.path.exists(os.path.join(above, ".git")):
            return
        yield above


def _git_ignored_anywhere(paths: list[str]) -> set[str]:
    by_repository: dict[str, list[str]] = {}
    for path in paths:
        by_repository.setdefault(_repository_of(path), []).append(path)
    return {path for root, group in by_repository.items() for path in git_ignored(group, root)}


def _repository_of(path: str) -> str:
    """The nearest directory above `path` with .git in it (else the path's own directory)."""
    directory = os.path.dirname(path)
    return next((above for above in _upwards(directory) if os.path.exists(os.path.join(above, ".git"))),
                os.path.abspath(directory))


def _upwards(directory: str):
    """`directory` (made absolute) and each directory above it, up to the root."""
    directory = os.path.abspath(directory)
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


def skipped_by_default(parent: str, name: str) -> bool:
    """The default exclusions: SKIPPED_DIRS, and a vendor/ of other people's code: a Go module's
    (beside go.mod, or with the modules.txt `go mod vendor` writes; dep's and glide's too) or
    Composer's. A directory named vendor with none of these is somebody's own (a service)."""
    return name in SKIPPED_DIRS or name == "vendor" and (
        any(os.path.isfile(os.path.join(parent, name, marker)) for marker in ("modules.txt", "autoload.php"))
        or any(os.path.isfile(os.path.join(parent, marker)) for marker in VENDORING_FILES))


VENDORING_FILES = ("go.mod", "Gopkg.lock", "glide.yaml", "composer.json")


def clean_path(path: str) -> str:
    """The path as pathlib would show it: no `.` or empty parts, no trailing slash (`..` is kept,
    as it may lead out of a symbolic link)."""
    parts = [part for part in path.split(os.sep) if part not in ("", ".")]
    return (os.sep if path.startswith(os.sep) else "") + os.sep.join(parts) or "."


def git_ignored(paths: list[str], where: str) -> set[str]:
    """Which of `paths` git would ignore, asking the repository `where` is in (none when git or
    a repository is not there)."""
    import subprocess

    if not paths:
        return set()
    absolute = {os.path.abspath(path): path for path in paths}
    try:
        # Bytes, as the file system has them: a path need not be UTF-8 (os.fsencode undoes
        # the surrogates Python decoded its undecodable bytes to).
        completed = subprocess.run(["git", "check-ignore", "--stdin", "-z"],
                                   input=b"\0".join(os.fsencode(path) for path in absolute),
                                   capture_output=True, cwd=where or ".", timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if completed.returncode not in (0, 1):
        return set()
    return {absolute.get(item, item) for item in map(os.fsdecode, completed.stdout.split(b"\0")) if item}


@record
class SourceFile:
    path: str
    text: str
    mode: int


def read(path: str, kind: str = "Dockerfiles") -> SourceFile:
    """The file's text; FileError for what dockerfix does not read as one of `kind` (named in the message)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused as not regular
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except PermissionError:
        raise FileError("permission denied") from None
    except OSError as error:
        raise FileError(error.strerror or str(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise FileError("not a regular file")
        if info.st_size > MAX_BYTES:
            raise FileError(f"file is {info.st_size / 1e6:.1f} MB; dockerfix reads {kind} up to "
                            f"{MAX_BYTES // (1024 * 1024)} MiB")
        with open(descriptor, "rb", buffering=0, closefd=False) as file:
            data = file.read()
    except OSError as error:
        raise FileError(error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    return SourceFile(path, decode(data, kind), info.st_mode)


def decode(data: bytes, kind: str = "Dockerfiles") -> str:
    """The text of a Dockerfile (or of `kind`), or FileError for what BuildKit could not read as one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(f"file is UTF-16 encoded; {kind} must be UTF-8", 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FileError("binary file (contains a NUL byte)", data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileError(f"not valid UTF-8 (byte 0x{data[error.start]:02x})", line) from None


def write_atomically(source: SourceFile, text: str) -> None:
    """Write `text` over the file `source` was read from; a symbolic link is written through and kept.

    Nothing is written to a file that no longer holds `source.text` (edited while dockerfix ran),
    nor to one this user could not write in place: a file is never replaced only because its
    directory is writable, which would make another user's file this user's. The file is replaced
    in one step (a temporary copy beside it, synced, renamed over it) when the copy can be the
    same file in all but content: the owner, group, mode bits (setuid, setgid and sticky too) and
    extended attributes (ACLs) it has when it is written, not when it was read. Otherwise -- a
    file with hard links, one owned by another user, one in a directory this user may not add
    to -- it is written in place, as editors and other formatters do, so every name of the file
    sees the change and it keeps its owner and attributes.
    """
    target = os.path.realpath(source.path)
    expected, data = source.text.encode("utf-8"), text.encode("utf-8")
    try:
        if not _replace(target, expected, data):
            _write_in_place(target, expected, data)
    except OSError as error:
        raise FileError(f"cannot write: {error.strerror or error}") from None


def _replace(target: str, expected: bytes, data: bytes) -> bool:
    """Rename a copy holding `data` over `target`; False, with nothing changed, when the copy
    could not be the same file (hard links, an owner or attribute this user cannot give it)."""
    import tempfile  # only when writing (docs/performance.md, imports on demand)

    directory = os.path.dirname(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.",
                                             suffix=".dockerfix")
    except PermissionError:  # a directory this user may not add to; the file itself may be writable
        return False
    replaced = False
    try:
        with os.fdopen(handle, "wb") as copy:
            copy.write(data)
            copy.flush()
            descriptor, info = _open_regular(target, os.O_RDONLY)
            try:
                _check_may_write(target, info)
                if info.st_nlink > 1 or not _made_like(copy.fileno(), descriptor, info):
                    return False
                os.fsync(copy.fileno())
                _check_unchanged(descriptor, expected)  # last thing before the swap: the smallest window
            finally:
                os.close(descriptor)
        os.replace(temporary, target)
        replaced = True
    finally:
        if not replaced:
            _remove(temporary)
    _sync_directory(directory)
    return True


def _made_like(copy: int, original: int, info: os.stat_result) -> bool:
    """Give the copy the original's owner, group, extended attributes and mode; whether it has them all."""
    try:
        os.fchown(copy, info.st_uid, info.st_gid)  # first: a change of owner clears setuid, setgid and capabilities
        _copy_extended_attributes(original, copy)
        os.fchmod(copy, stat.S_IMODE(info.st_mode))
    except OSError:  # not this user's to give: another owner, a group they are not in, a security label
        return False
    made = os.fstat(copy)
    return (made.st_uid, made.st_gid, made.st_mode) == (info.st_uid, info.st_gid, info.st_mode)


def _copy_extended_attributes(source: int, target: int) -> None:
    if not hasattr(os, "listxattr"):  # Linux only
        return
    try:
        names = os.listxattr(source)
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):  # a file system without them
            return
        raise
    for name in names:
        os.setxattr(target, name, os.getxattr(source, name))


def _write_in_place(target: str, expected: bytes, data: bytes) -> None:
    """Write `data` over the file's content, keeping the file itself (its hard links, owner, attributes)."""
    import signal

    descriptor, info = _open_regular(target, os.O_RDWR)
    try:
        _check_may_write(target, info)
        if info.st_mode & (stat.S_ISUID | stat.S_ISGID) and os.geteuid() not in (0, info.st_uid):
            raise FileError("writing it in place would clear its setuid and setgid bits, and only its owner "
                            "could set them again; not written")
        _check_unchanged(descriptor, expected)
        _reserve(descriptor, len(data), info.st_size)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:  # Ctrl-C waits until the file holds all of `data` and nothing more
            written = 0
            while written < len(data):
                written += os.pwrite(descriptor, data[written:], written)
            os.ftruncate(descriptor, len(data))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.fsync(descriptor)
        if os.fstat(descriptor).st_mode != info.st_mode:  # writing clears setuid and setgid but for root
            os.fchmod(descriptor, stat.S_IMODE(info.st_mode))
    finally:
        os.close(descriptor)


def _reserve(descriptor: int, size: int, current: int) -> None:
    """Make room for a file growing to `size`, so that a full disk fails before it is touched."""
    if size <= current or not hasattr(os, "posix_fallocate"):
        return
    try:
        os.posix_fallocate(descriptor, 0, size)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise
        # a file system that cannot reserve room: pwrite will say if it runs out


def _open_regular(path: str, flags: int) -> tuple[int, os.stat_result]:
    try:
        descriptor = os.open(path, flags | os.O_NONBLOCK)  # a FIFO put in its place must not block
    except PermissionError:
        raise FileError(_permission_denied(os.stat(path))) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise FileError("no longer a regular file; not written")
    return descriptor, info


def _check_may_write(path: str, info: os.stat_result) -> None:
    """That the file is writable and this user could write it in place (root can write anything:
    a file with no write bits is refused as read-only all the same)."""
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FileError("file is read-only; not written")
    if not os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
        raise FileError(_permission_denied(info))


def _permission_denied(info: os.stat_result) -> str:
    import pwd

    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = f"uid {info.st_uid}"
    return f"permission denied (owned by {owner}, mode {stat.S_IMODE(info.st_mode):04o}); not written"


def _check_unchanged(descriptor: int, expected: bytes) -> None:
    os.lseek(descriptor, 0, os.SEEK_SET)
    with open(descriptor, "rb", buffering=0, closefd=False) as file:
        if file.read() != expected:
            raise FileError("changed while dockerfix ran; not written")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_directory(directory: str) -> None:
    """Make the rename itself last through a crash (some file systems cannot sync a directory)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_context_file(path: str, before: str | None, after: str) -> None:
    """Create or update a file of the build context (a .dockerignore), only if it still holds
    what the change was computed from."""
    if before is None:
        if os.path.lexists(path):
            raise FileError(_in_the_way(path))
        import tempfile

        try:
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".",
                                                 prefix=f".{os.path.basename(path)}.", suffix=".dockerfix")
        except OSError as error:  # a directory this user may not add to
            raise FileError(f"cannot create: {error.strerror or error}") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(after.encode("utf-8"))
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.link(temporary, path)  # fails rather than overwrite a file created meanwhile
        except OSError as error:
            raise FileError(f"cannot create: {error.strerror or error}") from None
        finally:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        return
    source = read(path, ".dockerignore files")
    if source.text != before:
        raise FileError("changed while dockerfix ran; not written")
    write_atomically(source, after)


def _in_the_way(path: str) -> str:
    """Why a context file cannot be created where something already is: what is there."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # a symbolic link to nothing
        return "is a symbolic link to nothing; not written"
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return f"is {kind}, not a file; not written"
    return "appeared while dockerfix ran; not written"

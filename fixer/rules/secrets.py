"""secrets (DF019): no credentials in ARG, ENV or LABEL, and no secret files copied into the image.

What it does
    Reports, without a fix:
    - ARG and ENV whose names say they hold a credential (`GITHUB_TOKEN`, `DB_PASSWORD`,
      `API_KEY`, `CLIENT_SECRET`, …; names of files, paths, URLs and configs excepted, and
      ENV set to nothing or to a path: that declares the variable, it holds no secret);
    - ARG, ENV and LABEL values that look like a credential whatever their name (AWS access
      keys, GitHub, GitLab, Slack and Stripe tokens, Google API keys, private key blocks);
    - COPY/ADD of files that usually hold secrets (`.env`, `*.pem`, `*.key`, `id_rsa`,
      `.npmrc`, `.netrc`, `credentials.json`, …), and `COPY . .` from a build context whose
      `.env` files the .dockerignore does not leave out.

Why
    ENV values are in the image config, ARG values used by a RUN are in its history, and
    copied files are in a layer: anyone who can pull the image can read them, for as long as
    the image exists. Build-time secrets belong in `RUN --mount=type=secret,id=…`
    (`docker build --secret`), runtime ones in the container's environment or a secret
    store. hadolint has no such rule; BuildKit's SecretsUsedInArgOrEnv checks names only.

Example
    ARG GITHUB_TOKEN
    RUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"
    ->
    RUN --mount=type=secret,id=github_token \\
        git config --global url."https://$(cat /run/secrets/github_token)@github.com/".insteadOf ...

Fix safety
    No automatic fix: moving a secret changes how the image is built and run, which only
    its owners can decide.
"""
from __future__ import annotations

from functools import lru_cache

from ..lazy_regex import lazy_regex
from ._support.stages import variables_set
from .base import NO_FIX, Checker, Rule

SECRET_WORDS = frozenset({"password", "passwd", "pwd", "pword", "passphrase", "secret", "token", "apikey",
                          "credential", "credentials", "privatekey", "accesskey", "secretkey"})
SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"),
                          ("client", "secret"), ("auth", "token"), ("session", "key")})
NOT_SECRET_SUFFIXES = frozenset({"file", "path", "dir", "url", "uri", "endpoint", "host", "name", "id", "type",
                                 "header", "length", "ttl", "expiry", "expires", "env", "var", "enabled", "config"})
CREDENTIAL_VALUE = lazy_regex(
    r"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[baprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|sk_live_[0-9A-Za-z]{20,}"
    r"|-----BEGIN (?:RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----")
SECRET_FILE = lazy_regex(
    r"(?i)^(\.env(\.(?!example$|sample$|template$|dist$)[\w.-]+)?|.*\.(pem|key|p12|pfx|jks|keystore)"
    r"|id_(rsa|dsa|ecdsa|ed25519)|\.npmrc|\.netrc|\.pypirc|\.git-credentials|credentials\.json"
    r"|service[-_]account.*\.json|kubeconfig|\.dockercfg|config\.json\.secret)$")
NAME_WORD = lazy_regex(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")  # GITHUB_TOKEN, githubToken -> github, token
ADVICE = "use RUN --mount=type=secret for build secrets, the container's environment for runtime ones"


def check(checker: Checker):
    for node in checker.tree.instructions:
        if node.keyword in ("ARG", "ENV", "LABEL"):
            yield from _variables(checker, node)
        elif node.keyword in ("COPY", "ADD") and not node.flag_values("from") and len(node.values) >= 2:
            yield from _copied_files(checker, node)


def _variables(checker: Checker, node):
    for name, value in variables_set(node):
        value = value or ""
        bare = value.strip("'\"")
        empty_or_path = node.keyword == "ENV" and (not bare or bare.startswith(("/", "./", "~")))
        if node.keyword != "LABEL" and _secret_name(name) and not empty_or_path:
            yield checker.report(RULE, node, f"{node.keyword} {name} looks like a credential, and {node.keyword} "
                                             f"values stay readable in the image: {ADVICE}")
        elif value and CREDENTIAL_VALUE.search(value):
            yield checker.report(RULE, node, f"the value of {node.keyword} {name} looks like a credential, "
                                             f"written into the Dockerfile and the image: {ADVICE}")


@lru_cache(maxsize=1024)
def _secret_name(name: str) -> bool:
    words = [w.lower() for w in NAME_WORD.findall(name)]
    if not words or words[-1] in NOT_SECRET_SUFFIXES or "public" in words:
        return False
    return bool(SECRET_WORDS & set(words)) or any(pair in SECRET_PAIRS for pair in zip(words, words[1:], strict=False))


def _copied_files(checker: Checker, node):
    for source in node.values[:-1]:
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if SECRET_FILE.match(name):
            yield checker.report(RULE, node, f"{node.keyword} {source} puts a secret file in a layer of the image: "
                                             f"{ADVICE}")
        elif source in (".", "./", "/") and checker.context is not None:
            exposed = [found for found in _env_files(checker.context) if not checker.context.is_ignored(found)]
            if exposed:
                yield checker.report(RULE, node, f"{node.keyword} {source} copies {', '.join(exposed)} into the "
                                                 "image: leave it out in .dockerignore")


def _env_files(context) -> list[str]:
    return [name for name in context.root_files if SECRET_FILE.match(name)]


RULE = Rule(id="DF019", name="secrets", summary="no credentials in ARG/ENV/LABEL, no secret files in the image",
            check=check, doc=__doc__, fix_safety=NO_FIX, buildkit=("SecretsUsedInArgOrEnv",),
            severity="error", security_severity=8.0)

# dockerfix in a container, for teams without Python 3.11:
#   docker build -t dockerfix .
#   docker run --rm -v "$PWD:/src" dockerfix --check .
#   docker run --rm -v "$PWD:/src" --user "$(id -u):$(id -g)" dockerfix --write .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY fixer/ fixer/
RUN python -m venv /opt/dockerfix && /opt/dockerfix/bin/pip install --no-cache-dir --disable-pip-version-check .

FROM python:3.11-slim
COPY --from=build /opt/dockerfix /opt/dockerfix
ENV PATH=/opt/dockerfix/bin:$PATH
WORKDIR /src
USER 65534:65534
ENTRYPOINT ["dockerfix"]

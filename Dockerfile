# Tegoed in production: gunicorn serving the app, WhiteNoise its static files.
# Build: docker build -t tegoed .   Run: see compose.yaml (with PostgreSQL and the worker).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY tegoed ./tegoed
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim-bookworm
# pg_dump and pg_restore for `tegoed backup` and `tegoed restore` of a PostgreSQL database.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TEGOED_VAR_DIR=/var/lib/tegoed \
    TEGOED_STATIC_ROOT=/usr/share/tegoed/static
COPY --from=build /install /usr/local
RUN DEBUG=true tegoed collectstatic --no-input --verbosity 0 \
    && useradd --system --uid 10001 --home-dir /var/lib/tegoed tegoed \
    && mkdir -p /var/lib/tegoed /var/backups/tegoed \
    && chown tegoed /var/lib/tegoed /var/backups/tegoed
USER 10001
VOLUME /var/lib/tegoed
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4)"]
CMD ["gunicorn", "--config", "python:tegoed.gunicorn_config"]

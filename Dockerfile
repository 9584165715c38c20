# Pantau: the same install steps as `make install`, on a slim base, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PANTAU_DATABASE_URL=sqlite:////var/lib/pantau/pantau.db

RUN useradd --system --create-home --home-dir /var/lib/pantau --uid 10001 pantau

WORKDIR /opt/pantau
COPY pyproject.toml README.md ./
COPY events ./events
COPY projections ./projections
COPY notifications ./notifications
COPY service ./service
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --quiet --upgrade pip \
    && /opt/venv/bin/pip install --quiet .
ENV PATH=/opt/venv/bin:$PATH

USER pantau
WORKDIR /var/lib/pantau
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["pantau", "serve", "--host", "0.0.0.0", "--port", "8000"]

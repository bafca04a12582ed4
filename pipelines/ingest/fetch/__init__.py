"""Fetching from the web: the ingest stage's first step, writing into the same raw zone a user's
folder feeds (so everything after it cannot tell a fetched page from a saved one).

- `feeds`: the feeds file, and RSS/Atom/sitemap parsing;
- `guard`: the address guard against server-side request forgery;
- `http`: the polite HTTP client (User-Agent, robots.txt, pace per host, retries, caps);
- `store`: the raw zone (pages with sidecars, the fetch log, feed validators);
- `run`: one run over the feeds.

Submodules are imported where used: loading the Dagster definitions must not import httpx.
"""

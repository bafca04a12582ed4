"""Ingest stage: feeds -> fetched pages (`fetch/`), then article files and pages -> cleaned
`articles` rows and `rejected_inputs` rows.

Plain Python modules with no Dagster imports (the assets live in `assets.py`): `fetch` polls the
feeds and writes pages into the raw zone, `readers` walks the folders and parses each format,
`pages` reads an HTML page's main text and metadata (trafilatura), `cleaning` turns markup into
plain text, `metadata` finds titles, publication dates, URLs, language and the article id.
"""

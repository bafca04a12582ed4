"""Ingest stage: article files -> cleaned `articles` rows and `rejected_inputs` rows.

Plain Python modules with no Dagster imports (the asset lives in `assets.py`):
`readers` walks the folder and parses each format, `cleaning` turns markup into plain text,
`metadata` finds titles, publication dates, language and the article id.
"""

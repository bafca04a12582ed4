"""Per-article extraction: sentences, mentions, entities and incidents (no Dagster here)."""

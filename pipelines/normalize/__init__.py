"""Normalize stage: per-article extractions -> deduplicated entity tables and incidents."""

"""Celery settings for `celery -A dagster_celery.app worker` (dagster-celery imports a module
of this name when it is on PYTHONPATH): the broker and result backend come from the same
variables the celery executor of `extract_partitions_job` reads."""

import os

broker_url = os.getenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
result_backend = os.getenv("CELERY_RESULT_BACKEND", "redis://127.0.0.1:6379/1")
# One partition at a time per worker process: a partition is a whole file of articles.
worker_prefetch_multiplier = 1
task_acks_late = True

"""Synthetic news articles for benchmarks and scale tests, made deterministically from the
project's own articles (`seeds/articles` and a fixed list of tuning sets, `SOURCE_SETS`).

    python -m pipelines.synthetic OUT_DIR --articles 20000 [--files 10] [--seed 0]

Each article is a lead sentence and further sentences taken from the project's articles of
one language (about 170 words, like a wire story), with the numbers, weekdays and places
varied, so every body (and article id) differs while reading like news the extractor knows.
They are written as JSONL feed files, one per day (`day-01.jsonl`, ...), `--files` of them.
The same arguments always give the same files; nothing outside the repository is read.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

# A fixed list, so that a set added later does not change the corpus (benchmarks of two nights
# compare) and the held-out sets, which nobody reads, are not read here either.
SOURCE_SETS = ("calibration", "calibration2", "calibration3", "fusion", "news-en", "news-en-holdout2",
               "news-fr", "news-ht", "news-es", "news-es-fr-holdout", "news-holdout3",
               "news-holdout4", "news-dev7", "news-dev8", "news-dev9", "news-dev10", "news-dev11",
               "news-dev12", "news-dev13", "news-dev14")
SOURCES = [PROJECT_ROOT / "seeds" / "articles",
           *(PROJECT_ROOT / "seeds" / "eval" / name / "articles" for name in SOURCE_SETS)]
TARGET_WORDS = 155
FIRST_DAY = date(2025, 3, 1)
# Publication dates spread over four months: about 170 articles a day at 20,000. A larger
# archive covers more days (`days`), as a real one does, rather than denser ones.
DAYS = 120
# Share of each language among the generated articles (the others are English).
LANGUAGE_SHARE = {"fr": 0.08, "ht": 0.02}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'«“])")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?![\w.,:/-])")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")


@dataclass
class SentencePool:
    leads: list[str]
    others: list[str]
    places: list[str]


def load_pools() -> dict[str, SentencePool]:
    """Sentences of the project's articles by language: leads (first sentences) and others."""
    from datetime import datetime

    from pipelines.ingest.readers import read_articles

    pools: dict[str, SentencePool] = {}
    seen: set[str] = set()
    for folder in SOURCES:
        articles = read_articles(folder, datetime(2025, 1, 1)).articles
        for language, body in articles.select("language", "body").iter_rows():
            pool = pools.setdefault(language or "en", SentencePool([], [], []))
            sentences = [s.strip() for line in body.splitlines()
                         for s in _SENTENCE_END.split(line) if len(s.split()) >= 6]
            for index, sentence in enumerate(sentences):
                if sentence in seen:
                    continue
                seen.add(sentence)
                (pool.leads if index == 0 else pool.others).append(sentence)
    places = _place_names()
    for pool in pools.values():
        pool.places = places
    return pools


def _place_names() -> list[str]:
    import csv

    path = PROJECT_ROOT / "seeds" / "reference" / "places.csv"
    with path.open(encoding="utf-8") as handle:
        return sorted({row["name"] for row in csv.DictReader(handle)
                       if row.get("place_kind") in {"city", "locality", "neighbourhood"}})


def generate(count: int, seed: int = 0, pools: dict[str, SentencePool] | None = None,
             days: int = DAYS) -> Iterator[dict]:
    """`count` JSON records (id, title, published, language, text), always the same ones,
    published over `days` days."""
    pools = pools or load_pools()
    rng = random.Random(seed)
    languages = sorted(language for language in pools if pools[language].leads)
    for number in range(count):
        draw = rng.random()
        language, cumulative = "en", 0.0
        for candidate, share in LANGUAGE_SHARE.items():
            cumulative += share
            if draw < cumulative and candidate in languages:
                language = candidate
                break
        pool = pools[language]
        published = FIRST_DAY + timedelta(days=rng.randrange(0, days))
        place = rng.choice(pool.places)
        sentences = [_vary(rng.choice(pool.leads), rng)]
        words = len(sentences[0].split())
        others = pool.others or pool.leads
        while words < TARGET_WORDS:
            sentence = _vary(rng.choice(others), rng)
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
        body = f"{place.upper()} - " + "\n".join(paragraphs) + f"\n(ref. {seed}-{number})"
        yield {"id": f"syn-{seed}-{number:07d}", "title": sentences[0][:90],
               "published": published.isoformat(), "language": language, "text": body}


def _vary(sentence: str, rng: random.Random) -> str:
    sentence = _NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), sentence)
    return _WEEKDAY.sub(lambda m: rng.choice(_WEEKDAYS), sentence)


def write_corpus(folder: Path, count: int, files: int = 10, seed: int = 0, days: int = DAYS
                 ) -> list[Path]:
    """Write `count` articles as `files` daily JSONL files in `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-count // files)
    paths: list[Path] = []
    records = generate(count, seed, days=days)
    for day in range(files):
        path = folder / f"day-{day + 1:02d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for _, record in zip(range(per_file), records, strict=False):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=DAYS, help="days the articles are published over")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.articles, args.files, args.seed, args.days)
    print(f"{args.articles} articles in {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()

"""Check a development set's gold files before they are used (docs/dev-sets.md).

    python -m pipelines.evaluation.devset_check seeds/eval/news-en [more sets...]

Every gold file must name an existing article, use ACLED's 25 type pairs, give dates in
`YYYY-MM-DD` or `YYYY-MM`, and quote evidence that really is in the article's text. Prints one
line per problem and exits non-zero when there is any.
"""

import csv
import json
import re
import sys
from pathlib import Path

from pipelines.ingest.readers import read_front_matter
from pipelines.settings import PROJECT_ROOT

DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
INCIDENT_KEYS = {"required", "event_type", "sub_event_type", "event_date", "location",
                 "country_iso3", "fatalities", "evidence"}


def taxonomy() -> set[tuple[str, str]]:
    path = PROJECT_ROOT / "seeds" / "reference" / "acled_taxonomy.csv"
    with path.open(encoding="utf-8") as handle:
        return {(row["event_type"], row["sub_event_type"]) for row in csv.DictReader(handle)}


def article_text(path: Path) -> str:
    """The article's text as the gold quotes it: front matter and JSON wrapping removed."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return read_front_matter(raw)[1]
    if path.suffix == ".json":
        record = json.loads(raw)
        return record.get("text") or record.get("body") or ""
    return raw


def squash(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return re.sub(r"\s+", " ", text.replace("\u201d", '"')).strip()


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def check_gold(gold_path: Path, articles_dir: Path, pairs: set[tuple[str, str]]) -> list[str]:
    problems: list[str] = []

    def problem(message: str) -> None:
        problems.append(f"{gold_path}: {message}")

    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return [f"{gold_path}: invalid JSON: {error}"]
    article = articles_dir / str(gold.get("file", ""))
    if not article.is_file():
        return [f"{gold_path}: article file {gold.get('file')!r} not found in {articles_dir}"]
    text = squash(article_text(article))
    if gold.get("id") != article.stem:
        problem(f"id {gold.get('id')!r} is not the article's file stem {article.stem!r}")
    for number, incident in enumerate(gold.get("incidents", []), start=1):
        missing = INCIDENT_KEYS - set(incident)
        if missing:
            problem(f"incident {number}: missing {sorted(missing)}")
        pair = (incident.get("event_type"), incident.get("sub_event_type"))
        if pair not in pairs:
            problem(f"incident {number}: {pair} is not an ACLED type pair")
        for value in [incident.get("event_date"), *as_list(incident.get("accept_dates"))]:
            if not isinstance(value, str) or not DATE.match(value):
                problem(f"incident {number}: date {value!r} is not YYYY-MM-DD or YYYY-MM")
        fatalities = incident.get("fatalities")
        if fatalities is not None and (not isinstance(fatalities, int) or fatalities < 0):
            problem(f"incident {number}: fatalities {fatalities!r} is not a count or null")
        quotes = as_list(incident.get("evidence"))
        if not quotes:
            problem(f"incident {number}: no evidence quote")
        for quote in quotes:
            if squash(quote) not in text:
                problem(f"incident {number}: evidence not in article: {quote[:80]!r}")
    for item in gold.get("must_not", []):
        if item.get("table") == "incidents" and item.get("evidence") \
                and squash(item["evidence"]) not in text:
            problem(f"must_not evidence not in article: {item['evidence'][:80]!r}")
    for kind in ("places", "actors", "institutions"):
        for item in gold.get(kind, []):
            if not item.get("name"):
                problem(f"{kind}: an item without a name")
    return problems


def check_set(folder: Path) -> list[str]:
    pairs = taxonomy()
    articles_dir, gold_dir = folder / "articles", folder / "gold"
    problems = []
    gold_files = sorted(gold_dir.glob("*.json"))
    stems = {p.stem for p in articles_dir.iterdir() if p.is_file()} if articles_dir.is_dir() else set()
    for gold_path in gold_files:
        problems += check_gold(gold_path, articles_dir, pairs)
    for stem in sorted(stems - {p.stem for p in gold_files}):
        problems.append(f"{folder}: article {stem} has no gold file")
    return problems


def main(argv: list[str]) -> int:
    problems = [p for folder in argv for p in check_set(Path(folder))]
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s) in {', '.join(argv)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

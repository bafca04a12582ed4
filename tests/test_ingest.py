"""Ingest stage: cleaning, metadata and the folder reader (no Dagster, no warehouse)."""

import hashlib
import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest

from pipelines.contract import TABLES
from pipelines.ingest import readers
from pipelines.ingest.cleaning import (
    clean_body,
    clean_inline,
    html_to_text,
    is_caption_or_credit,
    strip_markdown,
)
from pipelines.ingest.dateline import find_dateline
from pipelines.ingest.language import detect_language, paragraph_languages
from pipelines.ingest.metadata import (
    article_id,
    canonical_url,
    date_from_path,
    date_from_url,
    infer_published,
    language_code,
    parse_date_string,
    parse_date_value,
    title_from_first_line,
)
from pipelines.ingest.readers import ARTICLE_SCHEMA, REJECTED_SCHEMA, read_articles

NOW = datetime(2025, 1, 15, 12, 0)
SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "articles"
SEED_URI = "000_9efe9992549aaecb.txt"

PARAGRAPH = (
    "Police in the Delmas 32 area of Port-au-Prince exchanged fire with gang members on "
    "Tuesday, killing two of them, a police spokesperson said."
)
SECOND_PARAGRAPH = "Residents said the shooting lasted for several hours and schools were closed."


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rejected_by_uri(result: readers.IngestResult) -> dict[str, dict]:
    return {row["source_uri"]: row for row in result.rejected.iter_rows(named=True)}


def article_by_uri(result: readers.IngestResult) -> dict[str, dict]:
    return {row["source_uri"]: row for row in result.articles.iter_rows(named=True)}


# --- schemas ------------------------------------------------------------------------------

def test_schemas_match_the_warehouse_contract():
    assert dict(ARTICLE_SCHEMA) == TABLES["articles"]
    assert dict(REJECTED_SCHEMA) == TABLES["rejected_inputs"]


def test_empty_folder_gives_empty_frames_with_every_column(tmp_path):
    result = read_articles(tmp_path, NOW)
    assert result.articles.schema == ARTICLE_SCHEMA and result.articles.height == 0
    assert result.rejected.schema == REJECTED_SCHEMA and result.rejected.height == 0
    assert result.duplicates == 0


def test_missing_root_is_a_configuration_error(tmp_path):
    with pytest.raises(NotADirectoryError):
        read_articles(tmp_path / "nope", NOW)


# --- cleaning -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "fmt", "expected"),
    [
        pytest.param("![](https://x.org/wp-content/uploads/2024/11/a.png)\nText stays.", "text",
                     "Text stays.", id="markdown-image-line"),
        pytest.param("Before ![a photo](https://x.org/a.png \"t\") after.", "text",
                     "Before after.", id="inline-image-with-title"),
        pytest.param("Read [the report](https://x.org/r_(2024)) now.", "text",
                     "Read the report now.", id="link-keeps-text"),
        pytest.param("# Heading\n\n**Bold** and *italic* text, 5 * 3 and snake_case.",
                     "markdown", "Heading\nBold and italic text, 5 * 3 and snake_case.",
                     id="markdown-emphasis"),
        pytest.param("<p>Hello <script>alert('x')</script>world.</p>", "html", "Hello world.",
                     id="html-script"),
        pytest.param("<nav><a href='/'>Home</a></nav><p>Gangs <a href='/t'>attacked</a> "
                     "the town.</p><footer>(c) Site</footer>", "html",
                     "Gangs attacked the town.", id="html-nav-footer-inline-link"),
        pytest.param("<p>One.</p><p>Two &amp; three&nbsp;&rsquo;s.</p>", "html",
                     "One.\nTwo & three 's.", id="html-paragraphs-entities"),
        pytest.param("Same line\nOther\nSame line\nSame line", "text", "Same line\nOther",
                     id="repeated-lines"),
        pytest.param("Text here.\nhttps://example.org/2024/01/story\n<www.example.org>\nEnd.",
                     "text", "Text here.\nEnd.", id="url-only-lines"),
        pytest.param("\u2018Barbecue\u2019 said \u201cno\u201d \u2014 it\u2019s over",
                     "text", "'Barbecue' said \"no\" \u2014 it's over", id="quotes-dash-kept"),
        pytest.param("a\u00a0b\u202fc  d\t e\u200b", "text", "a b c d e", id="spaces"),
        pytest.param("Cap-Hai\u0308tien", "text", "Cap-Ha\u00eftien", id="nfc"),
        pytest.param("Line one\r\n\r\n\r\n  Line two  ", "text", "Line one\nLine two",
                     id="paragraph-breaks"),
        pytest.param("Feed text with <p>html</p> inside<br>it", "text",
                     "Feed text with\nhtml\ninside\nit", id="html-inside-text"),
        pytest.param("Traders protested in Accra.\n\nREAD MORE: Gunmen kill 12 in Zamfara raid\n\n"
                     "The assembly will meet them.", "text",
                     "Traders protested in Accra.\nThe assembly will meet them.",
                     id="promotion-line-in-text"),
        pytest.param("Troops retook the town.\n\n**Also read:** [Four soldiers killed in "
                     "ambush](https://x.org/a)\n\nThe army said so.", "markdown",
                     "Troops retook the town.\nThe army said so.", id="promotion-line-in-markdown"),
        pytest.param("Related: the police said the attackers came from the hills, and a second "
                     "group had crossed the river the night before. " * 3, "text",
                     ("Related: the police said the attackers came from the hills, and a second "
                      "group had crossed the river the night before. " * 3).strip(),
                     id="long-paragraph-starting-with-a-label-kept"),
    ],
)
def test_clean_body(raw, fmt, expected):
    assert clean_body(raw, fmt) == expected


@pytest.mark.parametrize(("line", "caption"), [
    ("FILE PHOTO: Soldiers patrol in Gwoza after an attack killed 30 people, March 12, 2023. "
     "REUTERS/Jane Roe/File Photo", True),
    ("Police stand guard in Port-au-Prince, Haiti, March 3, 2025. REUTERS/John Doe", True),
    ("Residents flee their homes in Kenscoff on Monday. (AP Photo/Ann Smith)", True),
    ("A protester throws a stone in Nairobi. AFP via Getty Images", True),
    ("(Reporting by Ann Smith; Writing by Bob Jones; Editing by Carl Brown)", True),
    ("Photo d'archive : des policiers patrouillent à Port-au-Prince.", True),
    ("Support for the president fell to 38%, according to a Reuters/Ipsos poll.", False),
    ("Gunmen killed 12 people in Zamfara on Monday, police said.", False),
])
def test_is_caption_or_credit(line, caption):
    assert is_caption_or_credit(line) is caption


def test_html_keeps_sentences_whole_and_prefers_the_article_element():
    page = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<header><h1>Site</h1></header><aside>Related: old story</aside>"
        "<article><p>Officers <em>arrested</em> <a href='/x'>three men</a> in Tabarre.</p>"
        "</article></body></html>"
    )
    assert html_to_text(page).strip() == "Officers arrested three men in Tabarre."


def test_strip_markdown_full_only_for_markdown_files():
    text = "# Not a heading in plain text\n**kept**"
    assert strip_markdown(text) == text
    assert strip_markdown(text, full=True) == "Not a heading in plain text\nkept"


def test_clean_inline_makes_one_line():
    assert clean_inline("  Gang\n attack \u2019here\u2019 ") == "Gang attack 'here'"


# --- metadata -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-03", (date(2024, 3, 3), "day")),
        ("March 3, 2024", (date(2024, 3, 3), "day")),
        ("3 March 2024", (date(2024, 3, 3), "day")),
        ("Tue, 05 Nov 2024 10:00:00 GMT", (date(2024, 11, 5), "day")),
        ("2024-11-05T23:30:00-05:00", (date(2024, 11, 5), "day")),  # local date, not UTC
        ("21/08/2024", (date(2024, 8, 21), "day")),
        ("2024-03", (date(2024, 3, 1), "month")),
        ("March 2024", (date(2024, 3, 1), "month")),
        ("2024", (date(2024, 1, 1), "year")),
        ("3 March", (None, "unknown")),  # no year: not ingest's guess to make
        ("last week", (None, "unknown")),
        ("", (None, "unknown")),
        ("1850-06-01", (None, "unknown")),
        ("2031-01-01", (None, "unknown")),  # after now
        ("2025-01-16", (None, "unknown")),  # tomorrow
    ],
)
def test_parse_date_string(text, expected):
    assert parse_date_string(text, NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 3, 3), (date(2024, 3, 3), "day")),
        (datetime(2024, 3, 3, 22, 0), (date(2024, 3, 3), "day")),
        (2023, (date(2023, 1, 1), "year")),
        (1_700_000_000, (date(2023, 11, 14), "day")),
        (1_700_000_000_000, (date(2023, 11, 14), "day")),
        (None, (None, "unknown")),
        (True, (None, "unknown")),
        ({"when": "2024"}, (None, "unknown")),
    ],
)
def test_parse_date_value(value, expected):
    assert parse_date_value(value, NOW) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://citymirror.ke/wp-content/uploads/2024/11/image-253.png",
         (date(2024, 11, 1), "month")),
        ("https://news.example/2024/11/05/story/", (date(2024, 11, 5), "day")),
        ("https://news.example/2024/11/05", (date(2024, 11, 5), "day")),
        ("https://news.example/2024/02/31/bad-day/", (date(2024, 2, 1), "month")),
        ("https://news.example/2024/1234-slug", (None, "unknown")),
        ("https://news.example/2031/01/story/", (None, "unknown")),
        ("https://news.example/story", (None, "unknown")),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url, NOW) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("2024/report.txt", (date(2024, 1, 1), "year")),
        ("2024/06/report.txt", (date(2024, 6, 1), "month")),
        ("archive/2024-06-07-report.md", (date(2024, 6, 7), "day")),
        ("reports/report-1234.txt", (None, "unknown")),
    ],
)
def test_date_from_path(path, expected):
    assert date_from_path(path, NOW) == expected


def test_infer_published_prefers_explicit_then_urls_then_path():
    url = "https://x.org/uploads/2024/11/a.png"
    assert infer_published(["3 March 2024"], [url], "2023/a.txt", NOW) == (
        date(2024, 3, 3), "day")
    # A future or unparseable explicit date is ignored, the URL is used instead.
    assert infer_published(["2030-01-01", "soon"], [url], "2023/a.txt", NOW) == (
        date(2024, 11, 1), "month")
    assert infer_published([], ["https://x.org/about"], "2023/a.txt", NOW) == (
        date(2023, 1, 1), "year")
    assert infer_published([], [], "a.txt", NOW) == (None, "unknown")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Gang attack in Delmas\n" + PARAGRAPH, "Gang attack in Delmas"),
        (PARAGRAPH + "\n" + SECOND_PARAGRAPH, None),  # first line ends with a period
        ("Gang attack in Delmas", None),  # nothing after it: the body is not its own title
        ("x" * 160 + "\n" + PARAGRAPH, None),
    ],
)
def test_title_from_first_line(body, expected):
    assert title_from_first_line(body) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PARAGRAPH, "en"),
        ("La police a dispersé mardi les manifestants à coups de gaz lacrymogène.", "fr"),
        ("Bandi yo atake komisarya Liancourt la jedi swa, yo touye de polisye.", "ht"),
        ("Pistoleros asesinaron a doce personas en un bar de Morelia el sábado.", "es"),
        ("Polis walitumia gesi ya kutoa machozi kuwatawanya waandamanaji jijini.", "sw"),
        ("Gunmen killed 12 people in Dansadau, Zamfara state, on Tuesday, police said.", "en"),
        ("Too short", "und"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_the_language_identifier_reads_an_uncompressed_copy_of_its_model(tmp_path, monkeypatch):
    """The bundled model is decompressed once into the cache folder; the copy gives the same
    arrays, and an identifier built from it the same answers, as py3langid's own loader."""
    import numpy as np
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_identifier

    from pipelines.ingest import language

    monkeypatch.setenv("NEWS_INCIDENTS_CACHE", str(tmp_path))
    language._identifier.cache_clear()
    try:
        first = language._model()
        assert [p.name.startswith("langid-") for p in tmp_path.iterdir()] == [True]
        bundled = modelio.load_model(MODEL_DIR / MODEL_FILE)
        for ours, theirs in zip(language._model(), bundled, strict=True):
            assert np.array_equal(np.asarray(ours), np.asarray(theirs))
        assert all(np.array_equal(np.asarray(a), np.asarray(b))
                   for a, b in zip(first, bundled, strict=True))
        theirs = _load_identifier(norm_probs=True, langs=list(language.NEWS_LANGUAGES))
        for text in ("Les commerçants ont fermé boutique après une nuit agitée dans le quartier.",
                     "Moun yo te kouri kite katye a apre yon lannwit ki te cho anpil.",
                     "Los vecinos marcharon hasta la alcaldía para pedir más alumbrado.",
                     "Farmers in the valley said the new road had cut their travel time."):
            assert language._identifier().classify(text) == theirs.classify(text)
    finally:
        language._identifier.cache_clear()


def test_plainly_english_paragraphs_skip_the_identifier_and_get_what_it_would_say():
    """The English-words shortcut says English only where the identifier would: checked on
    every paragraph of four languages' development sets; and it leaves most English ones to
    itself (what makes it worth having)."""
    from pipelines.ingest.language import _identifier, plainly_english
    from pipelines.settings import PROJECT_ROOT

    said, english = 0, 0
    for folder in ("news-en", "news-fr", "news-ht", "news-es"):
        for path in sorted((PROJECT_ROOT / "seeds" / "eval" / folder / "articles").iterdir()):
            text = path.read_text(encoding="utf-8")
            for paragraph in text.replace("\\n", "\n").split("\n"):
                if len(paragraph) < 40:
                    continue
                identified = _identifier().classify(paragraph)[0]
                english += identified == "en"
                if plainly_english(paragraph):
                    said += 1
                    assert identified == "en", paragraph
    assert said > 0.6 * english
    assert not plainly_english("Bandi yo te tire sou machin nan, yo touye de moun ak twa blese.")
    assert not plainly_english("La police a tiré sur les manifestants et a arrêté trois personnes.")


def test_a_mixed_article_gets_the_language_of_most_of_its_text():
    french = "La police a dispersé mardi les manifestants à coups de gaz lacrymogène devant le palais."
    creole = "Polis la tire gaz lakrimojèn sou moun ki t ap manifeste yo devan palè a."
    text = "\n".join([french, french, creole])
    assert detect_language(text) == "fr"
    assert [p.language for p in paragraph_languages(text)] == ["fr", "fr", "ht"]


DATELINES = [
    ("KANO, Nigeria, March 14 (Reuters) - Gunmen killed at least 12 people in Zamfara.",
     "KANO", "Reuters"),
    ("PORT-AU-PRINCE, Haiti — Gangs attacked the Solino neighbourhood overnight, residents said.",
     "PORT-AU-PRINCE", None),
    ("Lagos: Gunmen have abducted 20 passengers along the Kaduna-Abuja road, police said.",
     "Lagos", None),
    ("Port-au-Prince, le 14 mars 2025 – (AlterPresse) – Des bandits armés ont attaqué Kenscoff.",
     "Port-au-Prince", "AlterPresse"),
    ("Headline of the story\nMOGADISHU (AP) — A suicide bomber struck a restaurant on Friday.",
     "MOGADISHU", "AP"),
    ("Bukavu / Geneva, 12 March 2024 — Medical teams have treated 38 women in South Kivu.",
     "Bukavu / Geneva", None),
    ("TORREÓN, Coahuila, 3 de junio de 2025.- Un comerciante fue asesinado en el centro.",
     "TORREÓN", None),
    ("LA CEIBA. Dos hombres murieron anoche en un ataque armado en la colonia El Sauce.",
     "LA CEIBA", None),
    ("Police said. Two men died overnight in an armed attack on the El Sauce estate.", None, None),
    ("Gunmen killed 12 people in Zamfara state on Tuesday, police said.", None, None),
    ("Police said - on Monday - that twelve people died in the attack on the market.", None, None),
    # a town of two words or more in title case, then a dash: the local spelling as a dateline
    ("Bahir Dar – Three traders were shot dead near the bus station on Monday evening.",
     "Bahir Dar", None),
    ("Cap-Haïtien - Unknown men set fire to two trucks at the port overnight.", "Cap-Haïtien",
     None),
    ("Update - twelve people died in the attack on the market on Monday evening.", None, None),
]


@pytest.mark.parametrize(("body", "place", "agency"), DATELINES)
def test_find_dateline(body, place, agency):
    found = find_dateline(body)
    assert (found.place if found else None, found.agency if found else None) == (place, agency)
    if found:
        assert body[found.end:found.end + 1].strip()  # the report starts right after it


def test_article_id_is_a_sha256_prefix():
    assert article_id("abc") == hashlib.sha256(b"abc").hexdigest()[:16]


# --- read_articles: formats ---------------------------------------------------------------

def test_markdown_front_matter(tmp_path):
    write(tmp_path, "a.md", (
        "---\ntitle: \u201cGangs\u201d attack Delmas\ndate: 2024-03-05\n"
        "url: https://x.org/2023/01/02/a/\n---\n\n# Heading\n\n" + PARAGRAPH + "\n"
    ))
    row = article_by_uri(read_articles(tmp_path, NOW))["a.md"]
    assert row["title"] == '"Gangs" attack Delmas'
    assert (row["published_date"], row["published_precision"]) == (date(2024, 3, 5), "day")
    assert row["body"] == "Heading\n" + PARAGRAPH
    assert row["external_id"] == "a" and row["language"] == "en"


def test_markdown_front_matter_with_a_colon_in_a_value(tmp_path):
    # Not valid YAML ("mapping values are not allowed here"), but what people and CMS exports
    # write: read as plain `key: value` lines rather than quarantined.
    write(tmp_path, "a.md", "---\ntitle: Kivu: rebels seize Minova port\ndate: 2024-08-09\n"
          "outlet: Radio Okapi\n---\n\n" + PARAGRAPH + "\n")
    write(tmp_path, "b.md", "---\ntitle: Kivu: rebels\n- a list item\n---\n\n" + PARAGRAPH)
    result = read_articles(tmp_path, NOW)
    row = article_by_uri(result)["a.md"]
    assert row["title"] == "Kivu: rebels seize Minova port"
    assert (row["published_date"], row["published_precision"]) == (date(2024, 8, 9), "day")
    assert row["outlet"] == "Radio Okapi" and row["body"] == PARAGRAPH
    assert dict(result.rejected.select("source_uri", "reason").iter_rows()) == {
        "b.md": "invalid_front_matter"}


def test_markdown_without_front_matter_uses_heading_and_url(tmp_path):
    write(tmp_path, "b.markdown", "# Gangs attack Delmas\n\nSource: "
          "[Wire](https://wire.example/2024/06/11/delmas/)\n\n" + PARAGRAPH)
    row = article_by_uri(read_articles(tmp_path, NOW))["b.markdown"]
    assert row["title"] == "Gangs attack Delmas"
    assert (row["published_date"], row["published_precision"]) == (date(2024, 6, 11), "day")
    assert "wire.example" not in row["body"] and "Source: Wire" in row["body"]


def test_html_file(tmp_path):
    write(tmp_path, "page.htm", (
        "<html><head><title>Clash in Delmas</title><script>var x = 'tracking';</script>"
        "<meta name='pubdate' content='March 4, 2024'></head><body>"
        "<nav>Home | World | Sport</nav><article><p>" + PARAGRAPH + "</p><p>"
        + SECOND_PARAGRAPH + "</p></article><footer>Copyright</footer></body></html>"
    ))
    row = article_by_uri(read_articles(tmp_path, NOW))["page.htm"]
    assert row["title"] == "Clash in Delmas"
    assert (row["published_date"], row["published_precision"]) == (date(2024, 3, 4), "day")
    assert row["body"] == PARAGRAPH + "\n" + SECOND_PARAGRAPH


def test_json_single_object_with_case_insensitive_keys(tmp_path):
    write(tmp_path, "one.json", json.dumps({
        "ID": 42, "Headline": "Kidnapping in Kaduna", "pubDate": "2024-03",
        "Link": "https://x.org/2023/05/06/k/", "Content": "<p>" + PARAGRAPH + "</p>",
    }))
    result = read_articles(tmp_path, NOW)
    row = article_by_uri(result)["one.json"]
    assert row["external_id"] == "42" and row["title"] == "Kidnapping in Kaduna"
    assert (row["published_date"], row["published_precision"]) == (date(2024, 3, 1), "month")
    assert row["body"] == PARAGRAPH


def test_json_list_of_records(tmp_path):
    write(tmp_path, "list.json", json.dumps([
        {"id": "a1", "body": PARAGRAPH},
        {"body": SECOND_PARAGRAPH},
        "not a record",
        {"id": "a4", "title": "No text here"},
    ]))
    result = read_articles(tmp_path, NOW)
    assert set(article_by_uri(result)) == {"list.json#a1", "list.json#item-2"}
    assert article_by_uri(result)["list.json#item-2"]["external_id"] == "list"
    rejected = rejected_by_uri(result)
    assert rejected["list.json#item-3"]["reason"] == "invalid_json"
    assert rejected["list.json#a4"]["reason"] == "no_text"


def test_jsonl_bad_line_is_rejected_alone(tmp_path):
    lines = [
        json.dumps({"id": "r1", "title": "One", "url": "https://x.org/2024/02/01/one/",
                    "published": "2024-02-01", "text": PARAGRAPH}),
        '{"id": "r2", "title": "Broken", "text": "unterminated}',
        "",
        json.dumps({"title": "No id", "text": SECOND_PARAGRAPH}),
        json.dumps({"id": "r5", "title": "Empty", "text": "   "}),
        json.dumps({"id": "r6", "text": "Too short."}),
        json.dumps(["a", "list"]),
    ]
    write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = read_articles(tmp_path, NOW)

    articles = article_by_uri(result)
    assert set(articles) == {"feed.jsonl#r1", "feed.jsonl#line-4"}
    assert articles["feed.jsonl#r1"]["external_id"] == "r1"
    assert articles["feed.jsonl#line-4"]["external_id"] == "feed"

    rejected = rejected_by_uri(result)
    bad = rejected["feed.jsonl#line-2"]
    assert bad["reason"] == "invalid_json"
    assert "line 2" in bad["detail"] and "column" in bad["detail"]
    assert bad["size_bytes"] == len(lines[1].encode())
    assert rejected["feed.jsonl#r5"]["reason"] == "no_text"
    assert "'text' is empty" in rejected["feed.jsonl#r5"]["detail"]
    assert rejected["feed.jsonl#r6"]["reason"] == "too_short"
    assert rejected["feed.jsonl#line-7"]["reason"] == "invalid_json"


def test_jsonl_repeated_id_falls_back_to_line_number(tmp_path):
    write(tmp_path, "feed.jsonl", "\n".join([
        json.dumps({"id": "x", "text": PARAGRAPH}),
        json.dumps({"id": "x", "text": SECOND_PARAGRAPH}),
    ]))
    assert set(article_by_uri(read_articles(tmp_path, NOW))) == {
        "feed.jsonl#x", "feed.jsonl#line-2"}


def test_encodings(tmp_path):
    write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps({"text": PARAGRAPH}).encode())
    write(tmp_path, "latin.txt", ("Caf\u00e9 owners in P\u00e9tion-Ville said " + PARAGRAPH)
          .encode("cp1252"))
    result = read_articles(tmp_path, NOW)
    assert result.rejected.height == 0
    assert article_by_uri(result)["latin.txt"]["body"].startswith("Caf\u00e9 owners in P\u00e9tion")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"%PDF-1.7 binary", "unsupported_format"),
        ("README", "no suffix, though long enough to be an article", "unsupported_format"),
        ("empty.txt", b"", "empty"),
        ("blank.md", "  \n\t\n  ", "empty"),
        ("bad.json", '{"id": 1, "text": "x",}', "invalid_json"),
        ("scalar.json", "42", "invalid_json"),
        ("none.json", "[]", "empty"),
        ("blank.jsonl", "\n\n", "empty"),
        ("notext.json", json.dumps({"id": 1, "title": "Only a title"}), "no_text"),
        ("binary.txt", b"\x81\x8d\x8f\x90\x9d" * 20, "undecodable"),
        ("nul.txt", b"A\x00B\x00C\x00" * 20, "undecodable"),
        ("short.txt", "Gang attack.", "too_short"),
        ("markup-only.html", "<html><script>x()</script><p> </p></html>", "no_article_body"),
        ("frontmatter.md", "---\ntitle: [unclosed\n---\n" + PARAGRAPH, "invalid_front_matter"),
    ],
)
def test_rejected_reasons(tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    result = read_articles(tmp_path, NOW)
    assert result.articles.height == 0
    row = result.rejected.row(0, named=True)
    assert result.rejected.height == 1
    assert (row["source_uri"], row["reason"]) == (name, reason)
    assert row["detail"]
    assert row["size_bytes"] == path.stat().st_size
    assert row["detected_at"] == NOW


def test_invalid_json_detail_has_message_and_line(tmp_path):
    write(tmp_path, "bad.json", '{\n  "id": 1,\n  "text": oops\n}')
    detail = read_articles(tmp_path, NOW).rejected["detail"][0]
    assert "Expecting value" in detail and "line 3" in detail


def test_too_large(tmp_path):
    write(tmp_path, "big.txt", PARAGRAPH * 3)
    row = read_articles(tmp_path, NOW, max_record_bytes=100).rejected.row(0, named=True)
    assert row["reason"] == "too_large" and row["size_bytes"] == len(PARAGRAPH) * 3


def test_hidden_files_and_folders_are_skipped(tmp_path):
    write(tmp_path, ".DS_Store", b"\x00\x01")
    write(tmp_path, ".git/objects/a.txt", PARAGRAPH)
    write(tmp_path, "sub/.draft.txt", PARAGRAPH)
    write(tmp_path, "sub/visible.txt", PARAGRAPH)
    result = read_articles(tmp_path, NOW)
    assert result.articles["source_uri"].to_list() == ["sub/visible.txt"]
    assert result.rejected.height == 0


def test_garbage_never_raises(tmp_path):
    write(tmp_path, "a.html", "<<<>>><div><p>unclosed <b>" + PARAGRAPH)
    write(tmp_path, "b.md", "---\n- just\n- a list\n---\n" + PARAGRAPH)
    write(tmp_path, "c.json", json.dumps({"text": ["para one is long enough to be text " * 2,
                                                    7, None], "published": {"x": 1}}))
    write(tmp_path, "d.jsonl", "\ufeff" + json.dumps({"text": SECOND_PARAGRAPH}) + "\n{\n")
    write(tmp_path, "e.txt", bytes(range(256)))
    result = read_articles(tmp_path, NOW)
    assert result.articles["source_uri"].to_list() == [
        "a.html", "b.md", "c.json", "d.jsonl#line-1"]
    assert result.articles["published_precision"].to_list() == ["unknown"] * 4
    assert dict(result.rejected.select("source_uri", "reason").iter_rows()) == {
        "d.jsonl#line-2": "invalid_json", "e.txt": "undecodable"}


# --- read_articles: ids, dedup, folders ---------------------------------------------------

def test_same_article_in_two_formats_is_kept_once(tmp_path):
    write(tmp_path, "b_copy.json", json.dumps({"id": "w-1", "text": PARAGRAPH}))
    write(tmp_path, "a_original.html", f"<html><body><p>{PARAGRAPH}</p></body></html>")
    write(tmp_path, "c_other.txt", SECOND_PARAGRAPH)
    result = read_articles(tmp_path, NOW)
    assert result.duplicates == 1
    assert result.articles["source_uri"].to_list() == ["a_original.html", "c_other.txt"]
    assert result.articles["article_id"].n_unique() == 2
    assert result.rejected.height == 0  # a duplicate is not a rejection


def test_ids_are_stable_across_runs_and_machines(tmp_path):
    first_root = tmp_path / "machine_a" / "articles"
    write(first_root, "x/2024/one.txt", PARAGRAPH)
    write(first_root, "feed.jsonl", json.dumps({"id": "k", "text": SECOND_PARAGRAPH}))
    second_root = tmp_path / "elsewhere" / "copy"
    shutil.copytree(first_root, second_root)

    first = read_articles(first_root, NOW)
    again = read_articles(first_root, NOW + timedelta(days=1))
    moved = read_articles(second_root, NOW)
    columns = ["article_id", "source_uri", "external_id", "body", "published_date"]
    assert first.articles.select(columns).equals(again.articles.select(columns))
    assert first.articles.select(columns).equals(moved.articles.select(columns))
    assert first.articles["source_uri"].to_list() == ["feed.jsonl#k", "x/2024/one.txt"]
    assert first.articles["article_id"].to_list() == [
        hashlib.sha256(SECOND_PARAGRAPH.encode()).hexdigest()[:16],
        hashlib.sha256(PARAGRAPH.encode()).hexdigest()[:16],
    ]


def test_nested_folders(tmp_path):
    write(tmp_path, "2023/haiti/report.txt", PARAGRAPH)
    write(tmp_path, "2024/05/20/kenya.txt", SECOND_PARAGRAPH)
    rows = article_by_uri(read_articles(tmp_path, NOW))
    assert (rows["2023/haiti/report.txt"]["published_date"],
            rows["2023/haiti/report.txt"]["published_precision"]) == (date(2023, 1, 1), "year")
    assert rows["2023/haiti/report.txt"]["external_id"] == "report"
    assert rows["2024/05/20/kenya.txt"]["published_date"] == date(2024, 5, 20)


def test_aware_now_is_stored_as_naive_utc(tmp_path):
    write(tmp_path, "a.txt", PARAGRAPH)
    now = datetime(2025, 1, 15, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    result = read_articles(tmp_path, now)
    assert result.articles["ingested_at"][0] == datetime(2025, 1, 15, 12, 0)
    assert result.articles.schema == ARTICLE_SCHEMA
    assert now.astimezone(UTC).replace(tzinfo=None) == NOW


# --- the project's sample articles --------------------------------------------------------

def test_seed_articles():
    result = read_articles(SEEDS, NOW)
    assert result.rejected.height == 0 and result.duplicates == 0
    rows = article_by_uri(result)
    seed = rows[SEED_URI]
    assert (seed["published_date"], seed["published_precision"]) == (date(2024, 11, 1), "month")
    assert "Delmas two and six" in seed["body"]
    assert "wp-content" not in seed["body"] and "![" not in seed["body"]
    assert "Jimmy 'Barbecue' Cherizier" in seed["body"]  # curly quotes straightened
    assert seed["external_id"] == "000_9efe9992549aaecb" and seed["language"] == "en"
    assert seed["article_id"] == hashlib.sha256(seed["body"].encode()).hexdigest()[:16]

    assert len(rows) >= 6
    assert {uri.rsplit(".", 1)[-1].split("#")[0] for uri in rows} >= {
        "txt", "md", "html", "json", "jsonl"}
    assert any("/" in uri for uri in rows)  # a nested sample
    assert result.articles.filter(pl.col("published_precision") == "unknown").height == 0
    assert set(result.articles["language"]) == {"en", "fr"}


# --- pages: sidecars, versions, outlets ---------------------------------------------------

def news_page(body: str, canonical: str = "https://wire.example/2024/06/11/delmas/") -> str:
    return (f"<html><head><title>Clash in Delmas | Wire</title>"
            f"<link rel='canonical' href='{canonical}'></head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>Clash in Delmas</h1>{body}</article></body></html>")


def test_a_sidecar_gives_the_page_its_metadata_and_is_not_an_article(tmp_path):
    write(tmp_path, "p.html", news_page(f"<p>{PARAGRAPH}</p><p>{SECOND_PARAGRAPH}</p>"))
    write(tmp_path, "p.html.meta.json", json.dumps({
        "id": "urn:wire:1", "title": "Two killed in Delmas", "url": "https://wire.example/a?x=1",
        "published": "Tue, 11 Jun 2024 22:30:00 -0400", "outlet": "Wire", "language": "fr",
        "author": "J. Doe", "fetched_at": "2024-06-12T03:00:00"}))
    result = read_articles(tmp_path, NOW)
    assert result.rejected.height == 0 and result.articles.height == 1
    row = result.articles.row(0, named=True)
    assert (row["source_uri"], row["external_id"], row["title"]) == (
        "p.html", "urn:wire:1", "Two killed in Delmas")
    assert (row["published_date"], row["published_precision"]) == (date(2024, 6, 11), "day")
    assert (row["url"], row["canonical_url"]) == (
        "https://wire.example/a?x=1", "https://wire.example/2024/06/11/delmas/")
    assert (row["outlet"], row["language"], row["author"]) == ("Wire", "fr", "J. Doe")
    assert row["fetched_at"] == datetime(2024, 6, 12, 3, 0)
    assert row["body"] == PARAGRAPH + "\n" + SECOND_PARAGRAPH


def test_a_broken_sidecar_rejects_its_page(tmp_path):
    write(tmp_path, "p.html", news_page(f"<p>{PARAGRAPH}</p>"))
    write(tmp_path, "p.html.meta.json", "{not json")
    assert rejected_by_uri(read_articles(tmp_path, NOW))["p.html"]["reason"] == "invalid_json"


def test_a_meta_json_without_its_page_is_an_ordinary_json_file(tmp_path):
    write(tmp_path, "lonely.meta.json", json.dumps({"text": PARAGRAPH}))
    assert list(article_by_uri(read_articles(tmp_path, NOW))) == ["lonely.meta.json"]


def test_pages_with_one_canonical_url_and_different_text_are_versions(tmp_path):
    first = f"<p>{PARAGRAPH}</p>"
    corrected = f"<p>{PARAGRAPH.replace('two of them', 'three of them')}</p>"
    for name, body, fetched in (("v2.html", corrected, "2024-06-12T09:00:00"),
                                ("v1.html", first, "2024-06-12T03:00:00"),
                                ("same.html", first, "2024-06-12T10:00:00")):
        write(tmp_path / "fetched", name, news_page(body))
        write(tmp_path / "fetched", name + ".meta.json", json.dumps({"fetched_at": fetched}))
    write(tmp_path / "articles", "other.html", news_page(
        f"<p>{SECOND_PARAGRAPH}</p>", canonical="https://wire.example/other"))
    result = read_articles(tmp_path / "articles", NOW, fetched_pages=tmp_path / "fetched")
    rows = article_by_uri(result)
    assert result.duplicates == 1  # same.html repeats v1.html word for word
    assert {uri: row["version"] for uri, row in rows.items()} == {
        "fetched/v1.html": 1, "fetched/v2.html": 2, "other.html": 1}
    assert "three of them" in rows["fetched/v2.html"]["body"]


def test_outlet_is_the_record_field_else_the_site_name_else_the_domain(tmp_path):
    write(tmp_path, "a.json", json.dumps({"text": PARAGRAPH, "outlet": "Radio Kiskeya",
                                          "url": "https://radiokiskeya.example/x"}))
    write(tmp_path, "b.json", json.dumps({"text": SECOND_PARAGRAPH,
                                          "url": "https://www.lenouvelliste.example/x"}))
    write(tmp_path, "c.txt", PARAGRAPH + " Again.")
    rows = article_by_uri(read_articles(tmp_path, NOW))
    assert [rows[uri]["outlet"] for uri in ("a.json", "b.json", "c.txt")] == [
        "Radio Kiskeya", "lenouvelliste.example", None]
    assert rows["b.json"]["canonical_url"] == "https://www.lenouvelliste.example/x"


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Wire.example:443/a/b?utm_source=rss&id=3&fbclid=x#top",
     "https://www.wire.example/a/b?id=3"),
    ("http://wire.example", "http://wire.example/"),
    ("http://wire.example:8080/a", "http://wire.example:8080/a"),
    ("ftp://wire.example/a", None), ("not a url", None), (None, None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("en", "en"), ("EN-us", "en"), ("fr_FR", "fr"), ("ht", "ht"), ("English", None), ("", None),
    (None, None), (3, None),
])
def test_language_code(value, expected):
    assert language_code(value) == expected


# --- containment: nothing outside the folder is read --------------------------------------

def test_symlink_to_a_file_outside_the_folder_is_rejected_unread(tmp_path):
    root, outside = tmp_path / "articles", tmp_path / "outside"
    write(outside, "secret.txt", "TOP SECRET " + PARAGRAPH)
    write(root, "real.txt", PARAGRAPH)
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    result = read_articles(root, NOW)
    assert result.articles["source_uri"].to_list() == ["real.txt"]
    assert not result.articles["body"].str.contains("SECRET|root:").any()
    rejected = rejected_by_uri(result)
    assert rejected["leak.txt"]["reason"] == "outside_folder"
    assert rejected["passwd.txt"]["reason"] == "outside_folder"
    assert "/etc/passwd" in rejected["passwd.txt"]["detail"]


def test_symlinked_folder_outside_is_rejected_and_one_inside_is_read_once(tmp_path):
    root, outside = tmp_path / "articles", tmp_path / "outside"
    write(outside, "other.txt", SECOND_PARAGRAPH)
    write(root, "2024/real.txt", PARAGRAPH)
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "alias").symlink_to(root / "2024", target_is_directory=True)
    (root / "copy.txt").symlink_to(root / "2024" / "real.txt")
    result = read_articles(root, NOW)
    assert result.articles["source_uri"].to_list() == ["2024/real.txt"]
    assert result.duplicates == 1  # copy.txt: a link inside the folder is followed
    assert dict(result.rejected.select("source_uri", "reason").iter_rows()) == {
        "elsewhere": "outside_folder"}


def test_fifo_socket_and_broken_link_are_rejected_without_blocking(tmp_path):
    import socket

    write(tmp_path, "real.txt", PARAGRAPH)
    os.mkfifo(tmp_path / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.jsonl"))
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    try:
        result = read_articles(tmp_path, NOW)  # opening the FIFO would block forever
    finally:
        server.close()
    assert result.articles["source_uri"].to_list() == ["real.txt"]
    rejected = rejected_by_uri(result)
    assert rejected["pipe.txt"]["reason"] == "not_a_regular_file"
    assert "FIFO" in rejected["pipe.txt"]["detail"]
    assert rejected["sock.jsonl"]["reason"] == "not_a_regular_file"
    assert rejected["gone.md"]["reason"] == "unreadable"


def test_link_to_a_device_is_rejected(tmp_path):
    write(tmp_path, "real.txt", PARAGRAPH)
    root = tmp_path / "articles"
    root.mkdir()
    (root / "zero.txt").symlink_to("/dev/zero")  # outside: never opened
    (tmp_path / "real.txt").rename(root / "real.txt")
    result = read_articles(root, NOW)
    assert rejected_by_uri(result)["zero.txt"]["reason"] == "outside_folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_and_folder(tmp_path):
    write(tmp_path, "locked.txt", PARAGRAPH).chmod(0)
    write(tmp_path, "closed/inner.txt", SECOND_PARAGRAPH)
    (tmp_path / "closed").chmod(0)
    try:
        result = read_articles(tmp_path, NOW)
    finally:
        (tmp_path / "closed").chmod(0o755)
    rejected = rejected_by_uri(result)
    assert rejected["locked.txt"]["reason"] == "unreadable"
    assert rejected["closed"]["reason"] == "unreadable"


# --- streaming: records of any file size, one bad record rejected alone --------------------

def test_jsonl_oversized_line_is_rejected_alone(tmp_path):
    lines = [json.dumps({"id": "a", "text": PARAGRAPH}),
             json.dumps({"id": "huge", "text": "word " * 5000}),
             json.dumps({"id": "c", "text": SECOND_PARAGRAPH})]
    write(tmp_path, "feed.jsonl", "\n".join(lines))  # no final newline
    result = read_articles(tmp_path, NOW, max_record_bytes=4096)
    assert set(article_by_uri(result)) == {"feed.jsonl#a", "feed.jsonl#c"}
    row = rejected_by_uri(result)["feed.jsonl#line-2"]
    assert row["reason"] == "too_large" and row["size_bytes"] == len(lines[1])
    assert "line 2" in row["detail"]


def test_jsonl_line_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    record = json.dumps({"id": "x", "text": PARAGRAPH})
    write(tmp_path, "a.jsonl", record + "\n")
    assert read_articles(tmp_path, NOW, max_record_bytes=len(record)).articles.height == 1
    assert read_articles(tmp_path, NOW, max_record_bytes=len(record) - 1).articles.height == 0


def test_jsonl_larger_than_the_record_limit_is_read_whole(tmp_path):
    records = [{"id": f"r{i}", "text": f"Report {i}: " + PARAGRAPH} for i in range(300)]
    write(tmp_path, "feed.jsonl", "\n".join(json.dumps(r) for r in records))
    result = read_articles(tmp_path, NOW, max_record_bytes=1024)
    assert result.articles.height == 300 and result.rejected.height == 0


def test_large_json_list_is_streamed_item_by_item(tmp_path):
    items = [{"id": f"r{i}", "text": f"Report {i}: " + PARAGRAPH} for i in range(200)]
    items[3] = {"id": "huge", "text": ["word " * 2000, "more"]}
    items[5] = "not an object"
    items[7] = {"id": "nested", "meta": {"tags": [1, 2, {"deep": True}]}, "body": PARAGRAPH + " 7"}
    path = write(tmp_path, "dump.json", b"\xef\xbb\xbf" + json.dumps(items, indent=1).encode())
    assert path.stat().st_size > 4096
    result = read_articles(tmp_path, NOW, max_record_bytes=4096)
    articles = article_by_uri(result)
    assert len(articles) == 198 and "dump.json#nested" in articles
    rejected = rejected_by_uri(result)
    assert rejected["dump.json#item-4"]["reason"] == "too_large"
    assert rejected["dump.json#item-6"]["reason"] == "invalid_json"
    assert result.rejected.height == 2


def test_large_json_list_with_a_syntax_error_keeps_the_items_before_it(tmp_path):
    good = ",".join(json.dumps({"id": f"r{i}", "text": f"Report {i}: " + PARAGRAPH})
                    for i in range(50))
    write(tmp_path, "dump.json", "[" + good + ', {"id": "bad" "text": "x"}, {"id": "lost"}]')
    result = read_articles(tmp_path, NOW, max_record_bytes=1024)
    assert result.articles.height == 50
    row = result.rejected.row(0, named=True)
    assert result.rejected.height == 1
    assert (row["source_uri"], row["reason"]) == ("dump.json#item-51", "invalid_json")
    assert "rest of the list" in row["detail"]


def test_large_json_object_is_too_large_without_being_parsed(tmp_path):
    write(tmp_path, "one.json", json.dumps({"id": 1, "text": PARAGRAPH * 100}))
    row = read_articles(tmp_path, NOW, max_record_bytes=1024).rejected.row(0, named=True)
    assert (row["source_uri"], row["reason"]) == ("one.json", "too_large")


@pytest.mark.parametrize(("body", "place", "agency"), [
    ("Niger: 44 civilians killed in attack on mosque\n\nNIAMEY (AFP) - Jihadists killed 44 "
     "civilians in an attack on a mosque on Friday.", "NIAMEY", "AFP"),
    ("Lagos: Gunmen killed five people in the city on Monday, police said.", "Lagos", None),
    ("Pòtoprens, 22 avril 2025.- Bandi yo atake Kenscoff jodi a, yo touye twa moun.",
     "Pòtoprens", None),
])
def test_the_dateline_in_capitals_or_with_an_agency_beats_a_headline(body, place, agency):
    from pipelines.ingest.dateline import find_dateline

    found = find_dateline(body)
    assert (found.place, found.agency) == (place, agency)


def test_a_dated_title_case_dateline_beats_a_headline_with_a_colon():
    body = ("Petyonvil: chofè taksi-moto yo monte barikad\n\n"
            "Pòtoprens, 19 desanm 2024.- Plizyè douzèn chofè te monte barikad nan lari a.")
    dateline = find_dateline(body)
    assert dateline is not None and dateline.place == "Pòtoprens"
    assert dateline.date_text == "19 desanm 2024"


@pytest.mark.parametrize(("line", "byline"), [
    # An outlet and a full date, without the address a scraper keeps: a byline line.
    ("The Valley Courier, 9 March 2024", True),
    ("Le Courrier du Lac - 9 mars 2024", True),
    ("Valley Courier | March 9, 2024", True),
    ("Radyo Lakay — 4 mas 2025", True),
    ("Valley Courier | 2024-03-09", True),
    # ... with a section or a kind of article beside the date, between bars.
    ("Valley Courier | Week in review | March 9, 2024", True),
    ("Courrier du Lac | Lakeside, 9 mars 2024 | Reportage", True),
    # ... or after a dash, in lower case or in a word or two.
    ("Radio Lakeside - March 9, 2024 - transcript translated from Swahili", True),
    ("Le Courrier du Lac - 9 mars 2024 - Tribune", True),
    # A dateline goes on with the report; a headline does not end with a full date.
    ("LAKESIDE, 9 March 2024 - Two traders were hurt on Friday in a brawl.", False),
    ("Lakeside, 9 mars 2024 - Deux commerçants ont été blessés vendredi.", False),
    ("Two hurt in a market brawl in Lakeside", False),
    ("Curfew in Lakeside until March 9, 2024", False),
    ("Lakeside | Curfew until March 9, 2024 | Two traders hurt", False),
])
def test_a_byline_line_without_an_address_is_a_byline(line, byline):
    from pipelines.ingest.dateline import is_byline

    assert is_byline(line) is byline


def test_a_dated_dateline_after_an_editors_note_is_the_dateline():
    # a correction notice opens the body; the dated dateline follows it
    body = ("Lakeside attack: toll revised to four\n\nCORRECTION - An earlier version of this "
            "story said six soldiers were killed.\n\nLakeside, 9 March 2024 - Four soldiers "
            "were killed when gunmen attacked a post near the lake on Saturday.")
    dateline = find_dateline(body)
    assert dateline is not None and dateline.place == "Lakeside"


# An invented report: the day is only on its dateline (no year) or on its byline line.
_DATELINE_REPORT = (
    "GAROUA, Cameroon, Jan 9 (Reuters) - Gunmen attacked a cattle market near Garoua on "
    "Wednesday, killing three traders, local officials said.\n\nThe attackers fled on "
    "motorcycles towards the border, and soldiers were sent to the area, an official added.")
_BYLINE_REPORT = (
    "Sahel Courier | Security | 12 January 2025\n\nGunmen attacked a cattle market near "
    "Garoua on Sunday, killing three traders, local officials said. The attackers fled on "
    "motorcycles towards the border, and soldiers were sent to the area, an official added.")


def _as_format(name: str, body: str) -> str:
    if name.endswith(".json"):
        return json.dumps({"id": "r1", "title": "Market attack", "text": body})
    if name.endswith(".jsonl"):
        return json.dumps({"id": "r1", "title": "Market attack", "text": body}) + "\n"
    if name.endswith(".md"):
        return "---\ntitle: Market attack\n---\n\n" + body
    if name.endswith(".html"):
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
        return (f"<html><head><title>Market attack</title></head><body><article>{paragraphs}"
                "</article></body></html>")
    return body


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.json", "a.jsonl", "a.html"])
@pytest.mark.parametrize(("body", "published"), [
    (_DATELINE_REPORT, date(2025, 1, 9)),  # yearless: the last 9 January up to ingestion
    (_BYLINE_REPORT, date(2025, 1, 12)),
])
def test_the_published_date_is_the_one_the_article_gives_when_the_metadata_gives_none(
        tmp_path, name, body, published):
    (tmp_path / name).write_text(_as_format(name, body), encoding="utf-8")
    row = read_articles(tmp_path, NOW).articles.row(0, named=True)
    assert (row["published_date"], row["published_precision"]) == (published, "day")


def test_the_dateline_makes_a_month_of_the_metadata_a_day_and_never_overrides_a_day(tmp_path):
    (tmp_path / "2025" / "01").mkdir(parents=True)
    (tmp_path / "2025" / "01" / "a.txt").write_text(_DATELINE_REPORT, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"id": "b", "published": "2025-01-11",
                                                 "text": _BYLINE_REPORT}), encoding="utf-8")
    rows = {r["source_uri"]: r for r in read_articles(tmp_path, NOW).articles.to_dicts()}
    assert (rows["2025/01/a.txt"]["published_date"],
            rows["2025/01/a.txt"]["published_precision"]) == (date(2025, 1, 9), "day")
    assert rows["b.json"]["published_date"] == date(2025, 1, 11)

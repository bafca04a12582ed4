"""Loading the spaCy model with only what extraction uses, and running it over batches."""

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Extraction reads entities and sentence boundaries only. Dropping the tagger, parser and
# lemmatizer roughly doubles throughput and gives the same entities (stack-notes.md).
UNUSED_COMPONENTS = ("tagger", "parser", "lemmatizer", "attribute_ruler", "senter", "tok2vec")
# Below this many texts, starting worker processes costs more than it saves.
MIN_TEXTS_PER_PROCESS = 200


@cache
def load_model(name: str) -> Language:
    """The NER model plus a rule-based sentencizer, loaded once per process."""
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def parse(nlp: Language, texts: Iterable[str], processes: int = 1, batch_size: int = 64
          ) -> Iterator[Doc]:
    """Docs for `texts`, in order; uses several processes only for large batches."""
    texts = list(texts)
    n_process = processes if len(texts) >= MIN_TEXTS_PER_PROCESS * max(processes, 1) else 1
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=max(n_process, 1))


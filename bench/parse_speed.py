"""Parse speed of the NLP stage against the full spaCy pipeline it replaced, in one run.

The baseline is the model as newsfuse loaded it before: every component but the parser
(tok2vec, tagger, senter, attribute ruler, lemmatizer, NER). The current stage loads the
sentence recogniser and NER only and takes lemmas from the lookup table. Both map their
docs onto ParsedArticles the same way, on the same real DUC 2006 dev articles, one after
the other for each process count, so load from elsewhere weighs on both alike. CPU seconds
count the parent and the worker processes.

    .venv/bin/python bench/parse_speed.py [--data ../shared/data] [--articles 200] [--processes 2,1]
    .venv/bin/python bench/parse_speed.py --stages [--articles 200]

``--stages`` times, with one process, the current model's components added one at a time
(the tokenizer, then the sentence recogniser, then NER), and the ceiling that puts on a
2-core machine: twice the articles per CPU-second of the whole parse.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from newsfuse.ingest import read_inputs
from newsfuse.nlp.model import MODEL_NAME, load_model
from newsfuse.nlp.parse import TITLE_SEPARATOR, parse_articles, parsed_from_doc
from newsfuse.records import Article, ParsedArticle

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def full_model() -> Language:
    """The pipeline newsfuse ran before: all but the parser, sentences from the senter."""
    nlp = spacy.load(MODEL_NAME, exclude=["parser"])
    nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    return nlp


def full_parse(nlp: Language) -> Callable[[Sequence[Article], int], Iterator[ParsedArticle]]:
    def parse(articles: Sequence[Article], processes: int) -> Iterator[ParsedArticle]:
        texts = ((article.title + TITLE_SEPARATOR + article.text, article) for article in articles)
        for doc, article in nlp.pipe(texts, as_tuples=True, batch_size=32, n_process=processes):
            yield parsed_from_doc(doc, article)

    return parse


def current_parse(articles: Sequence[Article], processes: int) -> Iterator[ParsedArticle]:
    return parse_articles(articles, len(articles), processes=processes)


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(
    parse: Callable[[Sequence[Article], int], Iterator[ParsedArticle]], articles: Sequence[Article], processes: int
) -> tuple[float, float]:
    """Wall-clock and CPU seconds of parsing ``articles`` with ``processes`` processes."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    for _ in parse(articles, processes):
        pass
    return time.perf_counter() - wall, cpu_seconds() - cpu


def stage_costs(articles: Sequence[Article]) -> None:
    nlp = load_model()
    texts = [article.title + TITLE_SEPARATOR + article.text for article in articles]
    print(f"{'components':24} {'cpu s':>7} {'per cpu-s':>10}")
    rate = 0.0
    for count in range(len(nlp.pipe_names) + 1):
        names = nlp.pipe_names[:count]
        with nlp.select_pipes(enable=names):
            cpu = cpu_seconds()
            for _ in nlp.pipe(texts, batch_size=32):
                pass
            cpu = cpu_seconds() - cpu
        rate = len(articles) / cpu
        print(f"{' + '.join(['tokenizer', *names]):24} {cpu:7.1f} {rate:10.1f}")
    print(f"ceiling on 2 cores, parse alone: {2 * rate:.1f} articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--processes", default="2,1", help="comma-separated process counts, each timed")
    parser.add_argument("--stages", action="store_true", help="time the current model's components one by one")
    options = parser.parse_args()
    articles = read_inputs([options.data / "duc2006-dev.jsonl"]).articles[: options.articles]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} DUC 2006 dev articles, {words} words")
    if options.stages:
        stage_costs(articles)
        return
    pipelines = {"full (before)": full_parse(full_model()), "senter+ner": current_parse}
    for parse in pipelines.values():
        measure(parse, articles[:4], 1)  # warm-up: first-call allocations, lazy tables
    print(f"{'pipeline':14} {'processes':>9} {'wall s':>7} {'cpu s':>7} {'articles/s':>11} {'per cpu-s':>10}")
    for processes in (int(p) for p in options.processes.split(",")):
        rates = []
        for name, parse in pipelines.items():
            wall, cpu = measure(parse, articles, processes)
            rates.append((len(articles) / wall, len(articles) / cpu))
            print(f"{name:14} {processes:9} {wall:7.1f} {cpu:7.1f} {rates[-1][0]:11.1f} {rates[-1][1]:10.1f}")
        (old_wall, old_cpu), (new_wall, new_cpu) = rates
        print(f"{'speed-up':14} {processes:9} {'':7} {'':7} {new_wall / old_wall:10.2f}x {new_cpu / old_cpu:9.2f}x")


if __name__ == "__main__":
    main()

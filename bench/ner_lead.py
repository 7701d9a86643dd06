"""What NER on an article's lead only would save and lose, against NER on the whole article.

NER is nearly all of the parse (``bench/parse_speed.py --stages``), so the cheapest way to a
faster parse is to run it on less text. This measures one such way on real articles before
anything is built: NER on the title and the first ``--paragraphs`` paragraphs, and each name
found there marked wherever its exact words recur later in the body (and a person's surname
alone, the way news refers back to people). It prints CPU seconds per article of both, and
how many of the whole-article entity mentions (span and label, the labels newsfuse keeps)
and distinct names per article the lead way finds, and how many it adds that are not there.

    .venv/bin/python bench/ner_lead.py [--data ../shared/data] [--articles 200] [--paragraphs 3]
"""

from __future__ import annotations

import argparse
import re
import resource
from pathlib import Path

from newsfuse.ingest import read_inputs
from newsfuse.nlp.model import load_model
from newsfuse.nlp.parse import ENTITY_LABELS, TITLE_SEPARATOR
from newsfuse.records import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
Mention = tuple[int, int, str]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def whole_mentions(articles: list[Article]) -> list[set[Mention]]:
    nlp = load_model()
    texts = [a.title + TITLE_SEPARATOR + a.text for a in articles]
    offsets = [len(a.title) + len(TITLE_SEPARATOR) for a in articles]
    return [
        {
            (e.start_char - offset, e.end_char - offset, e.label_)
            for e in doc.ents
            if e.label_ in ENTITY_LABELS and e.start_char >= offset
        }
        for doc, offset in zip(nlp.pipe(texts, batch_size=32), offsets, strict=True)
    ]


def lead_end(text: str, paragraphs: int) -> int:
    """Where the first ``paragraphs`` non-empty paragraphs of ``text`` end."""
    seen, position = 0, 0
    for piece in text.split("\n"):
        position += len(piece) + 1
        seen += bool(piece.strip())
        if seen == paragraphs:
            return min(position, len(text))
    return len(text)


def lead_mentions(articles: list[Article], paragraphs: int) -> list[set[Mention]]:
    """NER on the lead; the rest of the body is tokenised and sentence-split only, as a parse would be."""
    nlp = load_model()
    found = []
    ends = [lead_end(a.text, paragraphs) for a in articles]
    leads = [a.title + TITLE_SEPARATOR + a.text[:end] for a, end in zip(articles, ends, strict=True)]
    rests = [a.text[end:] for a, end in zip(articles, ends, strict=True)]
    with nlp.select_pipes(disable=["ner"]):
        for _ in nlp.pipe(rests, batch_size=32):
            pass
    for article, end, doc in zip(articles, ends, nlp.pipe(leads, batch_size=32), strict=True):
        offset = len(article.title) + len(TITLE_SEPARATOR)
        mentions = {
            (e.start_char - offset, e.end_char - offset, e.label_)
            for e in doc.ents
            if e.label_ in ENTITY_LABELS and e.start_char >= offset
        }
        names = {(e.text, e.label_) for e in doc.ents if e.label_ in ENTITY_LABELS}
        names |= {(e.text.split()[-1], "PERSON") for e in doc.ents if e.label_ == "PERSON" and len(e.text.split()) > 1}
        taken = [(start, stop) for start, stop, _ in mentions]
        for name, label in sorted(names, key=lambda item: -len(item[0])):
            for match in re.finditer(rf"\b{re.escape(name)}\b", article.text[end:]):
                start, stop = match.start() + end, match.end() + end
                if not any(start < other_stop and other_start < stop for other_start, other_stop in taken):
                    mentions.add((start, stop, label))
                    taken.append((start, stop))
        found.append(mentions)
    return found


def names(article: Article, mentions: set[Mention]) -> set[str]:
    return {article.text[start:stop] for start, stop, _ in mentions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--paragraphs", type=int, default=3)
    options = parser.parse_args()
    articles = read_inputs([options.data / "duc2006-dev.jsonl"]).articles[: options.articles]
    whole_mentions(articles[:4])  # load the model outside the timing
    start = cpu_seconds()
    whole = whole_mentions(articles)
    whole_cpu = cpu_seconds() - start
    start = cpu_seconds()
    lead = lead_mentions(articles, options.paragraphs)
    lead_cpu = cpu_seconds() - start
    print(f"{len(articles)} DUC 2006 dev articles, NER on the title and first {options.paragraphs} paragraphs")
    print(f"CPU s per article: whole {whole_cpu / len(articles):.4f}, lead {lead_cpu / len(articles):.4f}")
    print(f"lead is {whole_cpu / lead_cpu:.2f}x cheaper")
    kept = sum(len(w & lw) for w, lw in zip(whole, lead, strict=True))
    total, added = sum(map(len, whole)), sum(len(lw - w) for w, lw in zip(whole, lead, strict=True))
    print(f"mentions: {kept / total:.3f} of the whole-article ones found, {added / total:.3f} added that it lacks")
    name_pairs = [(names(a, w), names(a, lw)) for a, w, lw in zip(articles, whole, lead, strict=True)]
    name_total = sum(len(w) for w, _ in name_pairs)
    print(f"distinct names per article: {sum(len(w & lw) for w, lw in name_pairs) / name_total:.3f} found")


if __name__ == "__main__":
    main()

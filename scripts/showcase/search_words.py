"""The jieba user dictionary, made from the data on every build.

jieba merges names it does not know with their neighbours (张三是); listing every name,
studio, employer and honour title keeps them whole tokens in the search index.
"""

from __future__ import annotations

from showcase.exhibition import Exhibition, initials_of, pinyin_of
from showcase.model import Worker
from showcase.pinyin import split_name

FREQUENCY = 100000  # high enough that jieba keeps the word together
# jieba stores every prefix of every dictionary word: a 100,000-character word cost 19.8 GB.
# Field lengths are bounded, and the dictionary takes only words up to this length.
MAX_WORD = 30


def listable(word: str) -> bool:
    """Whether a word may go into the jieba dictionary: short, and one line without a
    space (jieba splits dictionary lines on spaces)."""
    return 0 < len(word) <= MAX_WORD and not any(c.isspace() for c in word)


def jieba_dictionary(ex: Exhibition) -> bytes:
    words: dict[str, str] = {}
    for w in ex.workers:
        words[w.name] = "nr"
        given = split_name(w.name)[1]
        if len(given) >= 2:
            words.setdefault(given, "nr")
        for value in (w.employer, w.position):
            if value:
                words.setdefault(value, "nt")
    for s in ex.studios:
        words.setdefault(s.name, "nt")
        if s.host:
            words.setdefault(s.host, "nt")
    for h in ex.settings.honors:
        words.setdefault(h.title, "n")
    for value in (*ex.settings.districts, *ex.settings.industries, ex.settings.association):
        words.setdefault(value, "ns")
    lines = [f"{word} {FREQUENCY} {tag}" for word, tag in sorted(words.items()) if listable(word)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def search_terms(worker: Worker) -> list[str]:
    """What a reader may type for a name besides the name: 红飞, yaohongfei, yao hongfei, yhf.

    Material's search matches whole tokens, so each form is written out once on the page
    (in a visually hidden element) and the given name is in the jieba dictionary."""
    pinyin = pinyin_of(worker).lower()
    given = split_name(worker.name)[1]
    forms = [given if len(given) >= 2 else "", pinyin.replace(" ", ""), pinyin, initials_of(worker)]
    return list(dict.fromkeys(f for f in forms if f and f != worker.name))

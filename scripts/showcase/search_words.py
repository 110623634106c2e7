"""The jieba user dictionary, made from the data on every build.

jieba merges names it does not know with their neighbours (张三是); listing every name,
studio, employer and honour title keeps them whole tokens in the search index.
"""

from __future__ import annotations

from showcase.exhibition import Exhibition

FREQUENCY = 100000  # high enough that jieba keeps the word together


def jieba_dictionary(ex: Exhibition) -> bytes:
    words: dict[str, str] = {}
    for w in ex.workers:
        words[w.name] = "nr"
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
    # jieba splits dictionary lines on spaces: a word with a space cannot be listed.
    lines = [
        f"{word} {FREQUENCY} {tag}"
        for word, tag in sorted(words.items())
        if word and " " not in word
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")

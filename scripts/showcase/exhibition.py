"""The validated exhibition: published entries only, sorted, with relations both ways."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from showcase.load import Loaded
from showcase.media import MediaIndex
from showcase.memo import memo
from showcase.model import Honor, Studio, Worker
from showcase.pinyin import initials, name_pinyin, sort_key
from showcase.settings import Settings


@dataclass(frozen=True)
class Exhibition:
    settings: Settings
    workers: tuple[Worker, ...]  # published, in pinyin order
    studios: tuple[Studio, ...]  # published, by level then pinyin
    media: MediaIndex = field(default_factory=MediaIndex, compare=False)  # checked images

    @classmethod
    def from_loaded(
        cls, loaded: Loaded, media: MediaIndex | None = None, *, drafts: bool = False
    ) -> Exhibition:
        """drafts (the `showcase serve --drafts` preview only): `publish: false` workers and
        studios too; their pages carry the draft banner (render.draft_banner)."""
        assert loaded.settings is not None
        settings = loaded.settings
        level_names = [level.name for level in settings.studio_levels]

        def studio_key(s: Studio) -> tuple[int, str, str]:
            rank = level_names.index(s.level) if s.level else len(level_names)
            return (rank, *sort_key(name_pinyin(s.name), s.name))

        with memo().published_only(not drafts):  # their names' pinyin may be remembered
            workers = sorted(
                (w for w in loaded.workers if w.publish or drafts),
                key=lambda w: sort_key(pinyin_of(w), w.name),
            )
            studios = sorted((s for s in loaded.studios if s.publish or drafts), key=studio_key)
        return cls(settings, tuple(workers), tuple(studios), media or MediaIndex())

    @cached_property
    def _workers(self) -> dict[str, Worker]:
        return {w.slug: w for w in self.workers}

    @cached_property
    def _studios(self) -> dict[str, Studio]:
        return {s.slug: s for s in self.studios}

    def worker(self, slug: str | None) -> Worker | None:
        return self._workers.get(slug) if slug else None

    def studio(self, slug: str | None) -> Studio | None:
        return self._studios.get(slug) if slug else None

    @cached_property
    def _studios_of(self) -> dict[str, list[Studio]]:
        """Worker slug → studios they lead, belong to, or list; either side may say so."""
        links: dict[str, list[Studio]] = {}
        for studio in self.studios:
            for slug in (studio.leader, *studio.members):
                if slug:
                    links.setdefault(slug, []).append(studio)
        for worker in self.workers:
            for slug in worker.studios:
                studio = self.studio(slug)
                if studio and studio not in links.setdefault(worker.slug, []):
                    links[worker.slug].append(studio)
        return links

    @cached_property
    def _listing(self) -> dict[str, list[str]]:
        """Studio slug → slugs of workers whose profile lists it."""
        listing: dict[str, list[str]] = {}
        for worker in self.workers:
            for slug in worker.studios:
                listing.setdefault(slug, []).append(worker.slug)
        return listing

    def studios_of(self, worker: Worker) -> list[Studio]:
        return self._studios_of.get(worker.slug, [])

    def members_of(self, studio: Studio) -> list[Worker]:
        """Published members (leader excluded), including workers who list the studio."""
        slugs = [*studio.members, *self._listing.get(studio.slug, [])]
        seen: dict[str, Worker] = {}
        for slug in slugs:
            worker = self.worker(slug)
            if worker and slug != studio.leader:
                seen.setdefault(slug, worker)
        return list(seen.values())

    def top_honor(self, worker: Worker) -> Honor | None:
        ranked = sorted(worker.honors, key=lambda h: self.settings.honor_rank(h.title))
        return ranked[0] if ranked else None


def pinyin_of(worker: Worker) -> str:
    return worker.pinyin or name_pinyin(worker.name)


def initials_of(worker: Worker) -> str:
    return initials(pinyin_of(worker), worker.name)

"""Translation-assisted sentence alignment: translate one side, score candidate links with chrF.

The source sentences are machine-translated into the target language (or, if the engine only covers
the other direction, the target sentences into the source language). A candidate link of source
sentences S and target sentences T is then scored by the chrF similarity (`transnorm.align.chrf`)
of the translation of one side against the other side. Lengths still count: the link cost is

    similarity_weight * s(S, T) + length_weight * GaleChurch(S, T)

with s = (1 - chrF) * (|S| + |T|) / 2 + merge_cost * (|S| + |T| - 2) for a link with sentences on
both sides, and s = skip_cost per sentence for a 1-0 or 0-1 link. The per-sentence scaling makes a
2-1 link comparable to the two links it replaces; `merge_cost` breaks ties towards 1-1 links; the
Gale-Church term (`transnorm.align.gale_church`) separates a real 2-1 from a 1-1 plus a deletion
when the translation is too loose to. The cheapest sequence of links is found by the banded,
linear-memory DP of `transnorm.align.dp`.

With no engine (`engine=None`) the two sides are compared as they are, after folding to ASCII:
numbers, names and cognates still anchor the alignment of related languages, with the similarity
weighted less (`AlignConfig.untranslated_weight`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from transnorm.align.chrf import Profile, chrf
from transnorm.align.config import AlignConfig
from transnorm.align.dp import banded_align, path_guide
from transnorm.align.gale_church import LengthCost, fit_length_alignment, text_length
from transnorm.align.model import Alignment
from transnorm.errors import E_NO_ENGINE, EngineError
from transnorm.translate.base import TranslationEngine
from transnorm.translate.chunking import join_translated, split_long_text

_CACHE_LIMIT = 200_000


class AssistedAligner:
    """Align sentences with the help of a translation engine (see module docstring).

    The aligner keeps the translations it made, so aligning the same source against several
    targets translates it once.
    """

    method = "assisted"

    def __init__(self, engine: TranslationEngine | None, config: AlignConfig | None = None) -> None:
        self.engine = engine
        self.config = config or AlignConfig()
        self._translations: dict[tuple[str, str, str], str] = {}

    def direction(self, source_lang: str | None, target_lang: str | None) -> str:
        """Which side is translated: "source" (into the target language), "target", or "none"."""
        if self.engine is None:
            return "none"
        if not source_lang or not target_lang:
            raise EngineError(
                "translation-assisted alignment needs both languages; pass them (--from/--to) or let "
                "transnorm detect them",
                code=E_NO_ENGINE,
            )
        if source_lang == target_lang or self.engine.supports(source_lang, target_lang):
            return "source"
        if self.engine.supports(target_lang, source_lang):
            return "target"
        raise EngineError(
            f"engine {self.engine.name!r} translates neither {source_lang}->{target_lang} nor "
            f"{target_lang}->{source_lang}; pick another --engine, or align by length (--engine none)",
            code=E_NO_ENGINE,
        )

    def translate(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        """Translate sentences with the engine (cached; long sentences split to the engine's limit)."""
        assert self.engine is not None
        if source_lang == target_lang:
            return list(texts)
        limit = self.engine.max_input_chars(source_lang, target_lang)
        todo: list[str] = []
        for text in texts:
            if text.strip():
                todo.extend(split_long_text(text, limit) if limit else [text])
        key = (source_lang, target_lang)
        missing = list(dict.fromkeys(p for p in todo if (*key, p) not in self._translations))
        size = self.config.batch_size
        if len(self._translations) + len(missing) > _CACHE_LIMIT:
            self._translations.clear()
        for start in range(0, len(missing), size):
            batch = missing[start : start + size]
            out = self.engine.translate_batch(batch, source_lang, target_lang)
            if len(out) != len(batch):
                raise EngineError(
                    f"engine {self.engine.name!r} returned {len(out)} translations for {len(batch)} texts"
                )
            for text, translation in zip(batch, out, strict=True):
                self._translations[(*key, text)] = translation
        result = []
        for text in texts:
            if not text.strip():
                result.append(text)
                continue
            pieces = split_long_text(text, limit) if limit else [text]
            result.append(join_translated([self._translations[(*key, p)] for p in pieces]))
        return result

    def align(
        self,
        source: Sequence[str],
        target: Sequence[str],
        *,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Alignment:
        """Links covering every sentence of both lists, in order; raises `EngineError` if the engine
        cannot translate between the two languages."""
        cfg = self.config
        side = self.direction(source_lang, target_lang)
        src_view, tgt_view = list(source), list(target)
        if side == "source":
            assert source_lang and target_lang
            src_view = self.translate(source, source_lang, target_lang)
        elif side == "target":
            assert source_lang and target_lang
            tgt_view = self.translate(target, target_lang, source_lang)
        src_len = [text_length(s) for s in source]
        tgt_len = [text_length(t) for t in target]
        cost = _AssistedCost(
            [Profile.of(s, cfg.ngram_order) for s in src_view],
            [Profile.of(t, cfg.ngram_order) for t in tgt_view],
            LengthCost(src_len, tgt_len, cfg),
            cfg,
            translated=side,
        )
        # The band follows the length-based alignment (cheap): a narrow band around a path that is
        # mostly right, widened by the DP where the assisted path runs into its edge.
        guide, ratio = fit_length_alignment(src_len, tgt_len, cfg)
        cost.length.ratio = ratio
        found = banded_align(
            src_len,
            tgt_len,
            cost,
            cfg.link_types,
            width=cfg.assisted_band,
            max_width=cfg.max_band,
            guide=path_guide(guide.links, len(src_len)),
        )
        info = {"band": found.width, "translated": side}
        if self.engine is not None and source_lang and target_lang:
            pair = (source_lang, target_lang) if side == "source" else (target_lang, source_lang)
            model = self.engine.model_info(*pair)
            info.update(engine=model.engine, model=model.model)
        similarity = [
            cost.similarity(link.source, link.target) if link.source and link.target else None
            for link in found.links
        ]
        return Alignment(found.links, method=self.method, info=info, similarity=similarity)


class _AssistedCost:
    def __init__(
        self,
        source: list[Profile],
        target: list[Profile],
        length: LengthCost,
        config: AlignConfig,
        *,
        translated: str,
    ) -> None:
        self.source, self.target, self.length, self.cfg = source, target, length, config
        # chrF is asymmetric (recall-weighted): the translated side is the hypothesis.
        self.hyp_is_source = translated != "target"
        self.weight = config.untranslated_weight if translated == "none" else config.similarity_weight
        self._profile = lru_cache(maxsize=4096)(self._merged)

    def _merged(self, side: int, i0: int, i1: int) -> Profile:
        profiles = self.source if side == 0 else self.target
        return Profile.merge(profiles[i0:i1])

    def score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """chrF of the link's translated side against its other side."""
        s = self._profile(0, i0, i1)
        t = self._profile(1, j0, j1)
        return chrf(s, t, self.cfg.beta) if self.hyp_is_source else chrf(t, s, self.cfg.beta)

    def similarity(self, src: Sequence[int], tgt: Sequence[int]) -> float:
        return self.score(src[0], src[-1] + 1, tgt[0], tgt[-1] + 1)

    def __call__(self, i0: int, i1: int, j0: int, j1: int) -> float:
        cfg = self.cfg
        ks, kt = i1 - i0, j1 - j0
        if ks == 0 or kt == 0:
            sim_part = cfg.skip_cost * (ks + kt)
        else:
            score = self.score(i0, i1, j0, j1)
            sim_part = (1 - score) * (ks + kt) / 2 + cfg.merge_cost * (ks + kt - 2)
        return self.weight * sim_part + cfg.length_weight * self.length(i0, i1, j0, j1)

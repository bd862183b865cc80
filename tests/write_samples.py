"""Documents for the writer tests, built directly from the document classes (no engine needed).

`make_doc` joins the sentences into a text (a space within a paragraph, a blank line between
paragraphs) so that every span is right, and places each rewrite by finding its new spelling in
the target. The documents cover what the writers must show: glossary rewrites on both sides,
quality flags, an untranslated segment, segment and document errors, right-to-left text, mixed
source languages and a document that failed before segmentation.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

from transnorm.document import DocError, Document, Edit, Segment
from transnorm.write import open_writer

# Escaping cases shared by every XML/HTML writer test: `<`, `&`, control characters, RTL, ...
ESCAPING_CASES = json.loads(
    (Path(__file__).parent / "cases" / "write" / "escaping.json").read_text(encoding="utf-8")
)


def render(fmt: str, docs: Iterable[Document]) -> str:
    """The output of writer `fmt` for `docs`, as a string."""
    buf = io.StringIO()
    writer = open_writer(fmt, buf)
    for doc in docs:
        writer.write(doc)
    writer.close()
    return buf.getvalue()


SIGNATURE = {
    "transnorm": "0.1.0",
    "config": "cfg1a2b3c",
    "target_lang": "en",
    "engine": "marian",
    "model": "opus-mt-de-en",
    "glossary": "names-2025.02",
}


def make_doc(
    doc_id: str,
    lang: str,
    pairs: list[tuple[str, str | None, int]],
    *,
    target_lang: str = "en",
    rewrites: dict[int, list[tuple[str, str]]] | None = None,
    flags: dict[int, list[str]] | None = None,
    engine: str = "marian",
    model: str = "opus-mt-de-en",
    signature: dict[str, str] | None = None,
) -> Document:
    """A translated document; `rewrites[i]` lists (before, after) glossary rewrites in target i."""
    text = ""
    segments = []
    for i, (source, target, paragraph) in enumerate(pairs):
        if i:
            text += "\n\n" if paragraph != pairs[i - 1][2] else " "
        start = len(text)
        text += source
        segments.append(
            Segment(
                index=i,
                start=start,
                end=len(text),
                source=source,
                paragraph=paragraph,
                lang=lang,
                lang_confidence=0.99,
                target=target,
                engine=engine if target is not None else None,
                model=model if target is not None else None,
                flags=list((flags or {}).get(i, [])),
            )
        )
    edits = []
    for i, items in (rewrites or {}).items():
        target = pairs[i][1] or ""
        for before, after in items:
            at = target.index(after)
            edits.append(
                Edit(i, (at, at + len(after)), before, after, entity=f"Q-{after}", rule="glossary:person")
            )
    sig = dict(signature or {**SIGNATURE, "model": model, "engine": engine})
    return Document(
        id=doc_id,
        text=text,
        lang=lang,
        lang_confidence=0.99,
        target_lang=target_lang,
        segments=segments,
        edits=edits,
        signature=sig,
        metadata={"source": "test"},
    )


def german() -> Document:
    doc = make_doc(
        "dpa-2022-01-12",
        "de",
        [
            (
                "Kremlsprecher Dmitri Peskow sagte, Moskau sei enttäuscht.",
                "Kremlin spokesman Dmitry Peskov said Moscow was disappointed.",
                0,
            ),
            ("Der Nato-Russland-Rat tagte in Brüssel.", "The NATO-Russia Council met in Brussels.", 0),
            (
                "Kosak nannte das Treffen „nützlich“ & <offen>.",
                'Kozak called the meeting "useful" & <open>.',
                1,
            ),
        ],
        rewrites={0: [("Peskow", "Peskov")], 2: [("Kosak", "Kozak")]},
        flags={1: ["length-ratio"]},
    )
    doc.errors.append(DocError("normalise", "E501", "ambiguous entity for 'Kosak'", segment=2, fatal=False))
    doc.warnings.append("glossary names-2025.02 is older than 90 days")
    return doc


def arabic() -> Document:
    return make_doc(
        "aljazeera-77",
        "ar",
        [
            (
                "قال المتحدث باسم الكرملين دميتري بيسكوف إن موسكو تشعر بخيبة أمل.",
                "Kremlin spokesman Dmitry Peskov said Moscow was disappointed.",
                0,
            ),
            ("وعقد الاجتماع في بروكسل.", "The meeting was held in Brussels.", 0),
        ],
        rewrites={0: [("Peskow", "Peskov")]},
        model="opus-mt-ar-en",
    )


def russian_untranslated() -> Document:
    doc = make_doc(
        "tass-5",
        "ru",
        [
            ("Песков заявил, что Москва разочарована.", "Peskov said Moscow was disappointed.", 0),
            ("Встреча прошла в Брюсселе.", None, 0),
        ],
        model="opus-mt-ru-en",
    )
    doc.errors.append(DocError("translate", "E302", "engine failed: timeout", segment=1, fatal=False))
    return doc


def failed() -> Document:
    doc = Document(id="empty-17", text="   ", lang="und", target_lang="en", signature={"transnorm": "0.1.0"})
    doc.add_error("read", "E104", "document is empty or contains only whitespace")
    return doc


def batch() -> list[Document]:
    """The mixed batch most tests write: de, ar, ru and a failed document."""
    return [german(), arabic(), russian_untranslated(), failed()]


def one_pair(source: str, target: str, lang: str = "de") -> Document:
    """A one-sentence document, for escaping cases."""
    return make_doc("case", lang, [(source, target, 0)])


def aligned() -> Document:
    """What `transnorm align` produces for an existing translation: a 2-1 link, a source sentence
    without translation, a target sentence without source, no engine, and a source-side rewrite."""
    text = "Peskov spoke. It rained. Then it stopped. Nobody came."
    pieces = [
        ("Peskov spoke.", "Peskow sprach.", []),
        ("It rained. Then it stopped.", "Es regnete und hörte dann auf.", ["merged:2-1"]),
        ("Nobody came.", None, ["source_only"]),
        ("", "Ein Satz ohne Vorlage.", ["target_only"]),
    ]
    segments = []
    pos = 0
    for i, (source, target, flags) in enumerate(pieces):
        start = text.index(source, pos) if source else pos
        segments.append(Segment(i, start, start + len(source), source, lang="en", target=target, flags=flags))
        pos = start + len(source)
    return Document(
        id="wire-42",
        text=text,
        lang="en",
        target_lang="de",
        segments=segments,
        edits=[Edit(0, (0, 6), "Peskow", "Peskov", entity="Q-Peskov", rule="glossary:person", side="source")],
        signature={"transnorm": "0.1.0", "aligner": "gale-church"},
    )

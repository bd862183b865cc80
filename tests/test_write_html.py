"""HTML writer: the page's markup, and the page as headless Chromium lays it out."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import measure, png_size, screenshot
from write_samples import ESCAPING_CASES, aligned, batch, german, one_pair, render

CASES = ESCAPING_CASES


def write_html(docs) -> str:
    return render("html", docs)


class Page(HTMLParser):
    """Elements as (tag, attrs, text) plus the text of the <style> element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self._open: list[int] = []
        self.style = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs), []))
        if tag not in ("meta", "col", "br", "link", "img", "input"):
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self.elements[i][2].append(data)
        if self._open and self.elements[self._open[-1]][0] == "style":
            self.style += data

    def find(self, tag: str, cls: str | None = None) -> list[tuple[dict[str, str | None], str]]:
        return [
            (attrs, "".join(text))
            for t, attrs, text in self.elements
            if t == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]


def test_page_is_self_contained() -> None:
    page = Page(write_html(batch()))
    for tag, attrs, _ in page.elements:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert "src" not in attrs
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    assert page.style
    assert "url(" not in page.style and "@import" not in page.style


def test_summary_lists_languages_engines_edits_errors_and_signature() -> None:
    page = Page(write_html(batch()))
    (summary,) = page.find("dl", "facts")
    text = summary[1]
    for expected in (
        "Documents4 (3 with errors)",
        "de → en ×1",
        "ar → en ×1",
        "ru → en ×1",
        "marian (opus-mt-de-en) ×3",
        "marian (opus-mt-ar-en) ×2",
        "Glossary rewrites3: glossary:person ×3",
        "length-ratio ×1",
        "E104 ×1",
        "E302 ×1",
        "E501 ×1",
        "Signature: glossarynames-2025.02",
        "Signature: transnorm0.1.0",
        "(1 untranslated)",
    ):
        assert expected in text, expected


def test_rows_pair_source_and_target_with_direction_and_language() -> None:
    page = Page(write_html(batch()))
    sources = page.find("td", "src")
    targets = page.find("td", "tgt")
    docs = batch()
    assert [t for _, t in sources] == [s.source for d in docs for s in d.segments]
    assert len(targets) == len(sources)
    for attrs, _ in sources + targets:
        assert attrs["dir"] == "auto"
    assert [a["lang"] for a, _ in sources] == ["de"] * 3 + ["ar"] * 2 + ["ru"] * 2
    assert {a["lang"] for a, _ in targets} == {"en"}
    assert targets[-1][1] == "no translation"
    assert "missing" in targets[-1][0]["class"]


def test_rewrites_are_marked_with_the_original_spelling() -> None:
    page = Page(write_html([german()]))
    marks = [m for m in page.find("mark", "rewrite") if "sample" not in m[0]["class"]]
    assert [(a["data-before"], t) for a, t in marks] == [("Peskow", "Peskov"), ("Kosak", "Kozak")]
    assert marks[0][0]["title"] == "was: Peskow → Peskov (rule: glossary:person, entity: Q-Peskov)"
    assert re.search(r"mark\.rewrite:hover::after\s*,[^{]*\{[^}]*attr\(data-before\)", page.style)


def test_flags_errors_and_warnings_are_on_the_page() -> None:
    page = Page(write_html(batch()))
    assert [t for _, t in page.find("span", "flag")].count("length-ratio") == 1
    errors = [t for _, t in page.find("span", "error")]
    assert "E501: ambiguous entity for 'Kosak'" in errors
    assert "E302: engine failed: timeout" in errors
    (doc_errors,) = page.find("ul", "errors")
    assert "E104 (read): document is empty or contains only whitespace" in doc_errors[1]
    (warnings,) = page.find("ul", "warnings")
    assert "older than 90 days" in warnings[1]
    sections = page.find("section", "doc")
    assert ["has-errors" in (a["class"] or "") for a, _ in sections] == [True, False, True, True]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_text_is_escaped_and_cleaned(case: dict) -> None:
    html = write_html([one_pair(case["text"], case["text"])])
    html.encode("utf-8")
    page = Page(html)
    # html.parser turns \r\n into \n only inside attributes; text keeps the characters as written
    assert [t for _, t in page.find("td", "src")] == [case["expected"]]
    assert not page.find("script")
    replaced = [t for _, t in page.find("span", "flag") if "control characters" in t]
    assert replaced == ([f"{2 * case['replaced']} control characters replaced"] if case["replaced"] else [])


# -- rendered in Chromium ----------------------------------------------------------------------

LAYOUT_JS = r"""
const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, left: r.left, right: r.right,
                    bottom: r.bottom, width: r.width, height: r.height}; };
const rows = [...document.querySelectorAll('table.pairs tbody tr')].map(tr => {
  const src = tr.querySelector('td.src'), tgt = tr.querySelector('td.tgt');
  const text = cell => { const range = document.createRange(); range.selectNodeContents(cell);
                         return box(range); };
  return {id: tr.id, src: box(src), tgt: box(tgt), srcText: text(src), tgtText: text(tgt),
          srcDir: getComputedStyle(src).direction, tgtDir: getComputedStyle(tgt).direction,
          srcOverflow: src.scrollWidth > src.clientWidth + 1, tgtOverflow: tgt.scrollWidth > tgt.clientWidth + 1};
});
const marks = [...document.querySelectorAll('td mark.rewrite')].map(m => ({
  text: m.textContent, title: m.title, box: box(m), background: getComputedStyle(m).backgroundColor}));
const flags = [...document.querySelectorAll('td .flag')].map(f => ({text: f.textContent, box: box(f),
  color: getComputedStyle(f).color}));
const errors = [...document.querySelectorAll('ul.errors li, td .error')].map(e => ({text: e.textContent,
  box: box(e), color: getComputedStyle(e).color}));
const summary = document.querySelector('header.summary');
window.report = {rows, marks, flags, errors, summary: box(summary),
  firstSection: box(document.querySelector('section.doc')),
  pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
  resources: performance.getEntriesByType('resource').map(r => r.name)};
"""


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return measure(write_html(batch()), LAYOUT_JS, tmp_path_factory.mktemp("html"))


@pytest.mark.browser
def test_rendered_rows_align_source_and_target(layout: dict) -> None:
    rows = layout["rows"]
    assert len(rows) == 7
    for row in rows:
        assert abs(row["src"]["top"] - row["tgt"]["top"]) < 0.5, row["id"]
        assert abs(row["src"]["height"] - row["tgt"]["height"]) < 0.5, row["id"]
        assert row["src"]["right"] <= row["tgt"]["left"] + 0.5, row["id"]  # source column left of target
        assert row["src"]["width"] > 300 and row["tgt"]["width"] > 300, row["id"]
        assert not row["srcOverflow"] and not row["tgtOverflow"], row["id"]
    tops = [row["src"]["top"] for row in rows]
    assert tops == sorted(tops)


@pytest.mark.browser
def test_rendered_rtl_text_runs_right_to_left(layout: dict) -> None:
    rtl = [row for row in layout["rows"] if row["id"].startswith("d2-")]
    assert len(rtl) == 2
    for row in rtl:
        assert row["srcDir"] == "rtl" and row["tgtDir"] == "ltr"
        # right-aligned: the text ends at the cell's right padding, far from its left edge
        assert row["src"]["right"] - row["srcText"]["right"] < 12
    ltr = [row for row in layout["rows"] if row["id"].startswith("d1-")]
    for row in ltr:
        assert row["srcDir"] == "ltr"
        assert row["srcText"]["left"] - row["src"]["left"] < 12


@pytest.mark.browser
def test_rendered_highlights_flags_and_errors_are_visible(layout: dict) -> None:
    assert [m["text"] for m in layout["marks"]] == ["Peskov", "Kozak", "Peskov"]
    for mark in layout["marks"]:
        assert mark["title"].startswith("was: ")
        assert mark["box"]["width"] > 10 and mark["box"]["height"] > 10
        assert mark["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert any(f["text"] == "length-ratio" and f["box"]["width"] > 10 for f in layout["flags"])
    texts = [e["text"] for e in layout["errors"]]
    assert any("E104" in t for t in texts) and any("E302" in t for t in texts)
    for err in layout["errors"]:
        assert err["box"]["height"] > 5
        assert err["color"] != "rgb(0, 0, 0)"  # shown in the error colour, not as plain text


@pytest.mark.browser
def test_rendered_page_has_summary_first_fits_the_window_and_fetches_nothing(layout: dict) -> None:
    assert layout["summary"]["bottom"] <= layout["firstSection"]["top"]
    assert layout["pageWidth"] <= layout["viewport"]
    assert layout["resources"] == []


@pytest.mark.browser
def test_narrow_window_still_aligns_rows(tmp_path: Path) -> None:
    report = measure(write_html(batch()), LAYOUT_JS, tmp_path, width=700, height=900)
    for row in report["rows"]:
        assert abs(row["src"]["top"] - row["tgt"]["top"]) < 0.5
        assert not row["srcOverflow"] and not row["tgtOverflow"], row["id"]
    assert report["pageWidth"] <= report["viewport"]


@pytest.mark.browser
def test_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "out.html"
    page.write_text(write_html(batch()), encoding="utf-8")
    png = screenshot(page, tmp_path / "out.png", width=1280, height=1400)
    assert png_size(png) == (1280, 1400)
    assert png.stat().st_size > 20_000  # a blank page compresses to a few kB


@pytest.mark.browser
def test_focused_rewrite_shows_the_original_spelling_as_a_tooltip(tmp_path: Path) -> None:
    """The CSS tooltip (hover or keyboard focus) shows the spelling before the rewrite.

    Headless Chromium applies `:focus` only while its window has focus, which it sometimes lacks:
    the rule itself is checked always, its computed result whenever the element matches `:focus`.
    """
    js = """const m = document.querySelector('td mark.rewrite'); m.focus();
    const rules = [...document.styleSheets].flatMap(s => [...s.cssRules]);
    const rule = rules.find(r => (r.selectorText || '').includes('mark.rewrite:focus::after'));
    const after = getComputedStyle(m, '::after');
    window.report = {focused: document.activeElement === m, matches: m.matches(':focus'),
                     before: m.dataset.before, content: after.content,
                     rule: rule ? rule.style.content : null, position: rule ? rule.style.position : null,
                     background: rule ? rule.style.backgroundColor : null};"""
    report = measure(write_html([german()]), js, tmp_path)
    assert report["focused"] and report["before"] == "Peskow"
    assert report["rule"] == '"was: " attr(data-before)'
    assert report["position"] == "absolute"
    assert report["background"] not in (None, "", "rgba(0, 0, 0, 0)", "transparent")
    if report["matches"]:
        assert report["content"] == '"was: Peskow"'


def test_aligned_document_shows_missing_sides() -> None:
    page = Page(write_html([aligned()]))
    assert [t for _, t in page.find("td", "src")][2:] == ["Nobody came.", "no source sentence"]
    assert [t for _, t in page.find("td", "tgt")][2:] == ["no translation", "Ein Satz ohne Vorlage."]
    assert [(a["data-before"], t) for a, t in page.find("mark", "rewrite") if "sample" not in a["class"]] == [
        ("Peskow", "Peskov")
    ]
    flags = [t for _, t in page.find("span", "flag")]
    assert {"merged:2-1", "source_only", "target_only"} <= set(flags)


@pytest.mark.browser
def test_rendered_aligned_document_keeps_rows_aligned(tmp_path: Path) -> None:
    report = measure(write_html([aligned(), german()]), LAYOUT_JS, tmp_path)
    assert len(report["rows"]) == 7
    for row in report["rows"]:
        assert abs(row["src"]["top"] - row["tgt"]["top"]) < 0.5, row["id"]
        assert row["src"]["height"] > 10 and row["tgt"]["height"] > 10, row["id"]


def _visible_text(html: str) -> str:
    page = Page(html)
    return "".join(
        "".join(text)
        for tag, _, text in page.elements
        if tag in ("h1", "h2", "dd", "dt", "td", "th", "p", "li")
    )


def test_rewrite_shows_the_old_spelling_struck_through_beside_the_new_one() -> None:
    html = write_html([german()])
    pairs = re.findall(r'<del class="was"[^>]*>([^<]*)</del><mark class="rewrite"[^>]*>([^<]*)</mark>', html)
    assert pairs == [("Peskow", "Peskov"), ("Kosak", "Kozak")]
    # without the struck-through spellings, the cells hold exactly the translations
    cells = re.findall(r'<td class="tgt"[^>]*>(.*?)</td>', html)
    plain = [unescape(re.sub(r"<[^>]+>", "", re.sub(r'<del class="was".*?</del>', "", c))) for c in cells]
    assert plain == [s.target for s in german().segments]


def test_source_mention_of_a_rewritten_name_is_highlighted() -> None:
    page = Page(write_html([german(), *batch()[1:]]))
    mentions = [t for _, t in page.find("mark", "mention") if True]
    assert mentions[1:] == ["Peskow", "Kosak"]  # the first is the legend's sample
    # the source cells still hold exactly the source text
    assert [t for _, t in page.find("td", "src")][:3] == [s.source for s in german().segments]


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("Kremlsprecher Dmitri Peskows Worte", "Dmitri Peskow", "Dmitri Peskows"),
        ("Пресс-секретарь Дмитрий Песков сказал", "Peskov", "Песков"),
        ("Слова Пескова были ясны", "Peskov", "Пескова"),
        ("PESKOW sagte", "Peskow", "PESKOW"),
        ("Die Kosakenmütze", "Kosak", None),  # a longer word is not the name
    ],
)
def test_mentions_are_found_across_scripts_case_and_endings(
    source: str, name: str, expected: str | None
) -> None:
    from transnorm.document import Edit
    from transnorm.write.html import _find_mentions

    found = _find_mentions(source, [Edit(segment=0, span=(0, 6), before=name, after=name)])
    assert [source[s:e] for _, (s, e) in found][:1] == ([expected] if expected else [])


def test_names_table_comes_first_with_spellings_before_and_after_and_counts() -> None:
    html = write_html(batch())
    page = Page(html)
    assert html.index('<table class="names"') < html.index('<dl class="facts"') < html.index("<main>")
    rows = [t for _, t in page.find("tr")][: 1 + 2]
    assert rows[1] == "Q-PeskovPeskov ×2Peskow ×222"
    assert rows[2] == "Q-KozakKozak ×1Kosak ×111"
    empty = Page(write_html([batch()[-1]]))
    assert [t for _, t in empty.find("td", "none")] == ["none"]


def test_signature_appears_once() -> None:
    text = _visible_text(write_html(batch()))
    assert text.count("cfg1a2b3c") == 1  # the config hash of the run signature
    assert not Page(write_html(batch())).find("p", "sig")


@pytest.mark.browser
def test_rendered_old_spelling_is_visible_without_hovering(tmp_path: Path) -> None:
    js = """const pairs = [...document.querySelectorAll('td del.was')].map(d => {
      const m = d.nextElementSibling, a = d.getBoundingClientRect(), b = m.getBoundingClientRect();
      return {was: d.textContent, now: m.textContent, line: getComputedStyle(d).textDecorationLine,
              width: a.width, sameLine: Math.abs(a.top - b.top) < 2, before: a.right <= b.left + 0.5};});
    const mention = document.querySelector('td.src mark.mention');
    const names = document.querySelector('table.names').getBoundingClientRect();
    window.report = {pairs, mention: getComputedStyle(mention).backgroundColor,
                     namesTop: names.top, factsTop: document.querySelector('dl.facts').getBoundingClientRect().top};"""
    report = measure(write_html([german()]), js, tmp_path)
    assert [(p["was"], p["now"]) for p in report["pairs"]] == [("Peskow", "Peskov"), ("Kosak", "Kozak")]
    for pair in report["pairs"]:
        assert "line-through" in pair["line"] and pair["width"] > 10 and pair["sameLine"] and pair["before"]
    assert report["mention"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert report["namesTop"] < report["factsTop"]


def test_check_names_page_says_none_for_empty_tables(tmp_path: Path) -> None:
    """`check-names --format html` on a text with a known name and nothing inconsistent."""
    import io

    from transnorm.cli import main

    src = tmp_path / "a.txt"
    src.write_text("The Kremlin spokesman Dmitry Peskov spoke on Monday in Moscow.", encoding="utf-8")
    out = io.StringIO()
    assert main(["check-names", str(src), "--lang", "en", "--format", "html"], stdout=out) == 0
    page = Page(out.getvalue())
    # no inconsistent documents, no near-variants
    assert [t for _, t in page.find("td", "none")] == ["none", "none"]
    assert any("Dmitry Peskov" in t for _, t in page.find("td"))
    empty = tmp_path / "b.txt"
    empty.write_text("Nothing here names anybody at all, only weather.", encoding="utf-8")
    out = io.StringIO()
    main(["check-names", str(empty), "--lang", "en", "--format", "html"], stdout=out)
    assert [t for _, t in Page(out.getvalue()).find("td", "none")] == ["none", "none", "none"]

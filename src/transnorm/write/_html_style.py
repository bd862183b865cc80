"""The stylesheet inlined into every HTML page (no fonts, images or other files are fetched)."""

CSS = """
:root { --ink: #1d232b; --muted: #5b6573; --line: #d8dde3; --bg: #f6f7f9; --rewrite: #fff0a8;
        --rewrite-edge: #c99a00; --flag: #b45309; --flag-bg: #fff4e5; --error: #b42318;
        --error-bg: #fdecea; --was: #a3261b; --mention: #dcebff; --mention-edge: #4a7cc9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans",
       sans-serif; color: var(--ink); background: var(--bg); }
header.summary, main { max-width: 1400px; margin: 0 auto; padding: 16px 24px; }
header.summary { background: #fff; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 0; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
nav.toc { margin-top: 8px; font-size: 14px; }
nav.toc a { margin-right: 12px; }
section.doc { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 16px 0;
              padding: 12px 16px; }
section.doc.has-errors { border-color: var(--error); }
.doc-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; margin-bottom: 6px; }
.langs { color: var(--muted); font-size: 14px; }
.sig { margin: 0 0 8px; color: var(--muted); }
ul.errors, ul.warnings { margin: 6px 0; padding: 6px 12px 6px 28px; border-radius: 4px; }
ul.errors { background: var(--error-bg); color: var(--error); border-left: 4px solid var(--error); }
ul.warnings { background: var(--flag-bg); color: var(--flag); }
table.pairs { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.pairs col.n { width: 3.5em; }
table.pairs col.notes { width: 13em; }
table.pairs th { text-align: start; font-size: 13px; color: var(--muted); border-bottom: 2px solid var(--line);
                 padding: 4px 8px; }
table.pairs td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line);
                 white-space: pre-wrap; overflow-wrap: anywhere; text-align: start; }
table.pairs td.n { color: var(--muted); font-size: 12px; text-align: end; }
table.pairs tr.para-start td { border-top: 2px solid #b7c0cb; }
table.pairs tr.flagged td.n { border-left: 4px solid var(--flag); }
table.pairs tr.has-errors td { background: var(--error-bg); }
td.missing .none { color: var(--muted); font-style: italic; }
.flag { display: inline-block; margin: 0 4px 4px 0; padding: 0 6px; border-radius: 10px; font-size: 12px;
        color: var(--flag); background: var(--flag-bg); border: 1px solid #f3c98b; white-space: nowrap; }
.badge-error { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px;
                color: var(--error); background: var(--error-bg); border: 1px solid #f1aeb5; }
.error { display: block; font-size: 12px; color: var(--error); white-space: normal; }
.note { display: block; font-size: 12px; color: var(--muted); white-space: normal; }
mark.rewrite { background: var(--rewrite); color: inherit; border-bottom: 2px solid var(--rewrite-edge);
               padding: 0 1px; cursor: help; position: relative; }
mark.rewrite:hover::after, mark.rewrite:focus::after {
  content: "was: " attr(data-before); position: absolute; inset-inline-start: 0; top: 100%; z-index: 5;
  background: #222; color: #fff; padding: 2px 6px; border-radius: 3px; font-size: 12px;
  white-space: nowrap; }
.legend mark { cursor: default; }
.ctl { font: 11px monospace; color: #a00; border: 1px solid #a00; border-radius: 2px; padding: 0 2px; }
del.was { color: var(--was); text-decoration: line-through 1.5px; text-decoration-color: var(--was);
          margin-inline-end: 0.25em; white-space: nowrap; }
td mark.rewrite { white-space: nowrap; }
mark.mention { background: var(--mention); color: inherit; border-bottom: 2px solid var(--mention-edge);
               padding: 0 1px; }
table.names { border-collapse: collapse; margin: 4px 0 12px; font-size: 14px; }
table.names caption { text-align: start; font-weight: 600; color: var(--muted); padding-bottom: 4px; }
table.names th { text-align: start; font-size: 13px; color: var(--muted); border-bottom: 2px solid var(--line);
                 padding: 3px 12px 3px 0; }
table.names td { padding: 3px 12px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
table.names td.none, dd .none { color: var(--muted); font-style: italic; }
table.names del { color: var(--was); }
@media print { mark.rewrite, mark.mention { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""

"""The picture analysts look at: one self-contained HTML page per output folder.

`python -m pipeline report OUT` (or `make report`) writes OUT/report.html: per subject
(claim groups counting the same thing, see pipeline/groups.py) a timeline of each
source's number (Plotly, its JavaScript inlined) and a sortable table of the claims
with their sentence as evidence and a link to the article. Nothing is fetched when
the page is opened: scripts, styles and data are all inside it.

Sorting: click a column header; `report.html#sort=TABLE_ID:COLUMN:asc|desc` opens
the page with that table sorted (the browser test uses it).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

MAX_PLOTTED_SUBJECTS = 60      # a page an analyst can scroll; the rest stay in the summary table

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;
     color:#222;padding:0 1rem}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ddd;padding-top:1rem}
table.sortable{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
table.sortable th,table.sortable td{border:1px solid #ddd;padding:.3rem .45rem;vertical-align:top;text-align:left}
table.sortable th{background:#f3f3f3;cursor:pointer;user-select:none;white-space:nowrap}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.sentence{min-width:24rem;max-width:40rem}
.estimate{font-size:.95rem;margin:.3rem 0} .estimate b{font-size:1.1rem}
.muted{color:#666;font-size:.85rem}
"""

# Sorts by the cell's data-sort value (numbers compare as numbers, empty cells last).
SORT_JS = """
(function(){
  function key(td){ var v = td.getAttribute('data-sort'); if (v === null) v = td.textContent.trim();
    var n = parseFloat(v); return (v !== '' && !isNaN(n) && isFinite(v)) ? [0, n] : (v === '' ? [2, ''] : [1, v.toLowerCase()]); }
  function sortTable(table, col, dir){
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function(r1, r2){ var a = key(r1.cells[col]), b = key(r2.cells[col]);
      if (a[0] !== b[0]) return a[0] - b[0];   /* numbers, then text, empty cells last either way */
      var c = a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; return dir === 'desc' ? -c : c; });
    rows.forEach(function(r){ body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, i){
      if (i === col) th.setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort'); });
  }
  document.querySelectorAll('table.sortable').forEach(function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, i){
      th.addEventListener('click', function(){
        sortTable(table, i, th.getAttribute('aria-sort') === 'ascending' ? 'desc' : 'asc'); }); }); });
  var m = /sort=([^:&]+):([^:&]+):(asc|desc)/.exec(decodeURIComponent(location.hash));
  if (m) { var t = document.getElementById(m[1]);
    if (t) { var col = Array.prototype.findIndex.call(t.tHead.rows[0].cells, function(th){
        return th.getAttribute('data-col') === m[2]; });
      if (col >= 0) sortTable(t, col, m[3]); } }
  document.body.setAttribute('data-sort-ready', '1');
})();
"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _table(tid: str, cols: list[tuple[str, str, str]], rows: list[dict]) -> str:
    """cols: (key, header, kind) with kind text|num|html|date; a row may give `KEY__sort`."""
    head = "".join(f'<th data-col="{_e(k)}" scope="col">{_e(h)}</th>' for k, h, _ in cols)
    body = []
    for r in rows:
        cells = []
        for k, _, kind in cols:
            v = r.get(k)
            sort = r.get(f"{k}__sort", v)
            sort_attr = f' data-sort="{_e("" if sort is None else sort)}"'
            if kind == "num":
                cells.append(f'<td class="num"{sort_attr}>{_num(v)}</td>')
            elif kind == "html":
                cells.append(f'<td{sort_attr}>{v or ""}</td>')
            else:
                cells.append(f'<td class="{_e(k)}"{sort_attr}>{_e(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="sortable" id="{_e(tid)}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _source(r: dict) -> str:
    return r.get("source_canonical") or "(outlet's own voice)"


def _plot(sid: str, groups: list[dict]) -> str:
    """Timeline: each source's figures over time, one trace per source, ranges as error bars."""
    import plotly.graph_objects as go
    fig = go.Figure()
    by_source: dict[str, list[dict]] = defaultdict(list)
    for g in groups:
        x = g.get("first_claim_date") or g.get("first_reported")
        if x is not None and g.get("value") is not None:
            by_source[_source(g)].append(g | {"_x": x})
    for src, gs in sorted(by_source.items()):
        gs.sort(key=lambda g: g["_x"])
        fig.add_trace(go.Scatter(
            x=[g["_x"].isoformat() for g in gs], y=[g["value"] for g in gs], name=src, mode="lines+markers",
            marker={"size": [8 + 3 * min(g["n_articles"], 6) for g in gs]},
            error_y={"type": "data", "symmetric": False, "array": [(g["value_max"] or g["value"]) - g["value"] for g in gs],
                     "arrayminus": [0] * len(gs), "visible": any(g["value_max"] for g in gs)},
            customdata=[[", ".join(g["quantity_texts"]), g["n_articles"], ", ".join(g["via"]) or "-",
                         g["qualifier"] or ""] for g in gs],
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} (%{customdata[3]})<br>"
                          "%{x}<br>%{customdata[1]} article(s); via %{customdata[2]}<extra></extra>"))
    days = sorted({g["_x"] for gs in by_source.values() for g in gs})
    if days and (days[-1] - days[0]).days < 6:
        # a few days of reports: show a week around them rather than hours
        pad = dt.timedelta(days=3)
        fig.update_xaxes(range=[(days[0] - pad).isoformat(), (days[-1] + pad).isoformat()])
    fig.update_layout(height=360, margin={"l": 60, "r": 20, "t": 20, "b": 40}, template="plotly_white",
                      legend={"orientation": "h", "y": -0.2}, yaxis_title="value", xaxis_title="claim date",
                      xaxis={"type": "date"})
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{sid}",
                       config={"displaylogo": False, "responsive": True})


def _claim_rows(claims: list[dict], groups_by_id: dict[str, dict]) -> list[dict]:
    rows = []
    for c in claims:
        d = c.get("claim_date")
        doc = c["doc_id"]
        rows.append({
            "claim_date": d.isoformat() if d else "", "source": _source(c),
            "as_named": c.get("source") or "", "via": c.get("via") or "",
            "quantity_text": c["quantity_text"], "value": c.get("value"),
            "value_max": c.get("value_max"), "qualifier": c.get("qualifier"),
            "reports": groups_by_id[c["group_id"]]["n_articles"] if c.get("group_id") in groups_by_id else 1,
            "doc_id": f'<a href="#article-{_e(doc)}">{_e(doc)}</a>', "doc_id__sort": doc,
            "sentence": c.get("sentence") or "",
        })
    rows.sort(key=lambda r: (r["claim_date"] or "9999", r["source"]))
    return rows


CLAIM_COLS = [("claim_date", "claim date", "date"), ("source", "source", "text"), ("as_named", "as named", "text"),
              ("via", "via", "text"), ("quantity_text", "as written", "text"), ("value", "value", "num"),
              ("value_max", "up to", "num"), ("qualifier", "qualifier", "text"),
              ("reports", "articles reporting it", "num"), ("doc_id", "article", "html"),
              ("sentence", "evidence", "text")]


def build_html(out: str | os.PathLike) -> str:
    import plotly.offline
    out = Path(out)
    read = lambda t: pq.read_table(out / f"{t}.parquet").to_pylist() if (out / f"{t}.parquet").exists() else []  # noqa: E731
    subjects, groups, claims, articles = read("subjects"), read("claim_groups"), read("claims"), read("articles")
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").exists() else {}
    groups_by_id = {g["group_id"]: g for g in groups}
    groups_of: dict[str, list[dict]] = defaultdict(list)
    for g in groups:
        if g.get("subject_id"):
            groups_of[g["subject_id"]].append(g)
    claims_of: dict[str, list[dict]] = defaultdict(list)
    for c in claims:
        g = groups_by_id.get(c.get("group_id"))
        if g and g.get("subject_id"):
            claims_of[g["subject_id"]].append(c)
    # subjects where sources can disagree first, then the most reported
    subjects.sort(key=lambda s: (-s["n_sources"], -s["n_articles"], -s["n_groups"], s["label"] or ""))
    shown = [s for s in subjects if s["n_groups"] > 1][:MAX_PLOTTED_SUBJECTS]
    shown_ids = {s["subject_id"] for s in shown}

    parts = [f"<h1>Who claimed how many, when</h1>",
             f'<p class="muted">{_e(len(articles))} articles, {_e(len(claims))} claims, {_e(len(groups))} '
             f'underlying claims (claim groups), {_e(len(subjects))} subjects (the table leaves out the '
             f'{_e(sum(s["n_groups"] <= 1 for s in subjects))} with one claim from one source). Input: {_e(run.get("input"))}; '
             f'pipeline {_e(run.get("pipeline_version"))}, model {_e(run.get("model"))}. Generated '
             f'{dt.date.today().isoformat()}.</p>',
             "<p>A <i>subject</i> gathers the claims that count the same thing, whoever makes them; a claim "
             "relayed by several articles counts once per source (see <i>articles reporting it</i>). "
             "<i>low / best / high</i>: the lowest, median and highest of each source's latest firm figure.</p>",
             "<h2>Subjects</h2>"]
    summary = [{"label": (f'<a href="#subject-{_e(s["subject_id"])}">{_e(s["label"])}</a>'
                          if s["subject_id"] in shown_ids else _e(s["label"])), "label__sort": s["label"],
                "n_sources": s["n_sources"], "n_groups": s["n_groups"], "n_articles": s["n_articles"],
                "low": s["low"], "best": s["best"], "high": s["high"],
                "sources": ", ".join(s["sources"]),
                "first_reported": s["first_reported"].isoformat() if s["first_reported"] else "",
                "last_reported": s["last_reported"].isoformat() if s["last_reported"] else ""}
               for s in subjects if s["n_groups"] > 1]
    parts.append(_table("subjects", [("label", "subject", "html"), ("n_sources", "sources", "num"),
                                     ("n_groups", "claims", "num"), ("n_articles", "articles", "num"),
                                     ("low", "low", "num"), ("best", "best", "num"), ("high", "high", "num"),
                                     ("first_reported", "first reported", "date"),
                                     ("last_reported", "last reported", "date"), ("sources", "who", "text")],
                        summary))
    for s in shown:
        sid = s["subject_id"]
        gs = groups_of[sid]
        undated = sum(1 for g in gs if not (g.get("first_claim_date") or g.get("first_reported")))
        parts.append(f'<section class="subject" id="subject-{_e(sid)}"><h2>{_e(s["label"])}</h2>')
        parts.append(f'<p class="estimate">low <b>{_num(s["low"])}</b> · best <b>{_num(s["best"])}</b> · '
                     f'high <b>{_num(s["high"])}</b> — {s["n_sources"]} source(s), {s["n_articles"]} article(s)</p>')
        parts.append(_plot(sid, gs))
        if undated:
            parts.append(f'<p class="muted">{undated} claim(s) without a date are in the table, not on the timeline.</p>')
        parts.append(_table(f"claims-{sid}", CLAIM_COLS, _claim_rows(claims_of[sid], groups_by_id)))
        parts.append("</section>")
    parts.append('<h2 id="articles">Articles</h2>')
    parts.append(_table("articles", [("doc_id", "article", "html"), ("title", "title", "text"),
                                     ("published", "published", "date"), ("outlet", "outlet", "text"),
                                     ("n_claims", "claims", "num"), ("url", "url", "html")],
                        [{"doc_id": f'<span id="article-{_e(a["doc_id"])}">{_e(a["doc_id"])}</span>',
                          "doc_id__sort": a["doc_id"], "title": a.get("title"),
                          "published": a["published"].isoformat() if a.get("published") else "",
                          "outlet": a.get("outlet"), "n_claims": a.get("n_claims"),
                          "url": f'<a href="{_e(a["url"])}" rel="noreferrer">{_e(a["url"])}</a>' if a.get("url") else ""}
                         for a in articles]))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>newsclaims report</title><style>{STYLE}</style>"
            f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
            + "\n".join(parts) + f"<script>{SORT_JS}</script></body></html>\n")


def write_report(out: str | os.PathLike, path: str | os.PathLike | None = None) -> Path:
    """Write the report of output folder `out` (atomically) and return its path."""
    out = Path(out)
    path = Path(path) if path else out / "report.html"
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        tmp.write_text(build_html(out), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path

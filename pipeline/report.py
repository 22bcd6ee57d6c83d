"""The picture analysts look at: one self-contained HTML page per output folder.

`python -m pipeline report OUT` (or `make report`) writes OUT/report.html: per subject
(claim groups counting the same thing, see pipeline/groups.py) a timeline of each
source's number, the undated claims beside it, and a sortable table of the claims with
their sentence as evidence (the number marked) and the article they come from. Nothing
is fetched when the page is opened: scripts, styles and data are all inside it. The
timeline is drawn by Plotly's *basic* bundle (pipeline/static/plotly-basic.min.js,
plotly.js-basic-dist-min from npm, MIT), a quarter of the full bundle's size.

A relay ("Zelensky, citing Syrskyi") is not a second source: a claim group whose source
is named as the relay (`via`) of another group with the same figure is folded into it.

Sorting: click a column header; `report.html#sort=TABLE_ID:COLUMN:asc|desc` opens
the page with that table sorted (the browser test uses it).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import outdir

MAX_PLOTTED_SUBJECTS = 60  # a page an analyst can scroll; the rest stay in the summary table
PLOTLY_JS = "plotly-basic.min.js"
# Plotly's default colour cycle, spelled out so the undated strip can use a source's trace colour
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
TABLES = ("articles", "claims", "claim_groups", "subjects")


class ReportError(Exception):
    """The report cannot be made or written; the message says why (the CLI prints it and exits 2)."""


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1600px;
     color:#222;padding:0 1rem}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ddd;padding-top:1rem}
.scroll{overflow-x:auto;max-width:100%}
table.sortable{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
table.sortable th,table.sortable td{border:1px solid #ddd;padding:.3rem .45rem;vertical-align:top;text-align:left;
     overflow-wrap:break-word}
table.sortable th{background:#f3f3f3;cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.claim_date,td.published,td.first_reported,td.last_reported,td.qualifier{white-space:nowrap}
td.sentence{min-width:18rem;width:40%} td.article{min-width:8rem}
mark{background:#ffe36e;padding:0 .1em}
.estimate{font-size:.95rem;margin:.3rem 0} .estimate b{font-size:1.1rem}
.muted{color:#666;font-size:.85rem}
.plot{height:360px}
.undated{font-size:.85rem;margin:.2rem 0 .8rem;padding:.4rem .5rem;background:#f7f7f7;border-left:3px solid #bbb}
.undated .chip{display:inline-block;margin:.15rem .4rem .15rem 0;padding:.1rem .4rem;border:1px solid #ccc;
     border-left-width:6px;border-radius:3px;background:#fff}
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


def _script_json(obj) -> str:
    """JSON to sit inside <script>: no '<' at all, so no text from an article can close the element."""
    return json.dumps(obj, separators=(",", ":")).replace("<", "\\u003c")


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
                cells.append(f'<td class="{_e(k)}"{sort_attr}>{v or ""}</td>')
            else:
                cells.append(f'<td class="{_e(k)}"{sort_attr}>{_e(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table class="sortable" id="{_e(tid)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# --- what the input says about articles: shown as text, linked only when it is a web address

_STRIPPED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_EDGES = "".join(map(chr, range(0x21))) + "\x7f"  # ... and C0 controls and spaces at its ends
_WEB_URL = re.compile(r"https?://[^/\\\s]", re.I)


def safe_url(url) -> str | None:
    """The URL when it is an http(s) address a link may point to, else None.

    Escaping a `javascript:` or `data:` URL does not defuse it: the scheme itself runs, so
    only http(s) become links; the check reads the URL as a browser does (tabs and newlines
    removed, controls and spaces trimmed, any case)."""
    if not isinstance(url, str):
        return None
    u = _STRIPPED.sub("", url).strip(_EDGES)
    return u if _WEB_URL.match(u) else None


def _url_cell(url) -> str:
    if not url:
        return ""
    u = safe_url(url)
    return f'<a href="{_e(u)}" rel="noreferrer noopener">{_e(u)}</a>' if u else f'<span class="muted">{_e(url)}</span>'


def _article_label(a: dict | None, doc_id: str) -> str:
    """Outlet and title of an article (its id only when the input gave neither)."""
    if not a:
        return doc_id
    parts = [p for p in (a.get("outlet"), a.get("title")) if p]
    return " · ".join(parts) if parts else doc_id


def _evidence(c: dict) -> str:
    """The claim's sentence, escaped, with its number in <mark>."""
    s, qt = c.get("sentence") or "", c.get("quantity_text") or ""
    ss, start = c.get("sentence_start"), c.get("start")
    i = start - ss if ss is not None and start is not None else -1
    if not qt or i < 0 or s[i : i + len(qt)] != qt:
        i = s.find(qt) if qt else -1  # the sentence may be cut as evidence: find the number in it
    if i < 0:
        return _e(s)
    j = i + len(qt)
    return f"{_e(s[:i])}<mark>{_e(s[i:j])}</mark>{_e(s[j:])}"


# --- sources and relays


def _source(r: dict) -> str:
    return r.get("source_canonical") or "(outlet's own voice)"


def fold_relays(groups: list[dict]) -> dict[str, dict]:
    """Groups that only relay another group's figure: {relay group_id: the group it relays}.

    'Zelensky, citing Syrskyi, said about 3,000' gives a Syrskyi group with via Zelensky, and
    articles that drop the citation give a Zelensky group with the same figure. The second is
    the relay speaking, not a second source that agrees."""
    by_name: dict[tuple, list[dict]] = defaultdict(list)  # (a name of its source, figure) -> groups
    for h in groups:
        figure = (h.get("value"), h.get("value_max"), h.get("unit"))
        for n in {
            (h.get("source_canonical") or "").casefold(),
            *(n.casefold() for n in h.get("sources_as_named") or []),
        }:
            if n:
                by_name[n, figure].append(h)
    folded: dict[str, dict] = {}
    for g in groups:
        figure = (g.get("value"), g.get("value_max"), g.get("unit"))
        for relay in {v.casefold() for v in g.get("via") or []}:
            for h in by_name.get((relay, figure), []):
                if h is not g and h["group_id"] not in folded and g["group_id"] not in folded:
                    folded[h["group_id"]] = g
    return folded


def _points(groups: list[dict], folded: dict[str, dict]) -> list[dict]:
    """One point per claim group that is not a relay, with the relays' articles added to it."""
    relays_of: dict[str, list[dict]] = defaultdict(list)
    for h in groups:
        if h["group_id"] in folded:
            relays_of[folded[h["group_id"]]["group_id"]].append(h)
    points = []
    for g in groups:
        if g["group_id"] in folded:
            continue
        rel = relays_of[g["group_id"]]
        docs = set(g.get("doc_ids") or []).union(*[set(h.get("doc_ids") or []) for h in rel])
        points.append(
            {
                "group_id": g["group_id"],
                "source": _source(g),
                "date": g.get("first_claim_date") or g.get("first_reported"),
                "value": g.get("value"),
                "value_max": g.get("value_max"),
                "qualifier": g.get("qualifier") or "",
                "texts": sorted(
                    set(g.get("quantity_texts") or []).union(*[h.get("quantity_texts") or [] for h in rel])
                ),
                "via": sorted(set(g.get("via") or [])),
                "n_articles": len(docs) or g.get("n_articles") or 1,
                "doc_ids": sorted(docs),
            }
        )
    return points


def _y_title(subject: dict, groups: list[dict]) -> str:
    """The axis names what the number counts (casualties, troops) or the currency it is in."""
    if subject.get("unit"):
        return f"amount ({subject['unit'].upper()})"
    if subject.get("counts"):
        return subject["counts"]
    units = Counter(g.get("unit") for g in groups if g.get("unit"))
    return units.most_common(1)[0][0] if units else "number"


# --- the timeline


def _dodge_step(days: list[dt.date]) -> float:
    """How far apart (in days) two sources' points of one day are drawn: ~1.5% of the axis."""
    span = (max(days) - min(days)).days if days else 0
    return max(span, 6) * 0.015


def _figure(sid: str, points: list[dict], y_title: str, colors: dict[str, str]) -> str:
    """Timeline: each source's figures over time, one trace per source, ranges as error bars.

    Points of one day are dodged by source (each source a fixed offset of a few hours), so
    sources that agree on a day stay visible side by side; the hover gives the real date."""
    dated = [p for p in points if p["date"] is not None and p["value"] is not None]
    sources = sorted({p["source"] for p in dated})
    step = _dodge_step([p["date"] for p in dated])
    traces = []
    for i, src in enumerate(sources):
        ps = sorted((p for p in dated if p["source"] == src), key=lambda p: p["date"])
        shift = dt.timedelta(days=(i - (len(sources) - 1) / 2) * step)
        traces.append(_trace(src, ps, _dodged_x(ps, shift, step), colors[src]))
    layout = _layout([p["date"] for p in dated], y_title)
    config = {"displaylogo": False, "responsive": True}
    div = f"plot-{sid}"
    return (
        f'<div class="plot" id="{_e(div)}"></div><script>Plotly.newPlot({_script_json(div)},'
        f"{_script_json(traces)},{_script_json(layout)},{_script_json(config)});</script>"
    )


def _dodged_x(ps: list[dict], shift: dt.timedelta, step: float) -> list[str]:
    """The x of one source's points (sorted by date): noon of the day, moved by the source's
    `shift`, and a further third of a `step` for each equal figure of the same day before it."""
    seen: Counter = Counter()  # one source's equal figures of one day (10,000 and 10-12 thousand)
    x = []
    for p in ps:
        again = dt.timedelta(days=seen[p["date"], p["value"]] * step / 3)
        seen[p["date"], p["value"]] += 1
        x.append((dt.datetime.combine(p["date"], dt.time(12)) + shift + again).isoformat(timespec="minutes"))
    return x


def _trace(src: str, ps: list[dict], x: list[str], color: str) -> dict:
    """One source's Plotly trace: its figures at `x`, ranges as error bars, the claims on hover."""
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": src,
        "x": x,
        "y": [p["value"] for p in ps],
        "marker": {
            "size": [8 + 3 * min(p["n_articles"], 6) for p in ps],
            "color": color,
            "opacity": 1,
            "line": {"width": 1, "color": "#fff"},
        },
        "line": {"color": color, "width": 1.5},
        "error_y": {
            "type": "data",
            "symmetric": False,
            "visible": any(p["value_max"] for p in ps),
            "array": [(p["value_max"] or p["value"]) - p["value"] for p in ps],
            "arrayminus": [0] * len(ps),
        },
        "customdata": [
            [
                p["date"].isoformat(),
                ", ".join(p["texts"]),
                p["n_articles"],
                ", ".join(p["via"]) or "-",
                p["qualifier"],
            ]
            for p in ps
        ],
        "hovertemplate": "<b>%{fullData.name}</b><br>%{customdata[1]} (%{customdata[4]})<br>%{customdata[0]}"
        "<br>%{customdata[2]} article(s); via %{customdata[3]}<extra></extra>",
    }


def _layout(dates: list, y_title: str) -> dict:
    """The timeline's Plotly layout: the x axis spans the dated points' days with a margin."""
    days = sorted(dates)
    xaxis: dict = {"type": "date", "title": {"text": "claim date"}, "gridcolor": "#eee"}
    if days:
        pad = dt.timedelta(days=3) if (days[-1] - days[0]).days < 6 else (days[-1] - days[0]) * 0.05
        xaxis["range"] = [(days[0] - pad).isoformat(), (days[-1] + pad + dt.timedelta(days=1)).isoformat()]
    return {
        "height": 360,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 40},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "gridcolor": "#eee", "zerolinecolor": "#ccc"},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
    }


def _undated(points: list[dict], colors: dict[str, str], articles: dict[str, dict], unit: str) -> str:
    """The claims the timeline cannot place, right under it, one chip per claim group."""
    chips = []
    for p in sorted((p for p in points if p["date"] is None), key=lambda p: (p["source"], p["value"] or 0)):
        where = "; ".join(_article_label(articles.get(d), d) for d in p["doc_ids"][:3])
        chips.append(
            f'<span class="chip" style="border-left-color:{colors.get(p["source"], "#999")}">'
            f"<b>{_e(p['source'])}</b>: {_e(', '.join(p['texts']) or _num(p['value']))} {_e(unit)} "
            f'<span class="muted">({_e(where)})</span></span>'
        )
    if not chips:
        return ""
    return (
        f'<div class="undated"><span class="muted">undated ({len(chips)}): no claim or publication date, '
        f"so not on the timeline:</span><br>{''.join(chips)}</div>"
    )


# --- tables


def _claim_rows(
    claims: list[dict], points_by_group: dict[str, dict], folded: dict[str, dict], articles: dict[str, dict]
) -> list[dict]:
    rows = []
    for c in claims:
        d = c.get("claim_date")
        doc = c["doc_id"]
        gid = c.get("group_id")
        source = _source(c)
        if gid in folded:  # the relay speaking: say whose figure it passes on
            source = f"{source} (relaying {_source(folded[gid])})"
            gid = folded[gid]["group_id"]
        point = points_by_group.get(gid)
        rows.append(
            {
                "claim_date": d.isoformat() if d else "",
                "source": source,
                "as_named": c.get("source") or "",
                "via": c.get("via") or "",
                "quantity_text": c["quantity_text"],
                "value": c.get("value"),
                "value_max": c.get("value_max"),
                "qualifier": c.get("qualifier"),
                "reports": point["n_articles"] if point else 1,
                "article": f'<a href="#article-{_e(doc)}">{_e(_article_label(articles.get(doc), doc))}</a>',
                "article__sort": _article_label(articles.get(doc), doc),
                "sentence": _evidence(c),
                "sentence__sort": c.get("sentence") or "",
            }
        )
    rows.sort(key=lambda r: (r["claim_date"] or "9999", r["source"]))
    return rows


CLAIM_COLS = [
    ("claim_date", "claim date", "date"),
    ("source", "source", "text"),
    ("as_named", "as named", "text"),
    ("via", "via", "text"),
    ("quantity_text", "as written", "text"),
    ("value", "value", "num"),
    ("value_max", "up to", "num"),
    ("qualifier", "qualifier", "text"),
    ("reports", "articles reporting it", "num"),
    ("article", "article", "html"),
    ("sentence", "evidence", "html"),
]
SUBJECT_COLS = [
    ("label", "subject", "html"),
    ("n_sources", "sources", "num"),
    ("n_groups", "claims", "num"),
    ("n_articles", "articles", "num"),
    ("low", "low", "num"),
    ("best", "best", "num"),
    ("high", "high", "num"),
    ("first_reported", "first reported", "date"),
    ("last_reported", "last reported", "date"),
    ("sources", "who", "text"),
]
ARTICLE_COLS = [
    ("article", "article", "html"),
    ("published", "published", "date"),
    ("outlet", "outlet", "text"),
    ("n_claims", "claims", "num"),
    ("url", "url", "html"),
    ("doc_id", "id", "html"),
]


def _article_rows(articles: list[dict]) -> list[dict]:
    return [
        {
            "article": _e(a.get("title") or a["doc_id"]),
            "article__sort": a.get("title") or a["doc_id"],
            "published": a["published"].isoformat() if a.get("published") else "",
            "outlet": a.get("outlet"),
            "n_claims": a.get("n_claims"),
            "url": _url_cell(a.get("url")),
            "url__sort": a.get("url") or "",
            "doc_id": f'<span class="muted" id="article-{_e(a["doc_id"])}">{_e(a["doc_id"])}</span>',
            "doc_id__sort": a["doc_id"],
        }
        for a in articles
    ]


# --- the page


def _tables_dir(out: Path) -> Path:
    """Where the current tables are: the current generation (pipeline/outdir.py), or `out` itself."""
    return outdir.current_dir(out) or out


def _read_tables(out: Path) -> tuple[dict[str, list[dict]], dict]:
    """The tables the page shows, and run.json; a clear ReportError when they are not there."""
    if not out.is_dir():
        raise ReportError(f"output folder not found: {out}" if not out.exists() else f"not a folder: {out}")
    out = _tables_dir(out)
    missing = [t for t in ("articles", "claims") if not (out / f"{t}.parquet").is_file()]
    if missing:
        raise ReportError(
            f"no tables in {out} ({', '.join(t + '.parquet' for t in missing)} missing): "
            f"run `newsclaims run INPUT --out {out}` first"
        )
    tables = {}
    for t in TABLES:
        f = out / f"{t}.parquet"
        try:
            tables[t] = pq.read_table(f).to_pylist() if f.exists() else []
        except (OSError, pa.ArrowException) as e:
            raise ReportError(f"cannot read {f}: {e}") from None
    try:
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = {}
    return tables, run


def _plotly_js() -> str:
    """Plotly's basic bundle shipped with the package; the full one from plotly.py if it is missing."""
    try:
        return (resources.files(__package__) / "static" / PLOTLY_JS).read_text(encoding="utf-8")
    except OSError:
        import plotly.offline

        return plotly.offline.get_plotlyjs()


def _subject_section(
    s: dict, gs: list[dict], folded: dict[str, dict], claims: list[dict], articles: dict[str, dict]
) -> str:
    sid = s["subject_id"]
    points = _points(gs, folded)
    sources = sorted({p["source"] for p in points})
    colors = {src: COLORS[i % len(COLORS)] for i, src in enumerate(sources)}
    y_title = _y_title(s, gs)
    relayed = f" (not counting {len(folded)} relay(s) of another source's figure)" if folded else ""
    return "".join(
        [
            f'<section class="subject" id="subject-{_e(sid)}"><h2>{_e(s["label"])}</h2>',
            f'<p class="estimate">low <b>{_num(s["low"])}</b> · best <b>{_num(s["best"])}</b> · '
            f"high <b>{_num(s['high'])}</b> — {len(sources)} source(s){relayed}, {s['n_articles']} article(s)</p>",
            _figure(sid, points, y_title, colors),
            _undated(points, colors, articles, y_title),
            _table(
                f"claims-{sid}", CLAIM_COLS, _claim_rows(claims, {p["group_id"]: p for p in points}, folded, articles)
            ),
            "</section>",
        ]
    )


def _sources(gs: list[dict], folded: dict[str, dict]) -> list[str]:
    """Sources of a subject, a relay of another's figure not counted."""
    return sorted({_source(g) for g in gs if g["group_id"] not in folded})


def _summary(subjects: list[dict], sources_of: dict[str, list[str]], shown_ids: set[str]) -> str:
    rows = []
    for s in subjects:
        names = sources_of[s["subject_id"]]
        n = len(names)
        label = (
            f'<a href="#subject-{_e(s["subject_id"])}">{_e(s["label"])}</a>'
            if s["subject_id"] in shown_ids
            else _e(s["label"])
        )
        rows.append(
            {
                "label": label,
                "label__sort": s["label"],
                "n_sources": n,
                "n_groups": s["n_groups"],
                "n_articles": s["n_articles"],
                "low": s["low"],
                "best": s["best"],
                "high": s["high"],
                "sources": ", ".join(names),
                "first_reported": s["first_reported"].isoformat() if s["first_reported"] else "",
                "last_reported": s["last_reported"].isoformat() if s["last_reported"] else "",
            }
        )
    return _table("subjects", SUBJECT_COLS, rows)


def build_html(out: str | os.PathLike) -> str:
    out = Path(out)
    tables, run = _read_tables(out)
    subjects, groups, claims, articles = (tables[t] for t in ("subjects", "claim_groups", "claims", "articles"))
    article_of = {a["doc_id"]: a for a in articles}
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
    listed = [s for s in subjects if s["n_groups"] > 1]
    folded = {s["subject_id"]: fold_relays(groups_of[s["subject_id"]]) for s in listed}
    sources_of = {sid: _sources(groups_of[sid], f) for sid, f in folded.items()}
    # subjects where sources can disagree first, then the most reported
    listed.sort(key=lambda s: (-len(sources_of[s["subject_id"]]), -s["n_articles"], -s["n_groups"], s["label"] or ""))
    shown = listed[:MAX_PLOTTED_SUBJECTS]
    no_groups = (
        ""
        if groups or not claims
        else (
            " The claims are not grouped yet: run `newsclaims groups "
            "OUT` (or a run without --no-groups) for subjects and timelines."
        )
    )
    parts = [
        "<h1>Who claimed how many, when</h1>",
        f'<p class="muted">{len(articles)} articles, {len(claims)} claims, {len(groups)} '
        f"underlying claims (claim groups), {len(subjects)} subjects (the table leaves out the "
        f"{len(subjects) - len(listed)} with one claim from one source). Input: {_e(run.get('input'))}; "
        f"pipeline {_e(run.get('pipeline_version'))}, model {_e(run.get('model'))}. Generated "
        f"{dt.date.today().isoformat()}.{_e(no_groups)}</p>",
        "<p>A <i>subject</i> gathers the claims that count the same thing, whoever makes them; a claim "
        "relayed by several articles counts once per source (see <i>articles reporting it</i>), and a "
        "source passing on another's figure (\u201cX, citing Y\u201d) is not counted as a second source. "
        "<i>low / best / high</i>: the lowest, median and highest of each source's latest firm figure.</p>",
        "<h2>Subjects</h2>",
        _summary(listed, sources_of, {s["subject_id"] for s in shown}),
    ]
    parts += [
        _subject_section(s, groups_of[s["subject_id"]], folded[s["subject_id"]], claims_of[s["subject_id"]], article_of)
        for s in shown
    ]
    parts += ['<h2 id="articles">Articles</h2>', _table("articles", ARTICLE_COLS, _article_rows(articles))]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsclaims report</title><style>{STYLE}</style>"
        f"<script>{_plotly_js()}</script></head><body>"
        + "\n".join(parts)
        + f"<script>{SORT_JS}</script></body></html>\n"
    )


def write_report(out: str | os.PathLike, path: str | os.PathLike | None = None) -> Path:
    """Write the report of output folder `out` and return its path; ReportError when it cannot.

    The page goes to a new temporary file in the target's folder (created exclusively, so a
    link planted there is never followed) and is renamed over the target when complete
    (`outdir.write_atomic`): a failed write (disk full) leaves the previous report as it was."""
    out = Path(out)
    path = Path(path) if path else out / "report.html"
    if path.is_dir():
        raise ReportError(f"{path} is a folder: give the file to write (--html FILE)")
    page = build_html(out)
    try:
        outdir.write_atomic(path, page)
    except OSError as e:
        raise ReportError(
            f"cannot write {path}: {e.strerror or e} (nothing written; a previous report there is left as it was)"
        ) from None
    return path

"""The HTML report, opened in a real headless browser (Debian's chromium) with the network cut."""

import json
import os
import re
import shutil
import struct
import subprocess
import zlib

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.report import fold_relays, safe_url

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MAX_BYTES = 1_500_000


@pytest.fixture(scope="module")
def report(seeds_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(seeds_run), "--html", str(path)]) == 0
    return path


def casualty_subject(seeds_run):
    groups = pd.read_parquet(seeds_run / "claim_groups.parquet")
    return groups[
        (groups.value == 1100) & groups.source_canonical.str.startswith("National Intelligence")
    ].subject_id.iloc[0]


def chromium(args, tmp_path, timeout=120):
    """Run headless chromium (fresh profile, any network request fails) and return its stdout."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium not installed (apt-get install chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--virtual-time-budget=15000",
        *args,
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def dom(path, tmp_path, fragment="", width=1400):
    """The DOM after scripts ran, as chromium --dump-dom prints it."""
    return chromium([f"--window-size={width},900", "--dump-dom", f"file://{path}{fragment}"], tmp_path)


def rows_of(page, table_id):
    body = re.search(rf'<table class="sortable" id="{re.escape(table_id)}">.*?<tbody>(.*?)</tbody>', page, re.S).group(
        1
    )
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def section(page, sid):
    return re.search(rf'<section class="subject" id="subject-{sid}">(.*?)</section>', page, re.S).group(1)


def test_report_is_small_and_self_contained(report):
    assert report.stat().st_size <= MAX_BYTES
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "@import" not in page
    assert "plotly.js (basic - minified)" in page and "Plotly.newPlot" in page


@pytest.mark.integration
def test_browser_draws_the_plot_and_the_table(report, seeds_run, tmp_path):
    sid = casualty_subject(seeds_run)
    page = dom(report, tmp_path)
    plot = section(page, sid)
    # Plotly ran (offline): the subject's plot div holds the SVG it draws, one trace per dated source
    assert "main-svg" in plot
    legend = set(re.findall(r'class="legendtext"[^>]*data-unformatted="([^"]*)"', plot))
    assert {
        "Andrii Kovalenko",
        "National Intelligence Service (South Korea)",
        "United States Department of Defense",
    } <= legend
    assert "Volodymyr Zelensky" not in legend  # he relays Syrskyi's 3,000: not a source of his own
    assert plot.count('class="trace scatter') == len(legend) >= 4
    # the y axis names what is counted
    assert re.search(r'class="ytitle"[^>]*>casualties<', plot)
    rows = rows_of(page, f"claims-{sid}")
    text = " ".join(rows)
    for figure in ("approximately 1,100", "around 1,100", "about 3,000", "exceeded 200", "4,000"):
        assert f"<mark>{figure}</mark>" in text  # the number is marked in its sentence
    assert 'href="#article-000_8cb3393da57a5c33"' in text and 'id="article-000_8cb3393da57a5c33"' in page
    title = pd.read_parquet(seeds_run / "articles.parquet").set_index("doc_id").title["000_8cb3393da57a5c33"]
    assert f'<a href="#article-000_8cb3393da57a5c33">{title}</a>' in text  # shown by title, not by id
    assert "According to South Korea’s spy agency" in text  # the sentence as evidence


@pytest.mark.integration
def test_points_of_one_day_do_not_overlap(report, seeds_run, tmp_path):
    sid = casualty_subject(seeds_run)
    plot = section(dom(report, tmp_path), sid)
    traces = [
        re.findall(r'<path class="point[^"]*" transform="translate\(([\d.]+),([\d.]+)\)', t)
        for t in plot.split('class="trace scatter')[1:]
    ]
    points = [p for t in traces for p in t]
    assert len(points) >= 4 and len(set(points)) == len(points)
    # most of these claims were made on 2024-12-23: each source has its own x on a day
    xs = [{x for x, _ in t} for t in traces]
    assert all(not (a & b) for i, a in enumerate(xs) for b in xs[i + 1 :])


def test_undated_claims_are_shown_under_the_timeline(report, seeds_run):
    sid = casualty_subject(seeds_run)
    part = section(report.read_text(encoding="utf-8"), sid)
    strip = re.search(r'<div class="plot".*?</script>\s*<div class="undated">(.*?)</div>', part, re.S)
    assert strip, "the undated strip follows the plot"
    assert "Joint Chiefs of Staff (South Korea)" in strip.group(1) and "4,000" in strip.group(1)


def test_a_relay_is_not_a_second_source(seeds_run, report):
    groups = pd.read_parquet(seeds_run / "claim_groups.parquet")
    sid = casualty_subject(seeds_run)
    gs = [
        {k: (list(v) if hasattr(v, "tolist") else v) for k, v in g.items()}
        for g in groups[groups.subject_id == sid].to_dict("records")
    ]
    folded = fold_relays([g | {"value_max": None if pd.isna(g["value_max"]) else g["value_max"]} for g in gs])
    assert [
        (g["source_canonical"], folded[gid]["source_canonical"])
        for gid, g in ((gid, next(x for x in gs if x["group_id"] == gid)) for gid in folded)
    ] == [("Volodymyr Zelensky", "Commander-in-Chief of the Armed Forces of Ukraine")]
    part = section(report.read_text(encoding="utf-8"), sid)
    assert "Volodymyr Zelensky (relaying Commander-in-Chief of the Armed Forces of Ukraine)" in part
    n_sources = len({g["source_canonical"] for g in gs}) - 1
    assert f"{n_sources} source(s) (not counting 1 relay(s)" in part


@pytest.mark.integration
def test_evidence_is_not_cut_at_1400_px(report, tmp_path):
    # measure in the browser: every evidence cell inside the window, no table wider than its box
    probe = tmp_path / "probe.html"
    probe.write_text(
        report.read_text(encoding="utf-8").replace(
            "</body>",
            """<script>
      var w = document.documentElement.clientWidth, bad = 0, n = 0;
      document.querySelectorAll('td.sentence').forEach(function(td){ n++;
        if (td.getBoundingClientRect().right > w + 0.5 || td.scrollWidth > td.clientWidth + 1) bad++; });
      document.querySelectorAll('.scroll').forEach(function(d){ if (d.scrollWidth > d.clientWidth + 1) bad++; });
      document.body.setAttribute('data-cells', n); document.body.setAttribute('data-cut', bad);
    </script></body>""",
        ),
        encoding="utf-8",
    )
    page = dom(probe, tmp_path, width=1400)
    n = int(re.search(r'data-cells="(\d+)"', page).group(1))
    assert n > 20 and 'data-cut="0"' in page


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG, as chromium writes them."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and color in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    bpp = 4 if color == 6 else 3
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


@pytest.mark.integration
def test_screenshot_shows_the_timeline(report, seeds_run, tmp_path):
    """The chart area of the casualty timeline has ink, in the traces' colours; without Plotly it is blank."""
    sid = casualty_subject(seeds_run)
    page = report.read_text(encoding="utf-8")
    only_plot = (
        f"<style>body{{margin:0!important;padding:0!important}} body>*{{display:none!important}}"
        f"body>#subject-{sid}{{display:block!important;margin:0!important}}"
        f"#subject-{sid}>*{{display:none!important}} #subject-{sid}>.plot{{display:block!important}}</style>"
    )
    drawn, blank = tmp_path / "drawn.html", tmp_path / "blank.html"
    drawn.write_text(page.replace("</head>", only_plot + "</head>"), encoding="utf-8")
    # the same page, but the timeline's script never runs
    blank.write_text(
        re.sub(rf'<script>Plotly.newPlot\("plot-{sid}".*?</script>', "", page, flags=re.S).replace(
            "</head>", only_plot + "</head>"
        ),
        encoding="utf-8",
    )

    def ink(html_file):
        shot = tmp_path / f"{html_file.stem}.png"
        chromium(
            ["--window-size=1000,380", f"--screenshot={shot}", "--hide-scrollbars", f"file://{html_file}"], tmp_path
        )
        w, h, bpp, rows = png_pixels(shot)
        pixels = [row[i : i + 3] for row in rows for i in range(0, w * bpp, bpp)]
        return sum(p != b"\xff\xff\xff" for p in pixels), {bytes(p) for p in pixels}

    n_drawn, colours = ink(drawn)
    n_blank, _ = ink(blank)
    assert n_blank < 100 and n_drawn > 3000
    traces = json.loads(re.search(rf'Plotly.newPlot\("plot-{sid}",(\[.*?\]),\{{"height"', page, re.S).group(1))
    trace_colours = {bytes.fromhex(t["marker"]["color"][1:]) for t in traces}
    assert len(trace_colours & colours) >= 3  # the markers, in their sources' colours


@pytest.mark.integration
def test_sorting_works_in_the_browser(report, seeds_run, tmp_path):
    sid = casualty_subject(seeds_run)

    def values(direction):
        page = dom(report, tmp_path, f"#sort=claims-{sid}:value:{direction}")
        assert 'data-sort-ready="1"' in page
        return [
            float(re.search(r'<td class="num" data-sort="([^"]*)">', r).group(1))
            for r in rows_of(page, f"claims-{sid}")
        ]

    down, up = values("desc"), values("asc")
    assert down == sorted(down, reverse=True) and up == sorted(up)
    assert down[0] == 4000 and up[0] == 200


def test_subject_table_leaves_out_subjects_with_one_claim_from_one_source(report, seeds_run):
    subjects = pd.read_parquet(seeds_run / "subjects.parquet")
    page = report.read_text(encoding="utf-8")
    body = re.search(r'<table class="sortable" id="subjects">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == (subjects.n_groups > 1).sum() < len(subjects)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "\x01\x1f javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "file:///etc/passwd",
        "http:alert(1)",
        "",
    ],
)
def test_only_web_addresses_are_links(url):
    assert safe_url(url) is None


def test_web_addresses_are_links():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url(" HTTP://example.org/\n") == "HTTP://example.org/"


def test_hostile_urls_do_not_become_links(tiny_run, tmp_path):
    path = tmp_path / "report.html"
    assert main(["report", str(tiny_run), "--html", str(path)]) == 0
    page = path.read_text(encoding="utf-8")
    hrefs = re.findall(r"""<a\b[^>]*\bhref\s*=\s*["']?([^"'\s>]*)""", page, re.I)
    assert hrefs and all(h.startswith("#") or re.match(r"https?://", h) for h in hrefs)
    assert 'href="https://example.org/aid?a=1&amp;b=2"' in page
    # the hostile ones are there, as escaped text
    assert "javascript:alert(document.cookie)" in page and "JaVaScRiPt:alert(2)" in page
    assert "data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "<script>alert(3)" not in page

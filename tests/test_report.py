"""The HTML report, opened in a real headless browser (Debian's chromium) with the network cut."""
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest

from pipeline.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(seeds_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(seeds_run), "--html", str(path)]) == 0
    return path


def casualty_subject(seeds_run):
    groups = pd.read_parquet(seeds_run / "claim_groups.parquet")
    return groups[(groups.value == 1100) & groups.source_canonical.str.startswith("National Intelligence")].subject_id.iloc[0]


def dom(path, fragment=""):
    """The DOM after scripts ran, as chromium --dump-dom prints it; any network request fails."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium not installed (apt-get install chromium)")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=15000",
           "--dump-dom", f"file://{path}{fragment}"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def rows_of(page, table_id):
    body = re.search(rf'<table class="sortable" id="{re.escape(table_id)}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "@import" not in page
    assert "Plotly.newPlot" in page


@pytest.mark.integration
def test_browser_draws_the_plot_and_the_table(report, seeds_run):
    sid = casualty_subject(seeds_run)
    page = dom(report)
    # Plotly ran (offline): the subject's plot div holds the SVG it draws, one trace per source
    plot = re.search(rf'id="plot-{sid}"(.*?)</section>', page, re.S).group(1)
    assert "main-svg" in plot and plot.count('class="trace scatter') >= 5
    rows = rows_of(page, f"claims-{sid}")
    text = " ".join(rows)
    for figure in ("approximately 1,100", "around 1,100", "about 3,000", "exceeded 200", "4,000"):
        assert figure in text
    assert 'href="#article-000_8cb3393da57a5c33"' in text and 'id="article-000_8cb3393da57a5c33"' in page
    assert "According to South Korea’s spy agency" in text          # the sentence as evidence


@pytest.mark.integration
def test_sorting_works_in_the_browser(report, seeds_run):
    sid = casualty_subject(seeds_run)

    def values(direction):
        page = dom(report, f"#sort=claims-{sid}:value:{direction}")
        assert 'data-sort-ready="1"' in page
        return [float(re.search(r'<td class="num" data-sort="([^"]*)">', r).group(1)) for r in rows_of(page, f"claims-{sid}")]

    down, up = values("desc"), values("asc")
    assert down == sorted(down, reverse=True) and up == sorted(up)
    assert down[0] == 4000 and up[0] == 200


def test_subject_table_leaves_out_subjects_with_one_claim_from_one_source(report, seeds_run):
    subjects = pd.read_parquet(seeds_run / "subjects.parquet")
    page = report.read_text(encoding="utf-8")
    body = re.search(r'<table class="sortable" id="subjects">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == (subjects.n_groups > 1).sum() < len(subjects)

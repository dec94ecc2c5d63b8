"""The what-if report in a real browser: the system's Chromium, driven by playwright (nothing
downloaded). Skipped where no Chromium is installed, never in CI (.ci/run installs it and sets
CI=true)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, run, write

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
try:
    import playwright  # noqa: F401 - only whether it is installed
except ImportError:  # pragma: no cover - the test extra installs it
    PLAYWRIGHT = False
else:
    PLAYWRIGHT = True
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="no Chromium here (.ci/run installs it): the browser tests are skipped",
    ),
    pytest.mark.skipif(
        not PLAYWRIGHT and not os.environ.get("CI"),
        reason="the playwright package is not installed (pip install -e '.[test]')",
    ),
]
CONFIG = (ROOT / "scoring.yaml").read_text()


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "Chromium is missing: .ci/run should have installed it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


PRESETS = ROOT / "src" / "intscore" / "model" / "presets"


def make_report(tmp_path: Path, monkeypatch, config: str = CONFIG) -> Path:
    shutil.copy(EXAMPLES / "requests.csv", tmp_path / "requests.csv")
    write(tmp_path / "scoring.yaml", config)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    assert run("report", "requests.csv", "-o", "report.html").exit_code == 0
    return tmp_path / "report.html"


class Page:
    """One open report, with everything it asks for and says on the console."""

    def __init__(self, browser, path: Path, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.goto(path.as_uri())

    def set_weights(self, weights: dict[str, float]) -> None:
        for cid, weight in weights.items():
            self.page.eval_on_selector(
                f'input[name="weight-{cid}"]',
                "(e, v) => { e.value = v; e.dispatchEvent(new Event('input')); }",
                str(weight),
            )

    def order(self) -> list[tuple[str, int, float]]:
        return [
            (name, int(rank), float(score))
            for name, rank, score in self.page.eval_on_selector_all(
                "#ranking tbody tr",
                "rows => rows.map(r => [r.dataset.integration, r.dataset.rank, r.dataset.score])",
            )
        ]

    def close(self) -> None:
        self.context.close()


def ranked_with(tmp_path: Path, weights: dict[str, float]) -> list[tuple[str, int, float]]:
    """`intscore rank` of the same file with these weights."""
    text = CONFIG
    for cid, old in (("demand", 40), ("account_size", 40), ("difficulty", 20)):
        block = text.split(f"  - id: {cid}\n")[1].split("  - id:")[0]
        text = text.replace(block, block.replace(f"weight: {old}", f"weight: {weights[cid]}"))
    write(tmp_path / "weights.yaml", text)
    doc = json.loads(run("rank", "requests.csv", "-c", "weights.yaml", "-f", "json").stdout)
    return [(i["integration"], i["rank"], i["score"]) for i in doc["ranking"]]


def test_at_the_configs_weights_the_page_is_ranks_order(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    assert page.page.is_visible("#what-if")
    assert page.order() == ranked_with(
        tmp_path, {"demand": 40, "account_size": 40, "difficulty": 20}
    )
    assert page.order()[:2] == [("Slack", 1, 80.0), ("Microsoft Teams", 2, 80.0)]  # a tie, broken
    assert page.requests == [report.as_uri()]
    assert page.console == []
    page.close()


def test_twenty_random_weight_vectors_order_the_page_as_rank_does(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    rng = random.Random(14)
    vectors = [{"demand": 10, "account_size": 10, "difficulty": 10}]  # many ties
    while len(vectors) < 20:
        vector = {
            c: rng.choice([0, rng.randint(0, 100)])
            for c in ("demand", "account_size", "difficulty")
        }
        if any(vector.values()):
            vectors.append(vector)
    for vector in vectors:
        page.set_weights(vector)
        got = page.order()
        expected = ranked_with(tmp_path, vector)
        assert [(n, r) for n, r, _ in got] == [(n, r) for n, r, _ in expected], vector
        assert all(abs(a - b) < 1e-6 for (_, _, a), (_, _, b) in zip(got, expected, strict=True))
        shown = page.page.eval_on_selector_all(
            "#ranking tbody tr .score", "cells => cells.map(c => c.textContent)"
        )
        assert shown == [f"{score:.1f}" for _, _, score in expected], vector
        snippet = yaml.safe_load(page.page.text_content("#weights-yaml"))
        assert {c["id"]: c["weight"] for c in snippet["criteria"]} == vector
    assert page.console == []
    assert page.requests == [report.as_uri()]
    page.close()


def test_moves_are_shown_against_the_configs_order_and_reset_restores_it(
    browser, tmp_path, monkeypatch
):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    page.set_weights({"difficulty": 100})
    moves = dict(
        page.page.eval_on_selector_all(
            "#ranking tbody tr",
            "rows => rows.map(r => [r.dataset.integration, r.cells[1].textContent])",
        )
    )
    assert moves["HubSpot"] == "▲1" and moves["Salesforce"].startswith("▼")
    page.page.click("#reset-weights")
    assert page.order() == ranked_with(
        tmp_path, {"demand": 40, "account_size": 40, "difficulty": 20}
    )
    assert page.page.text_content("#ranking tbody tr:first-child td.move") == ""
    page.close()


def test_sliders_are_labelled_and_work_from_the_keyboard(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    labels = page.page.eval_on_selector_all(
        'input[type="range"]', "inputs => inputs.map(i => i.labels[0].textContent)"
    )
    assert labels == ["Demand", "Account size", "Build difficulty"]
    assert page.page.get_attribute('input[name="weight-demand"]', "max") == "100"
    page.page.focus('input[name="weight-difficulty"]')
    for _ in range(5):
        page.page.keyboard.press("ArrowRight")
    assert page.page.input_value('input[name="number-difficulty"]') == "25"
    assert page.order() == ranked_with(
        tmp_path, {"demand": 40, "account_size": 40, "difficulty": 25}
    )
    page.page.fill('input[name="number-demand"]', "5")
    assert page.page.input_value('input[name="weight-demand"]') == "5"
    assert page.order() == ranked_with(
        tmp_path, {"demand": 5, "account_size": 40, "difficulty": 25}
    )
    page.close()


def overlaps(page: Page) -> list[tuple[str, str]]:
    return page.page.evaluate(
        """() => {
          const box = e => e.getBBox();
          const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width &&
                                a.y < b.y + b.height && b.y < a.y + a.height;
          const quadrants = [...document.querySelectorAll('#matrix text.quadrant')];
          const labels = [...document.querySelectorAll('#matrix text.label')];
          const found = [];
          for (const q of quadrants) for (const l of labels)
            if (hit(box(q), box(l))) found.push([q.textContent, l.textContent]);
          return found;
        }"""
    )


def test_quadrant_names_never_cover_a_point_label(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    assert page.page.eval_on_selector_all("#matrix text.label tspan", "l => l.length") == 14
    assert overlaps(page) == []
    for vector in ({"difficulty": 100}, {"demand": 0, "account_size": 100}, {"demand": 100}):
        page.set_weights(vector)
        assert overlaps(page) == [], vector
    page.close()


def test_without_javascript_the_page_is_the_static_ranking(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report, java_script_enabled=False)
    assert not page.page.is_visible("#what-if")
    assert page.order()[0] == ("Slack", 1, 80.0)
    page.close()


def test_the_page_allows_only_its_own_inline_code(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    html = report.read_text()
    policy = html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in policy and "http" not in policy
    assert ' style="' not in html  # no inline style attributes: the policy would block them
    tampered = tmp_path / "tampered.html"
    assert "<script>// intscore" in html
    tampered.write_text(html.replace("<script>// intscore", "<script>void 0; // intscore"))
    page = Page(browser, tampered)
    assert not page.page.is_visible("#what-if")  # the changed script did not run
    assert any("Content Security Policy" in line for line in page.console)
    page.close()


def test_a_formula_config_gets_no_sliders(tmp_path, monkeypatch):
    shutil.copy(EXAMPLES / "presets" / "ice.csv", tmp_path / "ice.csv")
    shutil.copy(PRESETS / "ice.yaml", tmp_path / "scoring.yaml")
    assert run("report", "ice.csv", "-o", "ice.html").exit_code == 0
    html = (tmp_path / "ice.html").read_text()
    assert 'id="what-if"' not in html and 'type="range"' not in html


def long_report(tmp_path: Path, monkeypatch, n: int) -> Path:
    rows = "".join(
        f"Integration {i:04d},a{i},{i * 997 % 900000},customer,{1 + i % 5}\n" for i in range(n)
    )
    write(tmp_path / "long.csv", "integration,account,account_arr,stage,difficulty\n" + rows)
    write(tmp_path / "scoring.yaml", CONFIG)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764460800")
    assert run("report", "long.csv", "-o", "long.html").exit_code == 0
    return tmp_path / "long.html"


def test_a_long_ranking_shows_its_top_and_the_rest_on_request(browser, tmp_path, monkeypatch):
    report = long_report(tmp_path, monkeypatch, 150)
    page = Page(browser, report)
    visible = "rows => rows.filter(r => r.offsetParent !== null).length"
    assert page.page.eval_on_selector_all("#ranking tbody tr", visible) == 100
    page.set_weights({"difficulty": 100})
    assert len(page.order()) == 150  # every row re-orders, seen or not
    page.page.click("#show-all")
    assert page.page.eval_on_selector_all("#ranking tbody tr", visible) == 150
    page.close()
    static = Page(browser, report, java_script_enabled=False)
    assert static.page.eval_on_selector_all("#ranking tbody tr", visible) == 150
    static.close()


def test_the_report_for_2000_integrations_stays_under_2_mb(tmp_path, monkeypatch):
    report = long_report(tmp_path, monkeypatch, 2000)
    assert report.stat().st_size < 2_000_000


# --- recommendations, the whole scoring.yaml, the phone --------------------------------------


def ranked_advice(tmp_path: Path, config: str) -> list[tuple[str, int, str | None]]:
    """`intscore rank` of requests.csv with this config: (name, rank, recommendation)."""
    write(tmp_path / "weights.yaml", config)
    doc = json.loads(run("rank", "requests.csv", "-c", "weights.yaml", "-f", "json").stdout)
    return [
        (i["integration"], i["rank"], (i["recommendation"] or {}).get("label"))
        for i in doc["ranking"]
    ]


def with_weights(config: str, weights: dict[str, float]) -> str:
    """The config with these weights (each criterion's `weight:` line rewritten)."""
    for cid, weight in weights.items():
        head, _, rest = config.partition(f"  - id: {cid}\n")
        block, _, tail = rest.partition("\n  - id:")
        block = re.sub(r"weight: [\d.]+", f"weight: {weight}", block)
        config = head + f"  - id: {cid}\n" + block + ("\n  - id:" + tail if tail else "")
    return config


def page_advice(page: Page) -> list[tuple[str, int, str | None]]:
    return [
        (name, int(rank), said)
        for name, rank, said in page.page.eval_on_selector_all(
            "#ranking tbody tr",
            "rows => rows.map(r => [r.dataset.integration, r.dataset.rank,"
            " r.dataset.recommendation ?? null])",
        )
    ]


def test_recommendations_follow_the_sliders_as_rank_gives_them(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    assert page_advice(page) == ranked_advice(tmp_path, CONFIG)
    page.set_weights({"difficulty": 60})
    row = page.page.locator('#ranking tr[data-integration="ServiceNow"]')
    # ServiceNow: demand 1.5 (0 pts), ARR 1,130,000 (2 pts), no difficulty (0 pts):
    # 100 × (40×0 + 40×2 + 60×0) / (40×2 + 40×2 + 60×2) = 8000 / 280 = 28.57 < 30: Defer.
    assert row.locator(".score").text_content() == "28.6"
    assert row.get_attribute("data-recommendation") == "Defer"
    assert row.locator("td:last-child").text_content() == "Defer (was Buy)"
    assert page_advice(page) == ranked_advice(tmp_path, with_weights(CONFIG, {"difficulty": 60}))
    page.page.click("#reset-weights")
    assert row.locator("td:last-child").text_content() == "Buy"
    assert page.console == []
    page.close()


RULES = """recommend:
  - when: {core: [yes], score: {at_least: 55}}
    then: Build now
  - when: {difficulty: {at_least: 2}, account_size: {at_least: 1, below: 2}}
    then: Quick build
  - when: {score: {below: 45}}
    then: Defer
  - when: {customization: [high]}
    then: Build in-house
"""


def test_rules_on_fields_score_and_points_follow_random_weights(browser, tmp_path, monkeypatch):
    # No default rule: some integrations get none, and the page must say none too.
    config = CONFIG.split("recommend:")[0] + RULES
    report = make_report(tmp_path, monkeypatch, config)
    page = Page(browser, report)
    rng = random.Random(25)
    vectors = [{"demand": 40, "account_size": 40, "difficulty": 20}]
    vectors += [
        {c: rng.randint(0, 100) for c in ("demand", "account_size", "difficulty")}
        for _ in range(12)
    ]
    labels = set()
    for vector in vectors:
        if not any(vector.values()):
            continue
        page.set_weights(vector)
        expected = ranked_advice(tmp_path, with_weights(config, vector))
        assert page_advice(page) == expected, vector
        labels.update(label for *_, label in expected)
    assert labels == {"Build now", "Quick build", "Defer", "Build in-house", None}  # all seen
    page.close()


def test_the_whole_scoring_yaml_follows_the_sliders_and_loads(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    text = page.page.text_content("#weights-yaml")
    assert text == CONFIG  # at the config's weights: the file itself, comments and all
    page.set_weights({"demand": 17})
    page.page.fill('input[name="number-difficulty"]', "33.125")  # typed: kept exactly
    page.page.fill('input[name="number-account_size"]', "0.00000015")
    text = page.page.text_content("#weights-yaml")
    # Only the three weight lines differ from the file.
    changed = [
        (a, b) for a, b in zip(CONFIG.splitlines(), text.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ("    weight: 40", "    weight: 17"),
        ("    weight: 40", "    weight: 0.00000015"),
        ("    weight: 20", "    weight: 33.125"),
    ]
    # intscore loads it as it is, with those weights, and ranks as the page does.
    write(tmp_path / "from-page.yaml", text)
    ranked = run("rank", "requests.csv", "-c", "from-page.yaml", "-f", "json")
    assert ranked.exit_code == 0, ranked.stderr
    doc = json.loads(ranked.stdout)
    assert [c["weight"] for c in doc["criteria"]] == [17, 1.5e-07, 33.125]
    assert [(i["integration"], i["rank"]) for i in doc["ranking"]] == [
        (n, r) for n, r, _ in page.order()
    ]
    assert all(
        abs(i["score"] - s) < 1e-9
        for i, (_, _, s) in zip(doc["ranking"], page.order(), strict=True)
    )
    page.close()


def test_the_download_is_the_config_with_the_weights_shown(browser, tmp_path, monkeypatch):
    crlf = CONFIG.replace("\n", "\r\n")  # a Windows checkout: the line ends are kept
    report = make_report(tmp_path, monkeypatch, crlf)
    page = Page(browser, report)
    assert page.page.text_content("#download-weights") == "Download scoring.yaml"
    with page.page.expect_download() as started:
        page.page.click("#download-weights")
    download = started.value
    assert download.suggested_filename == "scoring.yaml"
    assert Path(download.path()).read_bytes() == crlf.encode()
    page.set_weights({"difficulty": 60})
    with page.page.expect_download() as started:
        page.page.click("#download-weights")
    got = Path(started.value.path()).read_bytes().decode()
    assert got == with_weights(CONFIG, {"difficulty": 60}).replace("\n", "\r\n")
    assert page.requests == [report.as_uri()]  # nothing fetched
    page.close()


LAYOUT = """() => {
  const box = e => e.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom &&
                        b.top < a.bottom;
  const shown = e => e.getClientRects().length > 0;
  const all = selector => [...document.querySelectorAll(selector)];
  const chart = all('svg.chart').find(shown);
  const scale = box(chart).width / chart.viewBox.baseVal.width;
  const labels = [...chart.querySelectorAll('text.label')];
  const others = [...chart.querySelectorAll('text.quadrant, text.axis, circle.point')];
  const overlaps = [];
  labels.forEach((a, n) => {
    for (const b of [...labels.slice(n + 1), ...others])
      if (hit(box(a), box(b))) overlaps.push([a.textContent, b.textContent || 'a point']);
  });
  const html = document.documentElement;
  const row = document.querySelector('#ranking tbody tr');
  const size = l => parseFloat(getComputedStyle(l).fontSize) * scale;
  return {
    pageWidth: [html.scrollWidth, html.clientWidth],
    scrolled: all('.scroll').filter(e => e.scrollWidth > e.clientWidth).length,
    chart: chart.id,
    labels: labels.length,
    points: chart.querySelectorAll('circle.point').length,
    smallestLabel: Math.min(...labels.map(size)),
    overlaps: overlaps,
    head: shown(document.querySelector('#ranking thead')),
    row: getComputedStyle(row).display,
    rowWidth: box(row).width,
    nameAbove: box(row.cells[2]).bottom <= box(row.cells[4]).top,
    cardLabels: [...row.cells].slice(4).map(c => getComputedStyle(c, '::before').content),
    wrapped: all('#ranking td .note').filter(s => s.getClientRects().length > 1).length,
  };
}"""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_layout_at_390_and_1366_px(browser, tmp_path, monkeypatch, width):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report, viewport={"width": width, "height": 900}, is_mobile=width < 500)
    for weights in ({}, {"difficulty": 60}, {"demand": 0, "account_size": 100}):
        page.set_weights(weights)
        facts = page.page.evaluate(LAYOUT)
        assert facts["pageWidth"][0] <= facts["pageWidth"][1], weights  # no sideways scrolling
        assert facts["scrolled"] == 0  # nor inside any box (the ranking, the score bars)
        assert facts["overlaps"] == [], weights
        assert facts["wrapped"] == 0  # "(1 pt)" stays on one line
        assert facts["labels"] == facts["points"]  # every point labelled (one label a spot)
        if not weights:  # 14 integrations at 9 spots
            assert facts["points"] == 9
        if width == 390:  # cards, and the phone chart: every point numbered, text readable
            assert (facts["chart"], facts["head"], facts["row"]) == ("matrix-phone", False, "grid")
            assert facts["rowWidth"] <= 390 and facts["nameAbove"]
            labels = ["Demand", "Account size", "Build difficulty", "Requesters", "Recommendation"]
            assert facts["cardLabels"] == [f'"{label}"' for label in labels]
            assert facts["smallestLabel"] >= 11
        else:  # the table as it was, and the wide chart, its points named
            assert (facts["chart"], facts["head"], facts["row"]) == ("matrix", True, "table-row")
            assert facts["smallestLabel"] >= 11
    key = page.page.text_content("#matrix-key")
    assert "Quick wins: 1 Slack" in key if width == 390 else True
    shot = tmp_path / f"report-{width}px.png"
    page.page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    page.close()
    if width == 1366 and os.environ.get("INTSCORE_UPDATE_SCREENSHOT"):  # the README's picture
        desktop = Page(browser, report, viewport={"width": 1100, "height": 1900})
        desktop.set_weights({"difficulty": 60})
        desktop.page.screenshot(path=str(ROOT / "docs" / "report.png"))
        desktop.close()


def test_the_charts_the_page_redraws_are_the_ones_intscore_drew(browser, tmp_path, monkeypatch):
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    drawn = (
        "() => ['#matrix .points', '#matrix-phone .points', '#matrix-key']"
        ".map(s => document.querySelector(s).innerHTML)"
    )
    static = page.page.evaluate(drawn)
    page.set_weights({"difficulty": 60})
    assert page.page.evaluate(drawn) != static
    page.page.click("#reset-weights")
    assert page.page.evaluate(drawn) == static
    page.close()


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_at_the_configs_weights_the_pages_scores_are_ranks_on_random_models(browser, data):
    """The page re-weights the points intscore computed with its own arithmetic; moved to the
    config's own weights, it must give exactly `rank`'s scores and order, for any model (every
    aggregate, segments, missing, row weights) and any rows."""
    from test_aggregates import HEADER, models, rows_strategy

    text, rows = data.draw(models()), data.draw(rows_strategy)
    folder = Path(tempfile.mkdtemp(prefix="intscore-page-"))
    try:
        write(folder / "scoring.yaml", text)
        lines = [",".join(HEADER)] + [",".join(f'"{cell}"' for cell in row) for row in rows]
        write(folder / "r.csv", "\n".join(lines) + "\n")
        config, data_file, report = (str(folder / n) for n in ("scoring.yaml", "r.csv", "r.html"))
        ranked = run("rank", data_file, "-c", config, "-f", "json")
        assert ranked.exit_code == 0, ranked.stderr
        expected = [
            (i["integration"], i["rank"], i["score"]) for i in json.loads(ranked.stdout)["ranking"]
        ]
        assert run("report", data_file, "-c", config, "-o", report).exit_code == 0
        page = Page(browser, Path(report))
        weights = {c["id"]: c["weight"] for c in yaml.safe_load(text)["criteria"]}
        page.set_weights(weights)  # the page recomputes every score at these weights
        got = page.order()
        assert [(n, r) for n, r, _ in got] == [(n, r) for n, r, _ in expected]
        assert all(abs(a - b) < 1e-6 for (_, _, a), (_, _, b) in zip(got, expected, strict=True))
        assert page.console == []
        page.close()
    finally:
        shutil.rmtree(folder)


def test_ranking_cells_align_as_their_column_heads_and_hold_no_stray_space(
    browser, tmp_path, monkeypatch
):
    # The rows are written compactly (no end tags, no class on number cells): each cell is
    # right-aligned in tabular figures exactly where its head is `th.num`, and ends where
    # its text does.
    report = make_report(tmp_path, monkeypatch)
    page = Page(browser, report)
    for weights in ({}, {"difficulty": 100}):
        page.set_weights(weights)
        facts = page.page.evaluate(
            """() => {
              const heads = [...document.querySelectorAll('#ranking thead th')];
              const right = heads.map(h => h.classList.contains('num'));
              return [...document.querySelectorAll('#ranking tbody tr')].map(row => [
                row.cells.length === heads.length,
                [...row.cells].every((c, i) => (getComputedStyle(c).textAlign === 'right'
                  && getComputedStyle(c).fontVariantNumeric === 'tabular-nums') === right[i]),
                [...row.cells].every(c => c.textContent === c.textContent.trim()),
              ]);
            }"""
        )
        assert len(facts) == 14 and all(all(row) for row in facts), facts
    assert page.console == []
    page.close()

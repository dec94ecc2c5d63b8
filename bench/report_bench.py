"""The what-if report at 2,000 integrations: the file's size, and how long one slider move
takes to re-order the page in headless Chromium (the script's work, then the next painted
frame). Median and range over 20 moves.

    python bench/report_bench.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXE = str(Path(sys.executable).with_name("intscore"))

MOVE = """async ([name, value]) => {
  const slider = document.querySelector(`input[name="weight-${name}"]`);
  const started = performance.now();
  slider.value = String(value);
  slider.dispatchEvent(new Event('input'));
  const scripted = performance.now() - started;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return [scripted, performance.now() - started];
}"""


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("no Chromium here")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "requests.csv"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "100000", str(log)], check=True)
        page_path = Path(folder) / "report.html"
        subprocess.run(
            [EXE, "report", str(log), "-c", str(HERE / "scoring.yaml"), "-o", str(page_path)],
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
            capture_output=True,
        )
        size = page_path.stat().st_size
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(page_path.as_uri())
            rows = page.eval_on_selector_all("#ranking tbody tr", "r => r.length")
            scripted, painted = [], []
            for n in range(20):
                name = ("demand", "account_size", "difficulty")[n % 3]
                a, b = page.evaluate(MOVE, [name, (n * 37) % 100 + 1])
                scripted.append(a)
                painted.append(b)
            browser.close()
    print(f"report of {rows:,} integrations: {size / 1e6:.2f} MB")
    for label, times in (("script", scripted), ("to the next frame", painted)):
        print(
            f"one slider move, {label}: median {statistics.median(times):.0f} ms "
            f"({min(times):.0f}-{max(times):.0f})"
        )


if __name__ == "__main__":
    main()

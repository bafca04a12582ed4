"""Browser check: headless Chromium (Debian's package) on the UI's asset graph and the report.

Run with `make browser-check`; it also refreshes the screenshots in docs/screenshots/.
"""

import shutil
from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT
from tests.test_webserver_e2e import write_instance_config
from tests.webserver import dagster_webserver, launch_job, wait_for_run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: make browser-check")
def test_asset_graph_and_report_render(seed_articles, tmp_path):
    from playwright.sync_api import sync_playwright

    articles = tmp_path / "articles"
    shutil.copytree(seed_articles, articles)
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    env = {"ARTICLES_DIR": str(articles), "WAREHOUSE_PATH": str(tmp_path / "incidents.duckdb"),
           "DAGSTER_HOME": str(home)}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with dagster_webserver(env, tmp_path / "webserver.log") as url:
        assert wait_for_run(url, launch_job(url, "incidents_job")) == "SUCCESS"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{url}/asset-groups", wait_until="networkidle")
            page.goto(f"{url}/assets", wait_until="networkidle")
            page.get_by_text("incidents", exact=True).first.wait_for(timeout=60_000)
            for name in ["articles", "sentences", "acled_events", "incident_report"]:
                assert page.get_by_text(name, exact=True).count() >= 1, name
            skip = page.get_by_role("button", name="Skip")
            if skip.count():
                skip.first.click()  # the UI's first-visit newsletter dialog
            location = "__repository__@pipelines.definitions"
            page.goto(f"{url}/locations/{location}/asset-groups/normalize",
                      wait_until="networkidle")
            page.get_by_text("incident_actors", exact=True).first.wait_for(timeout=60_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(SCREENSHOTS / "asset-graph.png"))
            report = tmp_path / "reports" / "incident_report.html"
            page.goto(report.as_uri())
            assert page.get_by_text("Armed clash").count() >= 1
            assert page.get_by_text("Haitian National Police").count() >= 1
            page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=False)
            browser.close()

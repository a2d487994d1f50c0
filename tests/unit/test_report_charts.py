"""Charts are accessible images drawn on the server: named, described, every value in
text, nothing that needs JavaScript or breaks the CSP (issue 8, item 3)."""

import re
from xml.etree import ElementTree

from portal.reports.charts import bar_chart
from portal.reports.tables import Chart, ReportTable, count, text

SVG = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_has_a_title_a_description_and_every_value_as_text(app):
    table = ReportTable(
        "demo",
        "Cases",
        ["Type", "This period", "Previous period"],
        [
            [text("Threats & abuse"), count(12), count(3)],
            [text("Overload"), count(0), count(None)],  # a suppressed count draws no bar
        ],
        chart=Chart("Cases by type", "Bar chart of cases by type.", 1, 2),
    )
    with app.test_request_context():
        svg = str(bar_chart("chart-demo", table.chart, table, ("This period", "Previous")))
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG; well-formed when escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-demo-title chart-demo-desc"
    assert root.find(f"{SVG}title").text == "Cases by type"
    assert root.find(f"{SVG}title").get("id") == "chart-demo-title"
    assert root.find(f"{SVG}desc").text == "Bar chart of cases by type."
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Threats & abuse" in texts and "12" in texts and "3" in texts
    assert "withheld" in texts
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    # Two legend keys, 12 and 3 as bars, 0 as an empty bar; the withheld count has none.
    assert len(widths) == 5 and max(widths) > 0 and 0.0 in widths
    assert "style=" not in svg and not re.search(r"\son\w+=", svg) and "<script" not in svg

"""Accessible bar charts drawn on the server as SVG (issue 8, item 3).

Each chart is ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>``; every bar carries its value as text, so nothing depends on colour, and the same
figures are in the table beside it. No JavaScript, no style attributes (the CSP allows
none), and a viewBox so it scales to the page and to print.
"""

from markupsafe import Markup, escape

from portal.reports.formatting import display

WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 12
BAR_AREA = 470  # room left on the right for the value text
CURRENT_FILL = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
PREVIOUS_FILL = "#505a5f"  # GOV.UK dark grey: 7:1 against white
TEXT_FILL = "#0b0c0c"


def _number(cell) -> float:
    return float(cell.value) if isinstance(cell.value, int | float) else 0.0


def bar_chart(chart_id: str, chart, table, legend: tuple[str, str] | None = None) -> Markup:
    """The chart for ``table`` as described by ``chart`` (a tables.Chart)."""
    bars = [
        (
            str(row[0].value),
            row[chart.value_column],
            row[chart.compare_column] if chart.compare_column is not None else None,
        )
        for row in table.rows
    ]
    values = [_number(cell) for _name, cell, _previous in bars]
    values += [_number(previous) for *_rest, previous in bars if previous is not None]
    largest = max(values, default=0)
    scale = BAR_AREA / largest if largest else 0
    per_row = LABEL_HEIGHT + BAR_HEIGHT * (2 if chart.compare_column is not None else 1) + ROW_GAP
    top = 28 if legend else 4
    height = top + per_row * len(bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" '
        f'font-size="14">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>',
    ]
    if legend:
        parts += [
            f'<rect x="0" y="6" width="14" height="14" fill="{CURRENT_FILL}"/>',
            f'<text x="20" y="18" fill="{TEXT_FILL}">{escape(legend[0])}</text>',
            f'<rect x="220" y="6" width="14" height="14" fill="{PREVIOUS_FILL}"/>',
            f'<text x="240" y="18" fill="{TEXT_FILL}">{escape(legend[1])}</text>',
        ]
    y = top
    for name, cell, previous in bars:
        parts.append(f'<text x="0" y="{y + 14}" fill="{TEXT_FILL}">{escape(name)}</text>')
        y += LABEL_HEIGHT
        for value, fill in ((cell, CURRENT_FILL), (previous, PREVIOUS_FILL)):
            if value is None:
                continue
            length = max(_number(value) * scale, 0)
            if value.kind != "suppressed" and value.value is not None:
                # A withheld figure (reports/disclosure.py) has no bar, only its words.
                parts.append(
                    f'<rect x="0" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT - 2}" '
                    f'fill="{fill}"/>'
                )
            parts.append(
                f'<text x="{length + 6:.1f}" y="{y + 11}" fill="{TEXT_FILL}" font-size="12">'
                f"{escape(display(value))}</text>"
            )
            y += BAR_HEIGHT
        y += ROW_GAP
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and number above is escaped

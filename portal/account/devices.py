"""A sign-in's device in a few words ("Firefox, Android"), not the raw User-Agent header.

The raw header is 100–200 characters a customer cannot read, and on a 320-pixel phone it
pushed the recent sign-ins table sideways (WCAG 2.2 1.4.10). Browser and system names are
product names, the same in every language, so they are joined, not translated.
"""

# Checked in order: several browsers also name the ones they are built on (Edge says
# "Chrome" and "Safari"; Chrome says "Safari").
_BROWSERS = (
    ("Edg", "Edge"),
    ("SamsungBrowser", "Samsung Internet"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def _first(user_agent: str, table) -> str | None:
    return next((name for marker, name in table if marker in user_agent), None)


def device_name(user_agent: str | None) -> str:
    """Browser and system named in the header, or "" when neither is recognised."""
    if not user_agent:
        return ""
    known = [_first(user_agent, _BROWSERS), _first(user_agent, _SYSTEMS)]
    return ", ".join(name for name in known if name)

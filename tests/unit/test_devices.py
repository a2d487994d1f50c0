"""A sign-in's device named in a few words on the account page."""

import pytest

from portal.account.devices import device_name

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 15; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (CHROME_LINUX, "Chrome, Linux"),
        (EDGE_WINDOWS, "Edge, Windows"),
        (SAFARI_IPHONE, "Safari, iPhone"),
        (FIREFOX_ANDROID, "Firefox, Android"),
        (SAMSUNG, "Samsung Internet, Android"),
        ("python-requests/2.32", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_device_names_say_browser_and_system(header, expected):
    assert device_name(header) == expected

"""Which address a request comes from: X-Forwarded-For is read only through trusted proxies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from uprhub.core.antispam import client_address, client_ip, client_key
from uprhub.settings.security import _trusted_proxies

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("forwarded_for", "hops", "expected"),
    [
        # No trusted proxy: the header is ignored, whatever it says.
        ("203.0.113.5", 0, PROXY),
        (None, 0, PROXY),
        # One proxy appends the client: the rightmost entry.
        ("203.0.113.5", 1, "203.0.113.5"),
        # A client writing its own header cannot choose its address.
        ("1.1.1.1, 203.0.113.5", 1, "203.0.113.5"),
        ("1.1.1.1,2.2.2.2,203.0.113.5", 1, "203.0.113.5"),
        # Two proxies (CDN, then nginx): the second entry from the right.
        ("1.1.1.1, 203.0.113.5, 198.51.100.7", 2, "203.0.113.5"),
        # Several headers arrive joined; empty items are not hops.
        ("1.1.1.1,, 203.0.113.5 ,", 1, "203.0.113.5"),
        # Ports and brackets as some proxies write them; IPv6 in canonical form.
        ("203.0.113.5:4711", 1, "203.0.113.5"),
        ("[2001:DB8::0:1]:4711", 1, "2001:db8::1"),
        ("2001:db8:0:0::1", 1, "2001:db8::1"),
        ("::ffff:203.0.113.5", 1, "203.0.113.5"),
        # Fewer entries than proxies: not the path we were told about, so the peer counts.
        ("203.0.113.5", 2, PROXY),
        ("", 1, PROXY),
        (" , ", 1, PROXY),
        # Malformed entries fall back to the peer, never to a client-chosen string.
        ("unknown", 1, PROXY),
        ("not an address", 1, PROXY),
        ("203.0.113.5, _hidden", 1, PROXY),
        ("[2001:db8::1", 1, PROXY),
        ("999.1.1.1", 1, PROXY),
        ("203.0.113.5\x00", 1, PROXY),
    ],
)
def test_client_ip(forwarded_for: str | None, hops: int, expected: str) -> None:
    assert client_ip(PROXY, forwarded_for, hops) == expected


def test_peer_address_without_one() -> None:
    assert client_ip(None, None, 0) == "unknown"
    assert client_ip("", "203.0.113.5", 2) == "unknown"
    assert client_ip(None, "203.0.113.5", 1) == "203.0.113.5"


def test_client_address_reads_the_setting(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    settings.UPRHUB_TRUSTED_PROXIES = 0
    assert client_address(request) == PROXY
    settings.UPRHUB_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.5"


@pytest.mark.parametrize(("value", "hops"), [(None, 0), ("", 0), ("0", 0), (" 2 ", 2)])
def test_setting_from_the_environment(monkeypatch, value: str | None, hops: int) -> None:
    if value is None:
        monkeypatch.delenv("UPRHUB_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("UPRHUB_TRUSTED_PROXIES", value)
    assert _trusted_proxies() == hops


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "²"])
def test_setting_refuses_nonsense(monkeypatch, value: str) -> None:
    monkeypatch.setenv("UPRHUB_TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="UPRHUB_TRUSTED_PROXIES"):
        _trusted_proxies()


@pytest.mark.parametrize(
    ("remote_addr", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # same subscriber, same count
        ("::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_rate_limits_count_ipv6_clients_per_64(remote_addr, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    assert client_key(request) == expected

"""The client address behind trusted reverse proxies (audit log, lock-out, public rate limit)."""

from django.test import RequestFactory, override_settings

from regie.audit.services import _client_ip, client_address


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_proxies_remote_addr_counts_and_forwarded_for_is_ignored():
    request = _request(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "10.0.0.5"


@override_settings(REGIE_PROXY_COUNT=1)
def test_one_trusted_proxy_takes_the_address_it_appended():
    # a client can forge the left part of the header; the proxy appends the real address last
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"
    assert _client_ip(request) == "198.51.100.7"


@override_settings(REGIE_PROXY_COUNT=2)
def test_two_proxies_and_a_short_header_fall_back_to_remote_addr():
    assert client_address(_request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    assert client_address(_request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")) == "10.0.0.1"


@override_settings(REGIE_PROXY_COUNT=1)
def test_garbage_in_the_header_is_not_stored():
    assert _client_ip(_request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="unknown")) is None

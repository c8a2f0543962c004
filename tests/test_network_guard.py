import socket

import httpx
import pytest

from tests.fixtures import network_guard


def test_guard_blocks_public_address() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(network_guard.NonLoopbackConnectionError):
        sock.connect(("192.0.2.10", 443))
    sock.close()
    network_guard._violations.pop()


def test_guard_blocks_name_lookup() -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://esimfly.net/api/v1/business/balance", timeout=2)
    assert network_guard._violations.pop() == "name lookup of 'esimfly.net'"


def test_guard_allows_loopback() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()

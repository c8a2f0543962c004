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


@pytest.mark.parametrize(
    ("name", "host"),
    [
        ("gethostbyname", "esimfly.net"),
        ("gethostbyname_ex", "esimfly.net"),
        ("gethostbyaddr", "192.0.2.10"),
    ],
)
def test_guard_blocks_other_resolvers(name: str, host: str) -> None:
    # Checked first, so an unguarded resolver fails here without sending a query.
    assert getattr(socket, name) is getattr(network_guard, f"_guarded_{name}", None)

    with pytest.raises(socket.gaierror):
        getattr(socket, name)(host)
    assert network_guard._violations.pop() == f"name lookup of {host!r}"


def test_guard_blocks_datagram_to_public_address() -> None:
    # Checked first, so an unguarded sendto fails here without sending a datagram.
    assert socket.socket.sendto is getattr(network_guard, "_guarded_sendto", None)

    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
        pytest.raises(network_guard.NonLoopbackConnectionError),
    ):
        sock.sendto(b"query", ("192.0.2.10", 53))
    assert network_guard._violations.pop() == "('192.0.2.10', 53)"


def test_guard_allows_datagram_to_loopback() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(b"ping", 0, receiver.getsockname())
        receiver.settimeout(2)
        assert receiver.recv(16) == b"ping"

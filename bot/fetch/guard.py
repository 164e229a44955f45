"""Where a connection may go: every socket is resolved, checked and pinned here.

The check sits inside urllib3's connection factory, so it runs for the first
request, for every redirect hop and for every new pooled connection, and the
socket connects to the very address that was checked (no DNS rebinding
between check and connect). Refusal raises before any packet is sent.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as u3conn

from bot.errors import BlockedAddress
from bot.fetch.deadline import Deadlines

Resolver = Callable[[str, int], list[str]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the OS resolver gives for host (raises socket.gaierror)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def forbidden_reason(ip: IpAddress) -> str | None:
    """Why an address is off-limits to public sources, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if str(ip) == "169.254.169.254" or str(ip) == "fd00:ec2::254":
        return "cloud metadata"
    for label, test in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return label
    return None if ip.is_global else "non-public"


@dataclass(frozen=True)
class AddressGuard:
    """Resolves a host and keeps only addresses this kind of source may reach."""

    resolver: Resolver = system_resolver
    allow_private: bool = False
    # (ip, port) pairs treated as public: tests stand in for the internet on 127.0.0.1.
    exempt: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def addresses(self, host: str, port: int) -> list[str]:
        candidates = _literal(host) or self.resolver(host, port)
        if self.allow_private:
            return candidates
        allowed, refused = [], []
        for text in candidates:
            reason = (
                None
                if (text, port) in self.exempt
                else forbidden_reason(ipaddress.ip_address(text.split("%")[0]))
            )
            (refused.append(f"{text} ({reason})") if reason else allowed.append(text))
        if not allowed:
            raise BlockedAddress(
                f"refused {host}: resolves to {', '.join(refused) or 'nothing'}; "
                "set allow_private: true only for sources on your own network"
            )
        return allowed


def _literal(host: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        return []


def _connect(conn: HTTPConnection, guard: AddressGuard, deadlines: Deadlines) -> socket.socket:
    """urllib3's _new_conn, but to checked addresses only."""
    try:
        addresses = guard.addresses(conn._dns_host, conn.port)
    except socket.gaierror as e:
        raise NameResolutionError(conn.host, conn, e) from e
    error: Exception | None = None
    for address in addresses:
        try:
            sock = u3conn.create_connection(
                (address, conn.port),
                conn.timeout,
                source_address=conn.source_address,
                socket_options=conn.socket_options,
            )
        except TimeoutError as e:
            error = ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
            )
            error.__cause__ = e
        except OSError as e:
            error = NewConnectionError(conn, f"Failed to establish a new connection: {e}")
        else:
            deadlines.watch(sock)
            return sock
    assert error is not None
    raise error


def pool_classes(guard: AddressGuard, deadlines: Deadlines) -> dict[str, type]:
    """urllib3 pool classes whose connections go through `guard` and `deadlines`."""

    class GuardedMixin:
        def _new_conn(self) -> socket.socket:
            return _connect(self, guard, deadlines)  # type: ignore[arg-type]

        def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if self.sock is not None:  # a reused keep-alive socket joins this request's deadline
                deadlines.watch(self.sock)
            return super().request(*args, **kwargs)  # type: ignore[misc]

    class Conn(GuardedMixin, HTTPConnection):
        pass

    class TlsConn(GuardedMixin, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Conn

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = TlsConn

    return {"http": Pool, "https": TlsPool}

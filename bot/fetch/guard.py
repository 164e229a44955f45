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


# Cloud instance metadata (AWS, GCP, Azure, OpenStack; AWS over IPv6; ECS tasks; Alibaba): it
# hands out credentials, so no source reaches it, whatever its allow_private says.
# metadata.google.internal and friends resolve to these, so the check on addresses covers them.
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are IPv4


def embedded_ipv4(ip: IpAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, NAT64), if any: each reaches that
    IPv4 host, so it is judged as that host. (Teredo, 2001::/32, is refused as a whole.)"""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_metadata(ip: IpAddress) -> bool:
    return ip in METADATA or embedded_ipv4(ip) in METADATA


def forbidden_reason(ip: IpAddress) -> str | None:
    """Why an address is off-limits to public sources, or None when it is public."""
    if is_metadata(ip):
        return "cloud metadata"
    inner = embedded_ipv4(ip)
    if inner is not None:
        return forbidden_reason(inner)
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:  # fec0::/10: not in is_private
        return "site-local"
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
        allowed, refused = [], []
        for text in candidates:
            reason = self._refusal(ipaddress.ip_address(text.split("%")[0]), port, text)
            (refused.append(f"{text} ({reason})") if reason else allowed.append(text))
        if not allowed:
            hint = "" if self.allow_private else "; set allow_private: true only for feeds on your network"
            raise BlockedAddress(f"refused {host}: resolves to {', '.join(refused) or 'nothing'}{hint}")
        return allowed

    def _refusal(self, ip: IpAddress, port: int, text: str) -> str | None:
        if is_metadata(ip):
            return "cloud metadata"
        if self.allow_private or (text, port) in self.exempt:
            return None
        return forbidden_reason(ip)


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

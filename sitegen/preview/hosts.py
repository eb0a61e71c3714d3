"""Where the preview listens: by default on both loopback addresses, 127.0.0.1 and ::1 (a browser may try either
for `localhost`)."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

NO_IPV6 = frozenset({errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT})
"""What binding ::1 fails with on a machine without IPv6 (no loopback address, no protocol)."""

ADDRESS_IN_USE = frozenset({errno.EADDRINUSE, 48, 10048})
"""EADDRINUSE on Linux, macOS and Windows."""


@dataclass(frozen=True, slots=True)
class Address:
    """One address the preview listens on."""

    family: socket.AddressFamily
    host: str
    """The address to bind ('127.0.0.1', '::1', '0.0.0.0')."""
    shown: str
    """How URLs name it ('127.0.0.1', '[::1]', 'localhost'): a name the preview answers to."""
    optional: bool = False
    """Left out, not an error, on a machine without IPv6 (the ::1 beside 127.0.0.1)."""


def listen_addresses(host: str) -> tuple[Address, ...]:
    """The addresses `--host` means: 127.0.0.1 (the default) and localhost mean both loopback addresses, ::1 where
    the machine has IPv6; any other host the first address it resolves to. Raises socket.gaierror for a host that
    does not resolve."""
    if host.lower() in ("127.0.0.1", "localhost"):
        shown = ("localhost", "localhost") if host.lower() == "localhost" else ("127.0.0.1", "[::1]")
        return (Address(socket.AF_INET, "127.0.0.1", shown[0]),
                Address(socket.AF_INET6, "::1", shown[1], optional=True))
    family, _, _, _, address = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    return (Address(family, str(address[0]), display_host(host)),)


def display_host(host: str) -> str:
    """`host` as a URL writes it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host

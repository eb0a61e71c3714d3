"""Where the preview listens and which names it answers to. By default it listens on both loopback addresses,
127.0.0.1 and ::1 (a browser may try either for `localhost`), and it answers only to requests whose Host header
names it or is an IP address: a web page that rebinds its own domain name to 127.0.0.1 (DNS rebinding) reads
nothing, drafts included."""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""The names every preview answers to, whatever `--host` says."""

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


def host_names(host: str) -> tuple[str, ...]:
    """The names a preview started with `--host host` answers to: the loopback names and `host` itself."""
    return tuple(dict.fromkeys((*LOOPBACK_NAMES, display_host(host).lower())))


def names_this_server(header: str, names: tuple[str, ...], port: int) -> bool:
    """Whether a Host header names this preview: one of `names`, or an IP address (DNS rebinding needs a domain
    name; a phone on the local network opens the preview by the computer's address), with its port or without one
    (any letter case)."""
    value = header.strip().lower()
    if value.endswith("]") or ":" not in value:  # no port ('localhost', '[::1]')
        name, given = value, ""
    else:
        name, _, given = value.rpartition(":")
    return (name in names or _is_ip_address(name)) and given in ("", str(port))


def _is_ip_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return True


def display_host(host: str) -> str:
    """`host` as a URL writes it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host

"""Where passages may be sent: loopback servers only, unless the study allows a named remote host.

An API key is read from the environment variable named in the settings at request time and is
never stored in the study, the cache, the provenance or any message.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from ....errors import Errors, InputError

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def url_host(base_url: str) -> str:
    """The host part of ``base_url`` (E653 when it is not an http(s) URL)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(Errors.E653.format(key="base_url", value=base_url,
                                            why="give an http:// or https:// URL such as http://127.0.0.1:11434/v1"))
    return parts.hostname


def is_loopback(host: str) -> bool:
    """True when ``host`` is this machine: a loopback address, or a name that resolves only to loopback."""
    name = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    if name in _LOOPBACK_NAMES:
        return True
    try:
        infos = socket.getaddrinfo(name, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def check_endpoint(base_url: str, allow_remote: bool) -> str:
    """The host passages go to; E651 when it is not loopback and ``allow_remote`` is false."""
    host = url_host(base_url)
    if not allow_remote and not is_loopback(host):
        raise InputError(Errors.E651.format(url=base_url, host=host))
    return host


def api_key(env_name: str | None) -> str | None:
    """The API key from the environment variable ``env_name`` (E658 when it is named but unset)."""
    if not env_name:
        return None
    value = os.environ.get(env_name)
    if not value:
        raise InputError(Errors.E658.format(name=env_name))
    return value

"""Text that goes to a terminal or a log: secrets hidden, control characters made visible."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from rich.markup import escape


def redact_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (``postgresql://user:***@host/db``)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def visible(text: str) -> str:
    """Control and format characters (escape sequences, newlines, bidi marks) as ``\\x1b``-style escapes."""
    return "".join(_escaped(char) if unicodedata.category(char)[0] == "C" else char for char in text)


def _escaped(char: str) -> str:
    return repr(char)[1:-1] if char.isascii() else f"\\u{ord(char):04x}"


def console_safe(text: str) -> str:
    """``visible`` text with rich markup escaped, for ``Console.print``."""
    return escape(visible(text))

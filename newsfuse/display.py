"""Text that goes to a terminal or a log: secrets hidden, control characters made visible."""

from __future__ import annotations

import re
import unicodedata

from rich.markup import escape

_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^\s/]*@", re.IGNORECASE)
"""``scheme://user:`` then the password up to the last ``@`` before the host's path."""


def redact_url(text: str) -> str:
    """``text`` with the password of every URL in it as ``***`` (``postgresql://user:***@host/db``)."""
    return _CREDENTIALS.sub(r"\1***@", text)


def visible(text: str) -> str:
    """Control and format characters (escape sequences, newlines, bidi marks) as ``\\x1b``-style escapes."""
    return "".join(_escaped(char) if unicodedata.category(char)[0] == "C" else char for char in text)


def _escaped(char: str) -> str:
    return repr(char)[1:-1] if char.isascii() else f"\\u{ord(char):04x}"


def console_safe(text: str) -> str:
    """``visible`` text with rich markup escaped, for ``Console.print``."""
    return escape(visible(text))

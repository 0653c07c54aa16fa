"""Every error a user can meet, as one tree; each carries the document it concerns.

::

    DMError
    ├── InputError          the document itself is unusable (empty, binary, too large, undecodable)
    ├── FetchError          a URL, feed or file could not be read (network, SSRF guard, size limits)
    ├── ExtractionError     analysis failed on a usable document
    ├── GeocodingError      the gazetteer could not be built or read
    ├── StoreError          the database refused or is unreachable
    └── ConfigError         bad options or configuration

Batch code catches ``DMError`` per document, records ``str(err)`` as the document's error and goes
on. The CLI prints one line (never a traceback) for a ``DMError`` that ends a command. Bugs in
calling code still raise ``TypeError``/``ValueError``.
"""

from __future__ import annotations


class DMError(Exception):
    """Base of all expected failures; ``code`` is stable and greppable."""

    code = "DM000"

    def __init__(self, message: str, *, document_id: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.document_id = document_id
        self.url = url

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(DMError):
    code = "DM100"


class EmptyDocument(InputError):
    code = "DM101"


class BinaryDocument(InputError):
    code = "DM102"


class DocumentTooLarge(InputError):
    code = "DM103"


class UndecodableDocument(InputError):
    code = "DM104"


class FetchError(DMError):
    code = "DM200"


class BlockedAddress(FetchError):
    """The SSRF guard refused a private, loopback, link-local or metadata address."""

    code = "DM201"


class ExtractionError(DMError):
    code = "DM300"


class GeocodingError(DMError):
    code = "DM400"


class StoreError(DMError):
    code = "DM500"


class ConfigError(DMError):
    code = "DM600"

"""Near-duplicate detection across URLs: MinHash signatures of word 5-grams, LSH lookup.

Syndicated wire stories reach us under many URLs with small edits; exact hashes miss them. Each
processed article keeps its signature in the database, so the index is rebuilt at the start of a
run and a later run still links to articles stored by an earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.8
SHINGLE = 5
#: Pinned so stored signatures stay comparable across datasketch versions.
SCHEME = "affine32"
_DTYPE = "<u4"
_SIGNATURE_BYTES = NUM_PERM * 4
#: Shorter texts give unstable signatures (and near-duplicate briefs are not worth linking).
MIN_WORDS = 30
_WORD = re.compile(r"\w+")


def signature_of(text: str) -> bytes | None:
    """MinHash of the text's word 5-grams as little-endian uint32 bytes, None for short texts."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(shingles))
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def _minhash(signature: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(signature, dtype=_DTYPE))


class NearDuplicateIndex:
    """article id → signature, queried for the oldest stored article similar above THRESHOLD."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)

    def load(self, signatures: Iterable[tuple[int, bytes]]) -> None:
        for article_id, signature in signatures:
            self.insert(article_id, signature)

    def insert(self, article_id: int, signature: bytes) -> None:
        if len(signature) == _SIGNATURE_BYTES and article_id not in self._lsh:
            self._lsh.insert(article_id, _minhash(signature))

    def query(self, signature: bytes) -> int | None:
        if len(signature) != _SIGNATURE_BYTES:
            return None
        matches = self._lsh.query(_minhash(signature))
        return min(matches) if matches else None

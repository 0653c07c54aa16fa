"""A Hive-partitioned Parquet dataset written from a stream of rows with bounded memory.

Rows are buffered per partition (``month=YYYY-MM/country=ISO3``) and a partition's buffer becomes
one file, ``part-NNNNN.parquet`` numbered per partition, when it reaches ``rows_per_file`` or when
all buffers together exceed ``max_buffered_rows`` (then the biggest is written). The same rows in
the same order therefore give the same files, whichever engine produced them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

Partition = tuple[str, str]


class PartitionedWriter:
    """Rows in, ``<root>/month=…/country=…/part-NNNNN.parquet`` out."""

    def __init__(
        self,
        root: Path,
        schema: pa.Schema,
        *,
        rows_per_file: int = 50_000,
        max_buffered_rows: int = 100_000,
        compression: str = "zstd",
    ) -> None:
        self.root = root
        self.schema = schema
        self.rows_per_file = rows_per_file
        self.max_buffered_rows = max_buffered_rows
        self.compression = compression
        self._buffers: dict[Partition, list[Mapping[str, Any]]] = {}
        self._buffered = 0
        self._next_part: dict[Partition, int] = {}
        self.rows_written = 0
        self.files: list[Path] = []

    def add(self, partition: Partition, row: Mapping[str, Any]) -> None:
        buffer = self._buffers.setdefault(partition, [])
        buffer.append(row)
        self._buffered += 1
        if len(buffer) >= self.rows_per_file:
            self._flush(partition)
        elif self._buffered > self.max_buffered_rows:
            self._flush(max(self._buffers, key=lambda key: (len(self._buffers[key]), key)))

    def close(self) -> None:
        for partition in sorted(self._buffers):
            self._flush(partition)

    def _flush(self, partition: Partition) -> None:
        rows = self._buffers.pop(partition, [])
        if not rows:
            return
        self._buffered -= len(rows)
        month, country = partition
        folder = self.root / f"month={month}" / f"country={country}"
        folder.mkdir(parents=True, exist_ok=True)
        number = self._next_part.get(partition, 0)
        self._next_part[partition] = number + 1
        path = folder / f"part-{number:05d}.parquet"
        table = pa.Table.from_pylist(list(rows), schema=self.schema)
        pq.write_table(table, path, compression=self.compression)
        self.rows_written += len(rows)
        self.files.append(path)

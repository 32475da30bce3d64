# SPDX-License-Identifier: Apache-2.0
"""Schema repositories for ``load_schema(path, repo=...)``, as fastavro's
``fastavro.repository``: a repository loads a schema (a dict) by its name.

``FlatDictRepository(directory)`` loads schema ``NAME`` from the file ``NAME.avsc`` in
``directory``; subclass ``AbstractSchemaRepository`` (or give any object with a
``load(name)`` method) for schemas kept elsewhere.  ``load`` raises
``SchemaRepositoryError`` for a schema it cannot load or parse.
"""

from __future__ import annotations

import abc
import json
import os

from .schema import SchemaRepositoryError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from .types import Schema

__all__ = ["AbstractSchemaRepository", "FlatDictRepository", "SchemaRepositoryError"]


class AbstractSchemaRepository(abc.ABC):
    """A place schemas are loaded from by name."""

    @abc.abstractmethod
    def load(self, name: str) -> Schema:
        """The schema called ``name``, as a dict (``SchemaRepositoryError`` if there is
        none or it cannot be read)."""


class FlatDictRepository(AbstractSchemaRepository):
    """Schemas as ``.avsc`` files in one directory: schema ``NAME`` is ``NAME.avsc``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file_ext = "avsc"

    def load(self, name: str) -> Schema:
        """The schema in ``<path>/<name>.avsc``, parsed from JSON."""
        file_path = os.path.join(self.path, f"{name}.{self.file_ext}")
        try:
            with open(file_path) as f:
                return json.load(f)
        except OSError as e:
            raise SchemaRepositoryError(f"Failed to load '{name}' schema") from e
        except ValueError as e:
            raise SchemaRepositoryError(f"Failed to parse '{name}' schema") from e

"""The only place that finds the files shipped with the package: ontology, shapes, queries, gazetteer.

An installed wheel carries `ontology/` and `queries/` inside the package; a source checkout (also an
editable install) keeps them at the top of the repository, next to the package.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_PACKAGE = files("heritage_kg")
_CHECKOUT = Path(__file__).resolve().parent.parent


def _shipped_dir(name: str) -> Traversable:
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def ontology_dir() -> Traversable:
    return _shipped_dir("ontology")


def ontology_file(name: str = "heritage-kg.ttl") -> Traversable:
    return ontology_dir() / name


def shapes_file() -> Traversable:
    return ontology_file("shapes.ttl")


def vocabulary_file() -> Traversable:
    return ontology_file("vocabulary.ttl")


def queries_dir() -> Traversable:
    return _shipped_dir("queries")


def gazetteer_files() -> list[Traversable]:
    """The gazetteer's Turtle files (data/gazetteer/*.ttl), in name order: one file per region or theme."""
    folder = _PACKAGE / "data" / "gazetteer"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)

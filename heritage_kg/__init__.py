"""heritage-kg: news reports about damage to cultural heritage, as a linked knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("heritage-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""One exception hierarchy: library code raises these, the CLI turns them into one line on stderr."""


class HeritageKGError(Exception):
    """Base class. `where` names the file, query or store the problem is in."""

    exit_code = 1

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(HeritageKGError):
    """Bad input from the user: an unreadable article, a malformed RDF file, a bad parameter."""

    exit_code = 2


class UnknownNameError(InputError):
    """A name (query, format, store kind) that is not registered; the message lists the valid ones."""


class StoreError(HeritageKGError):
    """The store could not be opened, read or written; nothing was changed."""


class QueryError(HeritageKGError):
    """A SPARQL query failed to run."""


class QuerySyntaxError(QueryError, InputError):
    """A SPARQL query that does not parse: bad input, exit code 2."""

    exit_code = 2


class IngestInterrupted(HeritageKGError):
    """Ctrl-C during an ingest: the articles extracted so far were written whole, the rest were not."""

    exit_code = 130  # the shell's code for a SIGINT

    def __init__(self, written: int, skipped: int) -> None:
        super().__init__(f"interrupted: {written} article{'s' if written != 1 else ''} written"
                         + (f", {skipped} skipped as unchanged" if skipped else "")
                         + "; run the same command again to go on from there")
        self.written = written
        self.skipped = skipped

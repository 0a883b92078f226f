"""The `heritage-kg` command: a few lines around one library call per command."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, TypeVar

import click

from . import __version__
from .errors import HeritageKGError, InputError

F = TypeVar("F", bound=Callable[..., Any])


class StoreEndpoints(TypedDict, total=False):
    """The SPARQL server a command works on, as keyword arguments of `store.open_store`."""

    endpoint: str
    update_endpoint: str | None
    store_endpoint: str | None


_ENDPOINTS = "heritage_kg.store_endpoints"  # where store_option leaves them in the click context


def store_option(function: F) -> F:
    """--store DIR (the embedded store) or --endpoint URL (a SPARQL 1.1 server, with --update-endpoint and
    --store-endpoint). The command itself takes only `store_location`; it opens its store with
    `open_store(store_location, **store_endpoints())`. Given both on the command line (or both in the
    environment) is bad usage; one on the command line wins over the other in the environment."""

    @functools.wraps(function)
    def wrapper(*args: Any, remote_endpoint: str | None, remote_update_endpoint: str | None,
                remote_store_endpoint: str | None, **kwargs: Any) -> Any:
        context = click.get_current_context()
        source = context.get_parameter_source
        if remote_endpoint and kwargs.get("store_location") is not None:
            from_command_line = {name: source(name) == click.core.ParameterSource.COMMANDLINE
                                 for name in ("remote_endpoint", "store_location")}
            if from_command_line["remote_endpoint"] == from_command_line["store_location"]:
                raise click.BadParameter("give --store DIR or --endpoint URL, not both", param_hint="'--endpoint'")
            if from_command_line["remote_endpoint"]:
                kwargs["store_location"] = None
            else:
                remote_endpoint = None
        if not remote_endpoint:
            for name, flag in (("remote_update_endpoint", "--update-endpoint"),
                               ("remote_store_endpoint", "--store-endpoint")):
                if source(name) == click.core.ParameterSource.COMMANDLINE:
                    raise click.BadParameter(f"{flag} goes with --endpoint URL", param_hint=f"'{flag}'")
        context.meta[_ENDPOINTS] = StoreEndpoints(
            endpoint=remote_endpoint, update_endpoint=remote_update_endpoint,
            store_endpoint=remote_store_endpoint) if remote_endpoint else StoreEndpoints()
        return function(*args, **kwargs)

    options = [
        click.option("--store", "store_location", type=click.Path(path_type=Path),
                     envvar="HERITAGE_KG_STORE", show_envvar=True, default=None,
                     help="Directory of the embedded Oxigraph store  [default: .heritage-kg]"),
        click.option("--endpoint", "remote_endpoint", metavar="URL", envvar="HERITAGE_KG_ENDPOINT",
                     show_envvar=True, default=None,
                     help="Work on a SPARQL 1.1 server instead: its query endpoint (README: Remote stores). "
                          "Credentials come from $HERITAGE_KG_SPARQL_USER and $HERITAGE_KG_SPARQL_PASSWORD."),
        click.option("--update-endpoint", "remote_update_endpoint", metavar="URL",
                     envvar="HERITAGE_KG_UPDATE_ENDPOINT", show_envvar=True, default=None,
                     help="The server's SPARQL Update endpoint  [default: the endpoint's …/query as …/update]"),
        click.option("--store-endpoint", "remote_store_endpoint", metavar="URL",
                     envvar="HERITAGE_KG_STORE_ENDPOINT", show_envvar=True, default=None,
                     help="The server's Graph Store Protocol endpoint, to read the whole dataset at once  "
                          "[default: the endpoint's …/query as …/store]"),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def store_endpoints() -> StoreEndpoints:
    """The SPARQL server chosen by store_option's options; empty for the embedded store."""
    return StoreEndpoints(**click.get_current_context().meta.get(_ENDPOINTS, {}))


def reports_errors(function: F) -> F:
    """Library errors become one line on stderr and an exit code; a traceback only with --debug."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return function(*args, **kwargs)
        except HeritageKGError as error:
            if debug:
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as the Python docs advise.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as error:  # a bug, not the user's input: say so briefly
            if debug:
                raise
            click.echo(f"Error: internal error: {type(error).__name__}: {error} (rerun with --debug for details)",
                       err=True)
            sys.exit(1)

    # --debug is the group's option; each command takes it too, so that it works wherever it is typed.
    return click.option("--debug", is_flag=True, expose_value=False, callback=_debug_anywhere,
                        help="Show the full traceback when something fails.")(wrapper)  # type: ignore[return-value]


def _debug_anywhere(context: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        context.find_root().params["debug"] = True
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="heritage-kg")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
def main(debug: bool) -> None:
    """Turn news reports about damage to cultural heritage into a linked, queryable knowledge graph.

    \b
    Example:
      heritage-kg ingest examples/
      heritage-kg query heritage-events
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that extract articles; one writer stores what they give, the same whatever the number.")
@store_option
@reports_errors
def ingest(paths: tuple[Path, ...], workers: int, store_location: Path | None) -> None:
    """Read articles into the store: article files (*.txt), JSON Lines files (*.jsonl, one article
    a line), saved web pages (*.html, *.htm), folders of them, or glob patterns ('news/**/*.txt').

    Every article is checked first; one bad input stops the run and the store keeps what it had.
    Articles the store holds with the same content are skipped, so rerunning an interrupted ingest
    resumes it; a changed article replaces what it gave before. Articles are written in batches of
    200, each batch in one transaction; Ctrl-C writes the articles already extracted, then stops.

    \b
    Example:
      heritage-kg ingest examples/ 'news/**/*.jsonl' --workers 2 --store /tmp/kg
    """
    from .merge import merge_events
    from .pipeline import check_inputs, ingest_articles, read_inputs
    from .store import open_store

    checked = check_inputs(paths)  # every article checked before anything is written
    with open_store(store_location, **store_endpoints()) as store, _progress(checked.articles) as advance:
        report = ingest_articles(read_inputs(checked.files), store, workers=workers,
                                 on_article=lambda _article, skipped: advance(skipped))
        merged = merge_events(store)  # reports of one event in several articles: one event
        # Quads, not distinct triples: counting those needs memory in proportion to the store (0.5 GB at
        # 3 M triples), and ingest's memory must stay flat with the corpus. `stats` counts both.
        quads = store.quad_count()
    skipped = f", skipped {report.skipped} unchanged" if report.skipped else ""
    merges = (f"; {merged.events} event{'s' if merged.events != 1 else ''} reported by several articles "
              f"({merged.merged_reports} reports) merged") if merged.events else ""
    click.echo(
        f"Ingested {report.articles} article{'s' if report.articles != 1 else ''}{skipped}: {report.events} "
        f"heritage events, {report.control_changes} control changes, {report.statements} statements{merges}; "
        f"the store holds {quads} quads.",
        err=True,
    )


@main.command()
@click.argument("name_or_file")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter (repeatable); see `heritage-kg queries`.")
@click.option("--format", "-f", "output_format", default="table", show_default=True,
              help="Output format: table, csv or json.")
@store_option
@reports_errors
def query(name_or_file: str, params: tuple[str, ...], output_format: str, store_location: Path | None) -> None:
    """Run a canned query by name, or a SPARQL file.

    \b
    Example:
      heritage-kg query events-at-site --param site=Palmyra --format csv
    """
    from .query import format_result, resolve_query, run_query
    from .store import open_store

    stored = resolve_query(name_or_file)
    values = dict(_parse_param(p) for p in params)
    with open_store(store_location, create=False, **store_endpoints()) as store:
        result = run_query(store, stored, values)
    format_result(result, output_format, sys.stdout)


@main.command("queries")
@reports_errors
def list_queries() -> None:
    """List the canned queries with their descriptions and parameters.

    \b
    Example:
      heritage-kg queries
    """
    from .query import load_queries

    for stored in load_queries():
        click.echo(f"{click.style(stored.name, bold=True)}: {stored.title}")
        click.echo(f"    {stored.description}")
        for param in stored.params:
            required = " (required)" if param.required else ""
            click.echo(f"    --param {param.name}=...{required}  {param.description}")


@main.command()
@click.option("--format", "-f", "export_format", default="turtle", show_default=True,
              help="turtle, jsonld, nquads or trig.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="File to write  [default: standard output]")
@store_option
@reports_errors
def export(export_format: str, output: Path | None, store_location: Path | None) -> None:
    """Write the whole graph out as Turtle, JSON-LD, N-Quads or TriG.

    \b
    Example:
      heritage-kg export --format turtle -o out/heritage.ttl
    """
    from .export import export_store
    from .store import open_store

    if output is not None and output.is_dir():
        raise InputError("is a folder; give the file to write", where=str(output))
    with open_store(store_location, create=False, **store_endpoints()) as store:
        if output is None:
            export_store(store, export_format, sys.stdout)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            export_store(store, export_format, output)
            click.echo(f"Wrote {output}", err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "-f", "dump_format", default=None, help="nquads or trig  [default: from the file name]")
@store_option
@reports_errors
def dump(file: Path, dump_format: str | None, store_location: Path | None) -> None:
    """Write the whole store, every named graph kept, as N-Quads or TriG (streamed), for `load`.

    \b
    Example:
      heritage-kg dump backup.nq
    """
    from .dump import dump_store
    from .store import open_store

    if file.is_dir():
        raise InputError("is a folder; give the file to write", where=str(file))
    with open_store(store_location, create=False, **store_endpoints()) as store:
        file.parent.mkdir(parents=True, exist_ok=True)
        dump_store(store, file, dump_format)
        click.echo(f"Wrote {store.quad_count()} quads to {file}", err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--format", "-f", "dump_format", default=None, help="nquads or trig  [default: from the file name]")
@store_option
@reports_errors
def load(file: Path, dump_format: str | None, store_location: Path | None) -> None:
    """Read a dump (N-Quads or TriG, every quad in a named graph) into the store, streaming.

    The file is checked whole before anything is written; each of its graphs then replaces the
    store's graph of that name, in batches of one transaction each, so loading it again changes nothing.

    \b
    Example:
      heritage-kg load backup.nq --store /tmp/restored
    """
    from .dump import load_dump
    from .store import open_store

    with open_store(store_location, **store_endpoints()) as store:
        report = load_dump(store, file, dump_format)
    click.echo(f"Loaded {report.quads} quads in {report.graphs} graphs; the store holds {report.triples} triples.",
               err=True)


@main.command()
@store_option
@reports_errors
def stats(store_location: Path | None) -> None:
    """Count what the store holds: articles, events, control changes, statements, triples.

    \b
    Example:
      heritage-kg stats --store /tmp/kg
    """
    from .store import open_store

    with open_store(store_location, create=False, **store_endpoints()) as store:
        for name, value in store.stats().items():
            click.echo(f"{name:>16}: {value}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "-f", "report_format", default="text", show_default=True,
              help="Report format: text (a line per violation and a summary), turtle (a SHACL validation "
                   "report) or json.")
@store_option
@reports_errors
def validate(files: tuple[Path, ...], report_format: str, store_location: Path | None) -> None:
    """Check the store, or RDF files, against the SHACL shapes (ontology/shapes.ttl) and the quality
    checks (queries/checks/*.rq, each of which must return no rows).

    Files are read by extension: .ttl, .trig, .nq, .nt, .jsonld/.json, .rdf/.owl. Each violation names
    the failing node, the shape or check, and what is wrong. Exit code 0 when there is none, 1 when
    there are violations, 2 when a file is not RDF.

    \b
    Example:
      heritage-kg validate --store /tmp/kg
      heritage-kg validate out/heritage.ttl --format json
    """
    from .store import open_store
    from .validate import REPORT_FORMATS, format_report, validate_files, validate_store

    if report_format.lower() not in REPORT_FORMATS:
        raise InputError(f"unknown format {report_format!r}; known formats: {', '.join(sorted(REPORT_FORMATS))}",
                         where="--format")
    if files:
        source = click.get_current_context().get_parameter_source
        for name, flag in (("store_location", "--store"), ("remote_endpoint", "--endpoint")):
            if source(name) == click.core.ParameterSource.COMMANDLINE:
                raise click.BadParameter(f"give {flag} or FILES, not both", param_hint=f"'{flag}'")
        report = validate_files(files)
    else:
        with open_store(store_location, create=False, **store_endpoints()) as store:
            report = validate_store(store)
    format_report(report, report_format, sys.stdout)
    if not report.conforms:
        sys.exit(1)


@main.command()
@store_option
@reports_errors
def reason(store_location: Path | None) -> None:
    """Run the OWL reasoner HermiT over the store: check that the data is consistent with the ontology,
    and write what the ontology's defined terms conclude (hkg:Perpetrator, hkg:affectedPartOf,
    hkg:DamagedWorldHeritageSite) into the graph …/graph/inferred, replacing what it held.

    Needs Java. An inconsistency is exit code 1, with the individuals and the axioms that conflict.

    \b
    Example:
      heritage-kg reason --store /tmp/kg
    """
    from .namespaces import INFERRED_GRAPH, compact
    from .reason import reason_store
    from .store import open_store

    with open_store(store_location, create=False, **store_endpoints()) as store:
        report = reason_store(store)
    parts = f" in {report.parts} parts" if report.parts > 1 else ""
    click.echo(f"Inferred {report.total} fact{'s' if report.total != 1 else ''} into {INFERRED_GRAPH} in "
               f"{report.seconds:.1f} s (HermiT over {report.asserted} facts about {report.individuals} "
               f"individuals{parts}: {report.seconds_reasoning:.1f} s)")
    for kind, count in sorted(report.facts.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"{count:>8}  {compact(kind)}")


def wikidata_options(function: F) -> F:
    """Where Wikidata is, who is asking, and where answers are kept."""
    function = click.option(
        "--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
        envvar="HERITAGE_KG_CACHE", show_envvar=True,
        help="Folder for Wikidata answers and the local Wikidata gazetteer  [default: ~/.cache/heritage-kg]",
    )(function)
    function = click.option(
        "--contact", envvar="HERITAGE_KG_CONTACT", show_envvar=True, default=None,
        help="An e-mail or URL for the User-Agent, so that Wikidata's operators can reach you.",
    )(function)
    return click.option(
        "--wikidata-endpoint", "endpoint", envvar="HERITAGE_KG_WIKIDATA_ENDPOINT", show_envvar=True,
        default="https://query.wikidata.org/sparql", show_default=True, help="Wikidata's SPARQL endpoint.",
    )(function)


def _cache_dir(given: Path | None) -> Path:
    if given is not None:
        return given
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "heritage-kg"


@main.group()
def gazetteer() -> None:
    """The local Wikidata gazetteer: World Heritage Sites and their parts, for `heritage-kg link`."""


@gazetteer.command("update")
@click.option("--refresh", is_flag=True, help="Ask Wikidata again even where an answer is cached.")
@wikidata_options
@reports_errors
def gazetteer_update(refresh: bool, endpoint: str, contact: str | None, cache_dir: Path | None) -> None:
    """Fetch every item with a World Heritage Site ID (P757) and its parts (P361/P527), with English
    labels, aliases, coordinates and country, into the local Wikidata gazetteer.

    Requests go one at a time, honour 429/503 Retry-After, and are cached: a rerun sends none.

    \b
    Example:
      heritage-kg gazetteer update --contact you@example.org
    """
    from datetime import UTC, datetime

    from .wikidata import WikidataClient, save_items, world_heritage_items

    folder = _cache_dir(cache_dir)
    client = WikidataClient(endpoint, contact=contact, cache_dir=folder / "wikidata", refresh=refresh)
    items = world_heritage_items(client)
    path = folder / "wikidata-gazetteer.json"
    save_items(items, path, endpoint=endpoint, retrieved=client.oldest_retrieval or datetime.now(UTC))
    sites = sum(1 for item in items if item.whs_id)
    click.echo(f"Saved {len(items)} Wikidata items ({sites} World Heritage Sites, {len(items) - sites} parts) "
               f"to {path}; {client.requests_sent} requests sent, {client.cache_hits} answered from the cache.",
               err=True)


@main.command()
@click.option("--online", is_flag=True, help="Also ask Wikidata for each name (else only the local gazetteer).")
@wikidata_options
@store_option
@reports_errors
def link(online: bool, endpoint: str, contact: str | None, cache_dir: Path | None,
         store_location: Path | None) -> None:
    """Link the store's sites and monuments that have no QID to Wikidata items.

    Each is looked up by its label in the local Wikidata gazetteer (`heritage-kg gazetteer update`)
    and, with --online, on Wikidata by label and alias. A candidate is accepted only when it stands
    where the node does: part of its site (P361), located in its site or town (P131), within 5 km of
    it (P625), or in its country (P17) when nothing closer is known; and only when exactly one does.
    Links replace the graph …/graph/links, each with its source.

    \b
    Example:
      heritage-kg link --online --contact you@example.org
    """
    from .link import WikidataCandidate
    from .pipeline import link_store
    from .store import open_store
    from .wikidata import WikidataClient, items_named, load_header, load_items

    folder = _cache_dir(cache_dir)
    path = folder / "wikidata-gazetteer.json"
    if not online and not path.exists():
        raise HeritageKGError(f"no local Wikidata gazetteer at {path}: run `heritage-kg gazetteer update` "
                              "first, or `heritage-kg link --online`")
    cached = load_items(path) if path.exists() else []
    client = WikidataClient(endpoint, contact=contact, cache_dir=folder / "wikidata")
    sources = []
    if path.exists():
        header = load_header(path)
        sources.append(f"local Wikidata gazetteer from {header.endpoint}, retrieved {header.retrieved:%Y-%m-%d}")
    if online:
        sources.append(f"Wikidata SPARQL endpoint {endpoint} (query wikidata/items-named)")

    def find_items(names: list[str]) -> list[WikidataCandidate]:
        found: list[WikidataCandidate] = list(cached)
        if online:
            found += items_named(client, names)
        return found

    with open_store(store_location, create=False, **store_endpoints()) as store:
        report = link_store(store, find_items, " and ".join(sources))
    for found in report.links:
        click.echo(f"{found.node.label} -> {found.qid} ({found.reason})")
    click.echo(f"Linked {len(report.links)} of {report.looked_up} sites and monuments without a QID; "
               f"{client.requests_sent} requests sent, {client.cache_hits} answered from the cache.", err=True)


def _parse_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"expected NAME=VALUE, got {text!r}", where="--param")
    return name.strip(), value


def _no_progress(skipped: bool = False) -> None:
    pass


class _progress:
    """A progress bar on a terminal, counting articles and the unchanged ones skipped; silence in a pipe."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._progress: Any = None

    def __enter__(self) -> Callable[[bool], None]:
        if not sys.stderr.isatty() or self.total < 2:
            return _no_progress
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[skipped]} unchanged, skipped"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self._progress.start()
        task = self._progress.add_task("Ingesting articles", total=self.total, skipped=0)
        skipped_count = 0

        def advance(skipped: bool = False) -> None:
            nonlocal skipped_count
            skipped_count += skipped
            self._progress.update(task, advance=1, skipped=skipped_count)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

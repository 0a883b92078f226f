"""Every canned query, run against tests/fixtures/queries.trig, returns exactly the rows stated here.

The fixture holds the seed article (3 destruction events, 4 control changes, a statement) and a second
article (looted/unverified, threatened/disputed with two perpetrators, restored, damaged/denied, a
control change with two supporters); both describe Palmyra, the Roman Theatre and Islamic State, so
the union of the graphs repeats those descriptions, as a real store does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib.plugins.sparql
from conftest import KITCHEN_SINK_FIXTURE, QUERIES_BAD_FIXTURE, QUERIES_FIXTURE

from heritage_kg.errors import InputError, UnknownNameError
from heritage_kg.query import (
    FORMATS,
    QueryParam,
    StoredQuery,
    format_result,
    load_queries,
    parse_query,
    resolve_query,
    run_query,
)
from heritage_kg.store import KnowledgeStore, QueryResult

Row = tuple[str | None, ...]

SEED = "palmyra-2017-03-01.txt"
SECOND = "https://example.org/news/2017/palmyra-nimrud"
HKGD = "https://w3id.org/heritage-kg/id/"
EVENT = "https://w3id.org/heritage-kg/id/event/"
INJECTION = 'x" } ; DROP ALL ; #'

RAZED = "Most recently, Islamic State has razed the landmark Tetrapylon and the facade of Palmyra's Roman Theater."
ARCH = (
    "During its first period in control of the site, the jihadists destroyed monuments including a "
    "1,800-year-old monumental arch."
)
BUSTS = "Funerary busts were taken from the museum, a claim that could not be independently verified."
NIMRUD = "Militants threatened the ancient city of Nimrud in May, though accounts differ on who they were."
BEL = "In December, work began to restore the Temple of Bel."
THEATRE = "The army denied that its shelling on 27 March damaged the theatre's facade."
CAPTURED_2015 = "Islamic State first captured Palmyra from the government in 2015."
LOST_AND_RECAPTURED = (
    "The Syrian government lost control of Palmyra to Islamic State in December, having first recaptured "
    "it with Russian air support last March."
)
TRIANGLE = (
    'The army said on Wednesday it had captured an area known as the "Palmyra triangle" a few miles west of the city.'
)
RETOOK_NIMRUD = "Iraqi forces, backed by the United States and France, retook Nimrud in November."

HERITAGE_EVENTS_COLUMNS = [
    "article", "monument", "mention", "site", "event_type", "perpetrator", "date", "earliest", "latest",
    "status", "evidence", "monument_wikidata", "site_wikidata", "perpetrator_wikidata",
]  # fmt: skip

# heritage-events rows, in the query's order (article, earliest, monument).
BUSTS_ROW = (SECOND, "Funerary busts", "funerary busts", None, "looted", "", "2016", "2016-01-01",
             "2016-12-31", "unverified", BUSTS, "", "", "")  # fmt: skip
THEATRE_ROW = (SECOND, "Facade of the Roman Theatre", "the theatre's facade", "Palmyra", "damaged",
               "Syrian Arab Army", "2016-03-27", "2016-03-27", "2016-03-27", "denied", THEATRE, "", "Q5747",
               "")  # fmt: skip
# Two perpetrators sorted by label; the QID list keeps their order, "" for the one without a QID.
NIMRUD_ROW = (SECOND, "Nimrud", "the ancient city of Nimrud", "Nimrud", "threatened",
              "Islamic State; Unnamed militia", "2016-05", "2016-05-01", "2016-05-31", "disputed", NIMRUD,
              "Q237614", "Q237614", "Q2429253; ")  # fmt: skip
# The Temple of Bel also has an Arabic label, which sorts first: the English one is shown.
BEL_ROW = (SECOND, "Temple of Bel", "Temple of Bel", "Palmyra", "restored", "", "2016-12", "2016-12-01",
           "2016-12-31", "reported", BEL, "Q797481", "Q5747", "")  # fmt: skip
ARCH_ROW = (SEED, "Monumental Arch", "1,800-year-old monumental arch", "Palmyra", "destroyed", "Islamic State",
            "2015/2016-03", "2015-01-01", "2016-03-31", "reported", ARCH, "Q21077991", "Q5747",
            "Q2429253")  # fmt: skip
FACADE_ROW = (SEED, "Facade of the Roman Theatre", "facade of Palmyra's Roman Theater", "Palmyra", "destroyed",
              "Islamic State", "2016-12/2017-03-01", "2016-12-01", "2017-03-01", "reported", RAZED, "", "Q5747",
              "Q2429253")  # fmt: skip
TETRAPYLON_ROW = (SEED, "Tetrapylon", "Tetrapylon", "Palmyra", "destroyed", "Islamic State", "2016-12/2017-03-01",
                  "2016-12-01", "2017-03-01", "reported", RAZED, "", "Q5747", "Q2429253")  # fmt: skip


def at_site(row: Row, site_label: str, asked: str) -> Row:
    """An events-at-site row from a heritage-events row: no QIDs, the matched site, the parameter last."""
    return (*row[:3], site_label, *row[4:11], asked)


PALMYRA_TIMELINE = [ARCH_ROW, BUSTS_ROW, THEATRE_ROW, BEL_ROW, FACADE_ROW, TETRAPYLON_ROW]  # by earliest


def source_row(event: str, row: Row, start: str, end: str, asked: str | None) -> Row:
    """A sources-of-event row: the event, monument, type, article, publication, quote, offsets, status."""
    published, publisher = ("2017-03-01", "Reuters") if row[0] == SEED else ("2017-01-15", "Example News")
    return (EVENT + event, row[1], row[4], row[0], published, publisher, row[10], start, end, row[9], asked)


def all_sources(asked: str | None) -> list[Row]:
    # By article, then by start offset as a number (96 before 191), then monument.
    return [
        source_row("a0263e3847974bb0-busts", BUSTS_ROW, "0", "95", asked),
        source_row("a0263e3847974bb0-nimrud", NIMRUD_ROW, "96", "190", asked),
        source_row("a0263e3847974bb0-bel", BEL_ROW, "191", "250", asked),
        source_row("a0263e3847974bb0-theatre", THEATRE_ROW, "251", "330", asked),
        source_row("24ff279f4cc81e08-arch", ARCH_ROW, "1386", "1511", asked),
        source_row("24ff279f4cc81e08-facade", FACADE_ROW, "1512", "1617", asked),
        source_row("24ff279f4cc81e08-tetrapylon", TETRAPYLON_ROW, "1512", "1617", asked),
    ]


@dataclass
class Expected:
    columns: list[str]
    cases: list[tuple[dict[str, str], list[Row]]]  # (parameters, rows in order)


EXPECTED: dict[str, Expected] = {
    "heritage-events": Expected(
        HERITAGE_EVENTS_COLUMNS + ["sources"],  # each event here is reported by one article
        [({}, [row + ("1",) for row in [BUSTS_ROW, THEATRE_ROW, NIMRUD_ROW, BEL_ROW, ARCH_ROW, FACADE_ROW,
                                         TETRAPYLON_ROW]])],
    ),
    "events-by-perpetrator": Expected(
        ["perpetrator", "perpetrator_wikidata", "events", "monuments"],
        [
            (
                {},
                [
                    (
                        "Islamic State",
                        "Q2429253",
                        "4",
                        "Facade of the Roman Theatre; Monumental Arch; Nimrud; Tetrapylon",
                    ),
                    ("Syrian Arab Army", "", "1", "Facade of the Roman Theatre"),
                    ("Unnamed militia", "", "1", "Nimrud"),
                ],
            )
        ],
    ),
    "events-at-site": Expected(
        [
            "article",
            "monument",
            "mention",
            "site_label",
            "event_type",
            "perpetrator",
            "date",
            "earliest",
            "latest",
            "status",
            "evidence",
            "site",
        ],  # fmt: skip
        [
            # The busts are part of the museum, which is part of Palmyra: found through hkg:partOf+.
            ({"site": "Palmyra"}, [at_site(row, "Palmyra", "Palmyra") for row in PALMYRA_TIMELINE]),
            ({"site": "TADMUR"}, [at_site(row, "Palmyra", "TADMUR") for row in PALMYRA_TIMELINE]),
            ({"site": "q5747"}, [at_site(row, "Palmyra", "q5747") for row in PALMYRA_TIMELINE]),
            ({"site": "Kalhu"}, [at_site(NIMRUD_ROW, "Nimrud", "Kalhu")]),
            ({"site": "Roman Theatre"}, []),  # a monument, not a site
            ({"site": INJECTION}, []),
        ],
    ),
    "control-timeline": Expected(
        ["place", "gained_by", "lost_by", "supported_by", "date", "earliest", "latest", "article", "evidence"],
        [
            (
                {},
                [
                    (
                        "Nimrud",
                        "Iraqi government",
                        "Islamic State",
                        "France; United States",
                        "2016-11",
                        "2016-11-01",
                        "2016-11-30",
                        SECOND,
                        RETOOK_NIMRUD,
                    ),
                    (
                        "Palmyra",
                        "Islamic State",
                        "Syrian government",
                        "",
                        "2015",
                        "2015-01-01",
                        "2015-12-31",
                        SEED,
                        CAPTURED_2015,
                    ),
                    (
                        "Palmyra",
                        "Syrian government",
                        "Islamic State",
                        "Russia",
                        "2016-03",
                        "2016-03-01",
                        "2016-03-31",
                        SEED,
                        LOST_AND_RECAPTURED,
                    ),
                    (
                        "Palmyra",
                        "Islamic State",
                        "Syrian government",
                        "",
                        "2016-12",
                        "2016-12-01",
                        "2016-12-31",
                        SEED,
                        LOST_AND_RECAPTURED,
                    ),
                    (
                        "Palmyra triangle",
                        "Syrian Arab Army",
                        None,
                        "",
                        "2017-03-01",
                        "2017-03-01",
                        "2017-03-01",
                        SEED,
                        TRIANGLE,
                    ),
                ],  # fmt: skip
            )
        ],
    ),
    "sources-of-event": Expected(
        [
            "event_iri",
            "monument",
            "event_type",
            "article",
            "published",
            "publisher",
            "quote",
            "start",
            "end",
            "status",
            "event",
        ],  # fmt: skip
        [
            ({}, all_sources(None)),
            ({"event": ""}, all_sources("")),
            (
                {"event": "tetrapylon"},
                [source_row("24ff279f4cc81e08-tetrapylon", TETRAPYLON_ROW, "1512", "1617", "tetrapylon")],
            ),  # fmt: skip
            (
                {"event": "FACADE OF THE ROMAN THEATRE"},
                [
                    source_row("a0263e3847974bb0-theatre", THEATRE_ROW, "251", "330", "FACADE OF THE ROMAN THEATRE"),
                    source_row("24ff279f4cc81e08-facade", FACADE_ROW, "1512", "1617", "FACADE OF THE ROMAN THEATRE"),
                ],
            ),  # fmt: skip
            (
                {"event": "the ancient city of Nimrud"},
                [  # by mention
                    source_row("a0263e3847974bb0-nimrud", NIMRUD_ROW, "96", "190", "the ancient city of Nimrud"),
                ],
            ),  # fmt: skip
            (
                {"event": EVENT + "a0263e3847974bb0-bel"},
                [
                    source_row("a0263e3847974bb0-bel", BEL_ROW, "191", "250", EVENT + "a0263e3847974bb0-bel"),
                ],
            ),  # fmt: skip
            ({"event": INJECTION}, []),
        ],
    ),
    "unlinked-entities": Expected(
        ["entity", "label", "kind", "site_wikidata", "town_wikidata", "country_wikidata", "wkt", "place_names"],
        [
            (
                {},
                [
                    (HKGD + f"monument/palmyra/{key}", label, "Monument", "Q5747", None, "Q858",
                     "POINT(38.2683 34.5511)", "Palmyra|Tadmor|Tadmur")
                    for key, label in [("palmyra-museum", "Palmyra Museum"), ("roman-theatre", "Roman Theatre"),
                                       ("roman-theatre/facade", "Facade of the Roman Theatre"),
                                       ("tetrapylon", "Tetrapylon")]
                ] + [
                    (HKGD + "object/palmyra/funerary-busts", "Funerary busts", "HeritageObject", "Q5747", None,
                     "Q858", "POINT(38.2683 34.5511)", "Palmyra|Tadmor|Tadmur"),
                ],
            ),
        ],
    ),
    "unverified-claims": Expected(
        [
            "article",
            "monument",
            "mention",
            "event_type",
            "status",
            "hedge",
            "reported_by",
            "perpetrator",
            "date",
            "evidence",
        ],  # fmt: skip
        [
            (
                {},
                [
                    (
                        SECOND,
                        "Funerary busts",
                        "funerary busts",
                        "looted",
                        "unverified",
                        "could not be independently verified",
                        "Syrian Observatory for Human Rights",
                        "",
                        "2016",
                        BUSTS,
                    ),
                    (
                        SECOND,
                        "Facade of the Roman Theatre",
                        "the theatre's facade",
                        "damaged",
                        "denied",
                        "denied",
                        "Syrian Observatory for Human Rights",
                        "Syrian Arab Army",
                        "2016-03-27",
                        THEATRE,
                    ),
                    (
                        SECOND,
                        "Nimrud",
                        "the ancient city of Nimrud",
                        "threatened",
                        "disputed",
                        "accounts differ",
                        None,
                        "Islamic State; Unnamed militia",
                        "2016-05",
                        NIMRUD,
                    ),
                ],  # fmt: skip
            )
        ],
    ),
    # Quality checks: no rows on good data (their findings on bad data are tested below).
    "checks/events-without-provenance": Expected(["fact", "problem"], [({}, [])]),
    "checks/earliest-after-latest": Expected(["fact", "earliest", "latest", "problem"], [({}, [])]),
    "checks/monument-without-site": Expected(["monument", "problem"], [({}, [])]),
    "checks/malformed-qid": Expected(["node", "problem"], [({}, [])]),
    "checks/missing-label": Expected(["node", "problem"], [({}, [])]),
}

QUERIES = load_queries()


@pytest.fixture
def fixture_store(loaded_store: Callable[[Path], KnowledgeStore]) -> KnowledgeStore:
    return loaded_store(QUERIES_FIXTURE)


# --- every query, exact rows ---


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_query_returns_exactly_the_expected_rows(fixture_store: KnowledgeStore, query: StoredQuery) -> None:
    if query.name not in EXPECTED:
        pytest.fail(f"queries/{query.name}.rq has no expected rows: add them to EXPECTED in {__file__}")
    expected = EXPECTED[query.name]
    for params, rows in expected.cases:
        result = run_query(fixture_store, query, params)
        assert result.variables == expected.columns, params
        assert result.rows == rows, params


def test_every_expectation_belongs_to_a_query() -> None:
    assert sorted(EXPECTED) == sorted(query.name for query in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_query_header_is_complete_and_standard_sparql(query: StoredQuery) -> None:
    assert query.title and query.title != query.name
    assert query.description
    assert "# params:" in query.text
    # Self-contained standard SPARQL: a second parser (rdflib's) reads it with no predeclared prefixes.
    rdflib.plugins.sparql.prepareQuery(query.text, initNs={})


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_every_parameter_is_a_projected_variable(query: StoredQuery) -> None:
    # Oxigraph substitutes only variables of the SELECT clause.
    select_clause = query.text.split("SELECT", 1)[1].split("WHERE", 1)[0]
    for param in query.params:
        assert f"?{param.name}" in select_clause.split(), param.name


def test_params_are_read_from_the_header() -> None:
    queries = {query.name: query for query in QUERIES}
    assert queries["events-at-site"].params == [
        QueryParam("site", "label, alternative name or Wikidata QID of the site (e.g. Palmyra, Tadmur, Q5747)", True)
    ]
    assert queries["sources-of-event"].params == [
        QueryParam("event", "an event IRI, or the label or mention of the affected monument (any case)", False)
    ]
    assert queries["heritage-events"].params == []


# --- the checks find what is wrong ---


def test_checks_report_bad_data(loaded_store: Callable[[Path], KnowledgeStore]) -> None:
    store = loaded_store(QUERIES_BAD_FIXTURE)
    queries = {query.name: query for query in QUERIES}
    bad = "https://w3id.org/heritage-kg/id/"
    assert run_query(store, queries["checks/events-without-provenance"]).rows == [
        (bad + "event/bad-1", "hkg:evidence: 0 values, expected 1"),
        (bad + "event/bad-1", "prov:wasDerivedFrom: 0 values, expected 1"),
        (bad + "event/bad-1", "prov:wasGeneratedBy: 0 values, expected 1"),
        (bad + "statement/bad-3", f"evidence {bad}evidence/badbadbadbadbad0/20-30 has no quote"),
        (bad + "statement/bad-3", "hkg:evidence: 2 values, expected 1"),
    ]
    assert run_query(store, queries["checks/earliest-after-latest"]).rows == [
        (bad + "control/bad-2", "2016-05-01", "2016-03-01", "hkg:earliest 2016-05-01 is after hkg:latest 2016-03-01"),
        # not a date: cannot be checked, so reported
        (bad + "statement/bad-3", "sometime", "2016-03-01", "hkg:earliest sometime is not a valid xsd:date"),
    ]
    assert run_query(store, queries["checks/monument-without-site"]).rows == [
        (bad + "monument/x/y",
         "neither part of a heritage site or monument (hkg:partOf) nor located in a place (hkg:locatedIn)"),
    ]


@pytest.mark.skipif(not KITCHEN_SINK_FIXTURE.exists(), reason="tests/fixtures/kitchen-sink.trig not written yet")
def test_kitchen_sink_passes_the_checks_and_gives_one_row_per_event(
    loaded_store: Callable[[Path], KnowledgeStore],
) -> None:
    store = loaded_store(KITCHEN_SINK_FIXTURE)
    queries = {query.name: query for query in QUERIES}
    for name in (query.name for query in QUERIES if query.name.startswith("checks/")):
        assert run_query(store, queries[name]).rows == [], name
    events = store.query(
        "PREFIX hkg: <https://w3id.org/heritage-kg/ontology#> SELECT (COUNT(DISTINCT ?e) AS ?n) "
        "WHERE { ?e a hkg:HeritageEvent FILTER NOT EXISTS { ?merged hkg:hasReport ?e } }"
    )
    rows = run_query(store, queries["heritage-events"]).rows
    assert len(rows) == int(events.rows[0][0] or 0) == 7  # 9 events, two of them reports of a third
    seed = {(row[1], row[4], row[5], row[6], row[-1]) for row in rows if row[0] == SEED}
    assert seed == {  # the seed article's gold events (../shared/seed/gold.yaml)
        # reported by the second article too: one event, its dates what both reports allow
        ("Tetrapylon", "destroyed", "Islamic State", "2017-01-01/2017-01-31", "2"),
        ("Facade of the Roman Theatre", "destroyed", "Islamic State", "2016-12/2017-03-01", "1"),
        ("Monumental Arch", "destroyed", "Islamic State", "2015/2016-03", "1"),
    }


# --- parameters ---


def test_a_parameter_full_of_sparql_is_a_literal_and_changes_nothing(fixture_store: KnowledgeStore) -> None:
    before = set(fixture_store.quads())
    queries = {query.name: query for query in QUERIES}
    assert run_query(fixture_store, queries["events-at-site"], {"site": INJECTION}).rows == []
    assert set(fixture_store.quads()) == before


def test_unknown_parameter_lists_the_valid_ones(fixture_store: KnowledgeStore) -> None:
    with pytest.raises(InputError) as raised:
        run_query(fixture_store, resolve_query("events-at-site"), {"place": "Palmyra"})
    message = str(raised.value)
    assert "unknown parameter place" in message and "site (required)" in message
    assert message.startswith("events-at-site: ")


def test_missing_required_parameter_is_named(fixture_store: KnowledgeStore) -> None:
    with pytest.raises(InputError, match="missing parameter site; events-at-site takes: site \\(required\\)"):
        run_query(fixture_store, resolve_query("events-at-site"), {})


def test_a_query_without_parameters_says_so(fixture_store: KnowledgeStore) -> None:
    with pytest.raises(InputError, match="heritage-events takes no parameters"):
        run_query(fixture_store, resolve_query("heritage-events"), {"site": "Palmyra"})


# --- finding queries ---


def test_unknown_query_name_lists_the_known_ones() -> None:
    with pytest.raises(UnknownNameError) as raised:
        resolve_query("heritage-event")
    message = str(raised.value)
    assert "unknown query 'heritage-event'" in message
    for query in QUERIES:
        assert query.name in message


def test_a_query_file_is_resolved_by_path(tmp_path: Path) -> None:
    path = tmp_path / "my-query.rq"
    path.write_text("# title: Mine\n# description: Counts.\n#   Two lines.\n# params: none\nSELECT * WHERE {}\n")
    query = resolve_query(str(path))
    assert (query.name, query.title, query.description, query.params) == (str(path), "Mine", "Counts. Two lines.", [])
    with pytest.raises(InputError, match="no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


def test_checks_are_named_after_their_folder() -> None:
    assert resolve_query("checks/earliest-after-latest").title == "Earliest date after latest date"


def test_header_parsing_of_several_parameters() -> None:
    query = parse_query(
        "# title: T\n# params: a (required) — first\n# params: b — second,\n#   continued\n# params: c\n"
        "#\n# a free comment\nSELECT ?a ?b ?c WHERE {}\n",
        "q",
    )
    assert query.params == [QueryParam("a", "first", True), QueryParam("b", "second, continued", False),
                            QueryParam("c", "", False)]  # fmt: skip
    with pytest.raises(InputError, match="cannot read the parameter"):
        parse_query("# params: two words (required)\nSELECT * WHERE {}", "bad")


# --- formats ---

RESULT = QueryResult(["name", "note"], [('Temple "Bel", [ruin]', None), ("line\nbreak", "ok")])


def formatted(fmt: str, result: QueryResult = RESULT) -> str:
    stream = io.StringIO()
    format_result(result, fmt, stream)
    return stream.getvalue()


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(UnknownNameError, match="unknown format 'xml'; known formats: csv, json, table"):
        formatted("xml")
    assert sorted(FORMATS) == ["csv", "json", "table"]


def test_csv_is_rfc_4180_with_a_header_row() -> None:
    text = formatted("csv")
    assert text == 'name,note\r\n"Temple ""Bel"", [ruin]",\r\n"line\nbreak",ok\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["name", "note"],
        ['Temple "Bel", [ruin]', ""],
        ["line\nbreak", "ok"],
    ]


def test_heritage_events_csv_header_is_the_contract(fixture_store: KnowledgeStore) -> None:
    text = formatted("csv", run_query(fixture_store, resolve_query("heritage-events")))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == HERITAGE_EVENTS_COLUMNS + ["sources"]
    assert len(rows) == 1 + 7


def test_json_is_a_list_of_objects_keyed_by_variable() -> None:
    assert json.loads(formatted("json")) == [
        {"name": 'Temple "Bel", [ruin]', "note": None},
        {"name": "line\nbreak", "note": "ok"},
    ]


def test_table_shows_columns_and_cells_verbatim() -> None:
    text = formatted("table")
    assert "name" in text and "note" in text
    assert "[ruin]" in text  # cells are text, never rich markup
    assert "2 rows" in text
    assert "\x1b[" not in text  # not a terminal: no colour codes


def test_table_in_a_pipe_cuts_no_cell_short(fixture_store: KnowledgeStore) -> None:
    text = formatted("table", run_query(fixture_store, resolve_query("heritage-events")))
    assert "…" not in text
    assert RAZED in text and "https://example.org/news/2017/palmyra-nimrud" in text

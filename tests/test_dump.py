"""`heritage-kg dump` and `heritage-kg load`: the whole store as N-Quads or TriG, and back."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import open_test_store, store_args

from heritage_kg import dump as dump_module
from heritage_kg.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "palmyra-2017-03-01.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def quads(store_path: Path) -> set[str]:
    with open_test_store(store_path) as store:
        return {str(quad) for quad in store.quads()}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    store = tmp_path / "source"
    assert run("ingest", str(EXAMPLE), *store_args(store)).exit_code == 0
    return store


@pytest.mark.parametrize("name", ["all.nq", "all.trig"])
def test_a_dump_loads_back_into_the_same_quads_and_loading_again_changes_nothing(source, tmp_path, name):
    dumped = tmp_path / name
    assert run("dump", str(dumped), *store_args(source)).exit_code == 0
    restored = tmp_path / "restored"
    first = run("load", str(dumped), *store_args(restored))
    assert first.exit_code == 0, first.output
    assert first.stderr == "Loaded 559 quads in 3 graphs; the store holds 558 triples.\n"
    assert quads(restored) == quads(source)
    again = run("load", str(dumped), *store_args(restored))
    assert again.stderr == first.stderr and quads(restored) == quads(source)


def test_graphs_split_across_batches_load_whole(source, tmp_path, monkeypatch):
    dumped = tmp_path / "all.nq"
    assert run("dump", str(dumped), *store_args(source)).exit_code == 0
    lines = dumped.read_text().splitlines()
    (tmp_path / "shuffled.nq").write_text("\n".join(lines[::2] + lines[1::2]) + "\n")  # graphs interleaved
    monkeypatch.setattr(dump_module, "BATCH_QUADS", 50)
    restored = tmp_path / "restored"
    assert run("load", str(tmp_path / "shuffled.nq"), *store_args(restored)).exit_code == 0
    assert quads(restored) == quads(source)


def test_a_bad_dump_is_one_line_and_writes_nothing(source, tmp_path):
    dumped = tmp_path / "all.nq"
    assert run("dump", str(dumped), *store_args(source)).exit_code == 0
    broken = tmp_path / "broken.nq"
    broken.write_text(dumped.read_text() + "this is not N-Quads\n")
    before = quads(source)
    result = run("load", str(broken), *store_args(source))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {broken}: not valid N-Quads: Parser error at line 560 between columns 1 and 5: "
                                 "The subject of a triple must be an IRI or a blank node (broken.nq, line 560)\n")
    assert len(result.stderr.splitlines()) == 1
    assert quads(source) == before
    triple = tmp_path / "default.nq"
    triple.write_text(ox.serialize([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"),
                                            ox.Literal("o"))], format=ox.RdfFormat.N_QUADS).decode())
    result = run("load", str(triple), *store_args(source))
    assert (result.exit_code, result.stderr) == (2, f"Error: {triple}: a quad outside a named graph (<http://e/s> "
                                                    "<http://e/p> …): a dump names the graph of every quad\n")

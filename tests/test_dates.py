"""Time expressions resolved against the publication date (Wednesday 1 March 2017 here)."""

from datetime import date

import pytest

from heritage_kg.extract.dates import parse_published, resolve_date

WEDNESDAY = date(2017, 3, 1)


@pytest.mark.parametrize(
    ("text", "edtf", "earliest", "latest"),
    [
        ("in December", "2016-12", "2016-12-01", "2016-12-31"),
        ("last March", "2016-03", "2016-03-01", "2016-03-31"),
        ("March", "2017-03", "2017-03-01", "2017-03-31"),
        ("on Wednesday", "2017-03-01", "2017-03-01", "2017-03-01"),
        ("Sunday", "2017-02-26", "2017-02-26", "2017-02-26"),
        ("last Wednesday", "2017-02-22", "2017-02-22", "2017-02-22"),
        ("yesterday", "2017-02-28", "2017-02-28", "2017-02-28"),
        ("in 2015", "2015", "2015-01-01", "2015-12-31"),
        ("August 2015", "2015-08", "2015-08-01", "2015-08-31"),
        ("24 August 2015", "2015-08-24", "2015-08-24", "2015-08-24"),
        ("last year", "2016", "2016-01-01", "2016-12-31"),
        ("the 1990s", "1990/1999", "1990-01-01", "1999-12-31"),
        ("the 13th century", "1201/1300", "1201-01-01", "1300-12-31"),
    ],
)
def test_resolves(text, edtf, earliest, latest):
    when = resolve_date(text, WEDNESDAY)
    assert when is not None
    assert (when.edtf, when.earliest.isoformat(), when.latest.isoformat()) == (edtf, earliest, latest)


@pytest.mark.parametrize("text", ["1,800-year-old", "the last few days", "a year", "very soon"])
def test_durations_and_ages_are_not_dates(text):
    assert resolve_date(text, WEDNESDAY) is None


def test_unknown_publication_date_gives_no_relative_date():
    assert resolve_date("in December", None) is None
    assert resolve_date("on Sunday", None) is None
    assert resolve_date("24 August 2015", None).edtf == "2015-08-24"


def test_month_dated_article_resolves_to_its_last_day():
    assert parse_published("2017-03") == date(2017, 3, 31)
    assert parse_published(None) is None


def test_between_two_dates_is_an_interval():
    when = resolve_date("Between 27 August 2015 and 2 September 2015", WEDNESDAY)
    assert (when.edtf, when.earliest.isoformat(), when.latest.isoformat()) == (
        "2015-08-27/2015-09-02", "2015-08-27", "2015-09-02")


def test_since_runs_to_the_report():
    when = resolve_date("since 2011", WEDNESDAY)
    assert (when.edtf, when.earliest.isoformat(), when.latest.isoformat()) == (
        "2011/2017-03-01", "2011-01-01", "2017-03-01")

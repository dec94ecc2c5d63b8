"""How estimates are read and combined, worked out by hand: numbers, a map's keys in order,
categories with no order; agreement against `disagree`; work durations; the folder's limits;
the `estimates:` section through the cache of compiled models."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import write
from intscore.model.durations import NotADuration, parse_hours
from intscore.model.estimates import Estimate, Reading, Threshold, combine, map_order
from intscore.model.loading import parse_config
from intscore.model.plain import model_from_plain, model_to_plain
from intscore.read.folders import FolderLimits, read_yaml_folder

NUMBERS = Reading("number")
SIZES = Reading("ordered", order=map_order({"S": 2, "M": 1, "L": 0, "XL": 0}))
POINTS = Reading("ordered", order=map_order({"13": 0, "1": 3, "2": 3, "3": 2, "5": 1, "8": 0}))
YES_NO = Reading("category")


def estimates(*values: object) -> tuple[Estimate, ...]:
    return tuple(Estimate(f"e{n}", f"e{n}.yaml", 1, v, v) for n, v in enumerate(values))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("how", "combined"),
    [
        ("median", 250.0),  # an even count: the mean of the middle two, (200 + 300) / 2
        ("mean", 275.0),  # (100 + 200 + 300 + 500) / 4 = 1100 / 4
        ("min", 100.0),
        ("max", 500.0),
    ],
)
def test_numbers_combine_as_asked(how, combined):
    c = combine("build_hours", estimates(300.0, 100.0, 500.0, 200.0), NUMBERS, how, None)
    assert (c.value, c.low, c.high, c.spread, c.n) == (combined, 100.0, 500.0, 400.0, 4)
    assert c.agreement == "medium"  # they differ, and no threshold says how much is too much


def test_a_maps_keys_combine_in_order_numbers_by_value_then_names():
    # Written 13, 1, 2, 3, 5, 8: in order 1, 2, 3, 5, 8, 13 (positions 0..5).
    assert POINTS.order == ("1", "2", "3", "5", "8", "13")
    four = estimates(*(POINTS.read(v) for v in (13, 3, 5, "8")))  # positions 5, 2, 3, 4
    median = combine("points", four, POINTS, "median", None)
    assert median.value == 5.0  # the lower of the middle two (5 and 8): an estimate, a key
    assert (median.low, median.high, median.spread) == (3.0, 13.0, 10.0)  # all numbers: 13 - 3


def test_the_mean_of_a_maps_keys_is_the_key_at_the_mean_position():
    # Positions of 13, 3, 5, 8 in (1, 2, 3, 5, 8, 13): 5, 2, 3, 4 -> mean 3.5 -> a half rounds
    # down -> position 3, the key 5.
    four = estimates(*(POINTS.read(v) for v in (13, 3, 5, 8)))
    assert combine("points", four, POINTS, "mean", None).value == 5.0
    # S, XL: positions 0 and 3 -> mean 1.5 -> position 1, M; names: the spread is in steps.
    two = combine("size", estimates(SIZES.read("s"), "XL"), SIZES, "mean", Threshold(2))
    assert (two.value, two.low, two.high, two.spread) == ("M", "S", "XL", 3.0)
    assert two.agreement == "low"  # 3 steps > 2
    assert combine("size", estimates("M", "L", "M"), SIZES, "max", None).value == "L"


def test_a_value_not_in_the_map_is_refused_with_its_keys():
    with pytest.raises(ValueError, match=r"^'XXL' is not one of the map's keys \(S, M, L, XL\)$"):
        SIZES.read("XXL")
    assert SIZES.read(" m ") == "M"  # the map's own spelling


def test_categories_with_no_order_take_the_most_common_and_any_difference_is_low():
    c = combine("core", estimates("no", True, "yes", False), YES_NO, "median", None)
    # category keys: no -> 'no' text, True -> boolean; "yes" text, False boolean: four
    # different keys, one each: the first file's wins.
    assert c.value == "no" and c.agreement == "low" and c.low is None and c.how == "most common"
    agreed = combine("core", estimates("yes", "Yes "), YES_NO, "median", None)
    assert (agreed.value, agreed.agreement, agreed.spread) == ("yes", "high", 0.0)


@pytest.mark.parametrize(
    ("values", "agreement"),
    [
        ((3.0, 3.0), "high"),  # spread 0
        ((2.0, 3.0), "high"),  # spread 1 = T/2
        ((2.0, 3.5), "medium"),  # 1.5: above T/2, up to T
        ((2.0, 4.0), "medium"),  # 2 = T
        ((2.0, 4.5), "low"),  # 2.5 > T
    ],
)
def test_agreement_against_a_threshold(values, agreement):
    assert combine("d", estimates(*values), NUMBERS, "median", Threshold(2)).agreement == agreement


def test_a_share_threshold_is_of_the_combined_value():
    # 60 and 80: median 70, T = 50% of 70 = 35; the spread 20 is above T/2 = 17.5: medium.
    c = combine("h", estimates(60.0, 80.0), NUMBERS, "median", Threshold(0.5, relative=True))
    assert (c.threshold, c.agreement) == (35.0, "medium")
    # 0 and 10: median 5, T = 2.5; spread 10 > 2.5: low.
    zero = combine("h", estimates(0.0, 10.0), NUMBERS, "median", Threshold(0.5, True))
    assert (zero.threshold, zero.agreement) == (2.5, "low")


def test_numbers_read_durations_levels_and_what_people_type():
    assert [NUMBERS.read(v) for v in ("300h", "5d", "2w", "1.5d", " 8 H ", 12, "1.2k")] == [
        300.0,
        40.0,
        80.0,
        12.0,
        8.0,
        12.0,
        1200.0,
    ]
    with pytest.raises(ValueError, match="'lots' is not a number"):
        NUMBERS.read("lots")


def test_durations_are_work_hours():
    assert (parse_hours("300h"), parse_hours("5d"), parse_hours("2w"), parse_hours(7)) == (
        300.0,
        40.0,
        80.0,
        7.0,
    )
    for bad in ("5x", "-5h", "h", "1e3h", "5 days", True, -1, 1e300, "1" * 40 + "h"):
        with pytest.raises(NotADuration):
            parse_hours(bad)


def test_a_hostile_duration_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(NotADuration, match=r"\.\.\.' is not a duration"):
        parse_hours("9" * 1_000_000 + "h")
    assert time.perf_counter() - started < 0.1


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from("hdw"))
def test_a_duration_is_its_number_times_the_units_hours(number, unit):
    text = f"{number:.3f}{unit}"
    hours = {"h": 1, "d": 8, "w": 40}[unit]
    assert parse_hours(text) == pytest.approx(float(f"{number:.3f}") * hours)


# --- the folder's limits ----------------------------------------------------------------------


def test_the_folder_limits_on_entries_and_bytes(tmp_path: Path):
    folder = tmp_path / "estimates"
    folder.mkdir()
    for n in range(5):
        write(folder / f"eng-{n}.yaml", "estimates: {}\n" + "#" * 100 + "\n")
    write(folder / "README.md", "not an estimator")
    write(folder / ".eng-swap.yaml", "skipped")
    (folder / "archive.yaml").mkdir()  # a folder with a YAML name: not a regular file
    read = read_yaml_folder(folder, "estimates", tmp_path, FolderLimits(entries=5))
    assert [p.message for p in read.problems] == ["holds over 5 entries: not read"]
    read = read_yaml_folder(folder, "estimates", tmp_path, FolderLimits(total_bytes=300))
    assert [p.message for p in read.problems] == [
        "is not a regular file: not read",  # archive.yaml, first by name
        "its YAML files hold over 300 bytes in all: none was read",  # the third file's 116
    ]
    assert read.files == []
    read = read_yaml_folder(folder, "estimates", tmp_path)
    assert [p.location for p in read.problems] == ["estimates/archive.yaml"]
    assert [stem for _, stem, _ in read.files] == [f"eng-{n}" for n in range(5)]


# --- the section in the cache -----------------------------------------------------------------

SECTION = """\
version: 1
criteria:
  - {id: difficulty, field: difficulty, map: {1: 2, 2: 1, 3: 0}, weight: 1}
recommend:
  - when: {build_hours: {at_least: 400}}
    then: Buy
  - then: Build
estimates:
  combine: mean
  disagree: {difficulty: 1, build_hours: 25%}
  who: {build_hours: eng-*}
"""


def test_the_section_survives_the_cache_and_a_forged_one_does_not():
    model = parse_config(SECTION, "scoring.yaml").model
    plain = model_to_plain(model)
    assert plain["estimates"] == {
        "folder": "estimates",
        "combine": "mean",
        "disagree": {"difficulty": [1.0, False], "build_hours": [0.25, True]},
        "who": {"build_hours": ["eng-*"]},
    }
    assert model_from_plain(plain) == model
    plain["estimates"]["combine"] = "mode"
    with pytest.raises(ValueError, match="expected one of"):
        model_from_plain(plain)


# --- properties -------------------------------------------------------------------------------

TEAM = (Path(__file__).resolve().parents[1] / "examples" / "estimates").resolve()
NAMES = ("Salesforce", "HubSpot", "Workday", "NetSuite")
DIFFICULTY = st.lists(st.sampled_from([1, 2, 3, 4, 5]), min_size=1, max_size=4)
HOURS = st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=4)


def _ranking(model: object, csv_text: str) -> list[tuple[str, float | None, str | None]]:
    import io

    from intscore.engine.rank import rank
    from intscore.read.readers import ReadOptions, read_stream

    table = read_stream(io.BytesIO(csv_text.encode()), "r.csv", "csv", ReadOptions())
    ranking = rank([table], model)  # type: ignore[arg-type]
    return [
        (i.integration, i.score, i.recommendation.label if i.recommendation else None)
        for i in ranking.items
    ]


@given(st.tuples(*[DIFFICULTY] * 4), st.tuples(*[HOURS] * 4))
def test_estimates_rank_as_their_medians_written_in_the_data(difficulty, hours):
    """Ranking with estimates is ranking with the combined values in the data's own columns:
    the merge changes nothing else (requesters, ties, the recommendation rules)."""
    from dataclasses import replace
    from statistics import median

    from intscore.model.estimate_files import FileText, estimates_of

    model = parse_config((TEAM / "scoring.yaml").read_text(), "scoring.yaml").model
    files = []
    for j in range(4):  # estimator j gives each integration its j-th value, if it has one
        lines = ["estimates:"]
        for name, d, h in zip(NAMES, difficulty, hours, strict=True):
            fields = ([f"difficulty: {d[j]}"] if j < len(d) else []) + (
                [f"build_hours: {h[j]}h"] if j < len(h) else []
            )
            if fields:
                lines.append(f"  {name}: {{{', '.join(fields)}}}")
        files.append(FileText(f"eng-{j}.yaml", f"eng-{j}", "\n".join(lines) + "\n"))
    assert model.estimates is not None
    estimated = replace(model, estimated=estimates_of(model, model.estimates, "e", files))
    requests = (TEAM / "requests.csv").read_text()
    # The median of a map's keys is the lower middle estimate; of numbers, the usual median.
    medians = {
        name: (sorted(d)[(len(d) - 1) // 2], median(h))
        for name, d, h in zip(NAMES, difficulty, hours, strict=True)
    }
    rows = requests.splitlines()
    written = [rows[0] + ",difficulty,build_hours"] + [
        f"{row},{medians[row.split(',')[0]][0]},{medians[row.split(',')[0]][1]}" for row in rows[1:]
    ]
    assert _ranking(estimated, requests) == _ranking(model, "\n".join(written) + "\n")


@given(
    st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=9),
    st.sampled_from(["median", "mean", "min", "max"]),
    st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_a_combined_number_lies_in_the_range_and_agreement_follows_the_spread(values, how, t):
    c = combine("x", estimates(*values), NUMBERS, how, Threshold(t))
    assert c.low == min(values) and c.high == max(values) and c.spread == c.high - c.low
    assert c.low <= c.value <= c.high or c.value == pytest.approx(c.low)  # a mean's rounding
    level = "high" if c.spread <= t / 2 else "medium" if c.spread <= t else "low"
    assert c.agreement == level

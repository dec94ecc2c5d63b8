"""Raw value -> points, in the one module that knows how: bands, maps and scales."""

from __future__ import annotations

from intscore.model.scorers import Bands, CategoryMap, Points, RawValue, Scale, Step

BANDS = Bands([(0, 0), (3, 1), (10, 2)])


def test_bands_give_the_points_of_the_last_band_at_or_below_the_value():
    assert BANDS.points(2.5) == Points(0, "0 to <3")
    assert BANDS.points(3) == Points(1, "3 to <10")
    assert BANDS.points(1e9) == Points(2, "≥ 10")
    assert BANDS.points(-1) == Points(0.0, "below 0", "below")
    assert BANDS.max_points == 2


def test_bands_step_up_to_the_cheapest_band_that_is_enough():
    assert BANDS.step_up(0, 1) == Step("≥ 3", 1)
    assert BANDS.step_up(0, 2) == Step("≥ 10", 2)
    assert BANDS.step_up(0, 5) == Step("≥ 10", 2)  # none is enough: the best
    assert BANDS.step_up(2, 3) is None


def test_many_bands_are_looked_up_not_scanned():
    many = Bands([(float(i), float(i % 7)) for i in range(10_000)])
    assert many.points(5_000.5) == Points(float(5_000 % 7), "5,000 to <5,001")


def test_a_map_matches_any_case_and_numbers_by_value():
    scorer = CategoryMap({"1": 2, "3": 1, "S": 2, "XL": 0})
    assert scorer.points(" s ") == Points(2, "S → 2")
    assert scorer.points("3.0") == Points(1, "3 → 1")
    assert scorer.points(3) == Points(1, "3 → 1")
    assert scorer.points("huge") == Points(None, None, "unknown")
    assert scorer.step_up(0, 1) == Step("3", 1)
    assert scorer.step_up(2, 3) is None
    assert scorer.describe() == "{1:2, 3:1, S:2, XL:0}"
    assert not scorer.numeric


def test_a_scale_is_linear_and_clamped_either_way():
    up = Scale(0, 10, 4, lower_is_better=False)
    down = Scale(0, 10, 4, lower_is_better=True)
    assert up.points(2.5).points == 1.0
    assert up.points(50).points == 4.0
    assert down.points(2.5).points == 3.0
    assert down.points(-5).points == 4.0
    assert up.step_up(1, 2) == Step("≥ 5", 2)
    assert down.step_up(1, 2) == Step("≤ 5", 2)
    assert up.step_up(4, 5) is None


def test_without_a_scorer_the_points_are_the_value():
    assert RawValue().points(7) == Points(7.0, None)

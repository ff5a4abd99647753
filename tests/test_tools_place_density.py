"""Etesian's white space for a target local density (roma_pd/tools/_place_density.py)."""
import pytest

from roma_pd.tools._place_density import density_variation


@pytest.mark.parametrize("core, local, expected", [
    (0.40, 0.60, 1 / 3),      # the bloated cells fill two thirds of the core
    (0.30, 0.60, 0.5),
    (0.60, 0.60, 0.05),       # as full as asked: placed as Etesian's default would
    (0.75, 0.60, 0.05),       # fuller than asked: never below that default
])
def test_density_variation(core, local, expected):
    assert density_variation(core, local) == pytest.approx(expected)


def test_cells_sit_at_the_local_density():
    """Etesian fills 1 - densityVariation of the core with bloated cells, so the real
    cells sit at core density / (1 - densityVariation) where they are."""
    for core in (0.2, 0.35, 0.5):
        assert core / (1 - density_variation(core, 0.57)) == pytest.approx(0.57)


@pytest.mark.parametrize("core, local", [(0.0, 0.6), (0.4, 0.0), (0.4, 1.2), (1.5, 0.6)])
def test_density_variation_refuses_densities_outside_0_1(core, local):
    with pytest.raises(ValueError, match="must be in \\(0, 1\\]"):
        density_variation(core, local)

"""Every environment setting and URL parameter is documented (README.md or docs/*.md)."""

import pytest

from lib.data.settings import SETTINGS
from tests.support.docs import documentation

pytestmark = pytest.mark.unit

DOCS = documentation()


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented(name):
    assert f"| `{name}` |" in DOCS


def test_url_parameters_are_documented():
    import datetime as dt

    from lib.map.viewstate import ViewState, state_to_params

    state = ViewState(
        end=dt.date(2021, 9, 2),
        start=dt.date(2021, 9, 1),
        mode="window",
        types=("clash",),
        claimants=("NRF",),
        articles=("a",),
        place="shotul",
    )
    for key in state_to_params(state):
        assert f"| `{key}` |" in DOCS

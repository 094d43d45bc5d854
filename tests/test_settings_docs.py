"""Every environment setting is documented in a settings table of the README or of docs/."""

import pytest

from lib.data.dataset import REPO_ROOT
from lib.data.settings import SETTINGS

pytestmark = pytest.mark.unit

# The README, and the manual in docs/ (a setting of one feature is documented with it).
README = "\n".join(
    p.read_text(encoding="utf-8")
    for p in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_setting_is_documented(name):
    assert f"| `{name}` |" in README


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
        assert f"| `{key}` |" in README

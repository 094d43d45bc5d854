"""Links between the map and the Articles page that keep the reader's view.

The map's view lives in its query string (``lib.map.viewstate.state_to_params``: ``to``, ``from``,
``mode``, ``type``, ``claimant``, ``article``, ``place``). The Articles page uses ``article`` for
the article it shows, so the map's article *filter* travels there as ``map_article`` and comes
back as ``article``; every other view parameter keeps its name both ways. Links are relative
(``./``), so they work under any ``server.baseUrlPath``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from lib.map.viewstate import Bounds, state_from_params, state_to_params

#: View parameters that mean the same on both pages.
SHARED = ("to", "from", "mode", "type", "claimant")
#: The map's ``article`` filter, renamed on the Articles page.
MAP_ARTICLE = "map_article"


def _first(value: str | list[str] | None) -> str | None:
    if isinstance(value, list):
        return ",".join(v for v in value if v) or None
    return value or None


def articles_href(
    article_id: str,
    place_id: str | None = None,
    anchor: int | None = None,
    view: Mapping[str, str | list[str]] | None = None,
) -> str:
    """The Articles page showing ``article_id``, with ``place_id`` highlighted.

    ``view`` is the map's query parameters, carried along so that the page's links back to the
    map restore it. ``anchor`` (a character offset into the article text) becomes ``#m<offset>``,
    the id of the highlighted name there.
    """
    view = view or {}
    params: dict[str, str] = {"article": article_id}
    place = place_id or _first(view.get("place"))
    if place:
        params["place"] = place
    for key in SHARED:
        value = _first(view.get(key))
        if value:
            params[key] = value
    filtered = _first(view.get("article"))
    if filtered:
        params[MAP_ARTICLE] = filtered
    return "./Articles?" + urlencode(params) + (f"#m{anchor}" if anchor is not None else "")


def map_params(articles_params: Mapping[str, str | list[str]], place_id: str | None) -> dict:
    """The map's query parameters for a link from the Articles page (its own parameters given).

    The dates, mode and filters come from the Articles page's URL; the place is ``place_id``
    (the name the reader follows), or none.
    """
    params: dict[str, str] = {}
    for key in SHARED:
        value = _first(articles_params.get(key))
        if value:
            params[key] = value
    filtered = _first(articles_params.get(MAP_ARTICLE))
    if filtered:
        params["article"] = filtered
    if place_id:
        params["place"] = place_id
    return params


def map_href(articles_params: Mapping[str, str | list[str]], place_id: str | None = None) -> str:
    """A relative link to the map from the Articles page; see `map_params`."""
    params = map_params(articles_params, place_id)
    return "./" + (f"?{urlencode(params)}" if params else "")


def honoured_view(
    articles_params: Mapping[str, str | list[str]], bounds: Bounds
) -> tuple[dict[str, str], str | None, list[str]]:
    """The Articles page's view parameters, kept only where the map would honour them.

    Returns the parameters to carry on in links (Articles-page names: ``map_article`` for the
    map's article filter; no ``place``), the known place to highlight (or None), and a note for
    each value ignored. A value the map would refuse (an unknown place, a claimant that is not
    in the data, a malformed date) must not travel on in every link of the page: it would turn
    a hostile link into 40 hostile links. Only keys the page was given come back, so a page
    reached without a view (the sidebar) still lets the map restore the reader's last view.
    """
    wanted = map_params(articles_params, _first(articles_params.get("place")))
    if not wanted:
        return {}, None, []
    state, notes = state_from_params(wanted, bounds)
    clean = state_to_params(state)
    dates = {"from", "mode"} & wanted.keys()
    kept: dict[str, str] = {}
    for key, value in clean.items():
        if key == "place" or not (key in wanted or (key in {"from", "mode"} and dates)):
            continue
        kept[MAP_ARTICLE if key == "article" else key] = value
    return kept, state.place, notes

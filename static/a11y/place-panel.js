// On a phone, bring the place panel into view when the reader picks a place on the map.
//
// The panel is below the map on a narrow screen (its heading was at y 1037 of an 844 px
// screen), so a tap on a place changed nothing the reader could see. This runs as a Streamlit
// component in the app page itself (ui/place_panel.py): when the selected place changes, and
// the screen is narrow, it scrolls the panel's heading to the top. Not on the first draw (a
// link that names a place opens on the map), and never on a wide screen, where the panel is
// beside the map.
export default function (component) {
  const place = (component.data && component.data.place) || "";
  const before = window.newsmapPanelPlace;
  window.newsmapPanelPlace = place;
  if (before === undefined || !place || place === before) return;
  if (window.innerWidth > 640) return;
  const deadline = Date.now() + 5000;
  function look() {
    const heads = document.querySelectorAll(".nm-place-head h2");
    const head = heads[heads.length - 1];
    if (head) {
      head.scrollIntoView({ block: "start" });
      return;
    }
    if (Date.now() < deadline) window.setTimeout(look, 100);
  }
  look();
}

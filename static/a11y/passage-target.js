// Scroll to the passage a link points at (#m<offset> on the Articles page) and mark it.
//
// The browser's own jump to a fragment happens when the page loads, before Streamlit has drawn
// the article, so it finds nothing. This runs as a Streamlit component in the app page itself:
// it waits for the element, then scrolls it to the middle of the screen, gives its paragraph
// the "passage-target" class (styled by the page) and moves the keyboard focus to it, so a
// screen reader reads from the passage on. Once per page load and fragment: a rerun (another
// article picked, a toggle) does not pull the reader back.
export default function (component) {
  const hash = window.location.hash;
  if (!/^#m\d+$/.test(hash) || window.newsmapPassageDone === hash) return;
  const id = hash.slice(1);
  const deadline = Date.now() + 15000;

  function mark(target) {
    window.newsmapPassageDone = hash;
    const passage = target.closest("p, h2, h3") || target;
    passage.classList.add("passage-target");
    target.classList.add("passage-target-name");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    // Elements drawn above it a moment later (the event cards) would push it off screen.
    for (const delay of [300, 1000, 2500]) {
      window.setTimeout(() => {
        const box = target.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) {
          target.scrollIntoView({ block: "center" });
        }
      }, delay);
    }
  }

  function look() {
    const target = document.getElementById(id);
    if (target) return mark(target);
    if (Date.now() < deadline) window.setTimeout(look, 100);
  }
  look();
}

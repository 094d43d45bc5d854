// Warn before leaving an editor page with unsaved edits (ui/editor_state.py, warn_unsaved).
// A Custom Components v2 module run in the app page: called with {dirty} on every rerun.
// One handler at a time lives on window; the cleanup (run when the page's element goes, e.g.
// on a switch to another page) removes it, so no other page ever asks.
export default function(component) {
  const previous = window.__newsmapUnsaved;
  if (previous) window.removeEventListener("beforeunload", previous);
  window.__newsmapUnsaved = null;
  if (!component.data || !component.data.dirty) return;
  const handler = (event) => {
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own question only when this is set
  };
  window.addEventListener("beforeunload", handler);
  window.__newsmapUnsaved = handler;
  return () => {
    window.removeEventListener("beforeunload", handler);
    if (window.__newsmapUnsaved === handler) window.__newsmapUnsaved = null;
  };
}

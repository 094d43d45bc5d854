/*
 * The loader of the app's custom components, an ES module (ui/assets.py).
 *
 * Streamlit sends a component's inline JavaScript and CSS with every run of the script that
 * draws it, a fragment's rerun included: the timeline's and the reader's code were 60 of the
 * 70 KB a settle sent. So a component's inline code is two lines that import this module and
 * call mount(scripts, stylesheets, entry); the scripts and stylesheets are files of static/
 * (with a content hash in the query: cached by the browser, served by nginx behind
 * `make serve`), loaded once per page. The entry is window.Newsmap.components[entry].
 */
const LOADED = (window.__newsmapLoaded = window.__newsmapLoaded || {});

function script(url) {
    if (!LOADED[url]) {
        LOADED[url] = new Promise((resolve, reject) => {
            const tag = document.createElement("script");
            tag.src = url;
            tag.async = false; // scripts inserted this way run in the order they were inserted
            tag.onload = resolve;
            tag.onerror = () => {
                delete LOADED[url];
                reject(new Error("The map's script " + url + " could not be loaded; reload the page."));
            };
            document.head.appendChild(tag);
        });
    }
    return LOADED[url];
}

function stylesheet(url, root) {
    const host = root instanceof ShadowRoot ? root : document.head;
    if ([...host.querySelectorAll("link[rel='stylesheet']")].some((l) => l.getAttribute("href") === url)) { return; }
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    host.appendChild(link);
}

export function mount(scripts, styles, entry) {
    const ready = Promise.all(scripts.map(script));
    return function (component) {
        for (const url of styles) { stylesheet(url, component.parentElement.getRootNode()); }
        ready.then(
            () => window.Newsmap.components[entry](component),
            (error) => {
                const note = document.createElement("p");
                note.setAttribute("role", "alert");
                note.textContent = error.message;
                component.parentElement.replaceChildren(note);
            },
        );
    };
}

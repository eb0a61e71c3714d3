// sitegen preview: injected into pages as they are served (built files stay clean).
// Updates this page when what it shows changed (fetching it again and swapping its head and body in place, so the
// scroll position and the stylesheets stay; a full reload when its stylesheets changed), swaps changed stylesheets in
// place,
// follows the author to a saved post with --navigate, and shows build errors in an overlay until they are fixed.
(() => {
  "use strict";
  const here = location.pathname;
  const served = document.currentScript ? document.currentScript.dataset : {};
  const scrollKey = "sitegen-scroll:" + here;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore, { once: true });
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, `${window.scrollX},${window.scrollY}`);
    location.reload();
  };

  const sheetsOf = (doc) => [...doc.querySelectorAll('link[rel="stylesheet"]')]
    .map((link) => new URL(link.getAttribute("href"), location.href).pathname).join(" ");

  let updating = null;
  const update = async () => {
    if (updating) { updating.again = true; return; }
    updating = { again: false };
    try {
      const response = await fetch(location.href, { cache: "no-store" });
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      if (!doc.body || sheetsOf(doc) !== sheetsOf(document)) { reload(); return; }
      const keep = (node) => node.matches('link[rel="stylesheet"]');
      for (const node of [...document.head.children]) if (!keep(node)) node.remove();
      for (const node of [...doc.head.children]) if (!keep(node)) document.head.append(document.adoptNode(node));
      for (const name of ["lang", "dir"]) document.documentElement.setAttribute(name, doc.documentElement.getAttribute(name) || "");
      const [x, y] = [window.scrollX, window.scrollY];
      document.body.replaceWith(document.adoptNode(doc.body));  // its scripts stay inert: this one keeps running
      window.scrollTo(x, y);
      window.dispatchEvent(new CustomEvent("sitegen:updated"));
    } catch (error) {
      reload();
      return;
    } finally {
      const again = updating && updating.again;
      updating = null;
      if (again) update();
    }
  };

  const swapStylesheets = (paths) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (!paths.includes(url.pathname.replace(/^\//, ""))) continue;
      url.searchParams.set("sitegen", Date.now().toString());
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  };

  const OVERLAY = "sitegen-error-overlay";
  const showError = (text) => {
    let overlay = document.getElementById(OVERLAY);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY;
      overlay.setAttribute("role", "alert");
      overlay.dir = "ltr";
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,22,.94);color:#ffd7d5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "text-align:left;unicode-bidi:plaintext";
      const title = document.createElement("strong");
      title.textContent = "sitegen: the last edit could not be built (still showing the last good version)";
      title.style.cssText = "display:block;color:#ff8a80;margin-bottom:1rem;font-size:16px";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.append(title, pre);
      document.documentElement.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  };
  const clearError = () => document.getElementById(OVERLAY)?.remove();

  const events = new EventSource("/__sitegen/events?path=" + encodeURIComponent(here) +
    "&generation=" + encodeURIComponent(served.generation || "") + "&digest=" + encodeURIComponent(served.digest || ""));
  events.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    switch (message.type) {
      case "reload": update(); break;
      case "css": swapStylesheets(message.paths); break;
      case "navigate": if (message.url !== here) location.href = message.url; else update(); break;
      case "error": showError(message.text); break;
      case "ok": clearError(); break;
    }
  });
  window.sitegenLive = events;
})();

"""The live-reload script, added to HTML responses at serve time (built files never have it).

The page gets `<script src="/__digest/live.js" data-state="...">` (an external script, so
a theme's `script-src 'self'` policy does not block it). The script shows the build
errors of the state it was served with, listens on the Server-Sent-Events endpoint, and
reloads when a newer site version was built (or the server restarted); otherwise it only
updates the error overlay. The overlay is built with textContent only: error messages
quote file contents and must never become markup.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

PREFIX = "/__digest/"
SCRIPT_PATH = PREFIX + "live.js"
EVENTS_PATH = PREFIX + "events"
STATUS_PATH = PREFIX + "status"

LIVE_JS = r"""(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__digestLive) { return; }
  window.__digestLive = true;
  var page = JSON.parse(me.getAttribute("data-state"));
  var host = null;

  function overlay(errors) {
    if (host) { host.remove(); host = null; }
    if (!errors || !errors.length) { return; }
    host = document.createElement("digest-build-errors");
    host.setAttribute("role", "alert");
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var box = document.createElement("div");
    Object.assign(box.style, {
      position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647", maxHeight: "50vh",
      overflow: "auto", margin: "0", padding: "12px 16px", background: "#2b0d0d", color: "#ffd7d7",
      font: "13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      borderTop: "3px solid #e5484d", boxShadow: "0 -4px 16px rgba(0,0,0,.4)", textAlign: "left"
    });
    var title = document.createElement("div");
    Object.assign(title.style, { fontWeight: "bold", color: "#fff", marginBottom: "6px" });
    title.textContent = "digest serve: " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      " in the last build (the site shows the last good version of these files)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "close");
    Object.assign(close.style, { float: "right", background: "none", border: "0", color: "#fff",
      font: "bold 18px/1 sans-serif", cursor: "pointer" });
    close.onclick = function () { overlay(null); };
    box.appendChild(close);
    box.appendChild(title);
    var list = document.createElement("ul");
    Object.assign(list.style, { margin: "0", padding: "0 0 0 18px" });
    errors.forEach(function (e) {
      var item = document.createElement("li");
      item.className = "digest-error";
      item.textContent = e.text;
      list.appendChild(item);
    });
    box.appendChild(list);
    root.appendChild(box);
    (document.body || document.documentElement).appendChild(host);
  }

  function show(state) {
    if (state.server !== page.server || state.version > page.version) {
      window.location.reload();
      return true;
    }
    overlay(state.errors);
    return false;
  }

  function start() {
    overlay(page.errors);
    if (!window.EventSource) { return; }
    var source = new EventSource(me.getAttribute("data-events"));
    source.onmessage = function (event) {
      var state;
      try { state = JSON.parse(event.data); } catch (err) { return; }
      if (show(state)) { source.close(); }
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
"""

_BODY_END = re.compile(rb"</body\s*>", re.I)


def script_tag(state: dict[str, Any]) -> bytes:
    page_state = {"server": state["server"], "version": state["version"], "errors": state["errors"]}
    data = html.escape(json.dumps(page_state, ensure_ascii=False, separators=(",", ":")), quote=True)
    return (f'<script src="{SCRIPT_PATH}" data-events="{EVENTS_PATH}" data-state="{data}"></script>\n'
            .encode("utf-8"))


def inject(page: bytes, state: dict[str, Any]) -> bytes:
    """`page` with the live-reload script before its last </body> (or at its end)."""
    tag = script_tag(state)
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + b"\n" + tag
    at = ends[-1].start()
    return page[:at] + tag + page[at:]

/* The reader's side of the briefing, on top of what works without script:
 *
 * - citation markers get a tooltip (short name, title, outlet, date, type, the two-part grade: source
 *   reliability and information credibility, quoted words) that shows on hover and on keyboard focus, stays while the pointer is over it,
 *   built from the marker's data-* attributes and the page's JSON of the sources it cites
 *   (<script id="briefing-sources">; render.tooltip_data), without parsing any text;
 *   closes with Escape, is the marker's accessible description, and on touch shows on the
 *   first tap while the second tap follows the link;
 * - a statement reached through a "Cited by" link is highlighted, as :target highlights a
 *   quoted passage on a source page;
 * - wide tables (the bibliography) become one card per row on narrow screens.
 *
 * Without this script the markers still link to their sources (at the quoted passage) and the
 * :target styles still work.
 * It loads nothing and sends nothing: the site makes no request to any other host.
 */
(function () {
  "use strict";

  var HIDE_DELAY = 300;
  var data = null;          // the page's tooltip data (render.tooltip_data), once read
  var tips = {};            // what a tooltip says -> tooltip element
  var count = 0;
  var current = null;       // {link, tip} of the open tooltip
  var hideTimer = 0;
  var lastPointer = "mouse";
  var shownAtPointerDown = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A full stop that only screen readers get, so that they pause between the lines.
  function stop(line) {
    if (!/[.?!\u2026]$/.test(line.textContent)) line.appendChild(el("span", "cite-tip__stop", "."));
    return line;
  }

  // What the page says of each source its markers cite, by number, and the words for each
  // credibility they give: one JSON object in the page's head (render.tooltip_data).
  function tooltipData() {
    if (data === null) {
      var script = document.getElementById("briefing-sources");
      data = script ? JSON.parse(script.textContent) : { sources: {}, credibility: {}, "default": {} };
    }
    return data;
  }

  // A marker's tooltip, from its data-* attributes (render.citation_marker) and the page's data.
  function describe(link) {
    var page = tooltipData();
    var source = page.sources[link.getAttribute("data-ref")];
    if (!source) return null;
    var credibility = link.getAttribute("data-credibility");
    var words = link.hasAttribute("data-default") ? page["default"] : page.credibility;
    return {
      heading: source.label,
      meta: source.details,
      grade: source.reliability,
      label: source.reliability_words,
      credibility: credibility,
      credibilityLabel: words[credibility] || "",
      quote: link.getAttribute("data-quote"),
      at: link.getAttribute("data-at")
    };
  }

  function buildTip(info) {
    var tip = el("div", "cite-tip");
    tip.id = "cite-tip-" + (++count);
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    tip.appendChild(stop(el("span", "cite-tip__title", info.heading)));
    if (info.meta) tip.appendChild(stop(el("span", "cite-tip__meta", info.meta)));
    // The badge as the marker shows it ("C3"), then both parts spelled out.
    var grade = el("span", "cite-tip__grade");
    var badge = el("span", "grade grade-" + info.grade.toLowerCase(), info.grade);
    badge.setAttribute("aria-hidden", "true");
    badge.appendChild(el("span", "grade-credibility", info.credibility));
    grade.appendChild(badge);
    grade.appendChild(document.createTextNode(" Source reliability " + info.grade + ": " + info.label));
    tip.appendChild(stop(grade));
    tip.appendChild(stop(el("span", "cite-tip__credibility", "Information credibility " +
                            info.credibility + ": " + info.credibilityLabel)));
    if (info.quote !== null) {
      tip.appendChild(el("span", "cite-tip__quote", "\u201c" + info.quote + "\u201d"));
    } else if (info.at !== null) {
      tip.appendChild(el("span", "cite-tip__locator", "At: " + info.at));
    }
    tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse") hideSoon();
    });
    // Inside the main landmark, so that an open tooltip is not content outside landmarks.
    (document.querySelector("main") || document.body).appendChild(tip);
    return tip;
  }

  function place(link, tip) {
    var gap = 6;
    var margin = 8;
    var box = link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    var left = Math.max(margin, Math.min(box.left + box.width / 2 - w / 2, width - w - margin));
    var top = box.bottom + gap;
    if (top + h > window.innerHeight && box.top - h - gap > 0) top = box.top - h - gap;
    // From viewport to the coordinates of the box the tooltip is positioned in.
    var parent = tip.offsetParent;
    if (parent && parent !== document.body && getComputedStyle(parent).position !== "static") {
      var origin = parent.getBoundingClientRect();
      left -= origin.left + parent.clientLeft;
      top -= origin.top + parent.clientTop;
    } else {
      left += window.scrollX;
      top += window.scrollY;
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function show(link) {
    clearTimeout(hideTimer);
    var tip = document.getElementById(link.getAttribute("aria-describedby"));
    if (!tip) return;
    if (current && current.tip !== tip) current.tip.hidden = true;
    current = { link: link, tip: tip };
    tip.hidden = false;
    place(link, tip);
  }

  function hide() {
    clearTimeout(hideTimer);
    if (current) current.tip.hidden = true;
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      if (current && document.activeElement === current.link) return;
      hide();
    }, HIDE_DELAY);
  }

  function isOpen(link) {
    return current !== null && current.link === link && !current.tip.hidden;
  }

  function setUpCitation(link) {
    var info = describe(link);
    if (!info) return;
    // Markers that say the same share one tooltip.
    var key = JSON.stringify(info);
    var tip = tips[key] || (tips[key] = buildTip(info));
    link.setAttribute("aria-describedby", tip.id);
    link.setAttribute("aria-label", "Source " + link.getAttribute("data-ref"));

    // The grade badge beside the link shows the same tooltip: it spells the badge out.
    var badge = link.nextElementSibling;
    var hovered = badge && badge.classList.contains("cite-grade") ? [link, badge] : [link];
    hovered.forEach(function (target) {
      target.addEventListener("pointerenter", function (event) {
        if (event.pointerType === "mouse") show(link);
      });
      target.addEventListener("pointerleave", function (event) {
        if (event.pointerType === "mouse") hideSoon();
      });
    });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("blur", function () {
      if (current && current.link === link) hideSoon();
    });
    link.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType;
      shownAtPointerDown = isOpen(link);
    });
    link.addEventListener("click", function (event) {
      // Touch has no hover: the first tap shows the tooltip, the second follows the link.
      if ((lastPointer === "touch" || lastPointer === "pen") && !shownAtPointerDown) {
        event.preventDefault();
        show(link);
      }
      lastPointer = "mouse";
      shownAtPointerDown = false;
    });
  }

  function setUpCitations() {
    var links = document.querySelectorAll(".md-content sup.cite a[href]");
    for (var i = 0; i < links.length; i++) setUpCitation(links[i]);
    if (!links.length) return;
    document.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && current) {
        hide();
      }
    });
    document.addEventListener("pointerdown", function (event) {
      if (current && !event.target.closest("sup.cite a, .cite-tip")) hide();
    });
    window.addEventListener("resize", function () {
      if (current) place(current.link, current.tip);
    });
  }

  // The sentence a "Cited by" link points at: from its (empty) anchor to the next one.
  function markStatement() {
    var old = document.querySelectorAll(".statement-target");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("statement-target");
    if (window.CSS && CSS.highlights) CSS.highlights.delete("briefing-statement");
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    var anchor = id && document.getElementById(id);
    if (!anchor || !anchor.classList.contains("statement")) return;
    var block = anchor.closest("p, li, td, th, blockquote, dd") || anchor.parentNode;
    block.classList.add("statement-target");
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    var end = null;
    var anchors = block.querySelectorAll("span.statement");
    for (var j = 0; j < anchors.length; j++) {
      if (anchor.compareDocumentPosition(anchors[j]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        end = anchors[j];
        break;
      }
    }
    // The sentence's words, not its citation markers (they keep their own colours) nor its
    // "new"/"changed" mark.
    var ranges = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!(anchor.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      if (end && !(end.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING)) break;
      if (node.parentNode.closest("sup.cite, .release-mark") || !node.textContent.trim()) continue;
      var range = document.createRange();
      range.selectNodeContents(node);
      ranges.push(range);
    }
    var highlight = new Highlight();
    for (var k = 0; k < ranges.length; k++) highlight.add(ranges[k]);
    CSS.highlights.set("briefing-statement", highlight);
  }

  // Every cell of a table learns its column's name, which the stylesheet shows as a label
  // when the table, too wide for a phone, turns into one card per row.
  var NARROW = window.matchMedia("(max-width: 44.9375em)");
  var cardTables = [];

  function labelTable(table) {
    var headers = table.querySelectorAll("thead th");
    if (headers.length < 3) return;
    var names = [];
    for (var h = 0; h < headers.length; h++) names.push(headers[h].textContent.trim());
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0; c < cells.length && c < names.length; c++) {
        cells[c].setAttribute("data-label", names[c]);
      }
    }
    // Cards are blocks, not table boxes: keep the table's meaning for screen readers.
    table.setAttribute("role", "table");
    var groups = table.querySelectorAll("thead, tbody");
    for (var g = 0; g < groups.length; g++) groups[g].setAttribute("role", "rowgroup");
    var trs = table.querySelectorAll("tr");
    for (var t = 0; t < trs.length; t++) trs[t].setAttribute("role", "row");
    for (var k = 0; k < headers.length; k++) headers[k].setAttribute("role", "columnheader");
    var tds = table.querySelectorAll("td");
    for (var d = 0; d < tds.length; d++) tds[d].setAttribute("role", "cell");
    cardTables.push(table);
  }

  function fitTables() {
    for (var i = 0; i < cardTables.length; i++) {
      var table = cardTables[i];
      table.removeAttribute("data-briefing-cards");
      if (!NARROW.matches) continue;
      // Material scrolls a wide table inside a wrapper (or inside itself, before wrapping).
      var box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
      if (table.scrollWidth > table.clientWidth + 1 || table.offsetWidth > box.clientWidth + 1) {
        table.setAttribute("data-briefing-cards", "");
      }
    }
  }

  function setUpTables() {
    var tables = document.querySelectorAll(".md-content .md-typeset table");
    for (var i = 0; i < tables.length; i++) labelTable(tables[i]);
    if (!cardTables.length) return;
    fitTables();
    var pending = 0;
    window.addEventListener("resize", function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(fitTables);
    });
  }

  // Material's search overlay is a dialog without a name (axe: aria-dialog-name).
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function start() {
    nameSearchDialog();
    setUpCitations();
    setUpTables();
    markStatement();
    window.addEventListener("hashchange", markStatement);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

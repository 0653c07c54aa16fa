// Displacement Monitor dashboard: plain ES module, no build step.
// Every piece of data is put in the page with textContent or DOM nodes, never innerHTML,
// so text from articles (titles, quotes) can never run as markup.

const L = window.L;
const topojson = window.topojson;
const TOKEN_KEY = "dm-token";
const CAUSE_COLOURS = { conflict: "#c0392b", disaster: "#2471a3", other: "#7f8c8d" };
const FILTER_NAMES = ["q", "country", "cause", "term", "date_from", "date_to", "review_status"];

const state = { filters: {}, selectedFact: null, markers: null, map: null, requestId: 0 };

// ------------------------------------------------------------------ helpers
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function token() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(path, { ...options, headers });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

function query(extra = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...state.filters, ...extra })) {
    if (value !== "" && value !== null && value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

const number = new Intl.NumberFormat("en");
const fmt = (n) => (n === null || n === undefined ? "?" : number.format(n));
const words = (term) => (term || "").replaceAll("_", " ");

function figureLabel(fact) {
  const unit = fact.unit === "household" ? "households" : "people";
  return `${fmt(fact.figure)} ${unit} ${words(fact.term)}`;
}

// ------------------------------------------------------------------ map
async function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5, preferCanvas: false });
  map.setView([10, 20], 2);
  map.attributionControl.addAttribution("Countries: Natural Earth via world-atlas");
  state.map = map;
  const style = { color: "#8aa0ad", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 };
  const load = async (file) => {
    const topology = await (await fetch(`/static/vendor/world-atlas/${file}`)).json();
    const countries = topojson.feature(topology, topology.objects.countries);
    for (const feature of countries.features) unwrapAntimeridian(feature.geometry);
    return L.geoJSON(countries, { style, interactive: false });
  };
  let basemap = (await load("countries-110m.json")).addTo(map);
  basemap.bringToBack();
  // Finer borders arrive after the first paint.
  load("countries-50m.json").then((fine) => {
    fine.addTo(map);
    fine.bringToBack();
    map.removeLayer(basemap);
    basemap = fine;
  }).catch(() => {});
  state.markers = L.featureGroup().addTo(map);
}

function unwrapAntimeridian(geometry) {
  // Rings cut at ±180° (Russia, Fiji) would be drawn across the whole flat map: shift their
  // western part east of 180° instead. Antarctica legitimately spans every longitude.
  if (!geometry) return;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const lons = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      if (Math.max(...lons) - Math.min(...lons) > 180 && Math.min(...lats) > -60) {
        for (const point of ring) if (point[0] < 0) point[0] += 360;
      }
    }
  }
}

function markerRadius(figure) {
  return Math.max(4, Math.min(40, Math.sqrt(figure || 1) / 3));
}

function tooltip(props) {
  return el(
    "div", { class: "marker-tip" },
    el("strong", {}, `${fmt(props.figure)} ${props.unit === "household" ? "households" : "people"}`),
    ` ${words(props.term)}`, el("br"),
    `${props.place || "?"} · ${props.date || "undated"} · ${props.cause || "unknown cause"}`,
  );
}

async function loadMarkers() {
  if (!state.markers) return;
  const data = await api(`/api/map.geojson${query()}`);
  state.markers.clearLayers();
  for (const feature of data.features) {
    const [lon, lat] = feature.geometry.coordinates;
    const props = feature.properties;
    const colour = CAUSE_COLOURS[props.cause] || CAUSE_COLOURS.other;
    const marker = L.circleMarker([lat, lon], {
      radius: markerRadius(props.figure),
      color: colour, weight: 1, fillColor: colour, fillOpacity: 0.45,
      className: `fact-marker cause-${props.cause || "unknown"}`,
    });
    marker.bindTooltip(tooltip(props));  // a DOM node: Leaflet would parse a string as HTML
    marker.on("click", () => openFact(props.fact_id, props.article_id));
    marker.addTo(state.markers);
    marker.getElement()?.setAttribute("data-fact-id", String(props.fact_id));
  }
  document.getElementById("map").dataset.markers = String(data.features.length);
}

// ------------------------------------------------------------------ timeline
async function loadTimeline() {
  const data = await api(`/api/stats/timeline${query({ interval: "month" })}`);
  const svg = document.getElementById("timeline");
  svg.replaceChildren();
  const ns = "http://www.w3.org/2000/svg";
  const width = svg.clientWidth || 600;
  const height = svg.clientHeight || 110;
  const buckets = data.buckets;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!buckets.length) {
    const empty = document.createElementNS(ns, "text");
    empty.setAttribute("x", "8");
    empty.setAttribute("y", "20");
    empty.textContent = "No dated facts match the filters.";
    svg.append(empty);
    return;
  }
  const max = Math.max(...buckets.map((b) => b.facts));
  const plot = height - 16;
  const step = width / buckets.length;
  buckets.forEach((bucket, index) => {
    let y = plot;
    for (const cause of ["conflict", "disaster", "other", "unknown"]) {
      const count = bucket.by_cause[cause] || 0;
      if (!count) continue;
      const h = (count / max) * (plot - 4);
      y -= h;
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(index * step + 1));
      rect.setAttribute("y", String(y));
      rect.setAttribute("width", String(Math.max(1, step - 2)));
      rect.setAttribute("height", String(h));
      rect.setAttribute("class", cause);
      const title = document.createElementNS(ns, "title");
      title.textContent = `${bucket.period}: ${count} ${cause} facts (${fmt(bucket.figure_sum)} total figure)`;
      rect.append(title);
      svg.append(rect);
    }
  });
  const labels = [buckets[0], buckets[buckets.length - 1]];
  labels.forEach((bucket, i) => {
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", i ? String(width - 4) : "2");
    text.setAttribute("y", String(height - 3));
    text.setAttribute("text-anchor", i ? "end" : "start");
    text.textContent = bucket.period;
    svg.append(text);
  });
}

// ------------------------------------------------------------------ lists
function badge(status) {
  return el("span", { class: `badge ${status}` }, status);
}

async function loadFacts() {
  const page = await api(`/api/facts${query({ limit: 100, sort: "-figure" })}`);
  const list = document.getElementById("fact-list");
  list.replaceChildren(
    ...page.items.map((fact) =>
      el(
        "li",
        { dataset: { factId: fact.id }, class: fact.id === state.selectedFact ? "selected" : null,
          onclick: () => openFact(fact.id, fact.article_id) },
        el("span", { class: "figure" }, figureLabel(fact)),
        ` — ${fact.location?.name || fact.country_iso3 || "unknown place"}`,
        badge(fact.review.status),
        el("span", { class: "quote" }, `“${fact.quote}”`),
      ),
    ),
  );
  const more = page.total_exact ? "" : "+";
  document.getElementById("summary").textContent = `${fmt(page.total)}${more} facts match`;
}

async function loadEvents() {
  const params = new URLSearchParams();
  for (const key of ["country", "cause", "date_from", "date_to"]) {
    if (state.filters[key]) params.set(key, state.filters[key]);
  }
  params.set("limit", "100");
  const page = await api(`/api/events?${params}`);
  const list = document.getElementById("event-list");
  const editing = Boolean(token());
  list.replaceChildren(
    editing ? eventTools(list) : null,
    ...page.items.map((event) =>
      el(
        "li",
        { dataset: { eventId: event.event_id }, onclick: () => event.lat !== null && state.map.setView([event.lat, event.lon], 6) },
        editing
          ? el("input", { type: "checkbox", "aria-label": "Select for merge", dataset: { mergeSelect: event.event_id }, onclick: (e) => e.stopPropagation() })
          : null,
        el("strong", {}, event.name),
        el("span", { class: "quote" }, `${event.start || "?"} – ${event.end || "?"} · ${event.articles.length} article(s)`),
        el(
          "ul", { class: "event-figures" },
          ...event.figures.map((f) =>
            el("li", {},
              `${words(f.term_group)}: ${fmt(f.recommended)} ${f.unit}s`,
              f.minimum !== f.maximum ? ` (range ${fmt(f.minimum)}–${fmt(f.maximum)})` : "",
              f.people_estimate !== null ? ` ≈ ${fmt(f.people_estimate)} people` : ""),
          ),
        ),
        editing && event.articles.length > 1
          ? el("div", { class: "event-articles muted" }, "Split out: ",
            ...event.articles.map((article) =>
              el("button", {
                type: "button", dataset: { splitArticle: article }, title: "Take this article out of the event",
                onclick: (e) => { e.stopPropagation(); overrideEvents("split", { articles: [article] }); },
              }, article)))
          : null,
      ),
    ),
  );
}

function eventTools(list) {
  // Analysts merge the ticked events or split an article out; both are kept through re-clustering.
  return el("li", { class: "event-tools" },
    el("button", {
      type: "button", id: "merge-events",
      onclick: () => {
        const ids = [...list.querySelectorAll("[data-merge-select]:checked")].map((box) => box.dataset.mergeSelect);
        if (ids.length >= 2) overrideEvents("merge", { events: ids });
        else document.getElementById("event-notice").textContent = "Tick at least two events to merge.";
      },
    }, "Merge selected"),
    el("span", { id: "event-notice", class: "message muted", role: "status" }, state.eventNotice || ""));
}

async function overrideEvents(action, body) {
  try {
    const done = await api(`/api/events/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    state.eventNotice = `Saved: ${action} by ${done.override.created_by}.`;
  } catch (err) {
    state.eventNotice = `Not saved (${err.message}).`;
  }
  await loadEvents();
}

// ------------------------------------------------------------------ article and review
function highlighted(text, spans, currentId) {
  // Evidence spans as <mark> nodes between plain text nodes (overlaps: the earlier span wins).
  const nodes = [];
  let cursor = 0;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of sorted) {
    if (span.start < cursor || span.end > text.length || span.end <= span.start) continue;
    nodes.push(document.createTextNode(text.slice(cursor, span.start)));
    nodes.push(el("mark", {
      class: span.fact_id === currentId ? "evidence current" : "evidence",
      dataset: { factId: span.fact_id }, title: `${fmt(span.figure)} ${span.unit}s ${words(span.term)}`,
    }, text.slice(span.start, span.end)));
    cursor = span.end;
  }
  nodes.push(document.createTextNode(text.slice(cursor)));
  return nodes;
}

function reviewPanel(fact, article, notice = "") {
  const message = el("span", { class: "message muted", role: "status" }, notice);
  const reason = el("input", { type: "text", placeholder: "reason (required to reject)", "aria-label": "Reason" });
  const act = async (action) => {
    if (!token()) {
      message.textContent = "Enter an analyst token above to review.";
      return;
    }
    if (action === "reject" && !reason.value.trim()) {
      message.textContent = "Give a reason to reject.";
      return;
    }
    try {
      const updated = await api(`/api/facts/${fact.id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ action, reason: reason.value.trim() || null }),
      });
      const saved = `Saved: ${updated.review.status} by ${updated.review.by}.`;
      message.textContent = saved;
      await Promise.all([openFact(fact.id, article.id, false, saved), refreshLists()]);
    } catch (err) {
      message.textContent = `Not saved (${err.message}).`;
    }
  };
  return [
    el("div", {}, el("strong", {}, figureLabel(fact)), badge(fact.review.status),
      fact.review.by ? el("span", { class: "muted" }, ` by ${fact.review.by}`) : null),
    el("div", { class: "muted" },
      `${fact.location?.name || "no place"} · ${fact.date?.start || "undated"} · ${fact.cause || "?"}/${fact.hazard || "?"} · ${fact.qualifier}, ${fact.modality}`),
    fact.review.note ? el("div", {}, `Note: ${fact.review.note}`) : null,
    el("div", { class: "actions" },
      el("button", { type: "button", dataset: { action: "accept" }, onclick: () => act("accept") }, "Accept"),
      el("button", { type: "button", dataset: { action: "reject" }, onclick: () => act("reject") }, "Reject"),
      el("button", { type: "button", dataset: { action: "reset" }, onclick: () => act("reset") }, "Reset"),
      reason),
    message,
  ].filter((node) => node !== null);
}

async function openFact(factId, articleId, scroll = true, notice = "") {
  state.selectedFact = factId;
  const article = await api(`/api/articles/${articleId}`);
  const fact = article.facts.find((f) => f.id === factId) || article.facts[0];
  const panel = document.getElementById("article");
  document.getElementById("article-title").textContent = article.title || article.external_id;
  const meta = document.getElementById("article-meta");
  meta.replaceChildren(`${article.published || "undated"} · ${article.country_iso3 || ""} · `);
  if (article.url && /^https?:\/\//i.test(article.url)) {
    meta.append(el("a", { href: article.url, target: "_blank", rel: "noopener noreferrer" }, "source"));
  }
  document.getElementById("review").replaceChildren(...(fact ? reviewPanel(fact, article, notice) : []));
  const body = document.getElementById("article-text");
  body.replaceChildren(...highlighted(article.text || "", article.spans, fact?.id));
  for (const mark of body.querySelectorAll("mark.evidence")) {
    mark.addEventListener("click", () => openFact(Number(mark.dataset.factId), articleId, false));
  }
  panel.hidden = false;
  if (scroll) body.querySelector("mark.current")?.scrollIntoView({ block: "center" });
  for (const li of document.querySelectorAll("#fact-list li")) {
    li.classList.toggle("selected", Number(li.dataset.factId) === factId);
  }
}

// ------------------------------------------------------------------ wiring
async function refreshLists() {
  await Promise.all([loadFacts(), loadEvents()]);
}

async function refresh() {
  const id = ++state.requestId;
  document.body.dataset.loading = "true";
  try {
    await Promise.all([loadMarkers(), loadTimeline(), refreshLists()]);
  } catch (err) {
    document.getElementById("summary").textContent = `Could not load data (${err.message}).`;
  } finally {
    if (id === state.requestId) document.body.dataset.loading = "false";
  }
}

function readFilters() {
  const form = document.getElementById("filters");
  const data = new FormData(form);
  state.filters = Object.fromEntries(FILTER_NAMES.map((name) => [name, (data.get(name) || "").toString().trim()]));
  for (const link of document.querySelectorAll("[data-export]")) {
    link.href = `/api/exports/facts${query({ format: link.dataset.export })}`;
  }
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function wire() {
  const form = document.getElementById("filters");
  const apply = debounce(() => { readFilters(); refresh(); }, 250);
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  form.addEventListener("reset", () => setTimeout(apply, 0));

  const tokenInput = document.getElementById("token-input");
  const tokenState = document.getElementById("token-state");
  const showToken = () => { tokenState.textContent = token() ? "token saved" : "read-only"; };
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (tokenInput.value.trim()) localStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    else localStorage.removeItem(TOKEN_KEY);
    tokenInput.value = "";
    showToken();
    refresh();
  });
  showToken();

  for (const tab of document.querySelectorAll("[data-tab]")) {
    tab.addEventListener("click", () => {
      for (const other of document.querySelectorAll("[data-tab]")) other.setAttribute("aria-selected", String(other === tab));
      for (const panel of document.querySelectorAll("[data-panel]")) panel.hidden = panel.dataset.panel !== tab.dataset.tab;
      document.getElementById("article").hidden = true;
    });
  }
  document.getElementById("article-close").addEventListener("click", () => {
    document.getElementById("article").hidden = true;
  });
}

async function main() {
  wire();
  readFilters();
  try {
    await initMap();
  } catch (err) {
    document.getElementById("summary").textContent = `Map unavailable (${err.message}).`;
  }
  await refresh();
  document.body.dataset.ready = "true";
}

main();

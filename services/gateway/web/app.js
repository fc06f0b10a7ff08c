// sitrep's page: events on a map and a timeline, filters kept in the URL, an event panel, a
// place view with its control strip, a paste box, export links. Plain JS, no build step.
//
// Safety: every text that comes from a document or the API is set with textContent (or as a DOM
// node handed to Leaflet), never as HTML; links are made only for http(s) URLs. The page's CSP
// forbids inline script, so nothing here evaluates strings.
'use strict';

(function () {
  const KINDS = ['OFFENSIVE', 'ADVANCE', 'ATTACK', 'CLASH', 'CAPTURE', 'SIEGE', 'WITHDRAWAL',
    'BOMBARDMENT', 'CASUALTIES', 'END', 'STATEMENT', 'PROTEST', 'RIOT', 'ABDUCTION', 'ARREST',
    'DEVELOPMENT'];
  // events loaded for one view at most (pages of PAGE); more: the view says so
  const MAX_EVENTS = 20000;
  const PAGE = 1000;
  // above this many located events markers cluster; below, events at one spot fan out
  const CLUSTER_ABOVE = 400;
  // above this many events the timeline draws counts per day instead of one bar per event
  const BARS_UP_TO = 3000;
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];
  const AREA_CODES = /^(ADM\d?H?|ADMD|PCL\w*|RGN\w*|AREA|ZN|TERR|PRSH|MTS|HLLS|PLN|DSRT|VAL)$/;

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  };
  const kindName = (k) => String(k || 'EVENT_KIND_UNSPECIFIED').replace(/^EVENT_KIND_/, '');
  const kindClass = (k) => 'kind-' + kindName(k).toLowerCase();

  // ---- state and the URL --------------------------------------------------------------------
  const FILTERS = ['kind', 'actor', 'place', 'from', 'to', 'document'];
  const state = { filters: {}, event: '', placeView: '', view: '' };
  let events = [];
  let byId = new Map();
  let truncated = false;
  const actorsSeen = new Map(); // id -> {name, sides:Set}
  const documents = new Map(); // id -> promise of a report

  function readUrl() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ''));
    for (const f of FILTERS) state.filters[f] = h.get(f) || '';
    state.event = h.get('event') || '';
    state.placeView = h.get('placeview') || '';
    state.view = h.get('view') || '';
  }

  function writeUrl() {
    const h = new URLSearchParams();
    for (const f of FILTERS) if (state.filters[f]) h.set(f, state.filters[f]);
    if (state.event) h.set('event', state.event);
    if (state.placeView) h.set('placeview', state.placeView);
    if (state.view) h.set('view', state.view);
    const hash = '#' + h.toString();
    if (location.hash !== hash) history.replaceState(null, '', hash === '#' ? location.pathname : hash);
  }

  // ---- the API ------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  let tokenAsked = null;
  function askToken(why) {
    if (tokenAsked) return tokenAsked;
    const dialog = $('token-dialog');
    $('token-why').textContent = why;
    $('token-input').value = '';
    tokenAsked = new Promise((resolve) => {
      const done = (ev) => {
        ev.preventDefault();
        sessionStorage.setItem('sitrep-token', $('token-input').value.trim());
        dialog.close();
        $('token-form').removeEventListener('submit', done);
        tokenAsked = null;
        resolve();
      };
      $('token-form').addEventListener('submit', done);
    });
    dialog.showModal();
    return tokenAsked;
  }

  function authHeaders() {
    const token = sessionStorage.getItem('sitrep-token');
    return token ? { authorization: 'Bearer ' + token } : {};
  }

  async function api(path, options) {
    for (;;) {
      const opts = Object.assign({}, options || {});
      opts.headers = Object.assign({}, opts.headers || {}, authHeaders());
      const r = await fetch(path, opts);
      if (r.status === 401) {
        const had = sessionStorage.getItem('sitrep-token');
        await askToken(had ? 'That token was refused: give the gateway\'s token.'
          : 'This sitrep needs a token for this: give the gateway\'s token.');
        continue;
      }
      const type = r.headers.get('content-type') || '';
      const body = type.includes('json') ? await r.json() : await r.text();
      if (!r.ok) {
        const code = (body && body.code) || String(r.status);
        const message = (body && body.message) || String(body);
        throw new ApiError(r.status, code, message);
      }
      return body;
    }
  }

  function showMessage(text) {
    const m = $('message');
    m.textContent = text;
    m.hidden = !text;
  }

  // ---- dates --------------------------------------------------------------------------------
  const dayMs = 86400000;
  const parseDay = (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  };
  const isoDay = (t) => new Date(t).toISOString().slice(0, 10);
  const humanDay = (s) => {
    const t = parseDay(s);
    if (isNaN(t)) return s || '';
    const d = new Date(t);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  };
  function humanWhen(w) {
    if (!w || !w.earliest) return 'date unknown';
    const p = (w.precision || '').replace(/^PRECISION_/, '').toLowerCase();
    const a = parseDay(w.earliest);
    const b = parseDay(w.latest || w.earliest);
    const da = new Date(a);
    let text;
    if (p === 'month') text = MONTHS[da.getUTCMonth()] + ' ' + da.getUTCFullYear();
    else if (p === 'year') text = String(da.getUTCFullYear());
    else if (a === b) text = humanDay(w.earliest);
    else text = humanDay(w.earliest) + ' – ' + humanDay(w.latest);
    return text;
  }

  // ---- what an event shows ------------------------------------------------------------------
  const located = (p) => p && typeof p.lat === 'number' && typeof p.lon === 'number';
  const mainPlace = (e) => (e.places || []).find(located);
  const lowPrecision = (p) => p.provisional || (p.confidence !== undefined && p.confidence < 0.5);
  const isArea = (p) => AREA_CODES.test(p.featureCode || '');
  const sideOf = (e) => {
    const agent = (e.actors || []).find((a) => a.role === 'ACTOR_ROLE_AGENT') || (e.actors || [])[0];
    return agent ? (agent.side || agent.name || '') : '';
  };
  function eventTitle(e) {
    const p = mainPlace(e) || (e.places || [])[0];
    const where = p ? (p.name || p.mention) : '';
    return kindName(e.kind).toLowerCase() + (where ? ' · ' + where : '') + ' · ' + humanWhen(e.when);
  }

  // a colour per side or controller, stable across loads
  function colourOf(name) {
    let h = 0;
    for (const c of String(name)) h = (h * 31 + c.codePointAt(0)) >>> 0;
    return 'hsl(' + (h % 360) + ', 55%, 48%)';
  }

  // ---- the map ------------------------------------------------------------------------------
  let map;
  let markerLayer = null;
  let labelLayer = null;
  let areaLayer = null;
  const markers = new Map(); // event id -> marker
  // the map fits the events once (unless the URL gives a view), and again after a paste
  let fitted = false;

  function initMap() {
    map = L.map('map', { worldCopyJump: true, minZoom: 2, maxZoom: 14, zoomSnap: 0.5 });
    map.attributionControl.setPrefix('Leaflet');
    map.attributionControl.addAttribution('Outlines: Natural Earth');
    map.setView([25, 20], 2);
    fetch('/assets/vendor/world-atlas/countries-50m.json').then((r) => r.json()).then((topo) => {
      const land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        renderer: L.canvas({ padding: 0.5 }),
        interactive: false,
        style: { color: '#8a8f96', weight: 0.7, fillColor: '#f3f1ec', fillOpacity: 1 },
      }).addTo(map).bringToBack();
    }).catch((e) => showMessage('Could not draw the outlines: ' + e.message));
    map.on('moveend', () => {
      const c = map.getCenter();
      state.view = c.lat.toFixed(3) + ',' + c.lng.toFixed(3) + ',' + map.getZoom();
      writeUrl();
    });
    new ResizeObserver(() => map.invalidateSize()).observe($('map'));
    map.on('zoomend', showLabels);
  }

  // place names show once zoomed in (further in when markers cluster)
  let dense = false;
  function showLabels() {
    $('map').classList.toggle('zoomed-out', map.getZoom() < (dense ? 10 : 7));
  }

  function markerIcon(e, p, dx, dy) {
    const cls = ['ev', kindClass(e.kind)];
    if (lowPrecision(p)) cls.push('approx');
    if (isArea(p)) cls.push('area');
    if (e.failed || e.negated) cls.push('failed');
    if (e.id === state.event) cls.push('selected');
    return L.divIcon({ className: cls.join(' '), html: '', iconSize: [14, 14], iconAnchor: [7 - dx, 7 - dy] });
  }

  function drawMap() {
    for (const layer of [markerLayer, labelLayer, areaLayer]) if (layer) map.removeLayer(layer);
    markers.clear();
    const placed = events.filter((e) => mainPlace(e));
    const cluster = placed.length > CLUSTER_ABOVE;
    dense = cluster;
    markerLayer = cluster
      ? L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 40, showCoverageOnHover: false })
      : L.layerGroup();
    areaLayer = L.layerGroup();
    labelLayer = L.layerGroup();
    const atSpot = new Map();
    const places = new Map();
    const perSpot = new Map();
    const spotOf = (p) => p.lat.toFixed(4) + ',' + p.lon.toFixed(4);
    for (const e of placed) perSpot.set(spotOf(mainPlace(e)), (perSpot.get(spotOf(mainPlace(e))) || 0) + 1);
    const many = (spot) => perSpot.get(spot) > 1;
    for (const e of placed) {
      const p = mainPlace(e);
      const spot = spotOf(p);
      const i = atSpot.get(spot) || 0;
      atSpot.set(spot, i + 1);
      // the n-th event at one spot sits on a spiral around it (golden angle)
      const r = cluster || !many(spot) ? 0 : 9 * Math.sqrt(i + 0.5);
      const dx = Math.round(r * Math.cos(i * 2.39996));
      const dy = Math.round(r * Math.sin(i * 2.39996));
      const m = L.marker([p.lat, p.lon], { icon: markerIcon(e, p, dx, dy), title: eventTitle(e), keyboard: true, riseOnHover: true });
      m.on('add', () => {
        const node = m.getElement();
        if (!node) return;
        node.dataset.eventId = e.id;
        node.dataset.placeId = p.id || '';
        node.dataset.kind = kindName(e.kind);
        node.setAttribute('role', 'button');
        node.setAttribute('aria-label', eventTitle(e));
      });
      m.on('click', () => select(e.id, 'map'));
      m.sitrepOffset = [dx, dy];
      m.sitrepEvent = e;
      markers.set(e.id, m);
      markerLayer.addLayer(m);
      if (isArea(p) || p.provisional) {
        // an area or an estimated position: the circle says how far off the point may be
        const radius = /^PCL/.test(p.featureCode || '') ? 150000 : p.provisional ? 8000 : 25000;
        areaLayer.addLayer(L.circle([p.lat, p.lon], { radius, interactive: false, className: 'approx-area ' + kindClass(e.kind) }));
      }
      const key = p.id || spot;
      const known = places.get(key) || { p, n: 0 };
      known.n += 1;
      places.set(key, known);
    }
    // a label per place (the busiest ones when there are many), which opens the place view
    const names = [...places.values()].sort((a, b) => b.n - a.n).slice(0, 80);
    for (const { p } of names) {
      const label = el('span', 'place-name', p.name || p.mention);
      const icon = L.divIcon({ className: 'place-label', html: label, iconSize: null, iconAnchor: [-10, 6] });
      const m = L.marker([p.lat, p.lon], { icon, keyboard: false, zIndexOffset: -1000 });
      m.on('add', () => {
        const node = m.getElement();
        if (node) {
          node.dataset.placeId = p.id || '';
          node.setAttribute('role', 'link');
          node.title = 'Place view: ' + (p.name || p.mention);
        }
      });
      m.on('click', () => openPlace(p.id || p.name || p.mention));
      labelLayer.addLayer(m);
    }
    showLabels();
    areaLayer.addTo(map);
    markerLayer.addTo(map);
    labelLayer.addTo(map);
    const pts = placed.map((e) => { const p = mainPlace(e); return [p.lat, p.lon]; });
    if (pts.length && !fitted) {
      map.fitBounds(L.latLngBounds(pts), { padding: [60, 60], maxZoom: 10 });
      fitted = true;
    }
    return placed.length;
  }

  function markSelectedOnMap() {
    for (const [id, m] of markers) {
      const node = m.getElement();
      if (node) node.classList.toggle('selected', id === state.event);
    }
  }

  // ---- the timeline -------------------------------------------------------------------------
  let timeScale = null;
  let wideTimeline = false;

  function drawTimeline() {
    const box = $('timeline');
    box.replaceChildren();
    const dated = events.filter((e) => e.when && !isNaN(parseDay(e.when.earliest)));
    if (!dated.length) {
      box.appendChild(el('p', 'meta', events.length ? 'No dated events to draw.' : 'No events.'));
      timeScale = null;
      return;
    }
    // the span most events lie in: a lone event years off does not squash the rest (it is
    // counted at the edge, and a click there widens the view to every event)
    const starts = dated.map((e) => parseDay(e.when.earliest)).sort((a, b) => a - b);
    const ends = dated.map((e) => parseDay(e.when.latest || e.when.earliest) + dayMs).sort((a, b) => a - b);
    let lo = starts[0];
    let hi = ends[ends.length - 1];
    if (!wideTimeline && dated.length >= 10) {
      const q = (v, f) => v[Math.min(v.length - 1, Math.floor(f * (v.length - 1)))];
      const core = q(ends, 0.95) - q(starts, 0.05);
      lo = Math.max(lo, q(starts, 0.05) - core * 0.5);
      hi = Math.min(hi, q(ends, 0.95) + core * 0.5);
    }
    if (state.filters.from) lo = Math.max(lo, parseDay(state.filters.from)) || lo;
    if (state.filters.to) hi = Math.min(hi, parseDay(state.filters.to) + dayMs) || hi;
    const earlier = dated.filter((e) => parseDay(e.when.latest || e.when.earliest) + dayMs <= lo);
    const later = dated.filter((e) => parseDay(e.when.earliest) >= hi);
    if (hi - lo < 7 * dayMs) { lo -= 3 * dayMs; hi += 3 * dayMs; }
    const pad = (hi - lo) * 0.02;
    lo -= pad; hi += pad;
    const width = Math.max(box.clientWidth, 300);
    const left = 110;
    const right = 12;
    const x = (t) => left + (t - lo) / (hi - lo) * (width - left - right);
    timeScale = { x, lo, hi, left, right, width, invert: (px) => lo + (px - left) / (width - left - right) * (hi - lo) };
    const kinds = KINDS.filter((k) => dated.some((e) => kindName(e.kind) === k));
    // each kind is a lane; events overlapping in a lane take the next row of it
    const rowH = 9;
    const rows = new Map();
    let y = 6;
    const laneTop = new Map();
    const bars = dated.length <= BARS_UP_TO;
    for (const k of kinds) {
      const mine = dated.filter((e) => kindName(e.kind) === k)
        .sort((a, b) => parseDay(a.when.earliest) - parseDay(b.when.earliest));
      const ends = [];
      for (const e of mine) {
        const a = x(parseDay(e.when.earliest));
        let r = bars ? ends.findIndex((end) => end < a - 1) : 0;
        if (r < 0) { r = ends.length; ends.push(0); }
        const w = Math.max(4, x(parseDay(e.when.latest || e.when.earliest) + dayMs) - a);
        ends[r] = Math.max(ends[r] || 0, a + w);
        rows.set(e.id, r);
      }
      laneTop.set(k, y);
      y += Math.max(1, Math.min(ends.length, 6)) * rowH + 8;
    }
    const height = y + 40;
    const svg = svgEl('svg', { width, height, role: 'img', 'aria-label': 'timeline of the events shown' });
    svg.classList.add('tl');
    // lanes and their names
    for (const k of kinds) {
      const top = laneTop.get(k);
      svg.appendChild(svgEl('line', { x1: left, x2: width - right, y1: top - 3, y2: top - 3, class: 'lane-line' }));
      const t = svgEl('text', { x: 4, y: top + 8, class: 'lane-name ' + kindClass('EVENT_KIND_' + k) });
      t.textContent = k.toLowerCase();
      svg.appendChild(t);
    }
    // axis
    const axisY = y + 4;
    svg.appendChild(svgEl('line', { x1: left, x2: width - right, y1: axisY, y2: axisY, class: 'axis' }));
    for (const tick of ticks(lo, hi)) {
      const tx = x(tick.t);
      svg.appendChild(svgEl('line', { x1: tx, x2: tx, y1: axisY, y2: axisY + 4, class: 'axis' }));
      const label = svgEl('text', { x: tx + 2, y: axisY + 16, class: 'tick' });
      label.textContent = tick.label;
      svg.appendChild(label);
    }
    for (const [list, at, anchor, arrow] of [[earlier, left, 'start', '◀ '], [later, width - right, 'end', '']]) {
      if (!list.length) continue;
      const t = svgEl('text', { x: at, y: axisY + 28, 'text-anchor': anchor, class: 'outside' });
      t.textContent = arrow + list.length + (anchor === 'start' ? ' earlier' : ' later') + ': show all' + (anchor === 'end' ? ' ▶' : '');
      t.addEventListener('click', () => { wideTimeline = true; drawTimeline(); });
      svg.appendChild(t);
    }
    if (bars) {
      for (const e of dated) {
        const k = kindName(e.kind);
        // an event outside the span drawn sits at its edge
        const a = Math.min(Math.max(x(parseDay(e.when.earliest)), left), width - right - 4);
        const w = Math.max(4, Math.min(x(parseDay(e.when.latest || e.when.earliest) + dayMs), width - right) - a);
        const r = Math.min(rows.get(e.id) || 0, 5);
        const p = (e.when.precision || '').replace(/^PRECISION_/, '').toLowerCase();
        const rect = svgEl('rect', { x: a, y: laneTop.get(k) + r * rowH, width: w, height: rowH - 2, rx: 2 });
        rect.setAttribute('class', ['bar', kindClass(e.kind), 'p-' + p, e.when.inherited ? 'inherited' : '',
          e.id === state.event ? 'selected' : ''].join(' ').trim());
        rect.dataset.eventId = e.id;
        const title = svgEl('title');
        title.textContent = eventTitle(e) + (p && p !== 'day' ? ' (' + p + ')' : '');
        rect.appendChild(title);
        rect.addEventListener('click', (ev) => { ev.stopPropagation(); select(e.id, 'timeline'); });
        svg.appendChild(rect);
      }
    } else {
      // too many for bars: events per day and kind
      const counts = new Map();
      for (const e of dated) {
        const key = kindName(e.kind) + '|' + e.when.earliest;
        counts.set(key, (counts.get(key) || 0) + 1);
      }
      const most = Math.max(...counts.values());
      for (const [key, n] of counts) {
        const [k, day] = key.split('|');
        const a = x(parseDay(day));
        const h = Math.max(2, (n / most) * (rowH - 2));
        const top = laneTop.get(k) + rowH - 2 - h;
        const rect = svgEl('rect', { x: a, y: top, width: Math.max(2, x(parseDay(day) + dayMs) - a), height: h });
        rect.setAttribute('class', 'count ' + kindClass('EVENT_KIND_' + k));
        const title = svgEl('title');
        title.textContent = n + ' ' + k.toLowerCase() + ' · ' + humanDay(day);
        rect.appendChild(title);
        svg.appendChild(rect);
      }
    }
    brush(svg, height);
    box.appendChild(svg);
  }

  function ticks(lo, hi) {
    const span = (hi - lo) / dayMs;
    const out = [];
    const d = new Date(lo);
    if (span > 365 * 3) {
      for (let yr = d.getUTCFullYear(); Date.UTC(yr, 0, 1) <= hi; yr++) {
        const t = Date.UTC(yr, 0, 1);
        if (t >= lo) out.push({ t, label: String(yr) });
      }
    } else if (span > 45) {
      // at most one label per ~60 px
      const px = (timeScale ? timeScale.width - timeScale.left - timeScale.right : 800) / (span / 30.4);
      const step = px >= 60 ? 1 : px >= 30 ? 2 : px >= 20 ? 3 : 6;
      for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); m <= hi;) {
        const md = new Date(m);
        if (m >= lo && md.getUTCMonth() % step === 0) {
          const yearToo = md.getUTCMonth() === 0 || !out.length;
          out.push({ t: m, label: yearToo ? MONTHS[md.getUTCMonth()].slice(0, 3) + ' ' + md.getUTCFullYear() : MONTHS[md.getUTCMonth()].slice(0, 3) });
        }
        m = Date.UTC(md.getUTCFullYear(), md.getUTCMonth() + 1, 1);
      }
    } else {
      const step = span > 20 ? 7 : span > 8 ? 2 : 1;
      for (let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); t <= hi; t += step * dayMs) {
        if (t >= lo) out.push({ t, label: humanDay(isoDay(t)).replace(/ \d{4}$/, '') });
      }
    }
    return out;
  }

  // dragging across the timeline sets the period filter
  function brush(svg, height) {
    let start = null;
    let rect = null;
    svg.addEventListener('pointerdown', (ev) => {
      if (ev.target.classList && ev.target.classList.contains('bar')) return;
      const b = svg.getBoundingClientRect();
      start = ev.clientX - b.left;
      rect = svgEl('rect', { x: start, y: 0, width: 0, height, class: 'brush' });
      svg.appendChild(rect);
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener('pointermove', (ev) => {
      if (start === null) return;
      const b = svg.getBoundingClientRect();
      const now = ev.clientX - b.left;
      rect.setAttribute('x', Math.min(start, now));
      rect.setAttribute('width', Math.abs(now - start));
    });
    svg.addEventListener('pointerup', (ev) => {
      if (start === null) return;
      const b = svg.getBoundingClientRect();
      const end = ev.clientX - b.left;
      const a = Math.min(start, end);
      const z = Math.max(start, end);
      start = null;
      if (rect) rect.remove();
      if (z - a < 6 || !timeScale) return;
      state.filters.from = isoDay(Math.max(timeScale.lo, timeScale.invert(a)));
      state.filters.to = isoDay(Math.min(timeScale.hi, timeScale.invert(z)) - 1);
      if (state.filters.to < state.filters.from) state.filters.to = state.filters.from;
      reload();
    });
  }

  // ---- selection and the event panel --------------------------------------------------------
  function select(id, from) {
    state.event = id;
    writeUrl();
    markSelectedOnMap();
    for (const node of document.querySelectorAll('#timeline [data-event-id]')) {
      node.classList.toggle('selected', node.dataset.eventId === id);
    }
    const e = byId.get(id);
    if (!e) return;
    showEvent(e);
    const m = markers.get(id);
    if (m && from !== 'map') {
      if (markerLayer.zoomToShowLayer) markerLayer.zoomToShowLayer(m, () => {});
      else if (!map.getBounds().contains(m.getLatLng())) map.panTo(m.getLatLng());
    }
  }

  function fact(dl, name, value) {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el('dt', null, name));
    const dd = el('dd');
    if (value instanceof Node) dd.appendChild(value);
    else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  // the sentence as text, its clause marked, its citation markers after it
  function sentenceNode(e) {
    const q = document.createDocumentFragment();
    const s = e.sentence || '';
    const span = e.span || '';
    const at = span ? s.indexOf(span) : -1;
    if (at >= 0) {
      q.appendChild(document.createTextNode(s.slice(0, at)));
      q.appendChild(el('mark', null, span));
      q.appendChild(document.createTextNode(s.slice(at + span.length)));
    } else {
      q.appendChild(document.createTextNode(s));
    }
    for (const c of e.citations || []) q.appendChild(el('sup', 'citation', '[' + c + ']'));
    return q;
  }

  function showEvent(e) {
    $('place-panel').hidden = true;
    const panel = $('event-panel');
    panel.hidden = false;
    panel.dataset.eventId = e.id;
    const title = $('ev-title');
    title.replaceChildren(el('span', 'badge ' + kindClass(e.kind), kindName(e.kind).toLowerCase()));
    const p = mainPlace(e) || (e.places || [])[0];
    if (p) title.appendChild(document.createTextNode(' ' + (p.name || p.mention)));
    const w = e.when || {};
    const basis = (w.basis || '').replace(/^DATE_BASIS_/, '').toLowerCase().replace(/_/g, ' ');
    const precision = (w.precision || '').replace(/^PRECISION_/, '').toLowerCase();
    $('ev-when').textContent = humanWhen(w) + (precision ? ' · ' + precision : '') +
      (basis ? ' · ' + basis + ' date' : '') + (w.text ? ' · “' + w.text + '”' : '') +
      (w.inherited ? ' · inherited from the narrative' : '') + (w.ambiguous ? ' · ambiguous' : '');
    $('ev-sentence').replaceChildren(sentenceNode(e));
    const dl = $('ev-facts');
    dl.replaceChildren();
    fact(dl, 'Clause', e.span);
    const flags = [e.hedged && 'hedged', e.failed && 'failed', e.negated && 'negated'].filter(Boolean).join(', ');
    fact(dl, 'Status', flags);
    if (e.attribution && e.attribution.source) {
      fact(dl, 'Attribution', 'per ' + e.attribution.source + (e.attribution.verb ? ' (' + e.attribution.verb + ')' : ''));
    }
    if (e.fatalities !== undefined) {
      fact(dl, 'Fatalities', e.fatalitiesMax !== undefined && e.fatalitiesMax !== e.fatalities
        ? e.fatalities + '–' + e.fatalitiesMax : e.fatalities);
    }
    const actors = el('ul', 'actors');
    for (const a of e.actors || []) {
      const li = el('li', null, a.name || a.mention);
      const role = (a.role || '').replace(/^ACTOR_ROLE_/, '').toLowerCase();
      const extra = [a.side, role !== 'unspecified' ? role : '', a.provisional ? 'not in the registry' : ''].filter(Boolean).join(', ');
      if (extra) li.appendChild(el('span', 'meta', ' — ' + extra));
      actors.appendChild(li);
    }
    fact(dl, 'Actors', actors.children.length ? actors : '');
    const places = el('ul', 'places');
    for (const pl of e.places || []) {
      const li = el('li');
      const b = el('button', 'place-link', pl.name || pl.mention);
      b.type = 'button';
      b.dataset.placeId = pl.id || '';
      b.addEventListener('click', () => openPlace(pl.id || pl.name || pl.mention));
      li.appendChild(b);
      const how = pl.provisional ? 'provisional: no gazetteer place passed; ' + (located(pl) ? 'position estimated' : 'no position')
        : 'gazetteer ' + (pl.id || '') + ', confidence ' + Number(pl.confidence || 0).toFixed(2);
      li.appendChild(el('span', 'meta', ' “' + pl.mention + '” — ' + how +
        (located(pl) ? ' · ' + pl.lat.toFixed(3) + ', ' + pl.lon.toFixed(3) : '') + (pl.featureCode ? ' · ' + pl.featureCode : '')));
      places.appendChild(li);
    }
    fact(dl, 'Places', places.children.length ? places : '');
    fact(dl, 'Trigger', e.trigger);
    fact(dl, 'ACLED type', [e.acledEventType, e.acledSubEventType].filter(Boolean).join(' / '));
    fact(dl, 'Also reported as', (e.alsoReportedAs || []).join(', '));
    fact(dl, 'Same as', e.sameAs);
    const doc = el('span', null, e.documentId);
    fact(dl, 'Document', doc);
    documentReport(e.documentId).then((r) => {
      const d = r.document || {};
      doc.replaceChildren(el('span', 'doc-title', d.title || e.documentId));
      if (d.published) doc.appendChild(el('span', 'meta', ' · published ' + humanDay(d.published)));
      if (d.sourceUrl) {
        doc.appendChild(document.createTextNode(' · '));
        doc.appendChild(safeLink(d.sourceUrl));
      }
      const only = el('button', 'linkish', 'show only this document');
      only.type = 'button';
      only.addEventListener('click', () => { setFilters({ document: e.documentId }); });
      doc.appendChild(document.createTextNode(' · '));
      doc.appendChild(only);
    }).catch((err) => { doc.appendChild(el('span', 'meta', ' (' + err.message + ')')); });
  }

  // an http(s) URL becomes a link; anything else (javascript:, data:, …) stays text
  function safeLink(url) {
    let u = null;
    try { u = new URL(url); } catch (_) { u = null; }
    if (u && (u.protocol === 'http:' || u.protocol === 'https:')) {
      const a = el('a', 'source', url);
      a.href = u.href;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      return a;
    }
    return el('span', 'source', url);
  }

  function documentReport(id) {
    if (!documents.has(id)) {
      const p = api('/api/v1/documents/' + encodeURIComponent(id));
      p.catch(() => documents.delete(id));
      documents.set(id, p);
    }
    return documents.get(id);
  }

  // ---- the place view -----------------------------------------------------------------------
  async function openPlace(place) {
    state.placeView = place;
    writeUrl();
    $('event-panel').hidden = true;
    const panel = $('place-panel');
    panel.hidden = false;
    panel.dataset.placeId = place;
    panel.dataset.state = 'loading';
    $('pl-name').textContent = place;
    $('pl-meta').textContent = 'loading…';
    for (const id of ['pl-strip', 'pl-intervals', 'pl-events', 'pl-nearby']) $(id).replaceChildren();
    const q = encodeURIComponent(place);
    $('pl-export').href = '/api/v1/export?format=control-geojson&place=' + q;
    try {
      const [dossier, history] = await Promise.all([
        api('/api/v1/dossier?place=' + q + '&max_events=200'),
        api('/api/v1/control/history?place=' + q),
      ]);
      if (state.placeView !== place) return;
      const p = dossier.place || history.place;
      if (p) {
        panel.dataset.placeId = p.id;
        $('pl-name').textContent = p.name;
        const bits = [p.id, p.featureCode, (p.hierarchy || []).filter(Boolean).join(' › ') || p.countryCode,
          // (proto3 JSON leaves out zeros: a provisional place the text does not locate has none)
          located(p) ? p.lat.toFixed(4) + ', ' + p.lon.toFixed(4) : 'no coordinates', p.population && p.population !== '0' ? 'population ' + p.population : '',
          p.provisional ? 'provisional (no gazetteer place yet)' : ''];
        $('pl-meta').textContent = bits.filter(Boolean).join(' · ');
      } else {
        $('pl-meta').textContent = 'The gazetteer knows no such place; events that name it are shown.';
      }
      drawStrip(history.intervals || [], dossier.events || []);
      const list = $('pl-events');
      for (const e of dossier.events || []) {
        byId.has(e.id) || byId.set(e.id, e);
        const li = el('li');
        li.dataset.eventId = e.id;
        const b = el('button', 'linkish', eventTitle(e));
        b.type = 'button';
        b.addEventListener('click', () => select(e.id, 'place'));
        li.appendChild(b);
        list.appendChild(li);
      }
      for (const n of dossier.nearby || []) {
        const np = n.place || {};
        const li = el('li');
        const b = el('button', 'place-link', np.name);
        b.type = 'button';
        b.dataset.placeId = np.id || '';
        b.addEventListener('click', () => openPlace(np.id));
        li.appendChild(b);
        li.appendChild(el('span', 'meta', ' ' + Number(n.distanceKm || 0).toFixed(1) + ' km'));
        $('pl-nearby').appendChild(li);
      }
      for (const f of [].concat(dossier.failures || [], history.failures || [])) {
        $('pl-meta').appendChild(el('span', 'warn', ' · ' + f.backend + ' did not answer: ' + f.message));
      }
    } catch (err) {
      $('pl-meta').textContent = err.message;
    } finally {
      panel.dataset.state = 'ready';
    }
  }

  // who held the place when: one segment per interval, claimed and contested ones marked
  function drawStrip(intervals, evs) {
    const strip = $('pl-strip');
    const list = $('pl-intervals');
    if (!intervals.length) {
      strip.appendChild(el('span', 'meta', 'No event changes or contests control of this place.'));
      return;
    }
    const days = evs.map((e) => e.when && parseDay(e.when.latest || e.when.earliest)).filter((t) => !isNaN(t));
    const starts = intervals.map((i) => parseDay(i.since)).filter((t) => !isNaN(t));
    const lo = Math.min(...starts);
    const lastKnown = Math.max(...starts, ...days, ...intervals.map((i) => parseDay(i.until)).filter((t) => !isNaN(t)));
    const hi = Math.max(lastKnown + dayMs, lo + 30 * dayMs);
    strip.setAttribute('aria-label', 'control of the place over time');
    for (const i of intervals) {
      const a = parseDay(i.since);
      const b = i.until ? parseDay(i.until) + dayMs : hi;
      const seg = el('div', 'segment');
      seg.style.left = ((a - lo) / (hi - lo) * 100) + '%';
      seg.style.width = Math.max(0.8, (b - a) / (hi - lo) * 100) + '%';
      seg.style.backgroundColor = colourOf(i.side || i.controller || 'contested');
      if (i.claimed) seg.classList.add('claimed');
      if (i.contested) seg.classList.add('contested');
      const who = i.controller || (i.contested ? 'contested' : 'unknown');
      seg.title = who + (i.side ? ' (' + i.side + ')' : '') + ' from ' + humanDay(i.since) + (i.until ? ' to ' + humanDay(i.until) : '');
      seg.dataset.side = i.side || '';
      seg.dataset.since = i.since || '';
      strip.appendChild(seg);
      const li = el('li');
      const swatch = el('span', 'swatch');
      swatch.style.backgroundColor = seg.style.backgroundColor;
      li.appendChild(swatch);
      const coalition = (i.coalition || []).filter((c) => c !== who);
      li.appendChild(el('strong', null, (i.side ? i.side + ': ' : '') + who));
      if (coalition.length) li.appendChild(el('span', 'meta', ' with ' + coalition.join(', ')));
      li.appendChild(document.createTextNode(' from ' + humanDay(i.since) + (i.until ? ' to ' + humanDay(i.until) : '')));
      const marks = [i.claimed && 'claimed', i.contested && 'contested'].filter(Boolean);
      if (marks.length) li.appendChild(el('span', 'mark-' + marks[0], ' (' + marks.join(', ') + ')'));
      for (const id of i.eventIds || []) {
        const b = el('button', 'linkish cite', '·');
        b.type = 'button';
        b.title = 'the event';
        b.dataset.eventId = id;
        b.addEventListener('click', () => select(id, 'place'));
        li.appendChild(b);
      }
      list.appendChild(li);
    }
  }

  // ---- filters, loading, rendering ----------------------------------------------------------
  function fillKinds() {
    const s = $('f-kind');
    for (const k of KINDS) {
      const o = el('option', null, k.toLowerCase());
      o.value = k.toLowerCase();
      s.appendChild(o);
    }
  }

  // the kinds on view, in the timeline's colours
  function drawLegend() {
    const ul = $('legend-kinds');
    ul.replaceChildren();
    for (const k of KINDS) {
      const n = events.filter((e) => kindName(e.kind) === k).length;
      if (!n) continue;
      const li = el('li');
      li.appendChild(el('span', 'dot kind-' + k.toLowerCase()));
      li.appendChild(document.createTextNode(k.toLowerCase() + ' ' + n));
      ul.appendChild(li);
    }
  }

  function noteActors() {
    for (const e of events) {
      for (const a of e.actors || []) {
        if (!a.id) continue;
        const seen = actorsSeen.get(a.id) || { name: a.name || a.mention, sides: new Set() };
        if (a.side) seen.sides.add(a.side);
        actorsSeen.set(a.id, seen);
      }
    }
    const s = $('f-actor');
    const keep = state.filters.actor;
    s.replaceChildren(el('option', null, 'any'));
    s.firstChild.value = '';
    const sorted = [...actorsSeen.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
    for (const [id, a] of sorted) {
      const o = el('option', null, a.name + (a.sides.size ? ' (' + [...a.sides].join(', ') + ')' : ''));
      o.value = id;
      s.appendChild(o);
    }
    if (keep && !actorsSeen.has(keep)) {
      const o = el('option', null, keep);
      o.value = keep;
      s.appendChild(o);
    }
    s.value = keep;
    const names = new Set();
    for (const e of events) for (const p of e.places || []) if (p.name) names.add(p.name);
    const dl = $('place-names');
    dl.replaceChildren();
    for (const n of [...names].sort()) { const o = el('option'); o.value = n; dl.appendChild(o); }
  }

  function showFilters() {
    $('f-kind').value = state.filters.kind.toLowerCase();
    $('f-actor').value = state.filters.actor;
    $('f-place').value = state.filters.place;
    $('f-from').value = state.filters.from;
    $('f-to').value = state.filters.to;
    $('f-document').hidden = !state.filters.document;
    $('f-document-id').textContent = state.filters.document;
    const q = filterQuery();
    for (const a of document.querySelectorAll('#exports a[data-format]')) {
      q.set('format', a.dataset.format);
      a.href = '/api/v1/export?' + q.toString();
    }
  }

  function filterQuery() {
    const q = new URLSearchParams();
    for (const f of FILTERS) if (state.filters[f]) q.set(f, state.filters[f]);
    return q;
  }

  function setFilters(changes) {
    Object.assign(state.filters, changes);
    reload();
  }

  let generation = 0;
  async function reload() {
    const mine = ++generation;
    document.body.dataset.state = 'loading';
    writeUrl();
    showFilters();
    showMessage('');
    const q = filterQuery();
    q.set('page_size', String(PAGE));
    const out = [];
    let token = '';
    try {
      do {
        if (token) q.set('page_token', token);
        const page = await api('/api/v1/events?' + q.toString());
        if (mine !== generation) return;
        for (const e of page.events || []) out.push(e);
        token = page.nextPageToken || '';
      } while (token && out.length < MAX_EVENTS);
    } catch (err) {
      if (mine !== generation) return;
      showMessage('Could not load events: ' + err.message);
    }
    if (mine !== generation) return;
    events = out;
    truncated = !!token;
    byId = new Map(events.map((e) => [e.id, e]));
    noteActors();
    drawLegend();
    // the timeline first: its height settles the map's, which the map must know before fitting
    drawTimeline();
    map.invalidateSize();
    const shown = drawMap();
    const unplaced = events.length - shown;
    $('count').textContent = events.length + (truncated ? '+' : '') + ' events' +
      (unplaced ? ' · ' + unplaced + ' without coordinates (on the timeline only)' : '') +
      (truncated ? ' · only the first ' + events.length + ': narrow the filters' : '');
    if (state.event && byId.has(state.event)) select(state.event, 'url');
    else if (state.event) { state.event = ''; writeUrl(); }
    document.body.dataset.state = 'ready';
    document.body.dataset.generation = String(mine);
  }

  function wireForms() {
    const form = $('filters');
    form.addEventListener('submit', (ev) => ev.preventDefault());
    $('f-kind').addEventListener('change', (ev) => setFilters({ kind: ev.target.value }));
    $('f-actor').addEventListener('change', (ev) => setFilters({ actor: ev.target.value }));
    $('f-place').addEventListener('change', (ev) => setFilters({ place: ev.target.value.trim() }));
    $('f-from').addEventListener('change', (ev) => setFilters({ from: ev.target.value }));
    $('f-to').addEventListener('change', (ev) => setFilters({ to: ev.target.value }));
    $('f-document-clear').addEventListener('click', () => setFilters({ document: '' }));
    $('f-clear').addEventListener('click', () => {
      for (const f of FILTERS) state.filters[f] = '';
      reload();
    });
    $('ev-close').addEventListener('click', () => { $('event-panel').hidden = true; state.event = ''; writeUrl(); markSelectedOnMap(); });
    $('pl-close').addEventListener('click', () => { $('place-panel').hidden = true; state.placeView = ''; writeUrl(); });
    $('paste').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const out = $('p-result');
      const button = $('p-submit');
      button.disabled = true;
      out.dataset.state = 'working';
      out.textContent = 'Reading the document…';
      const body = { text: $('p-text').value, title: $('p-title').value.trim() };
      if ($('p-published').value) body.published = $('p-published').value;
      if ($('p-source').value.trim()) body.sourceUrl = $('p-source').value.trim();
      try {
        const r = (await api('/api/v1/ingest', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
        })).result || {};
        out.dataset.documentId = r.documentId;
        out.textContent = (r.eventCount || 0) + ' events from document ' + r.documentId + (r.duplicate ? ' (already ingested)' : '');
        out.dataset.state = 'done';
        const filters = {};
        for (const f of FILTERS) filters[f] = '';
        filters.document = r.documentId;
        fitted = false;
        setFilters(filters);
      } catch (err) {
        out.dataset.state = 'failed';
        out.textContent = 'Not ingested: ' + err.message;
      } finally {
        button.disabled = false;
      }
    });
    // with a token, an export is fetched with it and saved; without, the link works as it is
    for (const a of document.querySelectorAll('#exports a, #pl-export')) {
      a.addEventListener('click', async (ev) => {
        if (!sessionStorage.getItem('sitrep-token')) return;
        ev.preventDefault();
        try {
          const r = await fetch(a.href, { headers: authHeaders() });
          if (!r.ok) throw new Error((await r.json()).message || r.status);
          const blob = await r.blob();
          const link = el('a');
          link.href = URL.createObjectURL(blob);
          const cd = r.headers.get('content-disposition') || '';
          link.download = (/filename="([^"]+)"/.exec(cd) || [])[1] || 'sitrep-export';
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        } catch (err) {
          showMessage('Export failed: ' + err.message);
        }
      });
    }
    window.addEventListener('hashchange', () => {
      const before = JSON.stringify(state.filters);
      readUrl();
      if (JSON.stringify(state.filters) !== before) reload();
      else if (state.event) select(state.event, 'url');
      if (state.placeView) openPlace(state.placeView);
    });
    let resize = null;
    window.addEventListener('resize', () => { clearTimeout(resize); resize = setTimeout(drawTimeline, 150); });
  }

  function start() {
    readUrl();
    fillKinds();
    initMap();
    if (state.view) {
      const [lat, lon, z] = state.view.split(',').map(Number);
      if (isFinite(lat) && isFinite(lon) && isFinite(z)) {
        map.setView([lat, lon], z);
        fitted = true;
      }
    }
    wireForms();
    reload();
    if (state.placeView) openPlace(state.placeView);
  }

  document.addEventListener('DOMContentLoaded', start);
})();

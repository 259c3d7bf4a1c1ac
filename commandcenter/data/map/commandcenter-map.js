/* The command center's map page: service points clustered by status, alerts that
 * pulse, filters, county choropleth and heat layers. The page is built once by
 * folium (ui/map_page.py); after that Python only calls window.ccmap.* with data by
 * id, and the page answers through the QWebChannel object "bridge". Nothing here
 * fetches anything: the data comes from Python, the assets from ccmap://app/.
 *
 * A point row is [id, lat, lng, type, level, county, status, name], already in the
 * coordinate system of the base layer in use.
 *
 * Names, titles and ids come from the data center: they are text wherever they are
 * shown (textOf), never markup, and they are keys of maps without a prototype.
 */
(function () {
  "use strict";

  var STATUS_COLOURS = {online: "#3fb950", offline: "#8b949e", maintenance: "#d29922", alarm: "#f85149"};
  var UNKNOWN_COLOUR = "#a371f7";
  var SEVERITY_COLOURS = {1: "#f85149", 2: "#db6d28", 3: "#d29922", 4: "#58a6ff"};

  var map = null, counties = null, clusters = null, alertLayer = null, heat = null;
  var markers = dict();      // id -> L.Marker (whether shown or filtered out)
  var shown = dict();        // id -> true when in the cluster group
  var filter = {types: null, levels: null, counties: null};
  var glyphs = dict();       // type -> a short glyph for its icon
  var icons = dict();        // "type|status" -> L.DivIcon, shared
  var bridge = null;
  var choropleth = null;     // {values: {adcode: number}, colours: [...], breaks: [...]}
  var countyLabels = [];
  var moving = false;        // a pan, zoom or fly-to under way
  var resizedWhileMoving = false;  // the view changed size during a move: centre again after it
  var focused = null;        // the marker last flown to: kept in view until the operator moves the map
  var focusZoom = null;      // the zoom it was asked for at
  var focusTip = null;       // its name above it
  var nameLayer = null;      // the names written beside the points at street level
  var whereControl = null;   // the county the view's centre lies in, named when its label is out of sight
  var NAMES_FROM_ZOOM = 15;  // street level: every point stands alone (disableClusteringAtZoom)
  var MOST_NAMES = 400;      // names written at once: a crowded view stays readable and quick
  var WHERE_FROM_ZOOM = 11;  // closer than this a county's own label is mostly out of sight

  function dict() { return Object.create(null); }

  function textOf(value) {
    /* an element showing `value` as text: what Leaflet is given for tooltips and labels
       (a string it would parse as HTML) */
    var span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    return span;
  }

  function escapeHtml(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function icon(type, status) {
    var key = type + "|" + status;
    var made = icons[key];
    if (!made) {
      made = L.divIcon({
        className: "cc-pt cc-s-" + String(status).replace(/[^A-Za-z0-9_-]/g, "_"),
        // a string, not an element: one icon is shared by every marker of its kind
        html: "<span>" + escapeHtml(glyphs[type] || "•") + "</span>",
        iconSize: [20, 20], iconAnchor: [10, 10]
      });
      icons[key] = made;
    }
    return made;
  }

  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var alarm = 0, offline = 0, n = children.length;
    for (var i = 0; i < n; i++) {
      var s = children[i].options.ccStatus;
      if (s === "alarm") alarm++;
      else if (s === "offline") offline++;
    }
    var a = 100 * alarm / n, o = 100 * (alarm + offline) / n;
    var ring = "conic-gradient(" + STATUS_COLOURS.alarm + " 0 " + a + "%, " + STATUS_COLOURS.offline + " " + a +
      "% " + o + "%, " + STATUS_COLOURS.online + " " + o + "% 100%)";
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
    var title = n + " · " + alarm + " alarm · " + offline + " offline";
    return L.divIcon({
      className: "cc-cluster" + (alarm ? " cc-cluster-alarm" : ""),
      html: '<div class="cc-ring" style="background:' + ring + '" title="' + title + '"><span>' + n + "</span></div>",
      iconSize: [size, size]
    });
  }

  function passes(row) {
    return (!filter.types || filter.types.indexOf(row[3]) >= 0) &&
      (!filter.levels || filter.levels.indexOf(row[4]) >= 0) &&
      (!filter.counties || filter.counties.indexOf(row[5]) >= 0);
  }

  function makeMarker(row) {
    // no tooltip or handler of its own: the cluster group handles them for all its
    // markers (30,000 of each would cost seconds to make)
    var marker = L.marker([row[1], row[2]], {icon: icon(row[3], row[6]), ccStatus: row[6], ccRow: row, keyboard: false});
    marker.on("add", makeDraggable);
    return marker;
  }

  function makeDraggable() {
    // a point on screen can be dragged out of the page onto a video tile
    if (this._icon) {
      this._icon.setAttribute("draggable", "true");
      this._icon.dataset.point = this.options.ccRow[0];
      // a press on a point starts dragging the point, not panning the map (whose
      // drag would cancel every dragstart on the page)
      L.DomEvent.on(this._icon, "mousedown", L.DomEvent.stopPropagation);
    }
  }

  document.addEventListener("dragstart", function (e) {
    var id = e.target && e.target.dataset ? e.target.dataset.point : null;
    if (!id) return;
    e.dataTransfer.setData("text/plain", "commandcenter-point:" + id);
    e.dataTransfer.effectAllowed = "copy";
  });

  var hoverTip = null;

  function onPointClick(e) {
    if (bridge && e.layer.options.ccRow) bridge.pointClicked(e.layer.options.ccRow[0]);
  }

  function pointEvents(group) {
    group.on("click", onPointClick);
    group.on("mouseover", function (e) {
      if (!e.layer.options.ccRow) return;
      hoverTip = L.tooltip({direction: "top", offset: [0, -8]}).setLatLng(e.layer.getLatLng())
        .setContent(textOf(e.layer.options.ccRow[7])).addTo(map);
    });
    group.on("mouseout", function () {
      if (hoverTip) { hoverTip.remove(); hoverTip = null; }
    });
  }

  function apply(rows) {
    /* Adds or changes points in place; returns {added, changed} counts. */
    var toAdd = [], toRemove = [], refresh = [], added = 0, changed = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], id = row[0], marker = markers[id];
      if (!marker) {
        marker = makeMarker(row);
        markers[id] = marker;
        added++;
      } else {
        var old = marker.options.ccRow;
        marker.options.ccRow = row;
        if (marker._icon) marker._icon.dataset.point = row[0];
        if (old[1] !== row[1] || old[2] !== row[2]) marker.setLatLng([row[1], row[2]]);
        if (old[3] !== row[3] || old[6] !== row[6]) {
          marker.options.ccStatus = row[6];
          marker.setIcon(icon(row[3], row[6]));
          makeDraggable.call(marker);  // setIcon made a new element
          if (shown[id]) refresh.push(marker);
        }
        changed++;
      }
      var want = passes(row);
      if (want && !shown[id]) { toAdd.push(marker); shown[id] = true; }
      else if (!want && shown[id]) { toRemove.push(marker); delete shown[id]; }
    }
    if (toRemove.length) clusters.removeLayers(toRemove);
    if (toAdd.length) { adding = true; clusters.addLayers(toAdd); }
    if (refresh.length) clusters.refreshClusters(refresh);
    return {added: added, changed: changed};
  }

  function remove(ids) {
    var gone = [];
    for (var i = 0; i < ids.length; i++) {
      var marker = markers[ids[i]];
      if (!marker) continue;
      if (marker === focused) {
        // the point flown to is gone (deleted, or outside another person's county): so
        // is the name shown above it, and nothing is kept in view for it
        focused = null;
        if (focusTip) { focusTip.remove(); focusTip = null; }
      }
      if (shown[ids[i]]) gone.push(marker);
      delete markers[ids[i]];
      delete shown[ids[i]];
    }
    if (gone.length) clusters.removeLayers(gone);
    return gone.length;
  }

  function styleCounty(feature) {
    var base = {color: "#58a6ff", weight: 1.5, opacity: 0.9, fillColor: "#1f6feb", fillOpacity: 0.06};
    if (!choropleth) return base;
    var value = choropleth.values[feature.properties.adcode];
    if (value === undefined || value === null) return base;
    var k = 0;
    while (k < choropleth.breaks.length && value > choropleth.breaks[k]) k++;
    base.fillColor = choropleth.colours[Math.min(k, choropleth.colours.length - 1)];
    base.fillOpacity = 0.55;
    return base;
  }

  var legend = null, legendHtml = "";
  var adding = false;        // the cluster group is still adding markers in chunks
  var whenAdded = [];        // what waits for the adding to end

  var LEGEND_ROOM = {x: 480, y: 360};  // below this the legend folds to its title

  function foldLegend() {
    /* a small map (a 1366x768 desk, a card open under it) keeps its ground: the legend
       folds to its title, which opens it with a click, and unfolds when the map grows */
    var all = legend && legend.getContainer() &&
      legend.getContainer().querySelector("details.cc-legend-all");
    if (!all) return;
    var size = map.getSize();
    all.open = size.x >= LEGEND_ROOM.x && size.y >= LEGEND_ROOM.y;
  }

  function showLegend(html) {
    if (legend) legend.remove();
    legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "cc-legend");
      div.innerHTML = html;
      return div;
    };
    legend.addTo(map);
    foldLegend();
  }

  function keepFocusedInView() {
    /* the point flown to stays in the middle of the view when the view changes size (a
       card opening beside the map narrows it); one asked for while the view had no size
       (a panel not yet laid out) is flown to once it has one */
    if (!focused) return;
    if (moving) { resizedWhileMoving = true; return; }
    if (focused._map) map.panTo(focused.getLatLng(), {animate: false});
    else window.ccmap.focusPoint(focused.options.ccRow[0], focusZoom);
  }

  function inRing(lat, lng, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.lat > lat) !== (b.lat > lat) &&
          lng < (b.lng - a.lng) * (lat - a.lat) / (b.lat - a.lat) + a.lng) inside = !inside;
    }
    return inside;
  }

  function inPolygons(latlng, latlngs) {
    /* Leaflet's nesting of a (multi)polygon's rings: [[ring, hole…]…] or [ring, hole…] */
    if (!latlngs.length) return false;
    if (latlngs[0] instanceof L.LatLng) return inRing(latlng.lat, latlng.lng, latlngs);
    if (latlngs[0].length && latlngs[0][0] instanceof L.LatLng) {
      if (!inRing(latlng.lat, latlng.lng, latlngs[0])) return false;
      for (var h = 1; h < latlngs.length; h++) if (inRing(latlng.lat, latlng.lng, latlngs[h])) return false;
      return true;
    }
    for (var k = 0; k < latlngs.length; k++) if (inPolygons(latlng, latlngs[k])) return true;
    return false;
  }

  function countyAt(latlng) {
    var name = null;
    if (!counties) return null;
    counties.eachLayer(function (layer) {
      if (name === null && layer.feature && layer.getBounds().contains(latlng) &&
          inPolygons(latlng, layer.getLatLngs())) name = layer.feature.properties.name;
    });
    return name;
  }

  function showWhere() {
    /* the county the view is in, named at the top of the map once its own label is far off */
    if (!whereControl) return;
    var name = map.getZoom() >= WHERE_FROM_ZOOM ? countyAt(map.getCenter()) : null;
    var div = whereControl.getContainer();
    div.textContent = name || "";
    div.style.display = name ? "" : "none";
  }

  function writeNames() {
    /* at street level each point's name beside it, for the points in view */
    nameLayer.clearLayers();
    if (map.getZoom() < NAMES_FROM_ZOOM) return;
    var bounds = map.getBounds(), written = 0, taken = [];
    var ids = Object.keys(shown);
    if (focused && shown[focused.options.ccRow[0]]) ids.unshift(focused.options.ccRow[0]);  // its name first (again later: overlaps itself, skipped)
    for (var n = 0; n < ids.length; n++) {
      var id = ids[n], marker = markers[id];
      if (!bounds.contains(marker.getLatLng())) continue;
      // a name that would lie over one already written is left to the point's tooltip
      var at = map.latLngToContainerPoint(marker.getLatLng());
      var box = [at.x + 12, at.y - 9, at.x + 14 + 13 * String(marker.options.ccRow[7]).length, at.y + 9];
      if (taken.some(function (t) { return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]; })) continue;
      taken.push(box);
      L.marker(marker.getLatLng(), {
        icon: L.divIcon({className: "cc-pt-name", html: textOf(marker.options.ccRow[7]), iconSize: null, iconAnchor: [-12, 9]}),
        interactive: false, keyboard: false
      }).addTo(nameLayer);
      if (++written >= MOST_NAMES) break;
    }
  }

  window.ccmap = {
    init: function (mapObject, countiesLayer, options) {
      map = mapObject;
      map.on("movestart zoomstart", function () { moving = true; });
      map.on("moveend", function () {
        moving = false;
        if (resizedWhileMoving) { resizedWhileMoving = false; keepFocusedInView(); }
        showWhere();
        writeNames();
      });
      map.on("resize", keepFocusedInView);
      map.on("resize", foldLegend);
      // the operator takes the map in hand: the point flown to is no longer held in view
      ["mousedown", "wheel", "keydown", "touchstart"].forEach(function (kind) {
        map.getContainer().addEventListener(kind, function () { focused = null; }, {passive: true});
      });
      L.control.scale({imperial: false, metric: true, maxWidth: 120}).addTo(map);
      whereControl = L.control({position: "topright"});
      whereControl.onAdd = function () { return L.DomUtil.create("div", "cc-where"); };
      whereControl.addTo(map);
      nameLayer = L.layerGroup().addTo(map);
      counties = countiesLayer;
      glyphs = Object.assign(dict(), options.glyphs || {});
      if (!map.options.maxZoom) map.setMaxZoom(options.maxZoom || 18);  // clustering needs it; no tiles set it
      clusters = L.markerClusterGroup({
        chunkedLoading: true, chunkInterval: 1000, chunkDelay: 5,
        chunkProgress: function (processed, total) {
          adding = processed < total;
          while (!adding && whenAdded.length) whenAdded.shift()();
        },
        showCoverageOnHover: false, maxClusterRadius: 50, iconCreateFunction: clusterIcon,
        // from street level every point stands alone: no cluster tree to build for the
        // closest zoom levels (each level costs the same to build, a sixth of the load)
        disableClusteringAtZoom: 15
      });
      map.addLayer(clusters);
      pointEvents(clusters);
      alertLayer = L.layerGroup().addTo(map);
      if (counties) counties.setStyle(styleCounty);
      countyLabels = options.countyLabels || [];
      for (var i = 0; i < countyLabels.length; i++) {
        var c = countyLabels[i];
        L.marker([c[1], c[2]], {
          icon: L.divIcon({className: "cc-county-label", html: textOf(c[0]), iconSize: [90, 18], iconAnchor: [45, 9]}),
          interactive: false, keyboard: false
        }).addTo(map);
      }
      if (options.attribution) map.attributionControl.addAttribution(options.attribution);
      legendHtml = options.legend || "";
      if (legendHtml) showLegend(legendHtml);
      if (typeof QWebChannel !== "undefined" && window.qt && qt.webChannelTransport) {
        new QWebChannel(qt.webChannelTransport, function (channel) {
          bridge = channel.objects.bridge;
          bridge.pageReady();
        });
      }
    },
    setPoints: function (rows) {
      /* Replaces every point: the first load, or after the data center was changed. */
      clusters.clearLayers();
      markers = dict();
      shown = dict();
      return apply(rows);
    },
    update: function (change) {
      var t0 = performance.now();
      var result = apply(change.upsert || []);
      result.removed = remove(change.remove || []);
      result.ms = Math.round(performance.now() - t0);
      window.ccmap.lastUpdate = result;
      return result;
    },
    setFilter: function (next) {
      filter = {types: next.types || null, levels: next.levels || null, counties: next.counties || null};
      var toAdd = [], toRemove = [];
      for (var id in markers) {
        var marker = markers[id], want = passes(marker.options.ccRow);
        if (want && !shown[id]) { toAdd.push(marker); shown[id] = true; }
        else if (!want && shown[id]) { toRemove.push(marker); delete shown[id]; }
      }
      if (toRemove.length) clusters.removeLayers(toRemove);
      if (toAdd.length) clusters.addLayers(toAdd);
      return Object.keys(shown).length;
    },
    setAlerts: function (rows) {
      /* rows: [pointId, lat, lng, severity, title]; the worst open alert of each place. */
      alertLayer.clearLayers();
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var m = L.marker([r[1], r[2]], {
          icon: L.divIcon({className: "cc-alert cc-sev-" + Number(r[3]), html: "<div></div>", iconSize: [34, 34]}),
          zIndexOffset: 1000, keyboard: false
        });
        m.bindTooltip(textOf(r[4]), {direction: "top", offset: [0, -14]});
        (function (id) { m.on("click", function () { if (bridge) bridge.pointClicked(id); }); })(r[0]);
        alertLayer.addLayer(m);
      }
      return rows.length;
    },
    flyTo: function (lat, lng, zoom) {
      map.flyTo([lat, lng], zoom || Math.max(map.getZoom(), 15), {duration: 0.8});
    },
    focusPoint: function (id, zoom) {
      var marker = markers[id];
      if (!marker) return false;
      if (adding) {
        // a marker still being added has no cluster to be shown from yet
        whenAdded.push(function () { window.ccmap.focusPoint(id, zoom); });
        return true;
      }
      focused = marker;
      focusZoom = zoom;
      var size = map.getSize();
      if (!size.x || !size.y) return true;  // flown to on the first resize (keepFocusedInView)
      if (shown[id]) {
        clusters.zoomToShowLayer(marker, function () {
          // in the middle of the view, clear of its edges (and of the card beside it)
          map.panTo(marker.getLatLng());
          if (focusTip) focusTip.remove();  // one point named as the one flown to, the last
          focusTip = L.tooltip({direction: "top", offset: [0, -8]}).setLatLng(marker.getLatLng())
            .setContent(textOf(marker.options.ccRow[7])).addTo(map);
        });
      } else {
        map.flyTo(marker.getLatLng(), zoom || 15, {duration: 0.8});
      }
      return true;
    },
    setChoropleth: function (spec) {
      choropleth = spec;
      if (counties) counties.setStyle(styleCounty);
      showLegend(spec ? spec.legend : (legendHtml || ""));
    },
    setHeat: function (rows, options) {
      if (heat) { map.removeLayer(heat); heat = null; }
      if (rows && rows.length) {
        heat = L.heatLayer(rows, options || {
          radius: 30, blur: 24, maxZoom: 11, max: 1.0, minOpacity: 0.35,
          gradient: {0.2: "#1f6feb", 0.5: "#d29922", 0.8: "#f85149", 1.0: "#ffffff"}
        }).addTo(map);
      }
      return rows ? rows.length : 0;
    },
    // read back, for tests and for the panel's own counts
    count: function () { return {total: Object.keys(markers).length, shown: Object.keys(shown).length}; },
    pointStatus: function (id) { var m = markers[id]; return m ? m.options.ccStatus : null; },
    pointPosition: function (id) { var m = markers[id]; return m ? [m.getLatLng().lat, m.getLatLng().lng] : null; },
    iconStatuses: function (ids) {
      var out = {};
      for (var i = 0; i < ids.length; i++) {
        var m = markers[ids[i]];
        out[ids[i]] = m ? m.options.icon.options.className : null;
      }
      return out;
    },
    alertCount: function () { return alertLayer.getLayers().length; },
    heatPoints: function () { return heat ? heat._latlngs.length : 0; },
    dragText: function (id) {
      /* what dragging the point's icon carries, if it is drawn and draggable */
      var m = markers[id];
      return m && m._icon && m._icon.getAttribute("draggable") === "true" ? "commandcenter-point:" + m._icon.dataset.point : null;
    },
    screenPosition: function (id) {
      /* where the point's own icon is on screen, if it is drawn (not inside a cluster) */
      var m = markers[id];
      if (!m || !m._icon) return null;
      var p = map.latLngToContainerPoint(m.getLatLng());
      return [Math.round(p.x), Math.round(p.y)];
    },
    scaleText: function () {
      var lines = document.querySelectorAll(".leaflet-control-scale-line");
      return Array.prototype.map.call(lines, function (line) { return line.textContent; });
    },
    centre: function () { var c = map.getCenter(); return [c.lat, c.lng]; },
    whereText: function () { return whereControl ? whereControl.getContainer().textContent : null; },
    namesWritten: function () {
      return nameLayer.getLayers().map(function (m) { return m.getElement() ? m.getElement().textContent : ""; });
    },
    lastUpdate: null,
    busy: function () { return adding; },
    moving: function () { return moving; },
    clickPoint: function (id) {
      /* the same as a click on the point's marker (tests; keyboard navigation) */
      var m = markers[id];
      // a marker inside a cluster is not on the map and has no one to tell: the same
      // handler as a real click, directly
      if (m) onPointClick({layer: m});
      return !!m;
    }
  };
})();

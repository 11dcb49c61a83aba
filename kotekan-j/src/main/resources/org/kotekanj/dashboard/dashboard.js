// kotekan-j dashboard: one server-sent event per second (/dashboard/events) carries /status, the /metrics text,
// /baseband and /baseband/ring; rates are differences of consecutive snapshots. The numbers shown are the values
// of /metrics, unconverted, so what the page says is what Prometheus scrapes.
"use strict";
const HISTORY = 300;                    // seconds of the loss heatmap
const $ = id => document.getElementById(id);
let previous = null;                    // {time, samples}
const lossHistory = [];                 // per second: {stream: lost samples per second}
let lastIntegrations = -1;
let visFreqs = null;

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({name: m[1], labels, value: Number(m[4])});
  }
  return samples;
}

const select = (samples, name, filter) => samples.filter(s => s.name === name && (!filter || filter(s.labels)));
const sum = list => list.reduce((a, s) => a + s.value, 0);
const key = s => JSON.stringify(s.labels);

function rate(samples, name, filter, dt) {
  if (!previous || dt <= 0) return null;
  const before = new Map(select(previous.samples, name, filter).map(s => [key(s), s.value]));
  let total = 0;
  for (const s of select(samples, name, filter)) total += s.value - (before.get(key(s)) ?? s.value);
  return total / dt;
}

function fmt(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return digits === 0 ? String(Math.round(v)) : v.toFixed(digits);
}

function row(table, id, attribute, cells) {
  const body = $(table).tBodies[0];
  let tr = body.querySelector(`tr[${attribute}="${CSS.escape(id)}"]`);
  if (!tr) {
    tr = body.insertRow();
    tr.setAttribute(attribute, id);
    for (const c of cells) { const td = tr.insertCell(); td.className = c[0]; }
  }
  cells.forEach((c, i) => { if (tr.cells[i].textContent !== String(c[1])) tr.cells[i].textContent = c[1]; });
  return tr;
}

function showLinks(samples, dt) {
  const streams = select(samples, "kotekan_rx_packets_total");
  const lossNow = {};
  for (const s of streams) {
    const id = s.labels.stream, f = l => l.stream === id && l.stage_name === s.labels.stage_name;
    const lost = sum(select(samples, "kotekan_rx_lost_samples_total", f));
    const lostRate = rate(samples, "kotekan_rx_lost_samples_total", f, dt);
    const drops = sum(select(samples, "kotekan_rx_socket_drops_total", l => l.port === s.labels.port));
    row("links", id, "data-stream", [["stream", id], ["port", s.labels.port ?? ""], ["packets", fmt(s.value)],
      ["rate", fmt(rate(samples, "kotekan_rx_packets_total", f, dt))], ["lost", fmt(lost)],
      ["lossrate", fmt(lostRate, 1)], ["drops", fmt(drops)]]);
    lossNow[id] = lostRate ?? 0;
  }
  lossHistory.push(lossNow);
  while (lossHistory.length > HISTORY) lossHistory.shift();
  drawLossMap(streams.map(s => s.labels.stream));
}

function drawLossMap(streams) {
  const canvas = $("lossmap"), g = canvas.getContext("2d");
  const freqsPerStream = 4;             // one row per (link, frequency) of the link's packets
  const rows = Math.max(1, streams.length * freqsPerStream);
  const w = canvas.width / HISTORY, h = canvas.height / rows;
  const max = Math.max(1, ...lossHistory.flatMap(e => Object.values(e)));
  g.fillStyle = "#000"; g.fillRect(0, 0, canvas.width, canvas.height);
  lossHistory.forEach((entry, t) => streams.forEach((s, i) => {
    const v = entry[s] ?? 0;
    if (v <= 0) return;
    g.fillStyle = `rgb(255,${Math.round(200 * (1 - v / max))},0)`;
    for (let f = 0; f < freqsPerStream; f++) g.fillRect((HISTORY - lossHistory.length + t) * w,
      (i * freqsPerStream + f) * h, Math.max(1, w), Math.max(1, h - 0.5));
  }));
}

function showBuffers(samples) {
  for (const s of select(samples, "kotekan_buffer_frames_full")) {
    const fill = select(samples, "kotekan_buffer_fill_ratio", l => l.buffer === s.labels.buffer);
    row("buffers", s.labels.buffer, "data-buffer", [["buffer", s.labels.buffer], ["full", fmt(s.value)],
      ["fill", fill.length ? fmt(100 * fill[0].value, 1) + " %" : "-"]]);
  }
  for (const s of select(samples, "kotekan_rx_idle_ratio")) {
    row("idle", s.labels.stage_name, "data-stage", [["stage", s.labels.stage_name], ["idle", fmt(s.value, 3)]]);
  }
}

function meanSeconds(samples, name) {
  const total = sum(select(samples, name + "_sum")), count = sum(select(samples, name + "_count"));
  return count > 0 ? (1e3 * total / count).toFixed(3) + " ms" : "-";
}

function showCorrelator(samples) {
  const integrations = select(samples, "kotekan_corr_integrations_total");
  $("corr-integrations").textContent = integrations.length ? fmt(sum(integrations)) : "-";
  const lost = select(samples, "kotekan_corr_lost_samples_total");
  $("corr-lost").textContent = lost.length ? fmt(sum(lost)) : "-";
  $("corr-kernel").textContent = meanSeconds(samples, "kotekan_corr_kernel_seconds");
  $("corr-copy").textContent = meanSeconds(samples, "kotekan_corr_copy_seconds");
  const n = sum(integrations);
  if (integrations.length && n !== lastIntegrations) { lastIntegrations = n; loadVisibilities(); }
}

async function loadVisibilities() {
  const choice = $("vis-freq");
  const freq = choice.value === "" ? 0 : choice.value;
  const answer = await fetch(`/visibilities/latest?freq_id=${freq}`);
  const body = await answer.json();
  if (!answer.ok) {
    // The error names the correlator's frequencies: offer those.
    const m = /it has \[([0-9, ]*)\]/.exec(body.error ?? "");
    if (m && !visFreqs) { setFreqs(m[1].split(",").map(Number)); loadVisibilities(); }
    $("vis-info").textContent = body.error ?? "";
    return;
  }
  if (!visFreqs) setFreqs([body.freq_id]);
  $("vis-info").textContent = `freq_id ${body.freq_id}, sample ${body.first_sample}, ${body.samples} samples, ` +
    `${body.lost_samples} lost`;
  drawMatrix(body);
}

function setFreqs(list) {
  visFreqs = list;
  const choice = $("vis-freq"), keep = choice.value;
  choice.replaceChildren(...list.map(f => new Option(String(f), String(f))));
  if (list.map(String).includes(keep)) choice.value = keep;
}

function drawMatrix(body) {
  const n = body.num_inputs, amp = new Float64Array(n * n), phase = new Float64Array(n * n);
  let p = 0, max = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++, p++) {  // product order: i <= j, row by row
    const a = Math.hypot(body.re[p], body.im[p]), ph = Math.atan2(body.im[p], body.re[p]);
    amp[i * n + j] = amp[j * n + i] = a; phase[i * n + j] = ph; phase[j * n + i] = -ph;
    if (a > max) max = a;
  }
  paint($("vis-amp"), n, k => { const v = max > 0 ? Math.log1p(amp[k]) / Math.log1p(max) : 0;
    return [255 * v, 255 * v * v, 80 * (1 - v)]; });
  paint($("vis-phase"), n, k => { const h = (phase[k] + Math.PI) / (2 * Math.PI);
    return [255 * Math.abs(Math.sin(Math.PI * h)), 255 * Math.abs(Math.sin(Math.PI * (h + 1 / 3))),
      255 * Math.abs(Math.sin(Math.PI * (h + 2 / 3)))]; });
}

function paint(canvas, n, color) {
  const g = canvas.getContext("2d"), image = g.createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const [r, gr, b] = color(k);
    image.data.set([r, gr, b, 255], 4 * k);
  }
  const scratch = document.createElement("canvas");
  scratch.width = n; scratch.height = n; scratch.getContext("2d").putImageData(image, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

function showBaseband(samples, ring, events) {
  if (ring && ring.span_seconds !== undefined) {
    $("ring-span").textContent = fmt(ring.span_seconds, 3);
    $("ring-capacity").textContent = fmt(ring.capacity_seconds, 3);
  }
  const until = select(samples, "kotekan_baseband_seconds_until_overwrite");
  if (until.length) $("ring-until").textContent = fmt(until[0].value, 3);
  if (!Array.isArray(events)) return;
  for (const e of events.slice(-20)) {
    const freqs = Object.entries(e.freqs ?? {}).map(([f, s]) => `${f}: ${s.status ?? s.predicted ?? ""}`).join(", ");
    const tr = row("events", String(e.event_id), "data-event", [["event", e.event_id], ["status", e.status],
      ["freqs", freqs], ["waterfall", ""]]);
    tr.cells[1].className = "status " + e.status;
    if (!tr.cells[3].firstChild && ["done", "partial"].includes(e.status)) {
      const img = new Image();
      img.className = "waterfall";
      img.alt = "waterfall of event " + e.event_id;
      img.onerror = () => img.remove();
      img.src = `/baseband/${e.event_id}/waterfall.png`;
      tr.cells[3].appendChild(img);
    }
  }
}

$("trigger").onclick = async () => {
  const ring = previous && previous.ring;
  if (!ring || ring.end_fpga === undefined) { $("trigger-result").textContent = "no baseband ring"; return; }
  const length = Math.floor(ring.samples_per_frame / 2);
  const body = {event_id: Date.now(), start_fpga: ring.end_fpga - 2 * length, duration_nano:
    Math.round(length * ring.delta_time * 1e9), dm: 0, dm_error: 0, file_path: "dashboard", source: "test"};
  const headers = {"Content-Type": "application/json"};
  if ($("token").value) headers.Authorization = "Bearer " + $("token").value;
  const answer = await fetch("/baseband", {method: "POST", headers, body: JSON.stringify(body)});
  const reply = await answer.json();
  $("trigger-result").textContent = answer.ok ? `event ${reply.event_id} accepted` : `${answer.status}: ${reply.error}`;
};

$("vis-freq").onchange = loadVisibilities;

function onSnapshot(snapshot) {
  const samples = parseMetrics(snapshot.metrics);
  const dt = previous ? (snapshot.time_ms - previous.time) / 1000 : 0;
  $("instance").textContent = snapshot.status.instance ?? "";
  $("state").textContent = snapshot.status.state ?? "idle";
  $("updated").textContent = new Date(snapshot.time_ms).toISOString().substring(11, 19) + " UTC";
  showLinks(samples, dt);
  showBuffers(samples);
  showCorrelator(samples);
  showBaseband(samples, snapshot.ring, snapshot.baseband);
  previous = {time: snapshot.time_ms, samples, ring: snapshot.ring};
  document.body.dataset.snapshots = String(Number(document.body.dataset.snapshots ?? 0) + 1);
}

const events = new EventSource("/dashboard/events");
events.addEventListener("snapshot", e => onSnapshot(JSON.parse(e.data)));
events.onerror = () => { $("state").textContent = "disconnected (retrying)"; };

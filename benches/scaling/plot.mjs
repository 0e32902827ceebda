// The scaling results (run.mjs) as one SVG of log-log panels: no dependencies, no network.

const W = 300;
const H = 210;
const PAD = { left: 52, right: 12, top: 28, bottom: 38 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c'];
const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const log = Math.log10;

function label(value) {
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(Number(value.toPrecision(3)));
}

/** Powers of ten within [low, high], plus 2× and 5× steps when there are few. */
function ticks(low, high) {
  const out = [];
  for (let e = Math.floor(log(low)); e <= Math.ceil(log(high)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= low * 0.999 && v <= high * 1.001) out.push(v);
    }
  }
  return out.length > 6 ? out.filter((v) => Number.isInteger(log(v))) : out;
}

function panel(x0, y0, { title, xLabel, yLabel, series }) {
  const points = series.flatMap((s) => s.points);
  const [xMin, xMax] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0]))];
  let [yMin, yMax] = [Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[1]))];
  yMin = 10 ** Math.floor(log(yMin));
  yMax = 10 ** Math.ceil(log(yMax));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const sx = (x) => x0 + PAD.left + ((log(x) - log(xMin)) / (log(xMax) - log(xMin) || 1)) * iw;
  const sy = (y) => y0 + PAD.top + ih - ((log(y) - log(yMin)) / (log(yMax) - log(yMin) || 1)) * ih;
  const parts = [`<text x="${x0 + W / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  parts.push(`<rect x="${x0 + PAD.left}" y="${y0 + PAD.top}" width="${iw}" height="${ih}" fill="none" stroke="#999"/>`);
  for (const x of points.map((p) => p[0]).filter((v, i, a) => a.indexOf(v) === i)) {
    parts.push(`<text x="${sx(x)}" y="${y0 + H - PAD.bottom + 14}" text-anchor="middle">${label(x)}</text>`);
  }
  for (const y of ticks(yMin, yMax)) {
    parts.push(`<line x1="${x0 + PAD.left}" x2="${x0 + W - PAD.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 + PAD.left - 4}" y="${sy(y) + 4}" text-anchor="end">${label(y)}</text>`);
  }
  parts.push(`<text x="${x0 + PAD.left + iw / 2}" y="${y0 + H - 6}" text-anchor="middle">${escape(xLabel)}</text>`);
  parts.push(`<text transform="translate(${x0 + 12},${y0 + PAD.top + ih / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of s.points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${color}"/>`);
    if (series.length > 1) {
      parts.push(`<text x="${x0 + PAD.left + 6}" y="${y0 + PAD.top + 14 + 13 * i}" fill="${color}">${escape(s.name)}</text>`);
    }
  });
  return parts.join('\n');
}

const MiB = 1024 * 1024;

/** The SVG text for the results of run.mjs. */
export function plot({ byFlags, byRules, bySegment, byContext, node, date }) {
  const panels = [
    { title: 'Load (verify + compile)', xLabel: 'flags', yLabel: 'ms', series: [{ name: 'Flags.load', points: byFlags.map((r) => [r.n, r.loadMs]) }] },
    { title: 'Evaluation vs flags', xLabel: 'flags', yLabel: 'ns per flag', series: [
      { name: 'isEnabled', points: byFlags.map((r) => [r.n, r.one]) },
      { name: 'evaluateAll ÷ flags', points: byFlags.map((r) => [r.n, r.allPerFlag]) }] },
    { title: 'Wasm memory, snapshot loaded', xLabel: 'flags', yLabel: 'MiB', series: [{ name: 'memory', points: byFlags.map((r) => [r.n, r.memoryBytes / MiB]) }] },
    { title: 'Load vs segment size', xLabel: 'segment keys', yLabel: 'ms', series: [{ name: 'Flags.load', points: bySegment.map((r) => [r.n, r.loadMs]) }] },
    { title: 'Segment lookup', xLabel: 'segment keys', yLabel: 'ns per flag', series: [{ name: 'isEnabled', points: bySegment.map((r) => [r.n, r.ns]) }] },
    { title: 'Rules per flag (all tried)', xLabel: 'rules', yLabel: 'ns per flag', series: [{ name: 'isEnabled', points: byRules.map((r) => [r.n, r.ns]) }] },
    { title: 'Context size', xLabel: 'extra attributes', yLabel: 'ns', series: [
      { name: 'context() + free()', points: byContext.map((r) => [r.n, r.prepare]) },
      { name: 'isEnabled', points: byContext.map((r) => [r.n, r.one]) }] },
  ];
  const columns = 4;
  const width = columns * W;
  const height = Math.ceil(panels.length / columns) * H + 24;
  const body = panels.map((p, i) => panel((i % columns) * W, Math.floor(i / columns) * H, p)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${body}
<text x="6" y="${height - 8}" fill="#555">darklaunch npm package (wasm) in Node ${escape(node)}, ${escape(date.slice(0, 10))}: medians; log-log axes (benches/scaling, make bench-scaling)</text>
</svg>
`;
}

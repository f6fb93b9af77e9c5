/**
 * The actor's activity as a picture for the alert thread: calls over time as
 * bars (denied calls in red on top), and one lane per source IP with a tick
 * per call, so a burst from a new address is visible at a glance.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

export interface TimelinePoint {
  time: number;
  lane: string;
  error: boolean;
}

export interface TimelineInput {
  title: string;
  since: Date;
  until: Date;
  points: TimelinePoint[];
  /** A moment to mark, e.g. when the finding was first seen. */
  marker?: Date;
}

const WIDTH = 960;
const LEFT = 170;
const RIGHT = 20;
const BARS_TOP = 44;
const BARS_HEIGHT = 90;
const LANE_HEIGHT = 22;
const MAX_LANES = 8;
const BUCKETS = 72;
const COLORS = { bg: '#ffffff', text: '#1d1c1d', grid: '#dddddd', ok: '#1264a3', error: '#e01e5a', marker: '#ecb22e' };

export function renderTimeline(input: TimelineInput): Buffer {
  const lanes = laneNames(input.points);
  const height = BARS_TOP + BARS_HEIGHT + 16 + lanes.length * LANE_HEIGHT + 34;
  const canvas = createCanvas(WIDTH, height);
  const g = canvas.getContext('2d');
  g.fillStyle = COLORS.bg;
  g.fillRect(0, 0, WIDTH, height);

  const x = scale(input);
  title(g, input);
  bars(g, input, x);
  lanesDraw(g, input, lanes, x);
  axis(g, input, x, height - 24);
  if (input.marker) markerLine(g, x(input.marker.getTime()), height - 24);
  return canvas.toBuffer('image/png');
}

function scale(input: TimelineInput): (t: number) => number {
  const start = input.since.getTime();
  const span = Math.max(1, input.until.getTime() - start);
  return (t) => LEFT + ((t - start) / span) * (WIDTH - LEFT - RIGHT);
}

/** The busiest source IPs get lanes; the rest share one. */
function laneNames(points: TimelinePoint[]): string[] {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.lane, (counts.get(p.lane) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]).map(([lane]) => lane);
  return sorted.length <= MAX_LANES ? sorted : [...sorted.slice(0, MAX_LANES - 1), 'other'];
}

function title(g: SKRSContext2D, input: TimelineInput): void {
  g.fillStyle = COLORS.text;
  g.font = 'bold 15px DejaVu Sans';
  g.fillText(input.title.slice(0, 110), 12, 22);
  g.font = '11px DejaVu Sans';
  const errors = input.points.filter((p) => p.error).length;
  g.fillText(`${input.points.length} calls, ${errors} denied/failed (red)`, 12, 38);
}

function bars(g: SKRSContext2D, input: TimelineInput, x: (t: number) => number): void {
  const start = input.since.getTime();
  const step = Math.max(1, (input.until.getTime() - start) / BUCKETS);
  const all = new Array<number>(BUCKETS).fill(0);
  const bad = new Array<number>(BUCKETS).fill(0);
  for (const p of input.points) {
    const i = Math.min(BUCKETS - 1, Math.max(0, Math.floor((p.time - start) / step)));
    all[i] = (all[i] ?? 0) + 1;
    if (p.error) bad[i] = (bad[i] ?? 0) + 1;
  }
  const peak = Math.max(1, ...all);
  const base = BARS_TOP + BARS_HEIGHT;
  const w = Math.max(1, x(start + step) - x(start) - 1);
  all.forEach((n, i) => {
    const left = x(start + i * step);
    const h = (n / peak) * BARS_HEIGHT;
    const e = ((bad[i] ?? 0) / peak) * BARS_HEIGHT;
    g.fillStyle = COLORS.ok;
    g.fillRect(left, base - h, w, h - e);
    g.fillStyle = COLORS.error;
    g.fillRect(left, base - h, w, e);
  });
  g.fillStyle = COLORS.text;
  g.font = '11px DejaVu Sans';
  g.fillText(`calls (peak ${peak})`, 12, BARS_TOP + 14);
}

function lanesDraw(g: SKRSContext2D, input: TimelineInput, lanes: string[], x: (t: number) => number): void {
  const top = BARS_TOP + BARS_HEIGHT + 16;
  lanes.forEach((lane, i) => {
    const y = top + i * LANE_HEIGHT;
    g.fillStyle = COLORS.grid;
    g.fillRect(LEFT, y + LANE_HEIGHT - 2, WIDTH - LEFT - RIGHT, 1);
    g.fillStyle = COLORS.text;
    g.font = '11px DejaVu Sans Mono';
    g.fillText(lane.slice(0, 24), 12, y + 14);
  });
  for (const p of input.points) {
    const index = lanes.indexOf(p.lane);
    const y = top + (index < 0 ? lanes.length - 1 : index) * LANE_HEIGHT;
    g.fillStyle = p.error ? COLORS.error : COLORS.ok;
    g.fillRect(Math.round(x(p.time)), y + 4, 2, LANE_HEIGHT - 9);
  }
}

function axis(g: SKRSContext2D, input: TimelineInput, x: (t: number) => number, y: number): void {
  g.fillStyle = COLORS.text;
  g.font = '11px DejaVu Sans';
  const start = input.since.getTime();
  const span = input.until.getTime() - start;
  for (let i = 0; i <= 6; i += 1) {
    const t = start + (span * i) / 6;
    const label = new Date(t).toISOString().slice(5, 16).replace('T', ' ');
    g.fillRect(x(t), y - 4, 1, 4);
    g.fillText(label, Math.min(x(t) - 30, WIDTH - 90), y + 12);
  }
  g.fillText('UTC', 12, y + 12);
}

function markerLine(g: SKRSContext2D, at: number, bottom: number): void {
  g.fillStyle = COLORS.marker;
  g.fillRect(at, BARS_TOP, 2, bottom - BARS_TOP - 4);
}

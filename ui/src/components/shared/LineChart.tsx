import { useMemo, useState, type MouseEvent } from 'react';

export interface LinePoint {
  /** x as a label (e.g. a date) */
  label: string;
  value: number;
}

export interface LineChartProps {
  points: LinePoint[];
  height?: number;
  formatValue: (v: number) => string;
  formatLabel?: (label: string) => string;
  label: string;
  /** Points beyond this are thinned (every nth kept, extremes preserved) to keep the SVG light. */
  maxPoints?: number;
}

/**
 * The chart's text alternative: what a sighted user reads off it (where it starts and ends, its
 * lowest and highest point), for screen readers and anyone who cannot see the line.
 */
function describe(
  label: string,
  data: LinePoint[],
  formatValue: (v: number) => string,
  formatLabel: (label: string) => string,
): string {
  const first = data[0];
  const last = data[data.length - 1];
  if (!first || !last) return `${label}: no points`;
  const low = data.reduce((a, b) => (b.value < a.value ? b : a));
  const high = data.reduce((a, b) => (b.value > a.value ? b : a));
  const at = (p: LinePoint) => `${formatValue(p.value)} on ${formatLabel(p.label)}`;
  return `${label}: from ${at(first)} to ${at(last)}; lowest ${at(low)}, highest ${at(high)}`;
}

const WIDTH = 800;
const PAD = { top: 12, right: 12, bottom: 22, left: 64 };

function thin(points: LinePoint[], max: number): LinePoint[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: LinePoint[] = [];
  for (let i = 0; i < max; i++) {
    const p = points[Math.floor(i * step)];
    if (p) out.push(p);
  }
  const last = points[points.length - 1];
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}

/** A plain-SVG line chart with a zero line and a hover read-out. */
export function LineChart({
  points,
  height = 180,
  formatValue,
  formatLabel = (l) => l,
  label,
  maxPoints = 600,
}: LineChartProps) {
  const data = useMemo(() => thin(points, maxPoints), [points, maxPoints]);
  const [hover, setHover] = useState<number | null>(null);

  const geometry = useMemo(() => {
    if (data.length === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const p of data) {
      min = Math.min(min, p.value);
      max = Math.max(max, p.value);
    }
    if (min === max) {
      min -= 1;
      max += 1;
    }
    const innerW = WIDTH - PAD.left - PAD.right;
    const innerH = height - PAD.top - PAD.bottom;
    const x = (i: number) => PAD.left + (data.length === 1 ? innerW / 2 : (i / (data.length - 1)) * innerW);
    const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * innerH;
    const line = data.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
    const base = y(Math.max(min, Math.min(max, 0)));
    const area = `${line}L${x(data.length - 1).toFixed(1)},${base.toFixed(1)}L${x(0).toFixed(1)},${base.toFixed(1)}Z`;
    return { min, max, x, y, line, area, zeroY: min < 0 && max > 0 ? y(0) : null };
  }, [data, height]);

  if (!geometry) return null;

  function onMove(e: MouseEvent<SVGSVGElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width === 0) return;
    const px = ((e.clientX - rect.left) / rect.width) * WIDTH;
    const innerW = WIDTH - PAD.left - PAD.right;
    const i = Math.round(((px - PAD.left) / innerW) * (data.length - 1));
    setHover(Math.min(data.length - 1, Math.max(0, i)));
  }

  const hovered = hover !== null ? data[hover] : undefined;
  const first = data[0];
  const last = data[data.length - 1];

  return (
    <figure className="line-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={describe(label, data, formatValue, formatLabel)}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        className="line-chart-svg"
      >
        <text x={PAD.left - 8} y={PAD.top + 4} className="chart-axis" textAnchor="end">
          {formatValue(geometry.max)}
        </text>
        <text x={PAD.left - 8} y={height - PAD.bottom} className="chart-axis" textAnchor="end">
          {formatValue(geometry.min)}
        </text>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top} y2={PAD.top} className="chart-grid" />
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={height - PAD.bottom}
          y2={height - PAD.bottom}
          className="chart-grid"
        />
        {geometry.zeroY !== null && (
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={geometry.zeroY} y2={geometry.zeroY} className="chart-zero" />
        )}
        <path d={geometry.area} className="chart-area" />
        <path d={geometry.line} className="chart-line" />
        {hovered && hover !== null && (
          <g>
            <line
              x1={geometry.x(hover)}
              x2={geometry.x(hover)}
              y1={PAD.top}
              y2={height - PAD.bottom}
              className="chart-cursor"
            />
            <circle cx={geometry.x(hover)} cy={geometry.y(hovered.value)} r={3.5} className="chart-dot" />
          </g>
        )}
        {first && (
          <text x={PAD.left} y={height - 6} className="chart-axis">
            {formatLabel(first.label)}
          </text>
        )}
        {last && (
          <text x={WIDTH - PAD.right} y={height - 6} className="chart-axis" textAnchor="end">
            {formatLabel(last.label)}
          </text>
        )}
      </svg>
      <figcaption className="chart-readout num" aria-live="polite">
        {hovered ? `${formatLabel(hovered.label)} · ${formatValue(hovered.value)}` : '\u00a0'}
      </figcaption>
    </figure>
  );
}

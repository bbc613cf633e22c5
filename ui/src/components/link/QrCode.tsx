import { useMemo } from 'react';
import { encode } from 'uqr';
import './link.css';

export interface QrCodeProps {
  value: string;
  size?: number;
  label: string;
}

/**
 * A QR code drawn as one SVG path (no canvas, no data URL, nothing for the CSP to allow). Encoded
 * with `uqr` (ESM): the CommonJS `qrcode` package assigned `exports.toString`, which throws once
 * Tauri's `freezePrototype` has frozen `Object.prototype`, and the whole UI died at start.
 */
export function QrCode({ value, size = 184, label }: QrCodeProps) {
  const drawing = useMemo(() => {
    try {
      // A 4-module quiet zone, as the QR standard asks; `data` already includes it.
      const qr = encode(value, { ecc: 'L', border: 4 });
      let d = '';
      qr.data.forEach((cells, row) =>
        cells.forEach((dark, col) => {
          if (dark) d += `M${col} ${row}h1v1h-1z`;
        }),
      );
      return { d, box: qr.size };
    } catch {
      return null;
    }
  }, [value]);

  if (!drawing) return <p className="muted">This link is too long for a QR code.</p>;
  return (
    <svg
      className="qr"
      width={size}
      height={size}
      viewBox={`0 0 ${drawing.box} ${drawing.box}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-testid="auth-link-qr"
    >
      <rect width={drawing.box} height={drawing.box} fill="#fff" />
      <path d={drawing.d} fill="#111" />
    </svg>
  );
}

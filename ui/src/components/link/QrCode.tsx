import { useMemo } from 'react';
import { create } from 'qrcode';
import './link.css';

export interface QrCodeProps {
  value: string;
  size?: number;
  label: string;
}

/** A QR code drawn as one SVG path (no canvas, no data URL, nothing for the CSP to allow). */
export function QrCode({ value, size = 184, label }: QrCodeProps) {
  const drawing = useMemo(() => {
    try {
      const qr = create(value, { errorCorrectionLevel: 'L' });
      const n = qr.modules.size;
      let d = '';
      for (let row = 0; row < n; row++) {
        for (let col = 0; col < n; col++) {
          if (qr.modules.get(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
        }
      }
      return { d, box: n + 8 };
    } catch {
      return null;
    }
  }, [value]);

  if (!drawing) return <p className="muted">This link is too long for a QR code.</p>;
  return (
    <svg className="qr" width={size} height={size} viewBox={`0 0 ${drawing.box} ${drawing.box}`} role="img" aria-label={label} shapeRendering="crispEdges" data-testid="auth-link-qr">
      <rect width={drawing.box} height={drawing.box} fill="#fff" />
      <path d={drawing.d} fill="#111" />
    </svg>
  );
}

import { useState } from 'react';

export interface LogoProps {
  src: string | null | undefined;
  name: string;
  size?: number;
}

/** An image logo that falls back to the name's initials when it is missing or fails to load. */
export function Logo({ src, name, size = 32 }: LogoProps) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w.charAt(0).toUpperCase())
      .join('') || '?';
  const showImage = Boolean(src) && failedSrc !== src;
  return (
    <span className="logo" style={{ width: size, height: size, fontSize: Math.round(size * 0.38) }} aria-hidden="true">
      {showImage ? (
        <img src={src ?? undefined} alt="" width={size} height={size} onError={() => setFailedSrc(src ?? null)} />
      ) : (
        <span className="logo-initials">{initials}</span>
      )}
    </span>
  );
}

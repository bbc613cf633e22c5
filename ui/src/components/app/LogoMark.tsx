/** Linkscope's mark: a lens over a link, in the accent colour. */
export function LogoMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" className="logo-mark">
      <rect x="0" y="0" width="24" height="24" rx="6" fill="var(--accent)" />
      <circle cx="10.5" cy="10.5" r="5" fill="none" stroke="#fff" strokeWidth="2" />
      <path d="M14.2 14.2 18.5 18.5" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
      <path d="M8.5 10.5h4" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

/** The run controls' icons: 12 px, drawn in the button's text colour. */
const icon = { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': true } as const;

export function PlayIcon() {
  return (
    <svg {...icon}>
      <path d="M3 1.5v9l7.5-4.5z" fill="currentColor" />
    </svg>
  );
}

export function PauseIcon() {
  return (
    <svg {...icon}>
      <path d="M2.5 1.5h2.5v9H2.5zM7 1.5h2.5v9H7z" fill="currentColor" />
    </svg>
  );
}

export function StopIcon() {
  return (
    <svg {...icon}>
      <rect x="2" y="2" width="8" height="8" rx="1" fill="currentColor" />
    </svg>
  );
}

export function RestartIcon() {
  return (
    <svg {...icon}>
      <path
        d="M10 6a4 4 0 1 1-1.2-2.85M10 1.5v2.5H7.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
      />
    </svg>
  );
}

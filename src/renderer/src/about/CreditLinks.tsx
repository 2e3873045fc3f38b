/** The sources a data licence asks to credit, as links separated by dots (About box, map footer). */
export function CreditLinks({ links }: { links: readonly { label: string; url: string }[] }) {
  return links.map((link, i) => (
    <span key={link.url}>
      {i > 0 && ' · '}
      <a href={link.url} target="_blank" rel="noreferrer">
        {link.label}
      </a>
    </span>
  ));
}

/** Term–value rows as a definition list: the side panel's file facts and the hop tooltip's statistics. */
export type Fact = readonly [term: string, value: string];

export function FactList({ facts, className }: { facts: readonly Fact[]; className: string }) {
  return (
    <dl className={className}>
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * About Hopscope: the version, the mtr-packet in use, and the AS and country
 * data in use with their data dates and the credit their licences ask for
 * (CC BY 4.0 for the AS data: RouteViews and DB-IP), plus the user's own
 * databases when set.
 */
import { APP_VERSION } from '@shared/appInfo';
import type { EnrichmentSource, EnrichmentStatus } from '@shared/enrichment';
import { SHIPPED_DATA_SETS, type ShippedDataSet } from '@shared/enrichmentSettings';
import type { MtrPacketStatus } from '@shared/ipc';
import { CreditLinks } from './CreditLinks';
import { DATA_DATE_BASIS_WORDS } from './dataStatusText';

export interface AboutBoxProps {
  status: EnrichmentStatus | null;
  mtrPacket: MtrPacketStatus | null;
  onChangeDatabases: () => void;
}

function MtrPacketFacts({ mtrPacket }: { mtrPacket: MtrPacketStatus | null }) {
  if (mtrPacket === null) return <p className="hs-dialog-muted">Checking mtr-packet…</p>;
  if (!mtrPacket.available) {
    return (
      <p className="hs-dialog-problem" data-testid="about-mtr-packet">
        mtr-packet is not available{mtrPacket.error ? `: ${mtrPacket.error.title}` : ''}
      </p>
    );
  }
  return (
    <p data-testid="about-mtr-packet">
      mtr-packet {mtrPacket.version ?? '(version unknown)'} at{' '}
      <span className="hs-dialog-mono">{mtrPacket.path ?? '(on PATH)'}</span>
    </p>
  );
}

function DataDate({ source }: { source: EnrichmentSource }) {
  return (
    <>
      data date <strong data-testid="about-data-date">{source.dataDate}</strong>{' '}
      <span className="hs-dialog-muted">({DATA_DATE_BASIS_WORDS[source.dataDateBasis]})</span>
    </>
  );
}

function ShippedSet({ set, source }: { set: ShippedDataSet; source: EnrichmentSource | undefined }) {
  return (
    <li data-testid={`about-shipped-${set.kind}`}>
      <strong>{set.title}</strong>: <span className="hs-dialog-mono">{set.packageName}</span>,{' '}
      {source ? <DataDate source={source} /> : <span className="hs-dialog-muted">not loaded</span>}.
      <br />
      {set.credit} Licence:{' '}
      <a href={set.licenceUrl} target="_blank" rel="noreferrer">
        {set.licence}
      </a>
      . <CreditLinks links={set.links} />
    </li>
  );
}

function UserSources({ sources }: { sources: readonly EnrichmentSource[] }) {
  if (sources.length === 0) {
    return <p className="hs-dialog-muted">None: only the data shipped with Hopscope answers.</p>;
  }
  return (
    <ul>
      {sources.map((source) => (
        <li key={`${source.kind}:${source.file}`} data-testid={`about-user-${source.kind}`}>
          {source.kind === 'asn' ? 'AS ranges' : 'Countries'}: <span className="hs-dialog-mono">{source.file}</span>
          {source.ranges !== undefined && `, ${source.ranges} ranges`}, <DataDate source={source} />
        </li>
      ))}
    </ul>
  );
}

export function AboutBox({ status, mtrPacket, onChangeDatabases }: AboutBoxProps) {
  const sources = status?.sources ?? [];
  const shippedSource = (kind: ShippedDataSet['kind']) =>
    sources.find((s) => s.origin === 'shipped' && s.kind === kind);
  return (
    <>
      <p>
        <strong>Hopscope</strong> <span data-testid="about-version">{APP_VERSION}</span>: live traceroute over
        mtr-packet.
      </p>
      <MtrPacketFacts mtrPacket={mtrPacket} />
      <h3>Who owns each hop: data in use</h3>
      {status === null || status.state === 'loading' ? (
        <p className="hs-dialog-muted">The AS and country data is loading…</p>
      ) : status.state === 'idle' ? (
        <p className="hs-dialog-muted">Owner lookups are off in this process.</p>
      ) : null}
      <p>Your databases (asked first):</p>
      <UserSources sources={sources.filter((s) => s.origin === 'user')} />
      <p>Shipped with Hopscope (asked for public addresses only):</p>
      <ul data-testid="about-attribution">
        {SHIPPED_DATA_SETS.map((set) => (
          <ShippedSet key={set.kind} set={set} source={shippedSource(set.kind)} />
        ))}
      </ul>
      {status?.problems.map((problem) => (
        <p key={problem} className="hs-dialog-problem" role="alert">
          {problem}
        </p>
      ))}
      <div className="hs-dialog-actions">
        <button type="button" className="hs-button" data-testid="about-change-databases" onClick={onChangeDatabases}>
          Change databases…
        </button>
      </div>
    </>
  );
}

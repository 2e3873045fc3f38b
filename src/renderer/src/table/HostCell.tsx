/** The Host cell of a hop row: name, address, class badge, and the row's marks and verdicts. */
import { memo } from 'react';
import { ADDRESS_CLASS_INFO, addressClass } from '@shared/addressClass';
import type { RowVerdict } from './hopVerdicts';

export const HostCell = memo(function HostCell({
  address,
  hostname,
  isDestination,
  onPath,
  verdict,
}: {
  /** Null for a TTL nobody answered. */
  address: string | null;
  hostname: string | null;
  isDestination: boolean;
  onPath: boolean;
  verdict: RowVerdict;
}) {
  const offPathMark = onPath ? null : <span className="hs-off-path-mark">not probed</span>;
  const marks = (
    <>
      {offPathMark}
      <VerdictMarks verdict={verdict} />
    </>
  );
  if (address === null) {
    return (
      <>
        <span className="hs-host-silent">???</span>
        {marks}
      </>
    );
  }
  const cls = addressClass(address);
  return (
    <>
      {hostname !== null ? (
        <>
          <span className="hs-host-name">{hostname}</span> <span className="hs-host-address">({address})</span>
        </>
      ) : (
        <span className="hs-host-address">{address}</span>
      )}
      {cls !== 'global' && (
        <span className={`hs-badge-inline hs-badge--${cls}`} title={ADDRESS_CLASS_INFO[cls].description}>
          {ADDRESS_CLASS_INFO[cls].badge}
        </span>
      )}
      {isDestination && <span className="hs-destination-mark">destination</span>}
      {marks}
    </>
  );
});

/** The row's verdicts as short marks, each explained in its tooltip. */
function VerdictMarks({ verdict }: { verdict: RowVerdict }) {
  return (
    <>
      {verdict.unreachable && (
        <span
          className="hs-verdict-mark is-unreachable"
          data-testid="verdict-unreachable"
          title="This router answered ICMP net/host unreachable: the path ends here and nothing past it is probed."
        >
          unreachable (!N/!H)
        </span>
      )}
      {verdict.lossLocal && (
        <span
          className="hs-verdict-mark"
          data-testid="verdict-loss-local"
          title="Later hops lose clearly less: likely ICMP rate limiting on this router, not loss on the path."
        >
          loss not seen downstream
        </span>
      )}
      {verdict.synRetransmits > 0 && (
        <span
          className="hs-verdict-mark is-retransmit"
          data-testid="verdict-syn-retransmit"
          title="Replies that arrived about 1 s or 3 s late because the kernel re-sent the TCP SYN: they measure the retransmission timer, not latency."
        >
          {`${verdict.synRetransmits} SYN retransmission${verdict.synRetransmits === 1 ? '' : 's'}`}
        </span>
      )}
    </>
  );
}

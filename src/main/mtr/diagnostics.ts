/** User-facing explanations for mtr-packet failures, with a platform-specific fix. */
import type { ProbeResult } from '@shared/probe';
import { TargetResolveError } from '../net/resolveTarget';
import { ExecutableNotFoundError, ProcessError, StateError, ValidationError } from './errors';

export interface MtrPacketProblem {
  title: string;
  detail: string;
  fix: string;
}

// What mtr-packet (or the kernel through it) prints when raw sockets are refused.
const PERMISSION_RE = /operation not permitted|permission denied|failure to open ipv[46] sockets|\beperm\b|\beacces\b/i;

function isProbeResult(value: unknown): value is ProbeResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ProbeResult).result === 'string' &&
    typeof (value as ProbeResult).success === 'boolean'
  );
}

function quote(path: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function installFix(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return (
        'Install mtr: `sudo apt install mtr-tiny` (Debian/Ubuntu), `sudo dnf install mtr` (Fedora) or ' +
        '`sudo pacman -S mtr` (Arch). If mtr-packet is somewhere unusual, set MTR_PACKET to its full path.'
      );
    case 'darwin':
      return (
        'Install mtr with Homebrew: `brew install mtr`. Homebrew puts mtr-packet in `$(brew --prefix)/sbin`, ' +
        'which is usually not on PATH, so pass that path (or set MTR_PACKET="$(brew --prefix)/sbin/mtr-packet"). ' +
        'mtr-packet also needs root privileges on macOS (see the permission fix).'
      );
    case 'win32':
    case 'cygwin':
      return (
        'Run Cygwin setup and install the `mtr` package (for example `setup-x86_64.exe -q -P mtr`), then pass the ' +
        'path of mtr-packet.exe (e.g. C:\\cygwin64\\bin\\mtr-packet.exe). Alternatively run Hopscope inside WSL ' +
        'and `sudo apt install mtr-tiny` there.'
      );
    default:
      return 'Install mtr from your package manager (e.g. `pkg install mtr-nox11` on FreeBSD) and pass the path of mtr-packet.';
  }
}

function permissionFix(platform: NodeJS.Platform, executable: string | null): string {
  const exe = executable ? quote(executable) : null;
  switch (platform) {
    case 'linux':
      return (
        `Give mtr-packet the raw-socket capability: \`sudo setcap cap_net_raw+ep ${exe ?? '$(command -v mtr-packet)'}\`. ` +
        '(Debian and Ubuntu packages do this at install time; a copy built from source or moved afterwards loses it.)'
      );
    case 'darwin': {
      const target = exe ?? '"$(brew --prefix)/sbin/mtr-packet"';
      return (
        'macOS has no capabilities, so mtr-packet must run as root. Make it setuid-root: ' +
        `\`sudo chown root ${target} && sudo chmod u+s ${target}\` ` +
        "(mtr's SECURITY notes support this: mtr-packet opens its sockets and then drops root), " +
        'or, less safely, run Hopscope itself as root.'
      );
    }
    case 'win32':
    case 'cygwin':
      return 'Run Hopscope from an Administrator account; Cygwin mtr-packet uses the Windows ICMP API and needs no setup beyond that.';
    default:
      return `Make mtr-packet setuid-root (\`sudo chown root ${exe ?? 'mtr-packet'} && sudo chmod u+s ${exe ?? 'mtr-packet'}\`) or run Hopscope as root.`;
  }
}

function exitDescription(err: ProcessError): string {
  const parts: string[] = [];
  if (err.signal) parts.push(`it was killed by ${err.signal}`);
  else if (err.exitCode !== null) parts.push(`it exited with code ${err.exitCode}`);
  if (err.stderrTail) parts.push(`it printed: ${err.stderrTail}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function explainProcessError(err: ProcessError, platform: NodeJS.Platform): MtrPacketProblem {
  const exe = err.executable ?? 'mtr-packet';
  const cause = err.cause as NodeJS.ErrnoException | undefined;
  if (err.kind === 'spawn-failed' && (cause?.code === 'EACCES' || cause?.code === 'EPERM')) {
    return {
      title: 'mtr-packet cannot be executed',
      detail: `The system refused to run ${exe}: ${cause.message}.`,
      fix: `Make it executable (\`chmod a+rx ${quote(exe)}\`) and make sure its directory is readable, or pass the path of a working mtr-packet.`,
    };
  }
  if (PERMISSION_RE.test(err.stderrTail)) {
    return {
      title: 'mtr-packet is not allowed to send probes',
      detail: `${exe} could not open raw network sockets${exitDescription(err)}.`,
      fix: permissionFix(platform, err.executable),
    };
  }
  switch (err.kind) {
    case 'not-found':
      return {
        title: 'mtr-packet was not found',
        detail: `${err.message}.`,
        fix: installFix(platform),
      };
    case 'spawn-failed':
      return {
        title: 'mtr-packet could not be started',
        detail: err.message,
        fix: `Check that ${exe} is a program for this system, or reinstall mtr. ${installFix(platform)}`,
      };
    case 'not-mtr-packet':
    case 'no-answer':
      return {
        title: `${exe} is not mtr-packet`,
        detail: `${err.message}. Hopscope talks to mtr-packet, the probe helper that ships with mtr 0.87 and later, not to mtr itself.`,
        fix: `Pass the path of mtr-packet (usually next to mtr, e.g. /usr/bin/mtr-packet or $(brew --prefix)/sbin/mtr-packet) or unset MTR_PACKET. ${installFix(platform)}`,
      };
    case 'io':
      return {
        title: 'mtr-packet stopped reading its input',
        detail: `${exe} closed its input${err.phase === 'start-up' ? ' during start-up' : ' while probes were running'}${exitDescription(err)}, so Hopscope could not send it probes.`,
        fix:
          'Start the trace again; a new mtr-packet is started for it. If this keeps happening, run ' +
          `\`echo "1 send-probe ip-4 127.0.0.1" | ${quote(exe)}\` in a terminal and include its output in a bug report.`,
      };
    case 'exited':
    default:
      if (err.phase === 'start-up') {
        return {
          title: 'mtr-packet stopped during start-up',
          detail: `${exe} exited during start-up, before it answered Hopscope's version check${exitDescription(err)}.`,
          fix: `Run \`${quote(exe)}\` in a terminal to see why it does not start, or reinstall mtr. ${installFix(platform)}`,
        };
      }
      return {
        title: 'mtr-packet stopped unexpectedly',
        detail: `${exe} ended while probes were running${exitDescription(err)}. Probes that were in flight are lost.`,
        fix:
          'Start the trace again; a new mtr-packet is started for it. If this keeps happening, run ' +
          `\`echo "1 send-probe ip-4 127.0.0.1" | ${quote(exe)}\` in a terminal and include its output in a bug report.`,
      };
  }
}

function explainResult(r: ProbeResult, platform: NodeJS.Platform): MtrPacketProblem {
  switch (r.result) {
    case 'reply':
    case 'ttl-expired':
      return {
        title: 'No problem',
        detail: `${r.responder ?? 'A host'} answered${r.timeMs !== null ? ` in ${r.timeMs} ms` : ''}.`,
        fix: 'Nothing to fix.',
      };
    case 'no-reply':
      return {
        title: 'No reply',
        detail:
          'Nothing answered before the timeout. Routers that do not send ICMP, firewalls and rate limits all look like this.',
        fix: 'Try another protocol (UDP or TCP to an open port) or a longer timeout.',
      };
    case 'permission-denied':
      return {
        title: 'The system refused to send the probe',
        detail:
          'mtr-packet got "permission denied" while sending. Either it lacks raw-socket privileges or a local firewall rule rejects this kind of packet.',
        fix: `${permissionFix(platform, null)} If it is already privileged, check local firewall rules for outgoing ICMP/UDP/TCP.`,
      };
    case 'invalid-argument':
      if (r.reason === 'protocol-not-supported') {
        return {
          title: 'Protocol not supported here',
          detail: 'mtr-packet cannot send this protocol on this system (for SCTP, the kernel has no SCTP support).',
          fix:
            platform === 'linux'
              ? 'Use ICMP, UDP or TCP, or load SCTP support (`sudo modprobe sctp`) if your kernel has it.'
              : 'Use ICMP, UDP or TCP.',
        };
      }
      if (r.reason === 'ip-version-not-supported') {
        return {
          title: 'IP version not available',
          detail: 'mtr-packet could not open sockets for this IP version (IPv6 is often disabled).',
          fix: 'Use the other IP version, or enable it on this host.',
        };
      }
      return {
        title: 'mtr-packet rejected the probe',
        detail: `mtr-packet answered invalid-argument${r.reason ? ` (${r.reason})` : ''}. A source address that is not on this host, a local port below 1024 or a packet size it cannot build cause this.`,
        fix: 'Check the source address, local port and packet size settings.',
      };
    case 'no-route':
      return {
        title: 'No route to the host',
        detail: r.responder
          ? `${r.responder} reported that the destination is unreachable${r.reason ? ` (${r.reason})` : ''}.`
          : 'This computer has no route to that address.',
        fix: 'Check the address, your network connection and (for IPv6) whether you have IPv6 connectivity.',
      };
    case 'network-down':
      return {
        title: 'Network is down',
        detail: 'The network interface needed for this probe is down.',
        fix: 'Check your network connection.',
      };
    case 'probes-exhausted':
      return {
        title: 'Too many probes in flight',
        detail: 'mtr-packet has no room for more outstanding probes.',
        fix: 'Lower the probing rate or the number of concurrent traces.',
      };
    default:
      return {
        title: 'Unexpected reply from mtr-packet',
        detail: `mtr-packet answered ${JSON.stringify(r.raw ?? r.result)}, which Hopscope does not understand.`,
        fix: 'This may be a newer or patched mtr-packet. Please report the reply text.',
      };
  }
}

/** Explain an error thrown by the mtr client, or a failed probe result, in words a user can act on. */
export function explainMtrPacketProblem(
  problem: unknown,
  platform: NodeJS.Platform = process.platform,
): MtrPacketProblem {
  if (problem instanceof ExecutableNotFoundError) {
    const shown = problem.pathsTried.slice(0, 6).join(', ');
    const more = problem.pathsTried.length > 6 ? ` and ${problem.pathsTried.length - 6} more` : '';
    return {
      title: 'mtr-packet was not found',
      detail: `Hopscope sends its probes through mtr-packet (part of mtr), and could not find it. Looked in: ${shown || 'nowhere'}${more}.`,
      fix: installFix(platform),
    };
  }
  if (problem instanceof ProcessError) return explainProcessError(problem, platform);
  if (problem instanceof TargetResolveError) {
    return {
      title: 'Host name not found',
      detail: problem.message,
      fix: 'Check the spelling, or enter an IP address.',
    };
  }
  if (problem instanceof ValidationError) {
    return {
      title: `Invalid setting: ${problem.field}`,
      detail: problem.message,
      fix: 'Correct the value and try again.',
    };
  }
  if (problem instanceof StateError) {
    return {
      title: 'The probe engine is not running',
      detail: problem.message,
      fix: 'Start the trace again.',
    };
  }
  if (isProbeResult(problem)) return explainResult(problem, platform);
  const message = problem instanceof Error ? problem.message : String(problem);
  return {
    title: 'Unexpected error',
    detail: message,
    fix: 'Try again; if it persists, please report it with this message.',
  };
}

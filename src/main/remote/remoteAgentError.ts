/** A refusal about an agent or its sessions, which the service passes on as a typed IPC error. */
export class RemoteAgentError extends Error {
  constructor(
    readonly code: 'failed' | 'not-found' | 'forbidden' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

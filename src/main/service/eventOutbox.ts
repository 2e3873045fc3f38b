import type { EventName, EventPayloads } from '@shared/ipc';

type Delivery = { [E in EventName]: { event: E; payload: EventPayloads[E] } }[EventName];

/**
 * Per-connection event delivery. Events raised before the renderer says it
 * is ready are queued (bounded, oldest dropped first with a count) instead
 * of being lost while the page loads.
 */
export class EventOutbox {
  private ready = false;
  private readonly queue: Delivery[] = [];
  private droppedCount = 0;

  constructor(
    private readonly send: (delivery: Delivery) => void,
    private readonly capacity = 5000,
  ) {}

  post<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const delivery = { event, payload } as Delivery;
    if (this.ready) {
      this.send(delivery);
      return;
    }
    if (this.queue.length >= this.capacity) {
      this.queue.shift();
      this.droppedCount++;
    }
    this.queue.push(delivery);
  }

  /** The renderer subscribed: flush the queue in order, then deliver directly. */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    for (const delivery of this.queue.splice(0)) this.send(delivery);
  }

  /** The page reloaded: queue again until it says it is ready. */
  markNotReady(): void {
    this.ready = false;
  }

  get queued(): number {
    return this.queue.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }
}

export type { Delivery };

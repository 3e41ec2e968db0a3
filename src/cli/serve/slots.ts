/*! Bounded concurrency for probes: a counting semaphore whose waiters give up when their
 * signal aborts (the probe's deadline passed while it queued), and one per target that is
 * dropped once idle, so many names seen once keep no memory. */

export class Slots {
  private used = 0;
  private readonly queue: { grant: () => void }[] = [];
  constructor(readonly limit: number) {}

  get inUse(): number { return this.used; }
  get waiting(): number { return this.queue.length; }

  /** Resolves with a release function once a slot is free; rejects when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant();
      else this.used--;
    };
    if (this.used < this.limit) {
      this.used++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const entry = { grant: () => { signal.removeEventListener('abort', onAbort); resolve(release); } };
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i !== -1) this.queue.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
    });
  }
}

/** One Slots per key, made on first use and forgotten when nothing holds or waits for it. */
export class KeyedSlots {
  private readonly byKey = new Map<string, Slots>();
  constructor(readonly limit: number) {}

  async acquire(key: string, signal: AbortSignal): Promise<() => void> {
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = new Slots(this.limit)));
    const slots = s;
    let release: () => void;
    try {
      release = await slots.acquire(signal);
    } catch (err) {
      this.forget(key, slots);
      throw err;
    }
    return () => { release(); this.forget(key, slots); };
  }

  get size(): number { return this.byKey.size; }

  private forget(key: string, s: Slots): void {
    if (s.inUse === 0 && s.waiting === 0 && this.byKey.get(key) === s) this.byKey.delete(key);
  }
}

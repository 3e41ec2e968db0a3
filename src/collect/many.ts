/*! Several targets at once, at most `concurrency` in flight: each source's result or
 * error kept apart, so one failing target loses none of the others. Stores nothing. */
import type { RawCapture } from '../model/capture.js';
import type { Selection, Source } from './source.js';

export type CaptureResult =
  | { source: Source; ok: true; capture: RawCapture; ms: number }
  | { source: Source; ok: false; error: Error; ms: number };

export type CaptureEvent = { state: 'started' } | { state: 'done'; ms: number } | { state: 'failed'; error: Error; ms: number };

/** Collect every source; results come back in the order of `sources`. Never rejects. */
export async function captureMany(
  sources: readonly Source[],
  selection: Selection | ((source: Source) => Selection),
  concurrency: number,
  onProgress?: (source: Source, event: CaptureEvent) => void,
  signal?: AbortSignal,
): Promise<CaptureResult[]> {
  const results: CaptureResult[] = new Array(sources.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < sources.length; i = next++) {
      const source = sources[i]!;
      const t0 = Date.now();
      onProgress?.(source, { state: 'started' });
      try {
        const sel = typeof selection === 'function' ? selection(source) : selection;
        const capture = await source.collect(sel, signal);
        results[i] = { source, ok: true, capture, ms: Date.now() - t0 };
        onProgress?.(source, { state: 'done', ms: Date.now() - t0 });
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        results[i] = { source, ok: false, error, ms: Date.now() - t0 };
        onProgress?.(source, { state: 'failed', error, ms: Date.now() - t0 });
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(concurrency) || 1, sources.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

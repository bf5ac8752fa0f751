import { Gauge, type Registry } from "prom-client";

/** Reads one source's current value at scrape time; undefined when it cannot tell right now. */
export type ReadValue = () => Promise<number | undefined>;

/**
 * A gauge whose series are read when Prometheus scrapes, from sources that come and go with the
 * services of the process (a source per label set). A source that fails is left out of that scrape
 * rather than failing the whole scrape: one stuck store must not hide every other figure.
 */
export class ScrapedGauge {
  readonly #sources = new Map<string, { labels: Record<string, string>; read: ReadValue }>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
    const sources = this.#sources;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const values = await Promise.all(
          [...sources.values()].map(async ({ labels, read }) => ({
            labels,
            value: await read().catch(() => undefined),
          })),
        );
        for (const { labels, value } of values) if (value !== undefined) this.set(labels, value);
      },
    });
  }

  /** Adds a source; the returned function removes it (the service stopped). */
  watch(labels: Record<string, string>, read: ReadValue): () => void {
    const key = JSON.stringify(labels);
    this.#sources.set(key, { labels, read });
    return () => {
      if (this.#sources.get(key)?.read === read) this.#sources.delete(key);
    };
  }
}

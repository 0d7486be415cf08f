/**
 * The connection thread's end of the lint worker: one request at a time in flight, the others
 * queued. A request with a key replaces the queued one with the same key (only the newest version
 * of a document is worth linting), and cancels the one in flight when its tag differs (an older
 * version): the worker gives up at its next check. Without a built worker file (`dist/lsp/worker.js`)
 * the same host runs on the connection thread, as before.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { packagePath } from '../engine/paths.js';
import { LintHost } from './host.js';
import type { HostReply, HostRequest } from './wire.js';

/** The answer to a request that a newer one with the same key replaced before it was sent. */
export const SUPERSEDED: unique symbol = Symbol('superseded');

interface Job {
  id: number;
  req: HostRequest;
  key: string | undefined;
  tag: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A worker that stops on its own is started again this many times (each time with the workspace read again). */
const MAX_RESTARTS = 3;

export class LintClient {
  private worker: Worker | undefined;
  private local: { handle: (req: HostRequest) => Promise<unknown> } | undefined;
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private queue: Job[] = [];
  private inflight: Job | undefined;
  private nextId = 1;
  private initReq: HostRequest | undefined;
  private stopped = false;
  private restarts = 0;

  constructor(
    private readonly log: (line: string) => void,
    /** Called with the init request's answer after the worker had to be started again. */
    private readonly onRestart: (state: unknown) => void,
    private readonly workerFile = packagePath('dist', 'lsp', 'worker.js'),
  ) {}

  /** Runs the lint in a worker thread (false: on this thread, the worker file is not built). */
  get threaded(): boolean {
    return !!this.worker;
  }

  async start(): Promise<void> {
    if (existsSync(this.workerFile)) {
      this.spawn();
      return;
    }
    this.local = new LintHost(() => Atomics.load(this.cancel, 0) === this.inflight?.id);
  }

  private spawn(): void {
    const worker = new Worker(this.workerFile, { workerData: { cancel: this.cancel.buffer }, stdout: true, stderr: true });
    // stdout is the protocol's: whatever the lint side prints (a plugin's console.log) goes to stderr.
    worker.stdout.on('data', (d: Buffer) => process.stderr.write(d));
    worker.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    worker.on('message', (reply: HostReply) => this.onReply(reply));
    worker.on('error', (e) => this.log(`stowage: the lint worker failed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.stopped) this.crashed(code);
    });
    // The connection decides when the server ends; the worker never keeps it alive.
    worker.unref();
    this.worker = worker;
  }

  private crashed(code: number): void {
    const failed = [...(this.inflight ? [this.inflight] : []), ...this.queue];
    this.inflight = undefined;
    this.queue = [];
    for (const j of failed) j.reject(new Error(`the lint worker stopped (exit code ${code})`));
    if (this.restarts >= MAX_RESTARTS || !this.initReq) {
      this.log(`stowage: the lint worker stopped (exit code ${code}); documents are no longer linted`);
      return;
    }
    this.restarts++;
    this.log(`stowage: the lint worker stopped (exit code ${code}); starting it again`);
    this.spawn();
    this.request(this.initReq).then(
      (state) => this.onRestart(state),
      (e: Error) => this.log(`stowage: could not start the lint worker again: ${e.message}`),
    );
  }

  /**
   * Send a request (in order with the others). `key`: a queued request with the same key is
   * answered `SUPERSEDED` and dropped; the one in flight is cancelled when its `tag` differs.
   */
  request<T>(req: HostRequest, opts: { key?: string; tag?: unknown } = {}): Promise<T | typeof SUPERSEDED> {
    if (req.type === 'init') this.initReq = req;
    return new Promise((resolve, reject) => {
      if (this.stopped) {
        resolve(SUPERSEDED);
        return;
      }
      if (opts.key !== undefined) this.drop(opts.key, (j) => j.tag !== opts.tag);
      this.queue.push({ id: this.nextId++, req, key: opts.key, tag: opts.tag, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Forget the queued request with this key and cancel it in flight (a closed document). */
  cancelKey(key: string): void {
    this.drop(key, () => true);
  }

  private drop(key: string, cancelInflight: (j: Job) => boolean): void {
    const i = this.queue.findIndex((j) => j.key === key);
    if (i >= 0) this.queue.splice(i, 1)[0]!.resolve(SUPERSEDED);
    if (this.inflight?.key === key && cancelInflight(this.inflight)) Atomics.store(this.cancel, 0, this.inflight.id);
  }

  private pump(): void {
    if (this.inflight || !this.queue.length) return;
    if (!this.worker && !this.local) return;
    const job = this.queue.shift()!;
    this.inflight = job;
    if (this.worker) {
      this.worker.postMessage({ id: job.id, req: job.req });
      return;
    }
    const local = this.local!;
    setImmediate(() => {
      local.handle(job.req).then(
        (result) => this.onReply({ id: job.id, ok: true, result }),
        (e: unknown) => this.onReply({ id: job.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
    });
  }

  private onReply(reply: HostReply): void {
    const job = this.inflight;
    if (!job || job.id !== reply.id) return;
    this.inflight = undefined;
    if (reply.ok) job.resolve(reply.result);
    else job.reject(new Error(reply.error));
    this.pump();
  }

  /** Stop the worker; requests still waiting are answered `SUPERSEDED`. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const j of [...(this.inflight ? [this.inflight] : []), ...this.queue]) j.resolve(SUPERSEDED);
    this.inflight = undefined;
    this.queue = [];
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/**
 * The language server's lint worker thread: a `LintHost` answering the connection thread's
 * requests in order. `workerData.cancel` is shared memory: the connection thread writes there the
 * id of a request whose result is no longer wanted (a newer version of the document arrived), and
 * the lint in progress gives up at its next check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LintHost } from './host.js';
import type { HostReply, HostRequest } from './wire.js';

const port = parentPort;
if (!port) throw new Error('stowage: the lint worker runs only as a worker thread');

const cancel = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);
let current = 0;
const host = new LintHost(() => Atomics.load(cancel, 0) === current);

// Requests are answered one at a time, in the order they came.
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: { id: number; req: HostRequest }) => {
  queue = queue.then(async () => {
    current = msg.id;
    let reply: HostReply;
    try {
      reply = { id: msg.id, ok: true, result: await host.handle(msg.req) };
    } catch (e) {
      reply = { id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
    // Once the workspace is read, before the first document arrives.
    if (msg.req.type === 'init') host.warmUp();
  });
});

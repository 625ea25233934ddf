/**
 * The Guanmo bench server as its own process (started by guanmo-server.ts with an IPC channel):
 * argv[2] is the JSON of its options. Sends `ready` once listening, answers the bench's requests
 * (counts, per-route server times, close) and exits when the bench goes away.
 */
import { startBenchGuanmoServerHere, type InProcessBenchServer, type ServerMessage, type ServerRequest } from './guanmo-server';

const send = (message: ServerMessage) => process.send?.(message);

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as { staticDir: string; stops: number };
  let bench: InProcessBenchServer;
  try {
    bench = await startBenchGuanmoServerHere(options);
  } catch (error) {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  let isClosing = false;
  const close = async () => {
    if (isClosing) return;
    isClosing = true;
    await bench.close();
  };
  process.on('message', (raw) => {
    const request = raw as ServerRequest;
    void (async () => {
      try {
        let value: unknown = null;
        if (request.kind === 'countRecords') value = await bench.countRecords();
        else if (request.kind === 'countBlobs') value = await bench.countBlobs(request.sha256s);
        else if (request.kind === 'serverTimes') value = [...bench.serverTimes];
        else if (request.kind === 'clearServerTimes') bench.serverTimes.clear();
        else if (request.kind === 'close') await close();
        send({ id: request.id, kind: 'answer', value });
        if (request.kind === 'close') process.disconnect();
      } catch (error) {
        send({ id: request.id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // the bench ended (however it ended): close and go
  const stop = () => void close().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  send({ kind: 'ready', port: bench.port, username: bench.username, password: bench.password, userId: bench.userId, tourId: bench.tourId });
}

void main();

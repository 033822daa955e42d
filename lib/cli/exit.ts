// Exit only once stdout and stderr are written out. On a pipe a large write is
// queued when the pipe is full (64 KiB): process.exit() right after it would cut
// the output short and still exit 0 (`switchyard config export | cat`).
type Out = NodeJS.WriteStream | NodeJS.WritableStream;

function drained(stream: Out): Promise<void> {
  const s = stream as NodeJS.WriteStream;
  if (s.destroyed || s.writableLength === 0) return Promise.resolve();
  // an empty write's callback runs after every write queued before it
  return new Promise((resolve) => {
    s.once("error", () => resolve()); // EPIPE: the reader left, nothing more to wait for
    s.write("", () => resolve());
  });
}

export async function exitWhenFlushed(code: number, streams: Out[] = [process.stdout, process.stderr]): Promise<never> {
  await Promise.all(streams.map(drained));
  process.exit(code);
}

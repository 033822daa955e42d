// The lab's "internet" test server, run inside the inet namespace (plain Node, no deps).
//   echo port: answers every connection with the source address it sees + "\n", then closes.
//   sink port: reads and discards until the client half-closes, then answers the byte count.
// Writes its pid to --pidfile once both ports listen: the lab waits for that file.
// usage: node echo-server.mjs --address 198.18.0.1 --port 7777 --sink-port 7778 --pidfile F
import net from "node:net";
import fs from "node:fs";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const host = args.address ?? "198.18.0.1";
const plain = (addr) => String(addr ?? "").replace(/^::ffff:/, "");

const echo = net.createServer((s) => {
  s.on("error", () => {});
  s.end(`${plain(s.remoteAddress)}\n`);
});
const sink = net.createServer({ allowHalfOpen: true }, (s) => {
  let n = 0;
  s.on("error", () => {});
  s.on("data", (d) => (n += d.length));
  s.on("end", () => s.end(`${n}\n`));
});

let listening = 0;
const ready = () => {
  if (++listening < 2) return;
  if (args.pidfile) fs.writeFileSync(args.pidfile, `${process.pid}\n`);
};
for (const [srv, port] of [
  [echo, args.port ?? 7777],
  [sink, args["sink-port"] ?? 7778],
]) {
  srv.on("error", (e) => {
    process.stderr.write(`echo-server: ${e.message}\n`);
    process.exit(1);
  });
  srv.listen(Number(port), host, ready);
}
const stop = () => process.exit(0);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

// Liveness for process supervisors and the test runner: says nothing about the gateway.
export const dynamic = "force-dynamic";
export function GET() {
  return Response.json({ ok: true });
}

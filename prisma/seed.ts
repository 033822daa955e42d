// `prisma db seed`: the classic two-ISP office (and the admin, from SWITCHYARD_ADMIN_PASSWORD).
// Same as setup's step, which never overwrites an existing configuration.
await import("../scripts/seed-if-empty");
export {};

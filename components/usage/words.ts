// Uptime and usage in words for the pages: lib/usage/words.ts (the CLI shares it).
export * from "@/lib/usage/words";

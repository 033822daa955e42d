// Validation issues as the CLI prints them (a place in the file, the item's name, the message): lib/validation/issues.ts.
export { describeIssue, formatPath } from "@/lib/validation/issues";

export * from "./fields";
export * from "./entities";
export * from "./config";
export * from "./form";

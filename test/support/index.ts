// The one test support module: import everything a test needs from "../support".
export * from "./api";
export * from "./db";
export * from "./queue";
export * from "./seed";
export * from "./outbound";
export * from "./rate-window";

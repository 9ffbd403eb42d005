// The OS a host file path is resolved for, as the adapter contract names it. Building one from
// the process environment (and every path rule) lives in hosts/_paths.ts.
export type Platform = "darwin" | "linux" | "win32";

export interface PathContext {
  platform: Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}
